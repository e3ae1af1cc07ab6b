"""Every script a name can be written in: which font sets each character, and a text layer that reads back.

DejaVu Sans sets nearly everything (Latin with every Nordic and Sámi letter, Cyrillic, Greek, Arabic,
Hebrew). A character it lacks is set in the first fallback font that has it — WenQuanYi Micro Hei for Han,
kana and Hangul, Symbola for emoji — by wrapping runs of such characters in ``<font>`` markup; a character
no font has keeps DejaVu's blank glyph (never an error). Fallback fonts are registered on the first text
that needs them, so a container that never prints Chinese never parses a 5 MB font. Only the glyphs used
are embedded in a PDF.

The text layer: reportlab writes each character's code point into the subset font's ToUnicode map as four
hex digits, which is right only inside the Basic Multilingual Plane; an emoji (U+1F600) came out as five
digits, and a PDF reader extracted garbage. The map is written here as UTF-16BE, as the PDF specification
asks (a surrogate pair beyond U+FFFF), so copying or searching the PDF finds every name as it was typed.

Right-to-left: reportlab sets text left to right as given (its bidi support needs a library that is not
on PyPI). So a line holding Arabic or Hebrew is shaped first (Arabic letters in their joined forms,
``arabic-reshaper``) and put in visual order (the Unicode bidi algorithm, ``python-bidi``), as a PDF
stores right-to-left text; the ToUnicode map gives each joined form back as its plain letter, so a reader
extracts and searches the name as typed. One limit: the order is computed per line of the value before
reportlab wraps it, so a right-to-left value longer than its cell wraps in the wrong order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
#: In the layer the fonts sit inside the package; in the repository, beside it.
FONTS = HERE / "fonts" if (HERE / "fonts").exists() else HERE.parent / "fonts"
REGULAR = "DejaVuSans"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Fallback:
    name: str
    file: str
    subfont: int = 0


#: In order of preference; files fetched by devstack/fonts.py into fonts/fallback/.
FALLBACKS = (Fallback("WenQuanYiMicroHei", "wqy-microhei.ttc"), Fallback("Symbola", "Symbola.ttf"))


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _utf16_hex(code_point: int) -> str:
    """A code point as the PDF's ToUnicode map wants it: UTF-16BE, hex; an Arabic joined form (a
    presentation form) as the plain letter(s) it stands for, which is what a reader searches for."""
    character = chr(code_point)
    if 0xFB50 <= code_point <= 0xFDFF or 0xFE70 <= code_point <= 0xFEFF:
        character = unicodedata.normalize("NFKC", character) or character
    return character.encode("utf-16-be", "surrogatepass").hex().upper()


def visual(text: str) -> str:
    """A line with Arabic or Hebrew in it, shaped and in the order it is seen (left to right on the page);
    any other text as it is."""
    if not _RIGHT_TO_LEFT.search(text):
        return text
    from arabic_reshaper import reshape
    from bidi import get_display

    return "\n".join(str(get_display(reshape(line))) for line in text.split("\n"))


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ``makeToUnicodeCMap``, with each destination as UTF-16BE (a surrogate pair beyond the BMP)."""
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *(f"<{index:02X}> <{_utf16_hex(code)}>" for index, code in enumerate(subset)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@cache
def register() -> str:
    """DejaVu Sans, registered once per container, with the text layer's fix. There is no bold font: the
    headings are drawn heavier from the same one (``heading.Heavy``), which saves embedding a second font
    in every PDF and parsing it in every container."""
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # the one place reportlab writes ToUnicode for TrueType
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=REGULAR, italic=REGULAR, boldItalic=REGULAR)
    return REGULAR


@cache
def _covered(font_name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    face: Any = pdfmetrics.getFont(font_name).face
    return frozenset(face.charToGlyph)


@cache
def _fallback(index: int) -> str | None:
    """The ``index``-th fallback font, registered on first need; None when its file is not there."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fallback = FALLBACKS[index]
    path = FONTS / "fallback" / fallback.file
    if not path.exists():
        return None
    pdfmetrics.registerFont(TTFont(fallback.name, str(path), subfontIndex=fallback.subfont))
    return fallback.name


def _font_for(code_point: int) -> str | None:
    """None: DejaVu sets it (or nothing does); else the fallback font that has the character."""
    if code_point in _covered(REGULAR) or code_point < 0x80:
        return None
    for index in range(len(FALLBACKS)):
        name = _fallback(index)
        if name is not None and code_point in _covered(name):
            return name
    return None


def markup(value: object) -> str:
    """``value`` as reportlab paragraph markup: escaped, without characters XML cannot hold, line breaks as
    ``<br/>``, and each run of characters DejaVu lacks wrapped in the fallback font that has them."""
    text = _NOT_XML.sub("", str(value))
    if text.isascii():
        return escape(text).replace("\n", "<br/>")
    text = visual(text)
    register()
    out: list[str] = []
    run: list[str] = []
    current: str | None = None
    for character in text:
        font = _font_for(ord(character))
        if font != current and run:
            out.append(_wrapped("".join(run), current))
            run = []
        current = font
        run.append(character)
    if run:
        out.append(_wrapped("".join(run), current))
    return "".join(out).replace("\n", "<br/>")


def _wrapped(run: str, font: str | None) -> str:
    return escape(run) if font is None else f'<font face="{font}">{escape(run)}</font>'
