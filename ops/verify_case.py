"""``python3 dev verify-case CASE_ID`` (or ``--all``): does a case's history hold, as it was written?

(docs/records.md §2.)

Reads the case with its whole history, recomputes the hash chain from the case's opening and names the first
entry whose stored hash differs — the entry somebody changed, or the first after one removed or inserted —
checks that the head stored on the case is its last entry's hash, and checks the stored PDF against the case
(its fingerprint, and its seal once PDFs are sealed). Prints what it found, one line each; exits 0 only when
all of it holds, 1 when something does not, 2 when there is no such case. ``--all`` checks every case in the
table (a Scan: an operator's audit, never a request path) and prints only what does not hold, then a count.

Works against the running local stack by default and against AWS with ``--cases-table`` and ``--bucket`` (the
stack's outputs; credentials from the usual AWS environment). It names entries by their place, time, action
and actor id: no names, no answers.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

from devstack.stack import local_stack_refs


@dataclass
class Findings:
    case_id: str
    lines: list[str] = field(default_factory=list)
    holds: bool = True

    def fail(self, line: str) -> None:
        self.lines.append(f"FAIL  {line}")
        self.holds = False

    def ok(self, line: str) -> None:
        self.lines.append(f"ok    {line}")


def verify(
    case_id: str, *, cases_table: str, bucket: str = "", seal_chain: str = "", records_bucket: str = ""
) -> Findings | None:
    """What holds of the case and what does not; None for a case the table does not hold. ``seal_chain``: the
    seal's PEM chain to check the PDF's seal against (read from ``--seal-parameter`` by :func:`main`)."""
    from eforms.aws.case_store import DynamoCaseStore
    from eforms.core.cases import chain
    from eforms.core.cases.lifecycle import FINAL
    from eforms.core.common.clock import iso
    from eforms.core.documents.fingerprint import fingerprint

    case = DynamoCaseStore(cases_table).get(case_id)
    if case is None:
        return None
    found = Findings(case_id)
    verdict = chain.verify(case, [entry.chain for entry in case.history], case.chain_head)
    if verdict.broken_at is not None:
        entry = case.history[verdict.broken_at]
        found.fail(
            f"history entry {verdict.broken_at + 1} of {verdict.entries} ({iso(entry.at)}, {entry.action} by "
            f"{entry.actor.id}): {verdict.reason}"
        )
    elif verdict.reason:
        found.fail(f"history: {verdict.reason}")
    else:
        unchained = f"; {verdict.before_chain} written before the chain" if verdict.before_chain else ""
        found.ok(f"history: {verdict.entries} entries chained from the case's opening{unchained}")
    if records_bucket and case.status in FINAL:
        _check_record(found, records_bucket, case, chain.hashes(case))
    if case.pdf_key:
        if case.fingerprint != fingerprint(case):
            found.fail("pdf: the case's answers or decision differ from what its PDF was made of")
        elif bucket:
            _check_pdf(found, bucket, case.pdf_key, chain.hashes(case), seal_chain)
    return found


def _check_pdf(found: Findings, bucket: str, key: str, links: list[str], seal_chain: str) -> None:
    """The stored PDF: there, its seal whole and trusted (against ``seal_chain``'s root, PEM), and the history
    head it was sealed with one of the case's chain hashes (the history up to the PDF is as it was)."""
    import boto3
    from botocore.exceptions import ClientError

    try:
        pdf = boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError:
        found.fail(f"pdf: {key} is missing from the documents bucket")
        return
    if not seal_chain:
        found.ok("pdf: made of the case as it stands, and stored (its seal not checked: no chain given)")
        return
    from eforms_pdf import sealing

    try:
        seal = sealing.status(pdf, sealing.parse_chain(seal_chain)[-1])
    except sealing.SealNotVerified as problem:
        found.fail(f"pdf: {problem}")
        return
    if not seal.holds:
        found.fail(f"pdf: the seal does not hold (intact={seal.intact}, valid={seal.valid}, trusted={seal.trusted})")
    elif seal.head is not None and seal.head not in links:
        found.fail("pdf: the history the PDF was sealed with is not the case's history")
    else:
        found.ok("pdf: sealed, the seal whole and trusted, over the history as it was")


def _check_record(found: Findings, records_bucket: str, case: Any, links: list[str]) -> None:
    """A closed case's write-once record: kept, locked in compliance mode, and the history it holds is the
    case's chain as it closed (docs/records.md §3)."""
    import json

    import boto3
    from botocore.exceptions import ClientError

    from eforms.core.documents.records import prefix

    key = prefix(case) + "record.json"
    s3 = boto3.client("s3")
    try:
        head = s3.head_object(Bucket=records_bucket, Key=key)
        record = json.loads(s3.get_object(Bucket=records_bucket, Key=key)["Body"].read())
    except ClientError:
        found.fail("record: the closed case has no write-once record (yet: the archive may be behind)")
        return
    if head.get("ObjectLockMode") != "COMPLIANCE":
        found.fail("record: kept, but not locked in compliance mode")
    elif record.get("chainHead") not in links:
        found.fail("record: the history locked at closing is not the case's history")
    else:
        found.ok(f"record: locked until {head['ObjectLockRetainUntilDate']:%Y-%m-%d}, over the history as it closed")


def configured_seal_chain(parameter: str) -> str:
    """The seal's PEM chain as the stack configured it (the SSM parameter the PDF functions read)."""
    import boto3

    value: str = boto3.client("ssm").get_parameter(Name=parameter)["Parameter"]["Value"]
    return value


def every_case(cases_table: str) -> list[str]:
    """Every case id in the table (the case items only)."""
    import boto3

    ids: list[str] = []
    for page in (
        boto3.client("dynamodb")
        .get_paginator("scan")
        .paginate(
            TableName=cases_table,
            FilterExpression="sk = :case AND begins_with(pk, :prefix)",
            ExpressionAttributeValues={":case": {"S": "CASE"}, ":prefix": {"S": "CASE#"}},
            ProjectionExpression="caseId",
        )
    ):
        ids += [item["caseId"]["S"] for item in page["Items"]]
    return sorted(ids)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev verify-case", description=__doc__.split("\n\n")[0])
    parser.add_argument("case_id", nargs="?")
    parser.add_argument("--all", action="store_true", help="every case in the table; only what fails is printed")
    parser.add_argument("--cases-table")
    parser.add_argument("--bucket", help="the CaseDocumentsBucket")
    parser.add_argument("--records-bucket", help="the RecordsBucket (a closed case's locked record)")
    parser.add_argument("--seal-parameter", help="the SealCertificateChain parameter's name (the seal's chain)")
    args = parser.parse_args(argv)
    refs = local_stack_refs() if not args.cases_table else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass the stack's names")
    table, bucket = args.cases_table or refs["CasesTable"], args.bucket or refs.get("CaseDocumentsBucket", "")
    parameter = args.seal_parameter or refs.get("SealCertificateChain", "")
    chain_pem = configured_seal_chain(parameter) if parameter and bucket else ""
    records = args.records_bucket or refs.get("RecordsBucket", "")
    if args.all == bool(args.case_id):
        parser.error("name one case, or --all")
    if args.all:
        cases = every_case(table)
        failed = [
            f
            for f in (
                verify(case_id, cases_table=table, bucket=bucket, seal_chain=chain_pem, records_bucket=records)
                for case_id in cases
            )
            if f and not f.holds
        ]
        for findings in failed:
            print("\n".join(f"{findings.case_id}  {line}" for line in findings.lines if line.startswith("FAIL")))
        print(f"{len(cases) - len(failed)} of {len(cases)} cases hold")
        return 1 if failed else 0
    found = verify(args.case_id, cases_table=table, bucket=bucket, seal_chain=chain_pem, records_bucket=records)
    if found is None:
        print(f"no case {args.case_id}", file=sys.stderr)
        return 2
    print("\n".join(found.lines))
    return 0 if found.holds else 1


if __name__ == "__main__":
    sys.exit(main())
