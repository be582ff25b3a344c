"""Pictures: a figure (an image and its caption) and a row of pictograms beside their text.

An image is tagged as a Figure with its alt text and its bounding box (the
Layout attribute BBox, in page coordinates, found when it is drawn), or drawn
as an artifact when it is decorative.  Images keep their proportions and are
never wider than the column, nor than their own size at 150 dpi (scaled with
the print: large print makes them larger too).
"""
from __future__ import annotations

from typing import Optional

from .flowables import TextBlock
from ..model import Image, Location
from .pagefill import Flowable
from ..pdf.tag import Element
from ..text.linebreak import UNLIMITED

# An image's own size: its pixels at this many per inch (a print-quality picture).
NATURAL_DPI = 150.0


def natural_width(image: Image, scale: float) -> float:
    """Points across at NATURAL_DPI, times ``scale`` (the print's size against the standard)."""
    return image.pixels[0] / NATURAL_DPI * 72.0 * scale


def draw_image(canv, image: Image, element: Optional[Element], x: float, y: float, width: float, height: float):
    """Draw ``image`` as ``element``'s content (its BBox set), or as an artifact without one."""
    with (canv.marked(element.slot()) if element is not None else canv.artifact("Layout")):
        canv.drawImage(image.path, x, y, width, height, mask="auto" if image.kind == "png" else None)
    if element is not None:
        x0, y0 = canv.absolutePosition(x, y)
        x1, y1 = canv.absolutePosition(x + width, y + height)
        element.attributes = ("Layout", {"BBox": (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))})


class _Whole(Flowable):
    """A flowable that is never split: it starts where all of it fits."""

    def min_start_height(self, avail_width) -> float:
        return self.wrap(avail_width, UNLIMITED)[1]

    def split(self, avail_width, avail_height):
        return []

    def force_split(self, avail_width, avail_height):
        """At the top of a page, in a box that leaves less than a page: it cannot be split."""
        return []


class FigureBlock(_Whole):
    """An image with its caption below, kept together; never split.

    ``share``: the part of the column it may take; ``scale``: the print's size against the
    standard print; ``max_height``: the frame's height (a tall image is scaled to fit a page).
    """

    def __init__(self, image: Image, element: Optional[Element], caption: Optional[TextBlock], *, share: float,
                 scale: float, max_height: float, gap: float, rtl: bool, space_before=0.0):
        super().__init__()
        self.image = image
        self.element = element  # None: decorative, an artifact
        self.caption = caption
        self.share = share
        self.scale = scale
        self.max_height = max_height
        self.gap = gap  # between the image and its caption
        self.rtl = rtl
        self.spaceBefore = space_before
        self.where: Optional[Location] = image.where

    def force_split(self, avail_width, avail_height):
        """At the top of a page, in a box that leaves less than a page: the picture made
        smaller, to fit what room there is (never split)."""
        if avail_height >= self.max_height or avail_height < self.max_height / 4:
            return []
        return [FigureBlock(self.image, self.element, self.caption, share=self.share, scale=self.scale,
                            max_height=avail_height, gap=self.gap, rtl=self.rtl, space_before=self.spaceBefore)]

    def _size(self, avail_width) -> tuple[float, float, float]:
        """(image width, image height, caption height)."""
        width = min(avail_width * self.share, natural_width(self.image, self.scale))
        pixels_wide, pixels_high = self.image.pixels
        caption = self.caption.wrap(avail_width, UNLIMITED)[1] + self.gap if self.caption is not None else 0.0
        height = width * pixels_high / pixels_wide
        room = self.max_height - caption
        if height > room > 0:  # taller than a page: as large as a page allows
            width, height = width * room / height, room
        return width, height, caption

    def wrap(self, avail_width, avail_height):
        width, height, caption = self._size(avail_width)
        self.width, self.height = avail_width, height + caption
        return avail_width, self.height

    def draw(self):
        width, height, caption = self._size(self.width)
        x = self.width - width if self.rtl else 0.0  # at the start of the line
        draw_image(self.canv, self.image, self.element, x, caption, width, height)
        if self.caption is not None:
            self.caption.wrap(self.width, UNLIMITED)
            self.caption.drawOn(self.canv, 0, 0)


class PictogramsBlock(_Whole):
    """Pictograms in rows at the start of the line, their text beside them; never split.

    The text is drawn first: it comes first in the structure (the pictures illustrate it).
    """

    def __init__(self, images: list[tuple[Image, Optional[Element]]], text: TextBlock, *, size: float, gap: float,
                 rtl: bool, space_before=0.0):
        super().__init__()
        self.images = images
        self.text = text
        self.size = size  # each pictogram fits a square this wide
        self.gap = gap
        self.rtl = rtl
        self.spaceBefore = space_before
        self.where: Optional[Location] = text.where

    def _grid(self, avail_width) -> tuple[int, int, float]:
        """(pictures per row, rows, width of the pictures' column): at most half the width."""
        per_row = max(1, min(len(self.images), int((avail_width / 2 + self.gap) // (self.size + self.gap))))
        rows = -(-len(self.images) // per_row)
        return per_row, rows, per_row * (self.size + self.gap)

    def wrap(self, avail_width, avail_height):
        _, rows, column = self._grid(avail_width)
        text_height = self.text.wrap(avail_width - column, UNLIMITED)[1]
        self.width = avail_width
        self.height = max(rows * (self.size + self.gap) - self.gap, text_height)
        return avail_width, self.height

    def draw(self):
        per_row, _, column = self._grid(self.width)
        text_height = self.text.wrap(self.width - column, UNLIMITED)[1]
        self.text.drawOn(self.canv, 0 if self.rtl else column, self.height - text_height)
        for index, (image, element) in enumerate(self.images):
            row, place = divmod(index, per_row)
            pixels_wide, pixels_high = image.pixels
            # Fitted into the square, centred in it.
            width, height = ((self.size, self.size * pixels_high / pixels_wide) if pixels_wide >= pixels_high
                             else (self.size * pixels_wide / pixels_high, self.size))
            left = place * (self.size + self.gap)
            if self.rtl:
                left = self.width - left - self.size
            top = self.height - row * (self.size + self.gap)
            draw_image(self.canv, image, element, left + (self.size - width) / 2,
                       top - self.size + (self.size - height) / 2, width, height)
