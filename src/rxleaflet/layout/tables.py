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
    column: int = 0  # the first column it is in
    rows: int = 1  # how many rows it spans (in this part of the table)
    columns: int = 1  # how many columns it spans


@dataclass
class TableParts:
    """What the table draws: built by the story once the layout (grid or stacked) is known.

    A row holds the cells that start in it; a cell spanning rows is in the first of them."""

    caption: Optional[TextBlock]
    header: Optional[list[list[Cell]]]  # the header rows (grid layout only)
    rows: list[list[Cell]] = field(default_factory=list)  # grid: cells; stacked: one Cell a row


def bands(rows: list[list[Cell]]) -> list[tuple[int, int]]:
    """(first, end) of each run of rows that cells spanning rows hold together: a table
    breaks between bands only."""
    found, start, end = [], 0, 0
    for r, row in enumerate(rows):
        end = max([end, r + 1] + [r + cell.rows for cell in row])
        if end == r + 1:
            found.append((start, end))
            start = end
    if start < len(rows):
        found.append((start, len(rows)))
    return found


class TableBlock(Flowable):
    """A table; ``build(stacked)`` makes its tags and flowables once the width is known."""

    def __init__(self, build: Callable[[bool], TableParts], extents: list[tuple[float, float]],
                 widths: Optional[tuple], theme: Theme, *, rtl: bool, page_height: float, space_before=0.0,
                 where: Optional[Location] = None, parts: Optional[TableParts] = None,
                 column_widths: Optional[list] = None, repeated_header: Optional[list[list[Cell]]] = None):
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
        self.repeated_header = repeated_header  # a continuation's header rows: an artifact

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
        if stretch <= 0:
            return [n + spare / len(narrowest) for n in narrowest]
        return [n + spare * (w - n) / stretch for w, n in zip(widest, narrowest)]

    # -- geometry -----------------------------------------------------------------
    def _caption_height(self, width: float) -> float:
        caption = self.parts.caption
        return caption.getSpaceBefore() + caption.wrap(width, UNLIMITED)[1] if caption is not None else 0.0

    def _cell_width(self, cell: Cell) -> float:
        if self.column_widths is None:
            return self.width
        return sum(self.column_widths[cell.column:cell.column + cell.columns])

    def _cell_left(self, cell: Cell) -> float:
        """Where the cell starts on the page: right to left, the first column is on the right."""
        if self.column_widths is None:
            return 0.0
        x = sum(self.column_widths[:cell.column])
        return self.width - x - self._cell_width(cell) if self.rtl else x

    def _need(self, cell: Cell) -> float:
        pad = self.theme.table_padding
        return 2 * pad + column_height(cell.blocks, self._cell_width(cell) - 2 * pad)

    def _heights(self, rows: list[list[Cell]]) -> list[float]:
        """Each row's height: its tallest cell of one row; a cell spanning rows that needs more
        than its rows give it makes the last of them taller."""
        heights = [max([2 * self.theme.table_padding] + [self._need(cell) for cell in row if cell.rows == 1])
                   for row in rows]
        for r, row in enumerate(rows):
            for cell in row:
                if cell.rows > 1:
                    last = min(r + cell.rows, len(rows)) - 1
                    heights[last] += max(0.0, self._need(cell) - sum(heights[r:last + 1]))
        return heights

    def _header(self) -> list[list[Cell]]:
        return self.repeated_header or self.parts.header or []

    def wrap(self, avail_width, avail_height):
        self._ensure(avail_width)
        self.width = avail_width
        self.height = (self._caption_height(avail_width) + sum(self._heights(self._header()))
                       + sum(self._heights(self.parts.rows)))
        return avail_width, self.height

    def _splits(self, band: list[list[Cell]]) -> bool:
        """Whether a band of rows may break between lines at the foot of a page: a tall one
        does (a short one moves whole to the next page)."""
        return sum(self._heights(band)) > self.page_height / 3

    def min_start_height(self, avail_width) -> float:
        self.wrap(avail_width, UNLIMITED)
        first_band = self.parts.rows[:bands(self.parts.rows)[0][1]]
        start = (2 * self.theme.table_padding + self.theme.orphans * self.theme.leading(self.theme.body_size)
                 if self._splits(first_band) else sum(self._heights(first_band)))
        return self._caption_height(avail_width) + sum(self._heights(self._header())) + start

    # -- breaking across pages -------------------------------------------------------
    def split(self, avail_width, avail_height):
        return self._split(avail_width, avail_height, at_top=avail_height >= self.page_height - 1.0)

    def _split(self, avail_width, avail_height, at_top: bool):
        self.wrap(avail_width, avail_height)
        header = self._header()
        room = avail_height - self._caption_height(avail_width) - sum(self._heights(header))
        rows = self.parts.rows
        fit = 0
        for start, end in bands(rows):
            height = sum(self._heights(rows[start:end]))
            if height > room:
                break
            room -= height
            fit = end
        head_rows, rest = rows[:fit], rows[fit:]
        if rest and room > 0:
            band = rest[:bands(rest)[0][1]]
            if self._splits(band) or at_top and fit == 0:
                # A tall band breaks between lines of its cells (at the top of a page, it must).
                parts = self._split_band(band, room, force=at_top and fit == 0)
                if parts is not None:
                    head_rows, rest = head_rows + parts[0], parts[1] + rest[len(band):]
        if not head_rows or not rest:
            return []
        head = self._part(TableParts(self.parts.caption, self.parts.header, head_rows), self.repeated_header,
                          self.spaceBefore)
        repeat = [[Cell([block.as_artifact() for block in cell.blocks], cell.header, cell.column, cell.rows,
                        cell.columns) for cell in row] for row in header] or None
        tail = self._part(TableParts(None, None, rest), repeat, 0.0)
        return [head, tail]

    def force_split(self, avail_width, avail_height):
        """The first part of a box at the top of a page: as if at the top of a page."""
        return self._split(avail_width, avail_height, at_top=True)

    def _split_band(self, band: list[list[Cell]], room: float, force: bool):
        """(rows on this page, rows on the next) of a band: its whole rows that fit, a cell
        spanning past them split between lines; or its first row's cells split between lines."""
        def inside(k):  # the first k rows without the cells spanning past them
            return [[cell for cell in row if r + cell.rows <= k] for r, row in enumerate(band[:k])]

        whole = 0
        while whole < len(band) - 1 and sum(self._heights(inside(whole + 1))) <= room:
            whole += 1
        if whole == 0:
            return self._split_row(band, room, force)
        heights = self._heights(inside(whole))
        head = [list(row) for row in band[:whole]]
        tail = [list(row) for row in band[whole:]]
        pad = self.theme.table_padding
        for r, row in enumerate(head):
            for i, cell in enumerate(row):
                if r + cell.rows > whole:
                    # the part on this page fills the room below the rows above it
                    placed, rest = split_column(cell.blocks, self._cell_width(cell) - 2 * pad,
                                                room - sum(heights[:r]) - 2 * pad, False)
                    row[i] = Cell(placed, cell.header, cell.column, whole - r, cell.columns)
                    continued = Cell(rest, cell.header, cell.column, r + cell.rows - whole, cell.columns)
                    tail[0] = sorted(tail[0] + [continued], key=lambda c: c.column)
        self._top_of_cells(tail[0])
        return head, tail

    def _split_row(self, band: list[list[Cell]], room: float, force: bool):
        pad = self.theme.table_padding
        head, tail = [], []
        for cell in band[0]:
            placed, rest = split_column(cell.blocks, self._cell_width(cell) - 2 * pad, room - 2 * pad, force)
            head.append(Cell(placed, cell.header, cell.column, 1, cell.columns))
            tail.append(Cell(rest, cell.header, cell.column, cell.rows, cell.columns))
        if not any(cell.blocks for cell in head) or not any(cell.blocks for cell in tail):
            return None
        self._top_of_cells(tail)
        return [head], [tail] + band[1:]

    @staticmethod
    def _top_of_cells(row: list[Cell]) -> None:
        for cell in row:  # the part on the next page starts at the top of its cell
            if cell.blocks:
                cell.blocks[0].spaceBefore = 0.0

    def _part(self, parts: TableParts, repeated_header, space_before) -> "TableBlock":
        return TableBlock(self.build, self.extents, self.widths, self.theme, rtl=self.rtl,
                          page_height=self.page_height, space_before=space_before, where=self.where, parts=parts,
                          column_widths=self.column_widths, repeated_header=repeated_header)

    # -- drawing ------------------------------------------------------------------------
    def draw(self):
        top = self.height
        caption = self.parts.caption
        if caption is not None:
            top -= self._caption_height(self.width)
            caption.wrap(self.width, UNLIMITED)
            caption.drawOn(self.canv, 0, top)
        pad = self.theme.table_padding
        rows = self._header() + self.parts.rows
        heights = self._heights(self._header()) + self._heights(self.parts.rows)
        self._draw_rules(top, rows, heights)
        for row, height in zip(rows, heights):
            for cell in row:
                draw_column(self.canv, cell.blocks, self._cell_left(cell) + pad, top - pad,
                            self._cell_width(cell) - 2 * pad)
            top -= height

    def _draw_rules(self, top: float, rows: list, heights: list) -> None:
        """Tint of header cells, a rule under each cell (across the table between bands): decoration."""
        canv, theme = self.canv, self.theme
        with canv.artifact("Layout"):
            canv.setFillColor(HexColor(theme.table_header_tint))
            y = top
            for r, row in enumerate(rows):
                for cell in row:
                    if cell.header:
                        height = sum(heights[r:r + cell.rows])
                        canv.rect(self._cell_left(cell), y - height, self._cell_width(cell), height, stroke=0, fill=1)
                y -= heights[r]
            # Rules between rows only: columns are set apart by their padding.
            canv.setStrokeColor(HexColor(theme.table_rule_colour))
            canv.setLineWidth(theme.table_rule_width)
            canv.line(0, top, self.width, top)
            ends = {end for _, end in bands(rows)}
            for r in range(len(rows)):
                y = top - sum(heights[:r + 1])
                if r + 1 in ends:
                    canv.line(0, y, self.width, y)
                    continue
                for start, row in enumerate(rows[:r + 1]):
                    for cell in row:
                        if start + cell.rows == r + 1:
                            left = self._cell_left(cell)
                            canv.line(left, y, left + self._cell_width(cell), y)


def text_extent(block) -> tuple[float, float]:
    """(the longest word, the whole text on one line) of a text block, in points, with its indent."""
    style = block.style
    text = "".join(span.text for span in block.spans)
    longest = max((sum(fonts.string_width(run, font, style.size) for font, run in fonts.font_runs(word, style.bold, False))
                   for word in text.split()), default=0.0)
    longest = min(longest, _LONGEST_WORD_EMS * style.size)
    return block.indent + longest, block.indent + one_line_width(text, style)
