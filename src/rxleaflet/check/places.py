"""Where a character of the model's text was written: its line and column in the content file.

The model keeps where each text starts (``model.Location``); a finding needs the place of
the word it is about. The loader folds line breaks, resolves ``**bold**`` and links and
drops a block scalar's indentation, so the text's characters are found again in the file in
order, from where the text starts: a space in the text is the next run of white space
(a folded line break included), markup in between is passed over.
"""
from __future__ import annotations

import bisect
from pathlib import Path
from typing import Optional

from ..content.yamlfile import decode_utf8
from ..errors import UserError
from ..model import Location

_SEARCH = 400  # how far ahead a character is looked for (past a link's address) before giving up


class SourceText:
    """A content file's text, as the loader decoded it, with its lines' offsets."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text
        self.line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        self.lines = text.split("\n")

    @classmethod
    def read(cls, path: str) -> "SourceText":
        """The file's text; none if it cannot be read now (a leaflet read from bytes, a file
        since removed): its findings are then placed where their texts start."""
        try:
            return cls(path, decode_utf8(Path(path).read_bytes(), path))
        except (OSError, UserError):
            return cls(path, "")

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column - 1

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def places(self, where: Optional[Location], plain: str) -> list[tuple[int, int]]:
        """(line, column) of each character of ``plain``, the text that starts at ``where``."""
        if where is None:
            return [(0, 0)] * len(plain)
        if where.line > len(self.line_starts) or not self.text:
            return [(where.line, where.column)] * len(plain)
        source = self.text
        at = self._content_start(self.offset(where.line, where.column))
        found = []
        last = at
        for char in plain:
            if char.isspace():
                spot = _next_space(source, at)
                if spot is not None:
                    last = spot
                    at = spot
                    while at < len(source) and source[at].isspace():
                        at += 1
            else:
                spot = source.find(char, at, at + _SEARCH)
                if spot >= 0:
                    last, at = spot, spot + 1
            found.append(self.line_column(last))
        return found

    def _content_start(self, start: int) -> int:
        """Past a block scalar's indicator line (``>-``, ``|``) or a quoted scalar's opening quote."""
        first = self.text[start:start + 1]
        if first in "|>":
            end = self.text.find("\n", start)
            return len(self.text) if end < 0 else end + 1
        return start + 1 if first in "\"'" else start


def _next_space(source: str, start: int) -> Optional[int]:
    for i in range(start, min(len(source), start + _SEARCH)):
        if source[i].isspace():
            return i
    return None
