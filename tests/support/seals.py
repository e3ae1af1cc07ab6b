"""Checks a PDF's seal the way two independent verifiers do (docs/records.md §1): pyHanko's validator, and
poppler's ``pdfsig`` (NSS underneath) given a trust store that holds the seal's root and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from eforms_pdf import sealing


@cache
def _trust_store(root_pem: str) -> Path:
    """An NSS database trusting ``root_pem`` for signed documents (``,C,``: S/MIME, what pdfsig asks about)."""
    certutil = shutil.which("certutil")
    if certutil is None:
        pytest.fail("python3 dev test installs NSS's certutil (libnss3-tools) for pdfsig's trust store")
    folder = Path(tempfile.mkdtemp(prefix="seal-nss-"))
    (folder / "root.pem").write_text(root_pem, encoding="ascii")
    subprocess.run([certutil, "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        [certutil, "-A", "-d", f"sql:{folder}", "-n", "seal-root", "-t", ",C,", "-i", str(folder / "root.pem")],
        check=True,
        capture_output=True,
    )
    return folder


@dataclass(frozen=True)
class Verdicts:
    pyhanko: sealing.SealStatus
    pdfsig: list[str]  # pdfsig's lines about the signature and the certificate

    @property
    def both_hold(self) -> bool:
        return self.pyhanko.holds and self.pdfsig == [
            "Signature Validation: Signature is Valid.",
            "Certificate Validation: Certificate is Trusted.",
        ]

    @property
    def both_refuse(self) -> bool:
        return not self.pyhanko.intact and "Signature Validation: Digest Mismatch." in self.pdfsig


def verdicts(pdf: bytes, chain: str) -> Verdicts:
    """What each validator says of ``pdf``'s seal, trusting the root of ``chain`` (PEM) alone."""
    certificates = sealing.parse_chain(chain)
    root_pem = chain[chain.rindex("-----BEGIN CERTIFICATE-----") :]
    pdfsig = shutil.which("pdfsig")
    if pdfsig is None:
        pytest.fail("python3 dev test installs poppler-utils (pdfsig)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        # pdfsig exits 0 whatever it finds: its lines are the verdict.
        said = subprocess.run(
            [pdfsig, "-nssdir", f"sql:{_trust_store(root_pem)}", file.name], capture_output=True, text=True, check=False
        ).stdout
    lines = [line.strip(" -") for line in said.splitlines() if "Validation:" in line]
    # pyHanko's validator runs its own event loop: beside a browser test's (Playwright's), in a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as apart:
        checked = apart.submit(sealing.status, pdf, certificates[-1]).result()
    return Verdicts(checked, lines)


def one_byte_changed(pdf: bytes) -> bytes:
    """``pdf`` with one byte inside the signed range changed (a letter of the producer's name)."""
    at = pdf.index(b"ReportLab")
    return pdf[:at] + b"ReportLaB" + pdf[at + len(b"ReportLab") :]
