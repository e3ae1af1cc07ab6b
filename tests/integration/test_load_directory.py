"""`python3 dev load-directory`: the documented way to load the org directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from eforms.aws.dynamo_directory import DynamoDirectory
from ops import load_directory
from tests.support.world import World

CSV = """employeeId,name,email,managerId,substituteId,substituteFrom,substituteTo,validFrom,validTo,language
boss,Bo Ss,boss@example.se,,,,,,,sv
anna,Anna Andersson,anna.andersson@example.se,boss,,,,2019-03-01,,en
"""


def test_a_csv_export_is_loaded_and_pruned(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "org.csv"
    export.write_text(CSV, encoding="utf-8")
    table = world.refs["DirectoryTable"]
    assert load_directory.main([str(export), "--table", table, "--prune"]) == 0
    assert "Loaded 2 employees" in capsys.readouterr().out
    directory = DynamoDirectory(table)
    anna = directory.get("anna")
    assert anna is not None
    assert (anna.manager_id, anna.language) == ("boss", "en")
    assert directory.get("maria") is None  # the seed's rows were pruned: not in this full export


def test_a_bad_export_loads_nothing(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "org.csv"
    export.write_text(CSV + "bad row,,not-an-email,,,,,,,\n", encoding="utf-8")
    table = world.refs["DirectoryTable"]
    before = len(world.table_items("DirectoryTable"))
    assert load_directory.main([str(export), "--table", table]) == 1
    assert "Nothing was loaded" in capsys.readouterr().err
    assert len(world.table_items("DirectoryTable")) == before
    assert DynamoDirectory(table).get("boss") is None


def test_a_personnummer_column_is_stored_only_as_its_keyed_hash_and_found_by_it(world: World, tmp_path: Path) -> None:
    export = tmp_path / "org.csv"
    export.write_text(
        "employeeId,name,email,validTo,personnummer\nolga,Olga Ek,olga@example.se,2024-12-31,19550101-1232\n",
        encoding="utf-8",
    )
    table, key = world.refs["DirectoryTable"], world.refs["PersonnummerKey"]
    assert load_directory.main([str(export), "--table", table, "--personnummer-key", key]) == 0
    [item] = [i for i in world.table_items("DirectoryTable") if i["employeeId"]["S"] == "olga"]
    assert "195501011232" not in str(item)
    assert "19550101" not in str(item)
    from eforms.aws.personnummer_key import KmsPersonnummerHasher

    found = DynamoDirectory(table).by_personnummer(KmsPersonnummerHasher(key).digest("19550101-1232"))
    assert found is not None
    assert found.employee_id == "olga"
    # Without the key there is nothing to hash with: refused, not written in clear.
    assert load_directory.main([str(export), "--table", table]) == 1


def test_one_organisations_export_is_its_people_and_its_prune_touches_only_them(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Norrby's export in Norrby's own ids: they become Norrby's (its E1001 is not Sundsvik's), and its prune
    removes Norrby's leavers only (docs/organisations.md, §6)."""
    export = tmp_path / "norrby.csv"
    export.write_text(
        "employeeId,name,email,managerId\n"
        "E1001,Nils Norberg,nils.norberg@norrby.example.se,E2001\n"
        "E2001,Greta Lund,greta.lund@norrby.example.se,\n",
        encoding="utf-8",
    )
    table = world.refs["DirectoryTable"]
    directory = DynamoDirectory(table)
    assert directory.get("norrby/E3001") is not None  # the seed's Tomas, who is not in this export
    assert load_directory.main([str(export), "--table", table, "--org", "norrby", "--prune"]) == 0
    assert "removed 1" in capsys.readouterr().out
    directory = DynamoDirectory(table)  # a new request's: the rows are read again
    nils = directory.get("norrby/E1001")
    assert nils is not None
    assert nils.manager_id == "norrby/E2001"
    assert directory.get("norrby/E3001") is None
    assert directory.get("sundsvik/E1001") is not None  # another organisation's E1001, untouched
    assert directory.get("maria") is not None  # and the centre's own people
    assert load_directory.main([str(export), "--table", table, "--org", "atlantis"]) == 2
