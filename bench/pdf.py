"""The PDF function's figures: ``python3 dev bench`` (after the API figures).

1. Cold import of ``functions/render_pdf/app.py`` in a fresh interpreter (PDF layer on the path), next to
   reportlab alone and to an API function, so the PDF library's share is visible — and visibly absent
   from the API functions, which never import it.
2. Render time per case (median/p95, warm container: fonts registered once) and PDF size, for a typical
   leave application, a certificate, and a worst case: every script, emoji, a 2,000-character comment and
   a long history of returns and resubmissions.
3. The seal (docs/records.md §1): sealing and checking a rendered PDF with a P-256 key in KMS (moto here:
   the KMS ``Sign`` call deployed is a network round trip on top), the first seal of a container (pyHanko's
   import) apart, and the bytes the seal adds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import goals

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
PATHS = [str(ROOT / "layers" / "shared"), str(ROOT / "layers" / "pdf"), str(ROOT)]
sys.path[:0] = PATHS

_IMPORT = """
import importlib, importlib.util, sys, time
start = time.perf_counter()
if sys.argv[1].endswith(".py"):
    spec = importlib.util.spec_from_file_location("app", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
else:
    for name in sys.argv[1].split(","):
        importlib.import_module(name)
print((time.perf_counter() - start) * 1000)
"""


def _median_import(target: str, runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(PATHS)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the build ships .pyc files; compiling is not a cold start's cost
    subprocess.run([sys.executable, "-c", _IMPORT, target], capture_output=True, check=True, env=env, cwd=ROOT)
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", _IMPORT, target], capture_output=True, text=True, check=True, env=env, cwd=ROOT
            ).stdout.split()[-1]
        )
        for _ in range(runs)
    ]
    return statistics.median(samples)


def bench_imports(runs: int) -> None:
    print(f"\n1. Cold import, median of {runs} fresh interpreters (ms)")
    for label, target in (
        ("functions/render_pdf/app.py", str(ROOT / "functions" / "render_pdf" / "app.py")),
        ("reportlab (platypus, TTF fonts)", "reportlab.platypus,reportlab.pdfbase.ttfonts"),
        ("functions/cases/app.py (for scale)", str(ROOT / "functions" / "cases" / "app.py")),
    ):
        print(f"   {label:<40}{_median_import(target, runs):>8.1f}")


def _cases() -> list[tuple[str, object, object]]:
    from eforms.core.cases.model import Case, Channel, HistoryEntry, Person, Status
    from eforms.core.forms.catalogue import Catalogue

    catalogue = Catalogue(ROOT / "schemas")
    now = datetime(2026, 11, 23, 8, 15, tzinfo=UTC)
    anna, maria, system = (
        Person("anna", "Anna Andersson"),
        Person("maria", "Maria Lind"),
        Person("system", "E-tjänsten"),
    )

    def case(form_id: str, data: dict[str, object], applicant: Person, history: list[HistoryEntry]) -> Case:
        form = catalogue.get(form_id)
        return Case(
            case_id="01JD0Q4F6Z2M3N4P5Q6R7S8T9V", form_id=form_id, form_version=form.version, route=form.route,
            status=Status.APPROVED, applicant=applicant, subject=applicant, manager_id="maria", queue=None, data=data,
            language="sv", created_at=now, updated_at=now, expires_at=now + timedelta(days=730), history=history,
        )  # fmt: skip

    def entry(minutes: int, actor: Person, role: str, action: str, **details: object) -> HistoryEntry:
        return HistoryEntry(now + timedelta(minutes=minutes), actor, role, action, Channel.API, dict(details))

    simple = [
        entry(0, anna, "applicant", "submitted"),
        entry(1, system, "system", "approval_requested", approverId="maria"),
        entry(60, maria, "approver", "approved", message="Trevlig ledighet!"),
    ]
    from tests.support.samples import CERTIFICATE, LEAVE  # the documents the tests file, defined once

    leave: dict[str, object] = dict(LEAVE)
    certificate: dict[str, object] = dict(CERTIFICATE)
    worst_name = Person("anna", "Áslat Ŋuolja-Łukasiewicz Đorđević Москва Æøå 🌍")
    comment = ("Hälsningar ÆØÅ æøå Ŋŧ Москва 👋🏽 <b>&amp;</b> " * 60)[:2000]
    long_history = [entry(0, worst_name, "applicant", "submitted")]
    for round_ in range(6):
        long_history += [
            entry(10 * round_ + 1, system, "system", "approval_requested", approverId="maria"),
            entry(10 * round_ + 2, maria, "approver", "returned", message=comment[:500], fields=["/period"]),
            entry(10 * round_ + 3, worst_name, "applicant", "resubmitted", changedFields=["/period"]),
        ]
    long_history.append(entry(99, maria, "approver", "approved", message=comment))
    leave_form, certificate_form = catalogue.get("leave-application"), catalogue.get("certificate-request")
    worst = case("leave-application", {**leave, "comment": comment}, worst_name, long_history)
    return [
        ("leave application, approved", case("leave-application", leave, anna, simple), leave_form),
        ("certificate request (direct)", case("certificate-request", certificate, anna, simple[:1]), certificate_form),
        ("worst case: scripts, emoji, 2,000 chars, 20 entries", worst, leave_form),
    ]


def bench_render(repeat: int) -> None:
    from eforms.core.documents.fingerprint import fingerprint
    from eforms_pdf.render import render

    print(f"\n2. Render, warm (ms, median / p95 of {repeat}) and size")
    for label, case, form in _cases():
        digest = fingerprint(case)  # type: ignore[arg-type]
        start = time.perf_counter()
        pdf = render(case, form, fingerprint=digest, generated_at=datetime.now(UTC))  # type: ignore[arg-type]
        first = (time.perf_counter() - start) * 1000
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            render(case, form, fingerprint=digest, generated_at=datetime.now(UTC))  # type: ignore[arg-type]
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
        timing = f"{statistics.median(samples):>7.2f} / {p95:.2f}   first {first:6.1f}"
        print(f"   {label:<55}{timing}   {len(pdf) / 1024:6.1f} KiB, {pages} page(s)")
        if label.startswith("leave application"):
            goals.record(pdf_leave_ms=statistics.median(samples), pdf_leave_kib=len(pdf) / 1024)
    goals.record(pdf_scripts_max_kib=_largest_single_script_pdf_kib())


def _largest_single_script_pdf_kib() -> float:
    """The approved leave PDF with the applicant's name in each script of tests/unit/test_pdf_scripts.py:
    the largest, in KiB (a name in Chinese or with emoji also embeds a fallback font's subset)."""
    from tests.unit.test_pdf_scripts import NAMES, _pdf

    return max(len(_pdf(name, comment=name)) for name in NAMES.values()) / 1024


def bench_seal(repeat: int) -> None:
    import boto3
    from moto import mock_aws

    from devstack.seal import provide
    from eforms.core.documents.fingerprint import fingerprint
    from eforms_pdf import sealing
    from eforms_pdf.render import render

    print(f"\n3. Seal and check, warm (ms, median / p95 of {repeat}); moto's KMS")
    moto_credentials = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}  # moto takes any
    os.environ.update(AWS_DEFAULT_REGION="eu-north-1", **moto_credentials)
    with mock_aws():
        kms, ssm = boto3.client("kms"), boto3.client("ssm")
        key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        chain = sealing.parse_chain(provide(kms, ssm, key, "/eforms/bench/seal-certificate-chain"))
        seal_identity = sealing.SealIdentity(key, chain)
        for label, case, form in _cases()[:1]:
            pdf = render(case, form, fingerprint=fingerprint(case), generated_at=datetime.now(UTC))  # type: ignore[arg-type]
            start = time.perf_counter()
            sealed = sealing.seal(pdf, seal_identity, head="0" * 64)
            first = (time.perf_counter() - start) * 1000
            seals, checks = [], []
            for _ in range(repeat):
                start = time.perf_counter()
                sealed = sealing.seal(pdf, seal_identity, head="0" * 64)
                seals.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                assert sealing.status(sealed, seal_identity.root).holds
                checks.append((time.perf_counter() - start) * 1000)
            seals.sort()
            checks.sort()
            p95 = int(len(seals) * 0.95) - 1
            print(
                f"   {label}: seal {statistics.median(seals):.1f} / {seals[p95]:.1f}, "
                f"first {first:.0f} (pyHanko's import)"
            )
            print(f"   {label}: check {statistics.median(checks):.1f} / {checks[p95]:.1f}")
            print(f"   {label}: {len(pdf) / 1024:.1f} KiB -> {len(sealed) / 1024:.1f} KiB sealed")
            goals.record(pdf_seal_ms=statistics.median(seals), pdf_sealed_kib=len(sealed) / 1024)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(f"PDF function — Python {sys.version.split()[0]} on {os.uname().machine}")
    bench_imports(args.runs)
    bench_render(args.repeat)
    bench_seal(max(args.repeat // 5, 5))
    return 0


if __name__ == "__main__":
    sys.exit(main())
