"""Packages from Debian's archive, fetched and checked, unpacked into a folder: nothing installed on the host.

Debian's package registry is one every machine of this project reaches, and its archive is signed: the
suite's ``InRelease`` is checked with ``gpgv`` against the host's Debian keyring, then SHA-256 down the chain
(the package index, each package). Used for a CPython 3.13 that writes Lambda's bytecode
(``python313``) and for the PDF's fallback fonts (``fonts``). Standard library only: the layers' Makefiles
run this with the host's ``python3`` before any virtualenv.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

MIRROR = os.environ.get("EFORMS_DEBIAN_MIRROR", "http://deb.debian.org/debian")
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")


def _fetch(path: str) -> bytes:
    with urllib.request.urlopen(f"{MIRROR}/{path}", timeout=120) as response:  # noqa: S310  # a fixed http(s) mirror
        data: bytes = response.read()
    return data


def _verified_release(suite: str) -> str:
    """The suite's InRelease, its signature checked against the host's Debian archive keyring."""
    signed = _fetch(f"dists/{suite}/InRelease")
    if not KEYRING.exists() or shutil.which("gpgv") is None:
        sys.exit(f"debian: gpgv and {KEYRING} check Debian's signature (apt install gpgv debian-archive-keyring)")
    with tempfile.NamedTemporaryFile(suffix=".InRelease") as handle:
        handle.write(signed)
        handle.flush()
        check = subprocess.run(["gpgv", "--keyring", str(KEYRING), handle.name], capture_output=True, check=False)
    if check.returncode != 0:
        sys.exit("debian: Debian's release file did not verify:\n" + check.stderr.decode(errors="replace"))
    return signed.decode()


def _packages_index(release: str, suite: str, arch: str) -> dict[str, dict[str, str]]:
    path = f"main/binary-{arch}/Packages.xz"
    match = re.search(rf"^ ([0-9a-f]{{64}})\s+\d+\s+{re.escape(path)}$", release.split("SHA256:", 1)[1], re.M)
    if match is None:
        sys.exit(f"debian: {path} is not in the signed release file")
    data = _fetch(f"dists/{suite}/{path}")
    if hashlib.sha256(data).hexdigest() != match.group(1):
        sys.exit(f"debian: {path} does not match the signed release file")
    index: dict[str, dict[str, str]] = {}
    for block in lzma.decompress(data).decode().split("\n\n"):
        fields = dict(re.findall(r"^([A-Za-z0-9-]+): (.*)$", block, re.M))
        if "Package" in fields:
            index[fields["Package"]] = fields
    return index


def _deb_members(deb: bytes) -> dict[str, bytes]:
    """The members of a .deb (an ``ar`` archive), by name."""
    if not deb.startswith(b"!<arch>\n"):
        raise ValueError("not a Debian package")
    members, offset = {}, 8
    while offset + 60 <= len(deb):
        header = deb[offset : offset + 60]
        name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58].decode().strip())
        members[name] = deb[offset + 60 : offset + 60 + size]
        offset += 60 + size + (size % 2)
    return members


def _extract(deb: bytes, into: Path) -> None:
    data = next(content for name, content in _deb_members(deb).items() if name.startswith("data.tar"))
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(into, filter="tar")


def unpack(packages: list[str], suite: str, arch: str, into: Path) -> None:
    """Fetch ``packages`` of ``suite`` for ``arch`` (``all`` for architecture-independent ones such as
    fonts), each verified, and unpack their files under ``into``."""
    index = _packages_index(_verified_release(suite), suite, "amd64" if arch == "all" else arch)
    into.mkdir(parents=True, exist_ok=True)
    for name in packages:
        fields = index.get(name)
        if fields is None:
            sys.exit(f"debian: {suite} has no package {name} for {arch}")
        deb = _fetch(fields["Filename"])
        if hashlib.sha256(deb).hexdigest() != fields["SHA256"]:
            sys.exit(f"debian: {fields['Filename']} does not match Debian's index")
        _extract(deb, into)
