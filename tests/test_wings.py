"""The house: each wing imports only the wings below it, and no module is over 600 lines."""
import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rxleaflet"
# What each part of the package may import from rxleaflet, bottom to top (see the wings' __init__).
BASE = {"model", "errors", "version"}
MAY_IMPORT = {
    "model": set(), "errors": set(), "version": set(),
    "text": BASE | {"pdf"},  # the ReportLab fence only: shaped glyphs and fonts ReportLab cannot read
    "content": BASE | {"text"},
    "pdf": BASE,
    "layout": BASE | {"text", "pdf"},
    "api": BASE | {"text", "content", "layout"},
    "pharmacy": BASE | {"text", "content", "pdf", "layout", "api"},
    "importers": BASE | {"text", "content", "pharmacy"},
    "check": BASE | {"content"},
    "cli": BASE | {"text", "content", "pdf", "layout", "api", "pharmacy", "importers", "check"},
    "__main__": {"cli", "pharmacy"},
    "__init__": BASE | {"api"},
}
MODULES = sorted(PACKAGE.rglob("*.py"))


def part_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported_parts(path: Path) -> set:
    """The parts of rxleaflet a module imports, at its top or inside a function."""
    inside = path.relative_to(PACKAGE).parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(inside[:len(inside) - (node.level - 1)]) if node.level > 1 else list(inside)
                target = base + (node.module.split(".") if node.module else [])
                if target:
                    found.add(target[0])
                else:
                    found |= {alias.name for alias in node.names}
            elif node.module and node.module.split(".")[0] == "rxleaflet":
                names = node.module.split(".")[1:]
                found |= {names[0]} if names else {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names
                      if alias.name.startswith("rxleaflet.")}
    return found - {part_of(path)}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_module_imports_only_the_wings_below_it(path):
    part = part_of(path)
    assert part in MAY_IMPORT, f"{part}: a new wing; say in MAY_IMPORT (and its __init__) what it may import"
    assert imported_parts(path) <= MAY_IMPORT[part]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_is_over_600_lines_and_each_says_its_job(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 600
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and docstring.split("\n")[0].strip(), "a module states its job in its first docstring line"


# ReportLab's private API as rxleaflet reaches it: a canvas's document, code list and page
# hooks, a text object's code list and canvas, a document's timestamp and object table.
PRIVATE_REPORTLAB = re.compile(r"\._(doc|code|startPage|setAnnotations|annotationrefs|timeStamp|canvas)\b"
                               r"|idToObjectNumberAndVersion")


def test_the_private_reportlab_api_is_used_in_one_fenced_module():
    users = {path.relative_to(PACKAGE).as_posix() for path in MODULES
             if PRIVATE_REPORTLAB.search(path.read_text(encoding="utf-8"))}
    assert users == {"pdf/reportlab_fence.py"}
