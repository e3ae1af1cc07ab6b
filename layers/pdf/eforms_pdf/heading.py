"""Headings drawn bold from the regular font: one font embedded in each PDF instead of two."""

from __future__ import annotations

from reportlab.platypus import Paragraph


class Heavy(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph whose glyphs are filled and outlined with a hairline (PDF text render mode 2), the way a
    "faux bold" is made. A real bold font would be a second subset embedded in every PDF (~20 KB of a
    44 KB leave application) and a second font parsed in every container, for four headings."""

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.style.fontSize * 0.035)
        canvas.setStrokeColor(self.style.textColor)
        canvas.addLiteral("2 Tr")  # the text state outlives BT/ET until the restore
        super().draw()
        canvas.restoreState()
