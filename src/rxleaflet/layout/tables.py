"""The table flowable: a grid, or stacked when too wide.

Tagging is ``tag.Table``'s, shared by every table (the prescription panel too):
``Table`` › (``Caption``) › ``THead`` › ``TR`` › ``TH`` (Scope Column) for a header
row, ``TBody`` › ``TR`` › ``TH`` (Scope Row, a header column) / ``TD``.

Layout: a grid whose columns share the width by their content (or by the widths
given), the header row tinted, a rule between rows.  It breaks across pages between rows; a row taller
than a page breaks between lines of its cells, never through one.  Where it
continues, the header row is drawn again as an artifact (Pagination): PDF/UA
practice for content repeated by pagination, as running headers are; the header
cells are in the structure once, and a screen reader must not read them again in
the middle of the table.  When the columns cannot get the width their words need
(large print, A5), the table is stacked: each row a block, each cell under its
column's header label (tagged as that row's TH, Scope Row, since it is printed in
each row).  Right to left, the first column is on the right.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from reportlab.lib.colors import HexColor

from ..text import fonts
from .flowables import TextBlock, column_height, draw_column, split_column
from ..model import Location
from .pagefill import Flowable
from ..text.linebreak import UNLIMITED, one_line_width
from .theme import Theme

# The widest a word may make a column: longer words are cut at the margin anyway.
_LONGEST_WORD_EMS = 8.0


@dataclass
class Cell:
    blocks: list  # flowables (TextBlocks) stacked in the cell
    header: bool = False  # drawn tinted


@dataclass
class TableParts:
    """What the table draws: built by the story once the layout (grid or stacked) is known."""

    caption: Optional[TextBlock]
    header: Optional[list[Cell]]  # the header row (grid layout only)
    rows: list[list[Cell]] = field(default_factory=list)  # grid: cells; stacked: one Cell a row


class TableBlock(Flowable):
    """A table; ``build(stacked)`` makes its tags and flowables once the width is known."""

    def __init__(self, build: Callable[[bool], TableParts], extents: list[tuple[float, float]],
                 widths: Optional[tuple], theme: Theme, *, rtl: bool, page_height: float, space_before=0.0,
                 where: Optional[Location] = None, parts: Optional[TableParts] = None,
                 column_widths: Optional[list] = None, repeated_header: Optional[list[Cell]] = None):
        super().__init__()
        self.build = build
        self.extents = extents  # per column: (narrowest, widest) its content wants
        self.widths = widths  # relative widths given, or None
        self.theme = theme
        self.rtl = rtl
        self.page_height = page_height
        self.spaceBefore = space_before
        self.where = where
        self.parts = parts
        self.column_widths = column_widths  # None: stacked
        self.repeated_header = repeated_header  # a continuation's header row: an artifact

    # -- deciding the layout ----------------------------------------------------
    def _ensure(self, avail_width: float) -> None:
        if self.parts is not None:
            return
        self.column_widths = self._columns(avail_width)
        self.parts = self.build(self.column_widths is None)

    def _columns(self, avail_width: float) -> Optional[list[float]]:
        """Column widths that give every column the width its words need, or None (stacked)."""
        pad = 2 * self.theme.table_padding
        narrowest = [low + pad for low, _ in self.extents]
        widest = [max(high + pad, low) for (_, high), low in zip(self.extents, narrowest)]
        if self.widths is not None:
            total = sum(self.widths)
            columns = [avail_width * w / total for w in self.widths]
            return columns if all(c >= n for c, n in zip(columns, narrowest)) else None
        if sum(narrowest) > avail_width:
            return None
        if sum(widest) <= avail_width:
            spare = avail_width - sum(widest)
            return [w + spare * w / sum(widest) for w in widest]
        spare, stretch = avail_width - sum(narrowest), sum(w - n for w, n in zip(widest, narrowest))
        return [n + spare * (w - n) / stretch for w, n in zip(widest, narrowest)]

    # -- geometry -----------------------------------------------------------------
    def _caption_height(self, width: float) -> float:
        caption = self.parts.caption
        return caption.getSpaceBefore() + caption.wrap(width, UNLIMITED)[1] if caption is not None else 0.0

    def _row_height(self, row: list[Cell]) -> float:
        pad = self.theme.table_padding
        if self.column_widths is None:
            return 2 * pad + column_height(row[0].blocks, self.width - 2 * pad)
        return 2 * pad + max(column_height(cell.blocks, width - 2 * pad)
                             for cell, width in zip(row, self.column_widths))

    def _header(self) -> Optional[list[Cell]]:
        return self.repeated_header or self.parts.header

    def wrap(self, avail_width, avail_height):
        self._ensure(avail_width)
        self.width = avail_width
        header = self._header()
        self.height = (self._caption_height(avail_width) + (self._row_height(header) if header else 0.0)
                       + sum(self._row_height(row) for row in self.parts.rows))
        return avail_width, self.height

    def _splits(self, row: list[Cell]) -> bool:
        """Whether a row may break between lines at the foot of a page: a tall one does
        (a short one moves whole to the next page)."""
        return self._row_height(row) > self.page_height / 3

    def min_start_height(self, avail_width) -> float:
        self.wrap(avail_width, UNLIMITED)
        header = self._header()
        first = self.parts.rows[0]
        start = (2 * self.theme.table_padding + self.theme.orphans * self.theme.leading(self.theme.body_size)
                 if self._splits(first) else self._row_height(first))
        return self._caption_height(avail_width) + (self._row_height(header) if header else 0.0) + start

    # -- breaking across pages -------------------------------------------------------
    def split(self, avail_width, avail_height):
        return self._split(avail_width, avail_height, at_top=avail_height >= self.page_height - 1.0)

    def _split(self, avail_width, avail_height, at_top: bool):
        self.wrap(avail_width, avail_height)
        header = self._header()
        room = avail_height - self._caption_height(avail_width) - (self._row_height(header) if header else 0.0)
        rows = self.parts.rows
        fit = 0
        while fit < len(rows) and self._row_height(rows[fit]) <= room:
            room -= self._row_height(rows[fit])
            fit += 1
        head_rows, rest = rows[:fit], rows[fit:]
        if rest and room > 0 and (self._splits(rest[0]) or at_top and fit == 0):
            # A tall row breaks between lines of its cells (at the top of a page, it must).
            parts = self._split_row(rest[0], room, force=at_top and fit == 0)
            if parts is not None:
                head_rows, rest = head_rows + [parts[0]], [parts[1]] + rest[1:]
        if not head_rows or not rest:
            return []
        head = self._part(TableParts(self.parts.caption, self.parts.header, head_rows), self.repeated_header,
                          self.spaceBefore)
        repeat = [Cell([block.as_artifact() for block in cell.blocks], cell.header) for cell in header] if header else None
        tail = self._part(TableParts(None, None, rest), repeat, 0.0)
        return [head, tail]

    def force_split(self, avail_width, avail_height):
        """The first part of a box at the top of a page: as if at the top of a page."""
        return self._split(avail_width, avail_height, at_top=True)

    def _split_row(self, row: list[Cell], room: float, force: bool):
        pad = self.theme.table_padding
        widths = self.column_widths or [self.width]
        head, tail = [], []
        for cell, width in zip(row, widths):
            placed, rest = split_column(cell.blocks, width - 2 * pad, room - 2 * pad, force)
            head.append(Cell(placed, cell.header))
            tail.append(Cell(rest, cell.header))
        if not any(cell.blocks for cell in head) or not any(cell.blocks for cell in tail):
            return None
        for cell in tail:  # the part on the next page starts at the top of its cell
            if cell.blocks:
                cell.blocks[0].spaceBefore = 0.0
        return head, tail

    def _part(self, parts: TableParts, repeated_header, space_before) -> "TableBlock":
        return TableBlock(self.build, self.extents, self.widths, self.theme, rtl=self.rtl,
                          page_height=self.page_height, space_before=space_before, where=self.where, parts=parts,
                          column_widths=self.column_widths, repeated_header=repeated_header)

    # -- drawing ------------------------------------------------------------------------
    def draw(self):
        canv, theme = self.canv, self.theme
        top = self.height
        caption = self.parts.caption
        if caption is not None:
            top -= self._caption_height(self.width)
            caption.wrap(self.width, UNLIMITED)
            caption.drawOn(canv, 0, top)
        rows = ([self._header()] if self._header() else []) + self.parts.rows
        heights = [self._row_height(row) for row in rows]
        self._draw_rules(top, rows, heights)
        pad = theme.table_padding
        for row, height in zip(rows, heights):
            x = self.width if self.rtl else 0.0
            for cell, width in zip(row, self.column_widths or [self.width]):
                left = x - width if self.rtl else x
                draw_column(canv, cell.blocks, left + pad, top - pad, width - 2 * pad)
                x = left if self.rtl else x + width
            top -= height

    def _draw_rules(self, top: float, rows: list, heights: list) -> None:
        """Tint of header cells, a rule between rows: decoration."""
        canv, theme = self.canv, self.theme
        with canv.artifact("Layout"):
            canv.setFillColor(HexColor(theme.table_header_tint))
            y = top
            for row, height in zip(rows, heights):
                x = self.width if self.rtl else 0.0
                for cell, width in zip(row, self.column_widths or [self.width]):
                    left = x - width if self.rtl else x
                    if cell.header:
                        canv.rect(left, y - height, width, height, stroke=0, fill=1)
                    x = left if self.rtl else x + width
                y -= height
            # Rules between rows only: columns are set apart by their padding.
            canv.setStrokeColor(HexColor(theme.table_rule_colour))
            canv.setLineWidth(theme.table_rule_width)
            y = top
            for height in [0.0] + heights:
                y -= height
                canv.line(0, y, self.width, y)


def text_extent(block) -> tuple[float, float]:
    """(the longest word, the whole text on one line) of a text block, in points, with its indent."""
    style = block.style
    text = "".join(span.text for span in block.spans)
    longest = max((sum(fonts.string_width(run, font, style.size) for font, run in fonts.font_runs(word, style.bold, False))
                   for word in text.split()), default=0.0)
    longest = min(longest, _LONGEST_WORD_EMS * style.size)
    return block.indent + longest, block.indent + one_line_width(text, style)
