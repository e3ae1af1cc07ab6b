"""A real CPython 3.13 on any build host: to write the bytecode Lambda's python3.13 runtime loads.

Lambda unpacks a function's code and layers read-only, so Python cannot cache what it compiles: a module
shipped without ``__pycache__/<name>.cpython-313.pyc`` is compiled from source on every cold start (about
half of an API function's cold import, docs/performance.md). Bytecode is specific to the interpreter's
minor version, and the build host runs whatever Python it has (3.11 here). So the layer builds ask this
module to compile with a 3.13 interpreter.

Where the interpreter comes from: Debian's package registry, which every machine of this project reaches.
Debian 13 (trixie) packages CPython 3.13; its ``python3.13-minimal`` (enough to compile) and, for the
benchmark that imports the functions as Lambda does, ``libpython3.13-stdlib`` with the libraries they link,
are fetched into ``.cache/python3.13/<arch>/``, each checked against the archive's signed release file
(``gpgv`` with the host's Debian keyring, then SHA-256 down the chain). The interpreter runs through the
glibc loader that came with it, so a host with an older glibc (Debian 12 here) runs it too. Nothing is
installed on the host.

    python3 devstack/python313.py compile DIR   # bytecode for every .py under DIR, as Lambda will load it
    python3 devstack/python313.py run ARGS...   # that interpreter, with its full standard library

Standard library only: the layers' Makefiles run this with the host's ``python3`` before any virtualenv.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script by the layers' Makefiles
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from devstack import debian

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "python3.13"
SUITE = "trixie"
#: Enough to compile: the interpreter, its core library and what it links.
COMPILER = ["python3.13-minimal", "libpython3.13-minimal", "libc6", "zlib1g", "libexpat1"]
#: The full standard library (ssl, decimal, sqlite, ...) with the libraries its extension modules link.
STDLIB = [
    *COMPILER,
    "libpython3.13-stdlib",
    "libssl3t64",
    "libffi8",
    "libmpdec4",
    "libbz2-1.0",
    "liblzma5",
    "libzstd1",
    "libuuid1",
    "libsqlite3-0",
    "libncursesw6",
    "libtinfo6",
    "libreadline8t64",
    "libdb5.3t64",
    "libgcc-s1",
]
_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}
_LOADER = {"amd64": "ld-linux-x86-64.so.2", "arm64": "ld-linux-aarch64.so.1"}
_TRIPLET = {"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}


def _arch() -> str:
    machine = platform.machine().lower()
    if machine not in _ARCH or sys.platform != "linux":
        sys.exit(f"python313: a Linux host on x86_64 or aarch64 is needed to run Debian's CPython 3.13 (not {machine})")
    return _ARCH[machine]


def ensure(packages: list[str]) -> Path:
    """The root of an unpacked interpreter holding ``packages``, fetched and verified on first use."""
    arch = _arch()
    root = CACHE / arch
    stamp = root / ".packages"
    have = set(stamp.read_text().split()) if stamp.exists() else set()
    missing = [name for name in packages if name not in have]
    if not missing:
        return root
    print(f"python313: fetching Debian {SUITE}'s CPython 3.13 ({', '.join(missing)})", file=sys.stderr, flush=True)
    debian.unpack(missing, SUITE, arch, root)
    _compile_standard_library(root)
    stamp.write_text("\n".join(sorted(have | set(missing))) + "\n")
    return root


def _compile_standard_library(root: Path) -> None:
    """Debian compiles its standard library when the package is installed (py3compile); unpacked here, it
    arrives as source, and an interpreter that cannot write bytecode would compile every stdlib module it
    imports, each time. Lambda's runtime ships its standard library compiled, so this one gets compiled too."""
    lib = root / "usr" / "lib" / "python3.13"
    argv = [*command([]), "-m", "compileall", "-q", "-x", r"(test|idlelib|lib2to3|tkinter)/", str(lib)]
    subprocess.run(argv, env=environment(), check=False, capture_output=True)


def command(packages: list[str] = STDLIB) -> list[str]:
    """The argv prefix that runs that CPython 3.13 (its own loader and libraries, isolated from the host's)."""
    root, arch = ensure(packages), _arch()
    libs = [root / "usr" / "lib" / _TRIPLET[arch], root / "lib" / _TRIPLET[arch]]
    loader = next(
        p / _LOADER[arch] for p in [*libs, root / "lib64", root / "usr" / "lib64"] if (p / _LOADER[arch]).exists()
    )
    library_path = ":".join(str(p) for p in libs if p.exists())
    return [str(loader), "--library-path", library_path, str(root / "usr" / "bin" / "python3.13")]


def environment(root_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment that interpreter needs: its own standard library, nothing of the host's."""
    env = dict(os.environ if root_env is None else root_env)
    env["PYTHONHOME"] = str(CACHE / _arch() / "usr")
    env.pop("PYTHONPATH", None)
    return env


def compile_tree(directory: Path, deployed_as: str = "/opt/python") -> None:
    """Bytecode for every module under ``directory`` as Lambda's python3.13 loads it: ``unchecked-hash``, so
    the archive's file times never make Lambda recompile; tracebacks name the path Lambda unpacks the layer
    at (``deployed_as``), not the build host's; no stale bytecode of another Python."""
    for stale in list(directory.rglob("__pycache__")):
        shutil.rmtree(stale)
    argv = [*command(COMPILER), "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash"]
    argv += ["-s", str(directory), "-p", deployed_as, str(directory)]
    result = subprocess.run(argv, env=environment(), check=False)
    if result.returncode != 0:
        sys.exit(f"python313: compileall failed under {directory} (exit {result.returncode})")


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "compile":
        compile_tree(Path(argv[1]))
        return 0
    if argv and argv[0] == "run":
        return subprocess.run([*command(), *argv[1:]], env=environment(), check=False).returncode
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
