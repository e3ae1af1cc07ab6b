import pytest

from eforms.core.common.errors import Unauthorized
from eforms.core.identity.caller import caller_from_claims


def test_claims_as_api_gateway_passes_them() -> None:
    caller = caller_from_claims(
        {"sub": "maria", "name": "Maria Lind", "email": "m@example.se", "roles": "[manager payroll]"}
    )
    assert caller.id == "maria"
    assert caller.roles == frozenset({"manager", "payroll"})
    assert caller.is_payroll


def test_claims_as_real_lists_and_custom_id_claim() -> None:
    caller = caller_from_claims(
        {"sub": "x", "employee_number": "e-17", "roles": ["Manager"]}, id_claim="employee_number"
    )
    assert caller.id == "e-17"
    assert caller.roles == frozenset({"manager"})
    assert not caller.is_payroll


@pytest.mark.parametrize("claims", [None, {}, {"name": "no subject"}, {"sub": ""}, {"sub": 17}, {"sub": "x" * 129}])
def test_claims_that_identify_nobody_are_unauthorized(claims: dict[str, object] | None) -> None:
    with pytest.raises(Unauthorized):
        caller_from_claims(claims)


def test_missing_roles_mean_plain_employee() -> None:
    assert caller_from_claims({"sub": "anna"}).roles == frozenset()
