"""`rxleaflet check FILE|DIR...`: load each leaflet, check it, print the report; the exit status says what was found.

0: no findings (or only findings accepted on purpose); 1: findings; 2: a file that does not
load (its problems printed as `validate` prints them; the other files are still checked).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Optional

from ..content.library import open_library
from ..errors import Problem, UserError
from . import report
from .run import Result, check_leaflet

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USER = 0, 1, 2


def run(paths: list[str], load: Callable, output_format: str = "text", profile: Optional[str] = None,
        out=None) -> int:
    """Check the content files (and the leaflets of the library folders) named; ``load`` reads one file."""
    out = out or sys.stdout
    results, problems = [], []
    for path in _files(paths, problems):
        try:
            leaflet = load(path)
        except UserError as err:
            problems += [p for p in err.problems if p not in problems]
            continue
        results.append(check_leaflet(leaflet, profile))
    out.write(report.FORMATS[output_format](results))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_USER
    return EXIT_FINDINGS if any(result.open for result in results) else EXIT_CLEAN


def _files(paths: list[str], problems: list[Problem]) -> list[str]:
    """The files to check: each file named, and the leaflets of each folder named (as `library check` finds them)."""
    found = []
    for path in paths:
        if Path(path).is_dir():
            library = open_library(path)
            problems += library.problems
            found += [entry.path for entry in library.entries]
        else:
            found.append(path)
    return found


def strict_problems(leaflet) -> list[Problem]:
    """The error-severity findings not accepted on purpose, as problems (`build --strict` refuses them)."""
    return [Problem(f.file, f.line, f.column, f.path, f"{f.rule}: {f.message}" + (f"; {f.suggestion}" if f.suggestion else ""))
            for f in check_leaflet(leaflet).open if f.severity == "error"]


def summaries(leaflets) -> list[str]:
    """`library check`: a line for each leaflet `rxleaflet check` has findings in (accepted ones aside)."""
    results: list[Result] = [check_leaflet(leaflet) for leaflet in leaflets]
    return [f"{report.summary(result)} (rxleaflet check {result.file})" for result in results if result.open]
