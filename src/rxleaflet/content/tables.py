"""The table reader: a content file's table, its header rows and column, spanning cells and layout tables, read into the model.

A row lists the cells that start in it, as HTML does: a cell written as
``{cell: …, rowspan: 2, colspan: 3}`` covers the places to its right and below, and
the rows below leave those places out.  Every row must then cover the whole width,
no two cells may cover one place, and no cell may reach past the table's edge; each
mistake is reported at the cell or row that makes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import yaml

from .. import model
from .nodes import has_key

_TABLE_KEYS = ("caption", "header_row", "header_rows", "header_column", "layout", "widths")
_MAX_SPAN = 1000


@dataclass
class _Written:
    """One cell as written in its row: its blocks, what it spans, its node (for messages)."""

    blocks: Optional[tuple]
    rows: int
    columns: int
    node: object
    path: str


class TableReader:
    """A mixin for the leaflet reader: ``table`` reads a table block."""

    def table(self, node, path, level: int):
        keys = self.mapping(node, path, ("rows",), _TABLE_KEYS)
        if keys is None:
            return None
        caption = self.text(keys["caption"][1], f"{path}.caption", "the caption") if "caption" in keys else None
        flags = {key: self.boolean(keys[key][1], f"{path}.{key}") if key in keys else False
                 for key in ("layout", "header_column", "header_row")}
        if "header_row" not in keys:
            flags["header_row"] = not flags["layout"]  # a layout table has no header row unless told
        head = self._header_rows(keys, path, flags)
        rows_node = keys["rows"][1] if "rows" in keys else None
        written = [self._row(row_node, f"{path}.rows[{r}]", level)
                   for r, row_node in enumerate(self.sequence(rows_node, f"{path}.rows", "rows") if rows_node else [])]
        grid = self._place(written, rows_node, path) if written and all(written) else None
        columns = len(grid[0][0]) if grid else 0
        widths = self.widths(keys["widths"][1], f"{path}.widths", columns) if "widths" in keys else None
        if None in flags.values() or head is None:
            return None
        if not self._kind_ok(node, path, rows_node, flags, head, grid):
            return None
        if grid is None or widths is False:
            return None
        cells, spans = grid
        return model.Table(tuple(tuple(row) for row in cells), caption, head > 0, bool(flags["header_column"]), widths,
                           header_rows=max(head, 1), spans=tuple(spans), layout=bool(flags["layout"]))

    def _header_rows(self, keys, path, flags) -> Optional[int]:
        """How many rows are column headers: 0, 1 (header_row) or header_rows."""
        if "header_rows" in keys:
            node = keys["header_rows"][1]
            value = self.string(node, f"{path}.header_rows", "a number of rows")
            if value is None:
                return None
            if not value.isdigit() or not 1 <= int(value) <= 20:
                self.problem(node, f"{path}.header_rows", "header_rows is how many rows at the top hold column "
                                                          "headers: a whole number from 1 to 20")
                return None
            if "header_row" in keys and flags["header_row"] is False:
                self.problem(node, f"{path}.header_rows", "header_rows with header_row: false: give one of them")
                return None
            flags["header_row"] = True
            return int(value)
        return 1 if flags["header_row"] else 0

    def _kind_ok(self, node, path, rows_node, flags, head: int, grid) -> bool:
        """A table has headers or is a layout table; a header row has a row below it."""
        if flags["layout"] and (head or flags["header_column"]):
            self.problem(node, path, "a layout table has no header cells: leave out header_row, header_rows and "
                                     "header_column, or layout: true")
            return False
        if not flags["layout"] and not head and not flags["header_column"]:
            self.problem(node, path, "a table needs a header row or a header column (header_row or header_column: "
                                     "true): a screen reader names each cell by its headers; a grid without headers "
                                     "is a layout table (layout: true), read as paragraphs")
            return False
        if grid is not None and head and len(grid[0]) <= head:
            rows = "a header row" if head == 1 else f"{head} header rows"
            self.problem(rows_node, f"{path}.rows", f"a table with {rows} needs at least one more row")
            return False
        if grid is not None and head:
            for r, c, rows, _ in grid[1]:
                if r < head < r + rows:
                    self.problem(rows_node, f"{path}.rows[{r}][{c}]", "a header cell spans down into the body rows: "
                                                                      "make it span the header rows only")
                    return False
        return True

    def _row(self, node, path, level) -> Optional[list]:
        cells = [self._written(cell, f"{path}[{c}]", level) for c, cell in enumerate(self.sequence(node, path, "cells"))]
        return cells if cells and all(cell.blocks for cell in cells) else None

    def _written(self, node, path, level) -> _Written:
        if isinstance(node, yaml.MappingNode) and has_key(node, "cell"):
            keys = self.mapping(node, path, ("cell",), ("rowspan", "colspan"))
            if keys is None or "cell" not in keys:
                return _Written(None, 1, 1, node, path)
            spans = [self._span(keys[key][1], f"{path}.{key}") if key in keys else 1 for key in ("rowspan", "colspan")]
            blocks = self.cell(keys["cell"][1], f"{path}.cell", level)
            return _Written(blocks if None not in spans else None, spans[0] or 1, spans[1] or 1, node, path)
        return _Written(self.cell(node, path, level), 1, 1, node, path)

    def _span(self, node, path) -> Optional[int]:
        value = self.string(node, path, "a number of rows or columns")
        if value is None:
            return None
        if not value.isdigit() or not 1 <= int(value) <= _MAX_SPAN:
            self.problem(node, path, "a span is how many rows or columns the cell covers: a whole number, 1 or more")
            return None
        return int(value)

    def _place(self, written: list, rows_node, path):
        """(the grid of blocks, the spans) or None: each cell at the first free place of its row."""
        columns = sum(cell.columns for cell in written[0])
        plain = all(cell.rows == cell.columns == 1 for row in written for cell in row)
        taken: dict = {}  # (row, column) -> the path of the cell that covers it
        grid = [[() for _ in range(columns)] for _ in written]
        spans, ok = [], True
        for r, row in enumerate(written):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                if plain and len(row) != columns:
                    self.problem(rows_node.value[r], f"{path}.rows[{r}]", f"this row has {len(row)} cells; the "
                                 f"first row has {columns}: every row has as many cells as the first")
                    ok = False
                    break
                if c + cell.columns > columns:
                    what = "starts past" if c >= columns else "reaches past"
                    self.problem(cell.node, cell.path, f"this cell {what} the table's last column: the first row "
                                                       f"covers {columns} column{'s' if columns > 1 else ''}")
                    ok = False
                    break
                if r + cell.rows > len(written):
                    self.problem(cell.node, cell.path, f"rowspan {cell.rows} reaches past the table's last row "
                                                       f"(row {len(written)})")
                    ok = False
                clash = next((taken[(r + dr, c + dc)] for dr in range(cell.rows) for dc in range(cell.columns)
                              if (r + dr, c + dc) in taken), None)
                if clash is not None:
                    self.problem(cell.node, cell.path, f"this cell overlaps the cell at {clash}, which spans into it")
                    ok = False
                    break
                for dr in range(min(cell.rows, len(written) - r)):
                    for dc in range(cell.columns):
                        taken[(r + dr, c + dc)] = cell.path
                grid[r][c] = cell.blocks
                if cell.rows > 1 or cell.columns > 1:
                    spans.append((r, c, cell.rows, cell.columns))
                c += cell.columns
            covered = sum((r, column) in taken for column in range(columns))
            if ok and covered != columns:
                self.problem(rows_node.value[r], f"{path}.rows[{r}]",
                             f"this row covers {covered} of the table's {columns} columns: every row covers as many "
                             "as the first (a cell spanning rows above counts in the rows it covers)")
                ok = False
        return (grid, spans) if ok else None
