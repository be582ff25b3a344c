"""A narrative's table as a content table: its spans kept, its header cells decided, or its cells as plain blocks.

What a screen reader is to make of a table is decided here, and said in a REVIEW line:

* header cells (``th``, ``thead``) are the table's headers: header rows at the top (several
  when the label has several), a header column where every body row starts with one;
* without header cells, a first row all in bold is read as column headers, and else a
  first column all in bold (in a table with plain cells beside it) as row headers;
* a table with neither is a **layout table**: a grid for the eye, read as its cells'
  paragraphs, row by row, as written;
* a table that lays out a page (its cells hold headings, pictures or tables: a whole SPL
  insert in one table), a one-column table, and a table of bullets only are not tables:
  their cells' blocks follow one another.

Cells spanning rows or columns keep their spans; a row with fewer cells than the
table is wide is filled with empty cells; a span past the table's edge is cut at it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from . import nodes
from .markup import PLAIN, Runs, to_markup

EMPTY_CELL = "–"
_MAX_SPAN = 50
_BIG_CELL_BLOCKS = 6  # a cell of more blocks than this lays out a page, not a table's data


@dataclass
class _Cell:
    header: bool  # a th
    blocks: list
    rows: int = 1
    columns: int = 1

    @property
    def strong(self) -> bool:
        """All bold: a paragraph whose every letter is bold, and nothing else."""
        return (len(self.blocks) == 1 and isinstance(self.blocks[0], nodes.Paragraph) and self.blocks[0].strong)


def table_blocks(narrative, element) -> list:
    caption, written, thead_rows = _read(narrative, element)
    grid = _place(written)
    columns = len(grid[0]) if grid else 0
    prefix = [nodes.Paragraph(caption, caption)] if caption else []
    origins = [cell for row in grid for cell in row if cell is not None]
    blocks = [b for cell in origins for b in cell.blocks]
    if not columns or not blocks:
        return prefix
    log = narrative.log
    if all(isinstance(b, nodes.ListBlock) and not b.ordered for b in blocks):
        log.note("a table laid out as columns of bullets is written as one list, column by column")
        items = [item for c in range(columns) for row in grid if row[c] is not None
                 for b in row[c].blocks for item in b.items]
        return prefix + [nodes.ListBlock(False, items)]
    one_cell_rows = all(sum(cell is not None for cell in row) == 1 for row in grid)  # one column, however wide
    if columns == 1 or len(grid) == 1 or one_cell_rows or _lays_out_a_page(origins):
        if columns > 1:
            log.note("a table that lays out a page (its cells hold headings, pictures or tables), or of a single "
                     "row, is written as its cells' blocks, row by row")
        return prefix + [b for cell in origins for b in cell.blocks]
    if not caption and _is_title_row(grid[0], columns) and len(grid) > 2:
        caption = grid[0][0].blocks[0].text
        grid = grid[1:]
        log.note("a table's first row, one cell across the table, is written as its caption")
    head, header_column, review = _headers(grid, thead_rows)
    if review:
        log.warn(f"a table without header cells {_DECIDED[head, header_column]} (marked REVIEW)")
        for cell in (grid[0] if head else [row[0] for row in grid]):
            if cell is not None:
                cell.blocks = [_unbolded(block) for block in cell.blocks]  # a header cell is bold anyway
    rows = [[_written(cell, log) for cell in row if cell is not None] for row in _clip_head(grid, head)]
    return [nodes.Table(rows, head, header_column, caption or None, layout=not head and not header_column,
                        review=review)]


def _read(narrative, element):
    """(caption, rows of _Cells as written, how many rows are in thead)."""
    caption, rows, thead_rows = "", [], 0
    for child in element:
        name = _tag(child)
        if name == "caption":
            runs = Runs()
            narrative._inline_children(child, runs, PLAIN, [])
            caption = to_markup(runs)
        elif name in ("thead", "tbody", "tfoot"):
            for row in child:
                if _tag(row) == "tr":
                    if name == "thead" and len(rows) == thead_rows:
                        thead_rows += 1
                    rows.append(_row(narrative, row))
        elif name == "tr":
            rows.append(_row(narrative, child))
    return caption, rows, thead_rows


def _row(narrative, row) -> list:
    cells = []
    for cell in row:
        if _tag(cell) in ("td", "th"):
            cells.append(_Cell(_tag(cell) == "th", narrative.blocks(cell, loose=False),
                               _span(cell.get("rowspan")), _span(cell.get("colspan"))))
    return cells


def _span(value) -> int:
    try:
        return max(1, min(int(value or "1"), _MAX_SPAN))
    except ValueError:
        return 1


def _place(written: list) -> list:
    """The grid: each cell at its first free place (HTML's rule); a place covered by a span
    holds None; a row too short is filled with empty cells; a span is cut to the rectangle
    it still has where it runs past the table or into a place another cell took first."""
    if not written:
        return []
    owner: dict = {}  # (row, column) -> the cell covering it
    origins = []
    for r, row in enumerate(written):
        c = 0
        for cell in row:
            while (r, c) in owner:
                c += 1
            cell.rows = min(cell.rows, len(written) - r)
            origins.append((r, c, cell))
            for dr in range(cell.rows):
                for dc in range(cell.columns):
                    owner.setdefault((r + dr, c + dc), cell)
            c += cell.columns
    columns = max(c for _, c in owner) + 1
    for r, c, cell in origins:
        wide = 1
        while wide < cell.columns and owner.get((r, c + wide)) is cell:
            wide += 1
        tall = 1
        while tall < cell.rows and all(owner.get((r + tall, c + dc)) is cell for dc in range(wide)):
            tall += 1
        for (place_r, place_c), held in list(owner.items()):
            if held is cell and not (r <= place_r < r + tall and c <= place_c < c + wide):
                owner[(place_r, place_c)] = _Cell(False, [])  # cut off the span: an empty cell of its own
        cell.rows, cell.columns = tall, wide
    starts = {id(cell): (r, c) for r, c, cell in origins}
    grid = []
    for r in range(len(written)):
        row = []
        for c in range(columns):
            cell = owner.setdefault((r, c), _Cell(False, []))
            row.append(cell if starts.get(id(cell), (r, c)) == (r, c) else None)
        grid.append(row)
    return _without_covered_rows(grid)


def _without_covered_rows(grid: list) -> list:
    """A row that cells from above cover wholly lists no cell: it goes, and their spans shrink."""
    r = 0
    while r < len(grid):
        if any(cell is not None for cell in grid[r]):
            r += 1
            continue
        for above in range(r):
            for c, cell in enumerate(grid[above]):
                if cell is not None and above + cell.rows > r:
                    cell.rows -= 1
        del grid[r]
    return grid


def _lays_out_a_page(cells: list) -> bool:
    """Cells holding headings (or a bold line over text), pictures, tables, or many blocks."""
    return any(len(cell.blocks) > _BIG_CELL_BLOCKS or
               any(isinstance(b, (nodes.Heading, nodes.Table, nodes.Figure, nodes.Note, nodes.Section, nodes.Box))
                   for b in cell.blocks) or
               any(isinstance(b, nodes.Paragraph) and b.strong for b in cell.blocks[:-1]) for cell in cells)


def _is_title_row(row: list, columns: int) -> bool:
    first = row[0]
    return (first is not None and first.columns == columns and first.rows == 1 and len(first.blocks) == 1
            and isinstance(first.blocks[0], nodes.Paragraph))


def _headers(grid: list, thead_rows: int) -> tuple[int, bool, Optional[str]]:
    """(header rows, header column, what was decided for an author to check, or None)."""
    th_rows = 0
    while th_rows < len(grid) - 1 and all(cell is None or cell.header for cell in grid[th_rows]):
        th_rows += 1
    head = min(max(thead_rows, th_rows), len(grid) - 1)
    th_column = all(row[0] is None or row[0].header for row in grid[head:])
    if head or th_column:
        return head, th_column, None
    plain = [cell for row in grid for cell in row if cell is not None and cell.blocks]
    top = [cell for cell in grid[0] if cell is not None and cell.blocks]
    if top and all(cell.strong for cell in top) and not all(c.strong for c in plain):
        return 1, False, ("this table has no header cells: its first row, in bold, is written as column headers; "
                          "check that it names the columns")
    first = [row[0] for row in grid if row[0] is not None and row[0].blocks]
    if len(first) > 1 and all(cell.strong for cell in first) and not all(c.strong for c in plain):
        return 0, True, ("this table has no header cells: its first column, in bold, is written as row headers; "
                         "check that it names the rows")
    return 0, False, ("this table has no header cells: written as a layout table, read as its cells' paragraphs, "
                      "row by row; if a cell needs its row's or column's header to make sense, give the table "
                      "header_row or header_column instead of layout")


_DECIDED = {(1, False): "has its bold first row as column headers", (0, True): "has its bold first column as row headers",
            (0, False): "is written as a layout table, read as paragraphs"}


def _unbolded(block):
    if isinstance(block, nodes.Paragraph) and re.fullmatch(r"\*\*[^*]+\*\*", block.text):
        return nodes.Paragraph(block.text[2:-2], block.plain)
    return block


def _clip_head(grid: list, head: int) -> list:
    """A header cell may not span into the body: its span is cut at the last header row."""
    for r in range(head):
        for c, cell in enumerate(grid[r]):
            if cell is not None and r + cell.rows > head:
                for dr in range(head - r, cell.rows):
                    for dc in range(cell.columns):
                        grid[r + dr][c + dc] = _Cell(False, [])
                cell.rows = head - r
    return grid


def _written(cell: _Cell, log: nodes.Log):
    blocks = content(cell.blocks, log)
    if cell.rows > 1 or cell.columns > 1:
        return nodes.Spanning(blocks, cell.rows, cell.columns)
    return blocks


def content(blocks: list, log: nodes.Log):
    """A table cell as the format has it: a text, or texts and lists."""
    kept = []
    for block in blocks:
        if isinstance(block, (nodes.Paragraph, nodes.ListBlock)):
            kept.append(block)
        elif isinstance(block, nodes.Table):
            log.note("a table inside a table cell is written as the cell's texts, row by row")
            for row in block.rows:
                texts = [cell.cell if isinstance(cell, nodes.Spanning) else cell for cell in row]
                kept.extend(nodes.Paragraph(text) for text in texts if isinstance(text, str) and text != EMPTY_CELL)
        elif isinstance(block, nodes.Heading):
            kept.append(nodes.Paragraph(f"**{block.text}**" if not block.text.startswith("*") else block.text))
        else:
            log.note("a picture inside a table cell is left out of the cell")
    if not kept:
        log.note(f"empty table cells are written as {EMPTY_CELL} (a cell is never empty in the content format)")
        return EMPTY_CELL
    if len(kept) == 1 and isinstance(kept[0], nodes.Paragraph):
        return kept[0].text
    return kept


def _tag(element) -> str:
    name = element.tag if isinstance(element.tag, str) else ""
    return name.rsplit("}", 1)[-1].lower()
