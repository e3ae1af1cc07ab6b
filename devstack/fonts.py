"""The PDF's fallback fonts, from Debian's archive: for names in scripts DejaVu Sans does not cover.

DejaVu Sans (committed, in ``layers/pdf/fonts``) covers Latin, Nordic, Sámi, Cyrillic, Greek, Arabic and
Hebrew, but no Chinese, Japanese or Korean and almost no emoji. Two fonts fill that in: WenQuanYi Micro Hei
(Han, kana, Hangul; Apache-2.0) and Symbola (emoji and symbols; free for any use). At 5 and 3 MB they are
not kept in git: they are fetched from Debian's signed archive (``debian``) into
``layers/pdf/fonts/fallback/`` (ignored by git) with their copyright files, by ``python3 dev run`` /
``dev test`` and by the PDF layer's Makefile before ``sam build`` copies the fonts. Only the glyphs a PDF
uses are embedded, so the PDFs stay small.

    python3 devstack/fonts.py      # fetch them if missing; prints the folder
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script by the PDF layer's Makefile
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from devstack import debian

ROOT = Path(__file__).resolve().parent.parent
FALLBACK = ROOT / "layers" / "pdf" / "fonts" / "fallback"
SUITE = "bookworm"
#: package → (font file inside it, the name the PDF layer looks for)
FONTS = {
    "fonts-wqy-microhei": ("usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "wqy-microhei.ttc"),
    "fonts-symbola": ("usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", "Symbola.ttf"),
}


def ensure() -> Path:
    """The folder holding the fallback fonts, fetched and verified on first use."""
    missing = [package for package, (_, name) in FONTS.items() if not (FALLBACK / name).exists()]
    if not missing:
        return FALLBACK
    print(f"fonts: fetching the PDF's fallback fonts from Debian ({', '.join(missing)})", file=sys.stderr, flush=True)
    FALLBACK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        debian.unpack(missing, SUITE, "all", Path(scratch))
        for package in missing:
            inside, name = FONTS[package]
            shutil.copyfile(
                Path(scratch) / "usr" / "share" / "doc" / package / "copyright", FALLBACK / f"{name}.copyright"
            )
            shutil.copyfile(Path(scratch) / inside, FALLBACK / name)  # last: its presence means "fetched"
    return FALLBACK


if __name__ == "__main__":
    print(ensure())
