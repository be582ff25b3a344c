"""User errors: problems in what the user gave us, reported as FILE:LINE:COL."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        # line 0: a problem with a whole file (missing, unwritable), not a place in it
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class UserError(Exception):
    """Bad input: the CLI prints each problem on one line and exits with 2."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file, line, column, path, message):
        return cls([Problem(file, line, column, path, message)])


class NotFound(UserError):
    """No leaflet in the library for what was asked (the service answers 404)."""


class Ambiguous(UserError):
    """Several leaflets in the library fit what was asked (the service answers 409)."""
