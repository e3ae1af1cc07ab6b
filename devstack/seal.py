"""The local stack's seal certificate (docs/records.md §1): a CA the stack issues itself and a seal
certificate for the KMS seal key's public key, put into the seal's SSM parameter at start.

On AWS the certificate is an organisation certificate from a trust service provider, for the same KMS key;
nothing outside trusts this local CA, and the tests trust it explicitly. Its key lives only in this
process's memory: no certificate can be issued once the stack has started.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ORGANISATION = "Lönecentrum (lokal utvecklingsmiljö)"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue(seal_public_key_der: bytes, now: dt.datetime | None = None) -> str:
    """A PEM chain: a seal certificate for the KMS key's public key (``GetPublicKey``'s DER), then the
    self-issued CA that signed it."""
    now = now or dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Lönecentrum lokal test-CA")
    usage = dict.fromkeys(
        ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement"),
        False,
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(**usage, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    public: Any = serialization.load_der_public_key(seal_public_key_der)
    leaf_usage = {**usage, "digital_signature": True, "content_commitment": True}
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("Lönecentrum e-sigill"))
        .issuer_name(ca_name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(**leaf_usage, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in (leaf, ca))


def provide(kms: Any, ssm: Any, key_id: str, parameter: str) -> str:
    """Issue the local chain for ``key_id`` and put it into ``parameter``; returns the chain."""
    chain = issue(kms.get_public_key(KeyId=key_id)["PublicKey"])
    ssm.put_parameter(Name=parameter, Value=chain, Type="String", Overwrite=True, Tier="Advanced")
    return chain
