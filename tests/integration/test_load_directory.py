"""`python3 dev load-directory`: the documented way to load the org directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack import load_directory
from eforms.aws.dynamo_directory import DynamoDirectory
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
