"""``python3 dev subject-access EMPLOYEE_ID OUT_DIR``: everything the service holds about one person.

For a data subject's access request (GDPR art. 15; docs/operations.md, "Answer a GDPR request"). Writes
``OUT_DIR/subject-access.json`` (the directory entry and every case that concerns the person or that they
filed for someone else, each with its full history and its messages with payroll, as the API shows them)
and the signed PDF and any issued certificate of each
case beside it. Reads through the indexes the API uses; it changes nothing.

Works against the running local stack by default and against AWS with ``--cases-table``,
``--directory-table`` and ``--bucket`` (the stack's outputs; credentials from the usual AWS environment).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devstack.stack import local_stack_refs
from devstack.template import ROOT

SCOPES = ("mine", "filed")  # cases that concern the person, and cases they filed on someone's behalf


def export(employee_id: str, out_dir: Path, *, cases_table: str, directory_table: str, bucket: str) -> dict[str, Any]:
    """Write the export and return what ``subject-access.json`` holds."""
    from eforms.api.views import case_view, thread_item
    from eforms.aws.case_store import DynamoCaseStore
    from eforms.aws.documents import DocumentStore
    from eforms.aws.dynamo_directory import DynamoDirectory
    from eforms.aws.uploads import S3FileStore
    from eforms.core.cases.model import Filters
    from eforms.core.forms.catalogue import Catalogue
    from eforms.core.intake.uploads import extension

    # The repository's catalogue is the deployed one (the shared layer is built from it); the functions'
    # settings (table names from their environment) do not exist on an operator's machine.
    catalogue = Catalogue(ROOT / "schemas")
    store = DynamoCaseStore(cases_table)
    case_ids: dict[str, None] = {}  # ordered, without repeats: a case filed for oneself is in both scopes
    for scope in SCOPES:
        cursor = None
        while True:
            page = store.list(scope, employee_id, filters=Filters(), limit=100, cursor=cursor)
            case_ids.update(dict.fromkeys(s.case_id for s in page.items))
            if page.cursor is None:
                break
            cursor = page.cursor
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = DocumentStore(bucket)
    files = S3FileStore(bucket)
    cases = []
    for case_id in case_ids:
        case = store.get(case_id)
        if case is None:  # purged between the listing and the read
            continue
        view = case_view(case, catalogue, "sv")
        if case.pdf_key:
            (out_dir / f"{case_id}.pdf").write_bytes(documents.read_pdf(case.pdf_key))
            view["pdfFile"] = f"{case_id}.pdf"
        # The secure messages with payroll and an issued certificate are personal data held too.
        view["messages"] = [thread_item(message, unread=False) for message in case.messages]
        certificate = case.payroll.certificate if case.payroll else None
        if certificate:
            (out_dir / f"{case_id}-certificate.pdf").write_bytes(documents.read_pdf(certificate.key))
            view["certificateFile"] = f"{case_id}-certificate.pdf"
        # Attachments are exported under their id (the sender's file name is in the JSON, never a path).
        for attachment, shown in zip(case.attachments, view["attachments"], strict=True):
            filename = f"{case_id}-{attachment.attachment_id}.{extension(attachment.content_type)}"
            (out_dir / filename).write_bytes(files.read_all(attachment.key))
            shown["file"] = filename
        cases.append(view)
    person = DynamoDirectory(directory_table).get(employee_id)
    document = {
        "employeeId": employee_id,
        "exportedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "directoryEntry": None
        if person is None
        else {"name": person.name, "email": person.email, "managerId": person.manager_id, "language": person.language},
        "cases": cases,
    }
    (out_dir / "subject-access.json").write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return document


def _bankid_person(personnummer: str, directory_table: str, key: str) -> str:
    """The id the service knows a BankID caller by: their employee id, or ``bankid:<keyed hash>``."""
    from eforms.aws.dynamo_directory import DynamoDirectory
    from eforms.aws.personnummer_key import KmsPersonnummerHasher
    from eforms.core.identity.bankid import known_as

    person_id, _ = known_as(personnummer, DynamoDirectory(directory_table), KmsPersonnummerHasher(key))
    return person_id


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dev subject-access", description=__doc__)
    parser.add_argument(
        "employee_id", help="the person's employee id (the directory key), or with --personnummer theirs"
    )
    parser.add_argument(
        "--personnummer",
        action="store_true",
        help="the person is given by personnummer (signed in with BankID: a former employee or an outsider)",
    )
    parser.add_argument("--personnummer-key", help="PersonnummerKey output (KMS HMAC key; default: the local stack's)")
    parser.add_argument("out_dir", type=Path, help="directory to write the export to")
    parser.add_argument("--cases-table", help="CasesTableName output (default: the running local stack's)")
    parser.add_argument("--directory-table", help="DirectoryTableName output")
    parser.add_argument("--bucket", help="CaseDocumentsBucketName output")
    args = parser.parse_args(argv)
    names = (args.cases_table, args.directory_table, args.bucket)
    if not all(names):
        if any(names):
            parser.error("on AWS give all three: --cases-table, --directory-table and --bucket")
        refs = local_stack_refs()
        if refs is None:
            print("No local stack is running (start it with: python3 dev run), and no tables given.", file=sys.stderr)
            return 2
        names = (refs["CasesTable"], refs["DirectoryTable"], refs["CaseDocumentsBucket"])
        args.personnummer_key = args.personnummer_key or refs["PersonnummerKey"]
    person_id = args.employee_id
    if args.personnummer:
        if not args.personnummer_key:
            parser.error("--personnummer needs --personnummer-key on AWS")
        person_id = _bankid_person(person_id, names[1], args.personnummer_key)
    document = export(person_id, args.out_dir, cases_table=names[0], directory_table=names[1], bucket=names[2])
    pdfs = sum(1 for case in document["cases"] if "pdfFile" in case)
    print(f"Exported {len(document['cases'])} cases ({pdfs} signed PDFs) to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
