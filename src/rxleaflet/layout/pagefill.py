"""Fill pages with blocks: the base every block of the story builds on, and the loop that
places blocks down each page's text frame, splitting one or starting a new page where
it does not fit.

This is the part of ReportLab's platypus (``BaseDocTemplate`` with one ``Frame``) that
rxleaflet used, with the same arithmetic, so a leaflet's bytes are as they were (with
ReportLab's default settings: ``_FUZZ``, ``overlapAttachedSpace`` and
``allowTableBoundsErrors`` are fixed here, not read from a ``reportlab_settings``).  It
replaces platypus because importing platypus costs a quarter of a one-leaflet process:
its package imports ReportLab's paragraphs, which rxleaflet does not use, and they
compile a regular expression over most of Unicode at import.
"""
from __future__ import annotations

from typing import Optional

# The slack of ReportLab's frame arithmetic: a block that overshoots the frame's foot by
# less than this still fits (rl_config._FUZZ).
FUZZ = 1e-6


class LayoutError(Exception):
    """A block that no rule may split is taller than a page."""


class Flowable:
    """A block laid out down a page: ``wrap`` gives its size for an available width and
    height, ``split`` may cut it in two at a height (``[]``: it cannot), and ``draw``
    draws it with the origin at its bottom left.  ``canv`` is set while it draws."""

    spaceBefore = 0.0  # room above it, unless it starts a page

    def __init__(self):
        self.width = 0.0
        self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list:
        return []

    def getSpaceBefore(self) -> float:
        return self.spaceBefore

    def draw(self) -> None:
        raise NotImplementedError

    def drawOn(self, canv, x: float, y: float) -> None:
        """Draw with the bottom left at (x, y) of the current coordinates."""
        canv.saveState()
        canv.translate(x, y)
        self.canv = canv
        self.draw()
        del self.canv
        canv.restoreState()


class PageFiller:
    """Places blocks down one text frame per page, as a document template with one
    frame did: a block's space before is left out at the top of a page; a block that
    does not fit is split if it can, else moved to the next page; one that fits no
    empty page either is a LayoutError.  ``placing`` is the block being placed (to
    name the content that could not be laid out)."""

    def __init__(self, canv, x: float, bottom: float, width: float, height: float):
        self.canv = canv
        # The width as the frame computed it, right edge less left edge: it can differ from
        # ``width`` in the last bit, and a line exactly that wide breaks by it.
        self.x, self.bottom, self.width, self.top = x, bottom, (x + width) - x, bottom + height
        self.placing: Optional[Flowable] = None
        self.page_open = False
        self._y = self.top
        self._at_top = True

    def fill(self, flowables: list) -> None:
        """Lay out every block, then end the last page."""
        pending = list(flowables)
        postponed: dict[int, Flowable] = {}  # blocks already moved to a new page once (kept: ids stay theirs)
        while pending:
            if not self.page_open:
                self._begin_page()
            block = pending.pop(0)
            self.placing = block
            if self._add(block):
                continue
            parts = self._split(block)
            if parts:
                if not self._add(parts[0]):
                    raise LayoutError("a block's first part does not fit where it was split to fit")
                pending[0:0] = parts[1:]
                continue
            if id(block) in postponed:
                raise LayoutError("a block is too large for any page")
            postponed[id(block)] = block
            pending.insert(0, block)
            self._end_page()
        if self.page_open:
            self._end_page()

    def _begin_page(self) -> None:
        self.page_open = True
        self._y, self._at_top = self.top, True

    def _end_page(self) -> None:
        self.canv.setPageRotation(0)
        self.canv.showPage()
        self.page_open = False

    def _room(self, block: Flowable) -> tuple[float, float]:
        """The space before ``block`` here (none at a page's top), and the height left under it."""
        space = 0.0 if self._at_top else max(block.getSpaceBefore(), 0.0)
        return space, self._y - self.bottom - space

    def _add(self, block: Flowable) -> bool:
        """Draw ``block`` where the frame stands, if it fits there."""
        space, room = self._room(block)
        if room <= 0:
            return False
        width, height = block.wrap(self.width, room)
        height += space  # in this order, as the frame did: the same floating-point sums
        y = self._y - height
        if y < self.bottom - FUZZ:
            return False
        block.drawOn(self.canv, self.x, y)
        if y != self._y:
            self._at_top = False
        self._y = y
        return True

    def _split(self, block: Flowable) -> list:
        room = self._room(block)[1]
        return block.split(self.width, room) if room > 0 else []
