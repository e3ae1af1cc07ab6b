"""``sam build`` makes artifacts that run on Lambda (python3.13, arm64), whatever machine builds them.

The build host here is x86_64 with CPython 3.11. A build that let pip pick wheels for the host would
pass every other test and then fail on Lambda with an ImportError in pydantic-core, so this runs the
real ``sam build`` (the pinned SAM CLI from .venv-sam, found through ``EFORMS_SAM``, which ``dev test``
sets) and inspects what it produced: every compiled file, every wheel tag, and what each artifact holds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.tags import Tag, compatible_tags, cpython_tags, parse_tag

from devstack.template import ROOT, load

pytestmark = pytest.mark.build

#: What Lambda's python3.13 arm64 runtime (Amazon Linux 2023, glibc 2.34) can load.
LAMBDA_PLATFORMS = ["manylinux2014_aarch64", *(f"manylinux_2_{minor}_aarch64" for minor in range(17, 35))]
LAMBDA_TAGS: frozenset[Tag] = frozenset(
    [
        *cpython_tags((3, 13), abis=["cp313"], platforms=LAMBDA_PLATFORMS),
        *compatible_tags((3, 13), interpreter="cp313", platforms=LAMBDA_PLATFORMS),
    ]
)
ELF_MAGIC = b"\x7fELF"
EM_AARCH64 = 183  # e_machine of a 64-bit Arm ELF file; x86-64 is 62


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sam = os.environ.get("EFORMS_SAM") or shutil.which("sam")
    if not sam:
        pytest.fail("the SAM CLI is needed: run the tests with 'python3 dev test', which installs it")
    build_dir = tmp_path_factory.mktemp("sam") / "build"
    result = subprocess.run(
        [sam, "build", "--no-cached", "--template-file", str(ROOT / "template.yaml"), "--build-dir", str(build_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return build_dir


def _elf_machine(path: Path) -> int | None:
    with path.open("rb") as handle:
        header = handle.read(20)
    if not header.startswith(ELF_MAGIC):
        return None
    return int.from_bytes(header[18:20], "little")


def test_every_compiled_file_is_for_arm64_linux_and_cpython_313(built: Path) -> None:
    elf_files = [p for p in built.rglob("*") if p.is_file() and _elf_machine(p) is not None]
    assert elf_files, "expected compiled dependencies (pydantic-core, Pillow, ...) in the layers"
    wrong_machine = [str(p.relative_to(built)) for p in elf_files if _elf_machine(p) != EM_AARCH64]
    assert wrong_machine == []
    extensions = [p for p in elf_files if ".cpython-" in p.name]
    assert {p.name.split(".")[1] for p in extensions} == {"cpython-313-aarch64-linux-gnu"}
    names = {p.name.split(".")[0] for p in extensions}
    assert {"_pydantic_core", "rpds", "_imaging"} <= names  # shared layer and PDF layer alike


def test_every_installed_wheel_is_tagged_for_lambda(built: Path) -> None:
    wheel_files = sorted(built.rglob("*.dist-info/WHEEL"))
    assert len(wheel_files) > 20
    for wheel in wheel_files:
        tags = {
            tag
            for line in wheel.read_text().splitlines()
            if line.startswith("Tag: ")
            for tag in parse_tag(line.removeprefix("Tag: ").strip())
        }
        assert tags & LAMBDA_TAGS, f"{wheel.parent.name} was built for {sorted(map(str, tags))}"


#: The first bytes of every .pyc CPython 3.13 writes (importlib.util.MAGIC_NUMBER there); 3.11's differ.
PY313_MAGIC = (3571).to_bytes(2, "little") + b"\r\n"
UNCHECKED_HASH = 1  # the .pyc flags word: hash-based, source never checked (Lambda's file times do not matter)


def test_every_layer_module_ships_bytecode_python313_loads_and_none_from_the_build_host(built: Path) -> None:
    """Lambda's code directories are read-only, so a module without bytecode compiles on every cold start."""
    for layer in ("SharedLayer", "PdfLayer"):
        code = built / layer / "python"
        sources = list(code.rglob("*.py"))
        assert len(sources) > 200, layer
        missing = [str(p.relative_to(code)) for p in sources if not _bytecode(p).exists()]
        assert missing == []
        for source in sources[:: max(1, len(sources) // 50)]:  # a sample of the headers
            header = _bytecode(source).read_bytes()[:8]
            assert header[:4] == PY313_MAGIC, source
            assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH, source
    foreign = [str(p.relative_to(built)) for p in built.rglob("*.pyc") if ".cpython-313." not in p.name]
    assert foreign == []


def _bytecode(source: Path) -> Path:
    return source.parent / "__pycache__" / f"{source.stem}.cpython-313.pyc"


def test_the_shared_layer_is_built_once_and_holds_the_code_dependencies_and_catalogue(built: Path) -> None:
    layer = built / "SharedLayer"
    assert (layer / "python" / "eforms" / "core").is_dir()
    assert (layer / "python" / "aws_lambda_powertools").is_dir()
    assert sorted(p.name for p in (layer / "schemas").glob("*.json")) == sorted(
        p.name for p in (ROOT / "schemas").glob("*.json")
    )
    # The customer organisations beside the catalogue (/opt/organisations): what the functions' registry reads.
    assert sorted(p.name for p in (layer / "organisations").glob("*.json")) == sorted(
        p.name for p in (ROOT / "organisations").glob("*.json")
    )
    pdf = built / "PdfLayer" / "python"
    assert (pdf / "reportlab").is_dir()
    assert list((pdf / "eforms_pdf" / "fonts").glob("*.ttf"))
    assert not (pdf / "pydantic").exists(), "the PDF layer must not repeat the shared layer's dependencies"


def test_each_function_ships_only_its_own_code(built: Path) -> None:
    for spec in load().functions():
        artifact = built / spec.logical_id
        shipped = sorted(str(p.relative_to(artifact)) for p in artifact.rglob("*") if p.is_file())
        source = sorted(
            str(p.relative_to(spec.code_uri))
            for p in spec.code_uri.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )
        assert shipped == source, spec.logical_id


def test_the_built_template_gives_every_function_the_shared_layer_and_only_the_pdf_makers_the_pdf_layer(
    built: Path,
) -> None:
    document = load(built / "template.yaml").document
    resources = document["Resources"]
    layers = document["Globals"]["Function"]["Layers"]
    assert layers == [{"Ref": "SharedLayer"}]
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        extra = resource["Properties"].get("Layers", [])
        makes_pdfs = logical_id in ("RenderPdfFunction", "ServiceReportsFunction")  # cases'; the monthly reports
        assert extra == ([{"Ref": "PdfLayer"}] if makes_pdfs else []), logical_id
        assert not Path(resource["Properties"]["CodeUri"]).is_absolute()
    assert {r["Properties"]["ContentUri"] for r in resources.values() if r["Type"].endswith("LayerVersion")} == {
        "SharedLayer",
        "PdfLayer",
    }
