from __future__ import annotations

import pytest

from eforms.core.cases.listing import ListQuery, parse_query, partition_for
from eforms.core.common.errors import BadRequest, Forbidden
from eforms.core.identity.caller import Caller


def test_defaults() -> None:
    assert parse_query({}) == ListQuery(scope="mine", limit=25)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"scope": "everyone"}, "scope"),
        ({"status": "deleted"}, "status"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"owner": "erik"}, "owner"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, str], parameter: str) -> None:
    with pytest.raises(BadRequest) as raised:
        parse_query(params)
    assert raised.value.params == {"parameter": parameter}


def test_each_scope_reads_only_the_callers_own_partition() -> None:
    manager = Caller("maria", "", "", frozenset({"manager"}))
    assert partition_for(manager, "mine") == "maria"
    assert partition_for(manager, "team") == "maria"
    assert partition_for(Caller("pia", "", "", frozenset({"payroll"})), "payroll") == "payroll"


@pytest.mark.parametrize("scope", ["team", "payroll"])
def test_scopes_need_their_role(scope: str) -> None:
    with pytest.raises(Forbidden):
        partition_for(Caller("anna", "", "", frozenset()), scope)
