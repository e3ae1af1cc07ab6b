"""``python3 dev load-directory FILE``: load an org-directory export into the directory table.

Works against the running local stack by default and against AWS with ``--table`` (credentials and
region from the usual AWS environment). The whole file is validated first; nothing is written if any
row is wrong. With ``--prune`` employees missing from the export are removed (a full export).
``--org ORG`` names the customer organisation the export is of (docs/organisations.md, §6): its ids become
that organisation's (``norrby/E1001``) and ``--prune`` touches its rows only. Without it, the export is the
centre's default organisation's.
A ``personnummer`` column is written as its keyed hash under the stack's KMS HMAC key (``--personnummer-key``,
the stack's ``PersonnummerKey``): the number itself never reaches the table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Literal

from devstack.stack import local_stack_refs
from devstack.template import ROOT


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dev load-directory", description=__doc__)
    parser.add_argument("file", type=Path, help="export file, .json (array of objects) or .csv (header row)")
    parser.add_argument("--table", help="directory table name on AWS (default: the running local stack's)")
    parser.add_argument("--format", choices=["json", "csv"], help="default: from the file extension")
    parser.add_argument("--prune", action="store_true", help="delete employees that are not in the export")
    parser.add_argument(
        "--org", help="the organisation the export is of (organisations/<ORG>.json); default: the centre's default"
    )
    parser.add_argument(
        "--personnummer-key",
        help="KMS HMAC key id or ARN that hashes the personnummer column (default: the running local stack's)",
    )
    args = parser.parse_args(argv)

    from eforms.aws.dynamo_directory import DynamoDirectory
    from eforms.aws.personnummer_key import KmsPersonnummerHasher
    from eforms.core.identity.directory_import import DirectoryImportError, parse_export

    table, key = args.table, args.personnummer_key
    if table is None:
        refs = local_stack_refs()
        if refs is None:
            print("No local stack is running (start it with: python3 dev run), and no --table given.", file=sys.stderr)
            return 2
        table, key = refs["DirectoryTable"], key or refs["PersonnummerKey"]
    namespace = _namespace(args.org)
    if namespace is None:
        print(f"No organisation {args.org!r} in organisations/ (its file is organisations/<id>.json).", file=sys.stderr)
        return 2
    fmt: Literal["json", "csv"] = "csv" if (args.format or args.file.suffix.lower().lstrip(".")) == "csv" else "json"
    try:
        employees = parse_export(
            args.file.read_text(encoding="utf-8-sig"),
            fmt=fmt,
            hasher=KmsPersonnummerHasher(key) if key else None,
            namespace=namespace,
        )
    except DirectoryImportError as invalid:
        print(f"Nothing was loaded: {invalid}", file=sys.stderr)
        for problem in invalid.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    directory = DynamoDirectory(table)
    loaded = directory.put_all(employees)
    removed = directory.delete_missing({e.employee_id for e in employees}, namespace) if args.prune else 0
    print(f"Loaded {loaded} employees into {table}" + (f"; removed {removed}" if args.prune else ""))
    return 0


def _namespace(organisation_id: str | None) -> str | None:
    """How the organisation's people's ids name it ("" for the default); None for one not declared."""
    from eforms.core.organisations.registry import Registry

    registry = Registry.read(ROOT / "organisations")
    if registry is None or organisation_id is None:
        return ""
    return registry.namespace(organisation_id) if registry.get(organisation_id) else None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
