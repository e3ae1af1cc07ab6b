"""``python3 dev verify-pay-run ORGANISATION PERIOD``: is the pay-run file payroll downloaded the one its batch
makes? (docs/records.md §5.)

Makes the file again from the batch's lines and cut time, and compares its SHA-256 with the one recorded
when the batch was made and with the file kept in the bucket: a file changed after it was made, or a batch
whose lines were changed, fails. Prints one line per check; exits 0 when all hold, 1 when one does not, 2
when there is no such batch or it is not made yet.

Works against the running local stack by default and against AWS with ``--cases-table`` and
``--records-bucket`` (the stack's outputs). Prints counts and fingerprints only: no names, no employee numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import sys

from devstack.stack import local_stack_refs


def verify(organisation_id: str, period: str, *, cases_table: str, bucket: str) -> tuple[int, list[str]]:
    """(exit code, lines) for one batch."""
    from eforms.aws.clients import client
    from eforms.aws.pay_run_store import DynamoPayRunStore
    from eforms.core.payroll.pay_runs import READY, made

    store = DynamoPayRunStore(cases_table)
    batch = store.batch(organisation_id, period)
    if batch is None or batch.state != READY or batch.file is None:
        return 2, [f"no pay-run file for {organisation_id} {period}" + (f" ({batch.state})" if batch else "")]
    lines, holds = [], True
    _, facts = made(store, batch)
    recorded = batch.file.sha256
    if facts.sha256 == recorded:
        lines.append(f"ok    made again from its {facts.cases} cases: the same {facts.size} bytes ({recorded[:16]}…)")
    else:
        holds = False
        lines.append(f"FAIL  made again from its lines: {facts.sha256[:16]}…, recorded {recorded[:16]}…")
    if bucket:
        s3, key, version = client("s3"), batch.file.key, batch.file.version
        kept = s3.get_object(Bucket=bucket, Key=key, **({"VersionId": version} if version else {}))["Body"].read()
        if hashlib.sha256(kept).hexdigest() == recorded:
            lines.append("ok    the file kept (write-once) is the one recorded")
        else:
            holds = False
            lines.append(f"FAIL  the kept file differs from the one recorded ({len(kept)} bytes)")
        current = s3.head_object(Bucket=bucket, Key=key).get("VersionId")
        if version and current != version:
            holds = False
            lines.append("FAIL  a version was written over the kept file (downloads still hand out the kept one)")
    return (0 if holds else 1), lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev verify-pay-run", description=__doc__.split("\n\n")[0])
    parser.add_argument("organisation")
    parser.add_argument("period", help="YYYY-MM")
    parser.add_argument("--cases-table")
    parser.add_argument("--records-bucket", help="the RecordsBucket (where the files are kept, locked)")
    args = parser.parse_args(argv)
    refs = local_stack_refs() if not args.cases_table else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass the stack's names")
    table, bucket = args.cases_table or refs["CasesTable"], args.records_bucket or refs.get("RecordsBucket", "")
    code, lines = verify(args.organisation, args.period, cases_table=table, bucket=bucket)
    print("\n".join(lines), file=sys.stdout if code != 2 else sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
