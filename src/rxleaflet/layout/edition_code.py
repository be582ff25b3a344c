"""The QR code on the print that opens the electronic edition, its address printed beside it.

The code is drawn as vector squares (no bitmap), at least 22 mm across with its quiet
zone, black on the white page.  Its structure is a Link element holding a Figure (alt
text: what the code does) and the link annotation to the address; the text beside it
says what the code is for and prints the address as a link too, for who cannot scan it
(a paragraph of its own, left to right in any leaflet: an address reads that way).
"""
from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.units import mm

from ..editions.qr import QUIET_ZONE, QrCode
from ..pdf.tag import Element
from .flowables import TextBlock
from .pictures import _Whole
from ..text.linebreak import UNLIMITED

SIDE = 25 * mm  # the code with its quiet zone, in standard print


class EditionCodeBlock(_Whole):
    """The texts (one under the other), then the code at the start of the line (the texts beside it); never split."""

    def __init__(self, code: QrCode, link: Element, figure: Element, texts: list[TextBlock], *, scale: float,
                 gap: float, rtl: bool, space_before=0.0):
        super().__init__()
        self.code, self.link, self.figure, self.texts = code, link, figure, texts
        self.side = SIDE * min(max(scale, 1.0), 1.25)  # larger in large print
        self.gap = gap
        self.rtl = rtl
        self.spaceBefore = space_before
        self.where = texts[0].where

    def _text_heights(self, avail_width) -> list[float]:
        return [text.wrap(avail_width - self.side - self.gap, UNLIMITED)[1] for text in self.texts]

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, max(self.side, sum(self._text_heights(avail_width)))
        return avail_width, self.height

    def draw(self):
        canv, side = self.canv, self.side
        top = self.height
        for text, height in zip(self.texts, self._text_heights(self.width)):
            text.drawOn(canv, 0 if self.rtl else side + self.gap, top - height)
            top -= height
        left, bottom = (self.width - side if self.rtl else 0.0), self.height - side
        module = side / self.code.size
        top = bottom + side - QUIET_ZONE * module
        with canv.marked(self.figure.slot()):
            canv.setFillColor(black)
            path = canv.beginPath()
            for row, column, length in self.code.runs():
                path.rect(left + (QUIET_ZONE + column) * module, top - (row + 1) * module, length * module, module)
            canv.drawPath(path, stroke=0, fill=1)
        x0, y0 = canv.absolutePosition(left, bottom)
        x1, y1 = canv.absolutePosition(left + side, bottom + side)
        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        self.figure.attributes = ("Layout", {"BBox": box})
        canv.add_link(self.link, box, self.code.address, self.figure.alt)
