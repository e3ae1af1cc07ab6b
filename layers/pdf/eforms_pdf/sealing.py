"""The centre's electronic seal on every PDF the product makes: PAdES baseline B-B (docs/records.md §1).

pyHanko builds the PDF signature and its CMS; the private key never leaves KMS. pyHanko hands the signer the
DER of the CMS signed attributes, and :class:`KmsSigner` has KMS sign that message (``MessageType=RAW``: KMS
hashes it with SHA-256 itself, so one call per PDF, and moto's KMS, which ignores ``DIGEST``, signs the same
way). The seal certificate is configuration: a PEM chain (the seal certificate first, its root last) in an
SSM parameter — a trust service provider's organisation certificate in production, a certificate the local
stack issues itself (``devstack/seal.py``) on a laptop.

:func:`sealed` seals and then validates its own seal against the configured root before the PDF may be
published: a seal that does not verify raises :class:`SealNotVerified`, and nothing is stored.

pyHanko is imported on the first seal, not with the module: the PDF function's cold start stays reportlab's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from eforms.aws.clients import client
from eforms.settings import settings

if TYPE_CHECKING:
    from asn1crypto import x509

#: The seal key's KMS signing algorithm (an ``ECC_NIST_P256`` key) and the CMS mechanism it makes.
KMS_ALGORITHM = "ECDSA_SHA_256"
CMS_MECHANISM = "sha256_ecdsa"
#: What the size-estimating dry run of pyHanko returns instead of calling KMS: a DER ECDSA signature's
#: largest size for P-256.
_DRY_RUN_SIGNATURE = bytes(72)
FIELD_NAME = "Seal"


class SealNotVerified(Exception):
    """A seal this function made does not verify: the PDF is not published (docs/records.md §1)."""


@dataclass(frozen=True)
class SealIdentity:
    key_id: str
    chain: tuple[x509.Certificate, ...]  # the seal certificate first, its root last

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def root(self) -> x509.Certificate:
        return self.chain[-1]


def parse_chain(pem: str) -> tuple[x509.Certificate, ...]:
    """The certificates of a PEM chain, in order; ``ValueError`` for none."""
    from asn1crypto import pem as pem_codec
    from asn1crypto import x509 as asn1_x509

    blocks = [der for kind, _, der in pem_codec.unarmor(pem.encode("ascii"), multiple=True) if kind == "CERTIFICATE"]
    if not blocks:
        raise ValueError("the seal's certificate chain holds no certificate")
    return tuple(asn1_x509.Certificate.load(der) for der in blocks)


def identity() -> SealIdentity:
    """The seal key and its certificate chain, read once per container (a chain the operator sets later is
    read on the next cold start)."""
    config = settings()
    if not config.seal_key_id or not config.seal_chain_parameter:
        raise SealNotVerified("no seal is configured (SEAL_KEY_ID, SEAL_CHAIN_PARAMETER)")
    return _identity(config.seal_key_id, config.seal_chain_parameter)


def forget_identity() -> None:
    """Read the chain again on the next seal (a test that changes the parameter, as an operator would)."""
    _identity.cache_clear()


@cache
def _identity(key_id: str, parameter: str) -> SealIdentity:
    pem = client("ssm").get_parameter(Name=parameter)["Parameter"]["Value"]
    try:
        chain = parse_chain(pem)
    except ValueError as problem:
        raise SealNotVerified(str(problem)) from None
    return SealIdentity(key_id, chain)


def _signer(seal: SealIdentity) -> Any:
    """A pyHanko signer whose raw signature comes from KMS ``Sign``."""
    from asn1crypto import algos
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class KmsSigner(signers.Signer):
        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
            if digest_algorithm != "sha256":
                raise ValueError(f"the seal signs SHA-256, not {digest_algorithm}")
            if dry_run:  # pyHanko's size estimate: no KMS call
                return _DRY_RUN_SIGNATURE
            answer = client("kms").sign(
                KeyId=seal.key_id, Message=data, MessageType="RAW", SigningAlgorithm=KMS_ALGORITHM
            )
            signature: bytes = answer["Signature"]
            return signature

    return KmsSigner(
        signing_cert=seal.certificate,
        cert_registry=SimpleCertificateStore.from_certs(list(seal.chain)),
        signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": CMS_MECHANISM}),
        embed_roots=False,  # a verifier trusts the root on its own terms: it need not travel in every PDF
    )


def seal(pdf: bytes, seal_identity: SealIdentity, *, head: str | None = None) -> bytes:
    """``pdf`` with the centre's seal over the whole file (an incremental update: the bytes before stay as
    they were). ``head``: the case history's chain head at sealing (docs/records.md §2), kept in the
    document's information under the seal, so the verifier can tie the history to this PDF."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if head:
        info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else generic.DictionaryObject()
        info[generic.NameObject("/EFormsHistoryHead")] = generic.TextStringObject(head)
        writer.set_info(info)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        tight_size_estimates=True,
    )
    out = signers.sign_pdf(writer, meta, signer=_signer(seal_identity))
    sealed_pdf: bytes = out.getvalue()
    return sealed_pdf


@dataclass(frozen=True)
class SealStatus:
    intact: bool
    valid: bool
    trusted: bool
    whole_file: bool
    head: str | None

    @property
    def holds(self) -> bool:
        return self.intact and self.valid and self.trusted and self.whole_file


def status(sealed_pdf: bytes, root: x509.Certificate) -> SealStatus:
    """What pyHanko's validator says of the PDF's seal, trusting ``root`` alone (no network)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(sealed_pdf))
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return SealStatus(False, False, False, False, None)
        # As of the moment it was sealed (B-B: the signer's time): a record stays verifiable after the seal
        # certificate it was made under expires or is replaced.
        moment = signatures[0].self_reported_timestamp
        context = ValidationContext(trust_roots=[root], allow_fetching=False, moment=moment)
        found = validate_pdf_signature(signatures[0], context)
        info = reader.trailer["/Info"].get_object() if "/Info" in reader.trailer else {}
        head = str(info["/EFormsHistoryHead"]) if "/EFormsHistoryHead" in info else None
    except (SignatureValidationError, PdfError, ValueError, KeyError) as problem:
        raise SealNotVerified(f"the seal cannot be read: {type(problem).__name__}") from None
    return SealStatus(
        intact=bool(found.intact),
        valid=bool(found.valid),
        trusted=bool(found.trusted),
        whole_file=found.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        head=head,
    )


def sealed(pdf: bytes, *, head: str | None = None) -> bytes:
    """Seal ``pdf`` and check the seal before anyone may see it; :class:`SealNotVerified` if it does not hold."""
    seal_identity = identity()
    result = seal(pdf, seal_identity, head=head)
    checked = status(result, seal_identity.root)
    if not checked.holds:
        forget_identity()  # the operator may be mending the chain: the next seal reads it again
        raise SealNotVerified(
            f"intact={checked.intact} valid={checked.valid} trusted={checked.trusted} whole={checked.whole_file}"
        )
    return result
