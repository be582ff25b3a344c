"""A model table as a TableBlock: each cell's flowables and its tags, with its headers, spans, or as a layout table.

Grid: ``Table`` › ``THead`` › ``TR`` › ``TH`` (Scope Column) for each header row,
``TBody`` › ``TR`` › ``TH`` (Scope Row) / ``TD``; a spanning cell has ``RowSpan`` /
``ColSpan``.  Where a cell's headers are not simply the one above it and the one before
it (a cell spans, or there are several header rows), every header cell has an ``ID`` and
every cell lists its headers' IDs in ``Headers`` (PDF/UA-1 7.5).

Stacked: each body row a block, each cell under its column's header labels (every header
row's cell over that column; a row header's, the corner's text, in its own TH); a cell
spanning rows is printed again in the rows below it, as an artifact (it is tagged once).

A layout table has no headers: a ``Div`` of its cells' paragraphs, row by row, the grid
drawn for the eye only.
"""
from __future__ import annotations

from typing import Optional

from .. import model
from ..pdf import tag
from ..pdf.tag import Element
from .tables import Cell, TableBlock, TableParts, text_extent


class _Headers:
    """Which header cells name each cell, and their IDs."""

    def __init__(self, table: model.Table, number: int):
        self.table = table
        self.head = table.head_count
        self.covered = table.covered()
        self.explicit = bool(table.spans) or self.head > 1
        self.number = number
        self.origins = [(r, c) + table.span_at(r, c) for r, row in enumerate(table.rows)
                        for c in range(len(row)) if (r, c) not in self.covered]

    def is_header(self, r: int, c: int) -> bool:
        return not self.table.layout and (r < self.head or self.table.header_column and c == 0)

    def ident(self, r: int, c: int) -> Optional[str]:
        return f"rxt{self.number}-{r}-{c}" if self.explicit and self.is_header(r, c) else None

    def column_headers(self, r: int, c: int, columns: int) -> list[tuple[int, int]]:
        """The header-row cells above (r, c) over any of its columns, top to bottom."""
        return [(hr, hc) for hr, hc, rows, cols in self.origins
                if hr < self.head and hr + rows <= r and hc < c + columns and c < hc + cols]

    def headers(self, r: int, c: int, rows: int, columns: int) -> list[str]:
        if not self.explicit:
            return []
        found = self.column_headers(r, c, columns)
        if self.table.header_column and c > 0 and r >= self.head:
            found += [(hr, 0) for hr, hc, hrows, _ in self.origins
                      if hc == 0 and hr >= self.head and hr < r + rows and r < hr + hrows]
        return [self.ident(hr, hc) for hr, hc in found]


def table_block(story, table: model.Table, parent: Element, lang_in_effect: Optional[str]) -> TableBlock:
    """A table; its rows are tagged when the layout knows whether it fits as a grid."""
    headers = _Headers(table, next(story.table_numbers))
    structure = parent.add("Div", lang=table.lang) if table.layout else tag.Table(parent, lang=table.lang)

    def caption():
        if table.caption is None:
            return None
        element = structure.add("P") if table.layout else structure.caption()
        return story.caption(table.caption, element, lang_in_effect)

    def layout_element(blocks) -> Element:
        single = len(blocks) == 1 and isinstance(blocks[0], model.Paragraph)
        return structure.add("P" if single else "Div")

    def build(stacked: bool) -> TableParts:
        parts = TableParts(caption(), None, [])
        if stacked:
            parts.rows = _stacked_rows(story, table, headers, structure, layout_element, lang_in_effect)
            return parts
        head_rows = []
        for r, row in enumerate(table.rows):
            tr = None if table.layout else structure.header_row() if r < headers.head else structure.row()
            cells = []
            for c, blocks in enumerate(row):
                if (r, c) in headers.covered:
                    continue
                rows, columns = table.span_at(r, c)
                is_header = headers.is_header(r, c)
                spans = {"rows": rows, "columns": columns, "headers": headers.headers(r, c, rows, columns)}
                element = (layout_element(blocks) if tr is None else
                           tr.header(ident=headers.ident(r, c), **spans) if is_header else tr.cell(**spans))
                made = story.cell(blocks, element, lang_in_effect, is_header)
                cells.append(Cell(made.blocks, is_header, c, rows, columns))
            (head_rows if r < headers.head else parts.rows).append(cells)
        parts.header = head_rows or None
        return parts

    return TableBlock(build, _extents(story, table, headers, lang_in_effect), table.widths, story.theme,
                      rtl=story.rtl_in(lang_in_effect), page_height=story.page_height,
                      space_before=story.theme.paragraph_space,
                      where=next((b.text.where for b in table.rows[0][0] if isinstance(b, model.Paragraph)), None))


def _stacked_rows(story, table: model.Table, headers: _Headers, structure, layout_element, lang_in_effect) -> list:
    """Each body row a block, each cell under its column's header labels.  The labels are
    printed in every row, so they are that row's: its TH (Scope Row), or, when the row has a
    header cell of its own, the first part of the TD."""
    rows = []
    space = story.theme.list_item_space
    for r in range(headers.head, len(table.rows)):
        if all((r, c) in headers.covered for c in range(table.columns)):
            continue
        tr = None if table.layout else structure.row()
        blocks: list = []
        for c in range(table.columns):
            is_header = headers.is_header(r, c)
            if (r, c) in headers.covered:
                blocks += _repeated(story, table, headers, r, c, lang_in_effect, bool(blocks))
                continue
            cell = table.rows[r][c]
            if tr is None:
                content = story.cell(cell, layout_element(cell), lang_in_effect, False).blocks
                content[0].spaceBefore = space if blocks else 0.0
                blocks += content
                continue
            element = tr.header() if is_header else None
            labels = headers.column_headers(r, c, table.span_at(r, c)[1])
            if labels:
                # a row header's label (the corner's text) goes into its own TH
                label_element = element or (tr.cell() if table.header_column else tr.header())
                label = [block for hr, hc in labels
                         for block in story.cell(table.rows[hr][hc], label_element, lang_in_effect, True).blocks]
                label[0].spaceBefore = space if blocks else 0.0
                blocks += label
                element = label_element if table.header_column or is_header else None
            content = story.cell(cell, element or tr.cell(), lang_in_effect, is_header).blocks
            content[0].spaceBefore = 0.0 if not blocks or labels else space
            blocks += content
        rows.append([Cell(blocks)])
    return rows


def _repeated(story, table, headers: _Headers, r: int, c: int, lang_in_effect, after: bool) -> list:
    """A cell spanning rows, printed again in a stacked row below its first: an artifact. Only at the
    column it starts in, and only for a body cell (a header row's cells are the labels)."""
    origin = next(((hr, hc) for hr, hc, rows, cols in headers.origins
                   if hr <= r < hr + rows and hc <= c < hc + cols), None)
    if origin is None or origin[0] < headers.head or origin[1] != c or origin[0] == r:
        return []
    scratch = Element("TD", None)  # drawn as an artifact: never in the document
    made = [block.as_artifact() for block in story.cell(table.rows[origin[0]][c], scratch, lang_in_effect,
                                                          headers.is_header(*origin)).blocks]
    made[0].spaceBefore = story.theme.list_item_space if after else 0.0
    return made


def _extents(story, table: model.Table, headers: _Headers, lang_in_effect) -> list[tuple[float, float]]:
    """Per column, (narrowest, widest) its cells of one column want."""
    extents = []
    for c in range(table.columns):
        scratch = Element("TD", None)  # measured only: never in the document
        measured = [text_extent(f) for r, row in enumerate(table.rows)
                    if (r, c) not in headers.covered and table.span_at(r, c)[1] == 1
                    for f in story.cell(row[c], scratch, lang_in_effect, True).blocks]
        extents.append((max((low for low, _ in measured), default=0.0),
                        max((high for _, high in measured), default=0.0)))
    return extents
