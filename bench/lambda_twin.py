"""The ``sam build`` artifacts, laid out as Lambda unpacks them and runnable here: cold imports as deployed.

Lambda runs python3.13 with each function's code in ``/var/task`` and its layers merged under ``/opt/python``,
all read-only: whatever bytecode the build shipped is used, anything else is compiled on every cold start.
To time that here, the bench

1. runs the real ``sam build`` (the pinned SAM CLI, the layers' Makefiles, the bytecode they compile);
2. copies the artifacts into ``.cache/bench/`` as ``task/<Function>/`` and ``opt/python/``, swapping only the
   compiled extension modules (built for arm64) for the same pinned versions built for this machine;
3. imports each handler module with Debian's CPython 3.13 (``devstack/python313.py``), its standard library
   compiled as Lambda's is, ``PYTHONDONTWRITEBYTECODE`` set: once with the shipped bytecode, once without.

The Python files, the bytecode and the import order are the deployed ones; only the machine differs.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from devstack import python313  # noqa: E402  # after the path is set, as the other bench scripts do

WORK = ROOT / ".cache" / "bench"
LAMBDA_ENV = {
    "LAMBDA_TASK_ROOT": "/var/task",
    "AWS_LAMBDA_FUNCTION_NAME": "bench",
    "AWS_REGION": "eu-north-1",
    "AWS_DEFAULT_REGION": "eu-north-1",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "PYTHONDONTWRITEBYTECODE": "1",
}
_HOST_PLATFORMS = {
    "x86_64": ["manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_34_x86_64"],
    "aarch64": ["manylinux2014_aarch64", "manylinux_2_28_aarch64", "manylinux_2_34_aarch64"],
}
_IMPORT = """
import importlib, sys, time
sys.path[:0] = sys.argv[1].split(":")
start = time.perf_counter()
importlib.import_module(sys.argv[2])
print((time.perf_counter() - start) * 1000)
"""
_FLOOR = """
import sys, time
sys.path[:0] = sys.argv[1].split(":")
start = time.perf_counter()
import boto3
boto3.client("dynamodb", region_name="eu-north-1")
print((time.perf_counter() - start) * 1000)
"""


@dataclass(frozen=True)
class Twin:
    """One layout of the artifacts: ``task/<Function>/`` and ``opt/python``."""

    root: Path

    def task(self, function: str) -> Path:
        return self.root / "task" / function

    @property
    def opt(self) -> Path:
        return self.root / "opt" / "python"


def _sam() -> str:
    sam = os.environ.get("EFORMS_SAM") or str(ROOT / ".venv-sam" / "bin" / "sam")
    if not Path(sam).exists():
        sys.exit("bench: the pinned SAM CLI is needed (python3 dev sam --version installs it)")
    return sam


def build() -> Path:
    """A fresh ``sam build`` of template.yaml."""
    out = WORK / "build"
    shutil.rmtree(out, ignore_errors=True)
    argv = [_sam(), "build", "--no-cached", "--template-file", str(ROOT / "template.yaml"), "--build-dir", str(out)]
    subprocess.run(argv, cwd=ROOT, check=True, capture_output=True, env={**os.environ, "SAM_CLI_TELEMETRY": "0"})
    return out


def _host_extensions() -> Path:
    """The layers' pinned requirements built for this machine's platform, for their extension modules."""
    target = WORK / "host-extensions"
    if target.exists():
        return target
    platforms = _HOST_PLATFORMS[platform.machine()]
    argv = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile"]
    argv += ["--only-binary=:all:", "--implementation", "cp", "--python-version", "3.13", "--abi", "cp313"]
    argv += [arg for name in platforms for arg in ("--platform", name)]
    for requirements in (ROOT / "layers" / "shared" / "requirements.txt", ROOT / "layers" / "pdf" / "requirements.txt"):
        subprocess.run([*argv, "--target", str(target), "-r", str(requirements)], check=True)
    return target


def lay_out(built: Path, functions: list[str]) -> tuple[Twin, Twin]:
    """The artifacts as Lambda unpacks them, with and without the bytecode the build shipped."""
    shipped, bare = Twin(WORK / "shipped"), Twin(WORK / "bare")
    for twin in (shipped, bare):
        shutil.rmtree(twin.root, ignore_errors=True)
        for layer in ("SharedLayer", "PdfLayer"):
            shutil.copytree(built / layer / "python", twin.opt, dirs_exist_ok=True)
        for function in functions:
            shutil.copytree(built / function, twin.task(function))
        _swap_extensions(twin.opt)
    for cache in list(bare.root.rglob("__pycache__")):
        shutil.rmtree(cache)
    return shipped, bare


def _swap_extensions(opt: Path) -> None:
    if platform.machine() == "aarch64":
        return  # the artifacts' own extension modules load here
    host = _host_extensions()
    for extension in list(opt.rglob("*.so")):
        extension.unlink()
    for extension in host.rglob("*.so*"):
        destination = opt / extension.relative_to(host)
        if destination.parent.exists() or extension.parent.name.endswith(".libs"):
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(extension, destination)


def median_ms(script: str, path: list[Path], module: str, runs: int) -> float:
    """The median of ``runs`` fresh CPython 3.13 processes timing ``script`` (an import) on ``path``."""
    argv = [*python313.command(), "-c", script, ":".join(str(p) for p in path), module]
    env = {**python313.environment(), **LAMBDA_ENV}
    samples = []
    for _ in range(runs):
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False, cwd=WORK)
        if result.returncode != 0:
            raise RuntimeError(f"importing {module} failed:\n{result.stderr[-2000:]}")
        samples.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def import_ms(twin: Twin, function: str, module: str, runs: int) -> float:
    return median_ms(_IMPORT, [twin.task(function), twin.opt], module, runs)


def floor_ms(twin: Twin, runs: int) -> float:
    """``import boto3`` + one client from the same layout: what any AWS-calling function pays anyway."""
    return median_ms(_FLOOR, [twin.opt], "boto3", runs)
