"""The page every PDF of the service is set on: A4, the same margins, a footer line on each page (what the
document is on the left, its page number on the right), reproducible bytes for the same input."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any


def a4(
    story: list[Any],
    *,
    font: str,
    footer: str,
    page_label: Callable[[int], str],
    title: str,
    author: str,
    subject: str = "",
    lang: str = "",
) -> bytes:
    """``story`` built into an A4 PDF with ``footer`` and ``page_label(n)`` at the foot of each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    def foot(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.drawString(20 * mm, 10 * mm, footer)
        canvas.drawRightString(190 * mm, 10 * mm, page_label(document.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        subject=subject,
        lang=lang or None,
        invariant=1,  # reproducible bytes for the same input
    )
    document.build(story, onFirstPage=foot, onLaterPages=foot)
    return buffer.getvalue()
