"""The shared reader of composed YAML nodes: mappings, lists, texts, dates and codes checked, problems collected at their place.

Each kind of document (a leaflet, dispensing details, pharmacy settings) has its
reader built on :class:`NodeReader`; a reader never stops at the first problem
but collects them all, and :meth:`NodeReader.finish` raises them together.
"""
from __future__ import annotations

import datetime
import difflib
import re
from typing import Optional

import yaml

from . import codes
from .. import model
from ..text import fonts
from ..errors import Problem, UserError
from .characters import FORBIDDEN, code_point, context, describe, is_visible, shown
from .inline import normalise_space, parse_inline, target_problem
from .yamlfile import first_alias_mark, node_kind

STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLOSE = 0.6  # how alike a word and a key must be for "did you mean"


class NodeReader:
    """Walks the composed nodes, collects problems, returns the model."""

    def __init__(self, name: str, text: str, printable, private=False):
        self.name = name
        self.source_text = text
        self._alias_reported = False
        self.printable = printable
        # Patient data: never quote a value back in a message.
        self.private = private
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self._seen: set[int] = set()
        self._fonts_advised: set = set()  # scripts whose missing font a message has explained

    def finish(self, read):
        """Run ``read(self)``; raise every problem found, or return what it read."""
        result = read(self)
        if self.problems:
            raise UserError(self.problems)
        return result

    # -- reporting -----------------------------------------------------------
    def quoted(self, value: str) -> str:
        """A value for a message: never in dispensing details, where whatever the mistake
        (a name in the wrong column) it may be patient data."""
        return "this" if self.private else f"'{shown(value)}'"

    def problem(self, node, path: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.name, mark.line + 1, mark.column + 1, path, message))

    def _visit(self, node, path) -> bool:
        # An alias makes one node appear twice; refusing it stops "billion laughs".
        if id(node) in self._seen:
            if not self._alias_reported:
                self._alias_reported = True
                mark = first_alias_mark(self.source_text) or node.start_mark
                self.problems.append(Problem(self.name, mark.line + 1, mark.column + 1, path,
                                             "YAML aliases (*name) are not supported; write the text out"))
            return False
        self._seen.add(id(node))
        return True

    # -- generic shapes ------------------------------------------------------
    def mapping(self, node, path, required, optional=(), shape=None):
        """The keys of a mapping node, checked: {key: (key_node, value_node)}.

        ``shape`` names the keys in the message for a value that is no mapping.
        """
        if not self._visit(node, path):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, path, f"expected a mapping with {shape or ', '.join(required)}, found {node_kind(node)}")
            return None
        allowed = tuple(required) + tuple(optional)
        found = {}
        for key_node, value_node in node.value:
            self._seen.add(id(key_node))  # a key used again through an alias is refused too
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key == "<<":
                self.problem(key_node, path, "YAML merge keys (<<) are not supported; write the keys out")
            elif key not in allowed:
                self.problem(key_node, path, unknown_key_message(key, allowed, self.private, value_node))
            elif key in found:
                first = found[key][0].start_mark.line + 1
                self.problem(key_node, join(path, key), f"duplicate key '{key}' (first given on line {first})")
            else:
                found[key] = (key_node, value_node)
        for key in required:
            if key not in found:
                self.problem(node, path, f"missing required key '{key}'")
        return found

    def sequence(self, node, path, what: str):
        if not self._visit(node, path):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, path, f"expected a list of {what}, found {node_kind(node)}")
            return []
        if not node.value:
            self.problem(node, path, f"the list is empty; add {what}")
        return node.value

    def string(self, node, path, what="text") -> Optional[str]:
        """A scalar's text as written, spaces folded; None (with a problem) if unusable."""
        if not self._visit(node, path):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, path, f"expected {what}, found {node_kind(node)}{flow_hint(node)}")
            return None
        # Plain scalars like 42 or yes are kept as the author wrote them.
        # A plain ~ or null is YAML's "nothing" (PyYAML's C loader marks plain scalars
        # with style '', the Python one with None); quoted, it is text.
        value = "" if node.tag == _NULL and not node.style else node.value
        # Checked as written, before line breaks fold to spaces: a control character
        # refused in the file (U+0085, U+000B …) is refused when written as a YAML escape too.
        forbidden = FORBIDDEN.search(value)
        if forbidden:
            self.problem(node, path, f"control character U+{ord(forbidden.group()):04X} is not allowed in content")
            return None
        value = normalise_space(value)
        if not self._visible(node, path, value, what) or not self._characters_ok(node, path, value):
            return None
        return value

    def _visible(self, node, path, value: str, what: str) -> bool:
        """Text a reader cannot see (spaces, zero-width and bidi controls, lone marks) is empty."""
        if not value.strip():  # only spaces, no-break ones included
            self.problem(node, path, f"{what} is empty")
            return False
        if not any(is_visible(char) for char in value):
            self.problem(node, path, f"{what} is empty: it holds only invisible characters (zero-width or "
                                     "direction marks, soft hyphens, accents without a letter)")
            return False
        return True

    def _characters_ok(self, node, path, value: str) -> bool:
        for char in dict.fromkeys(value):  # unique, in reading order
            if self.printable is not None and not self.printable(char):
                # Patient data: the code point and the field, never the character or its neighbours.
                where = code_point(char) if self.private else f"{describe(char)} in {context(value, value.index(char))}"
                script = fonts.script_of(char)
                said = script in self._fonts_advised
                self._fonts_advised.add(script)
                self.problem(node, path, f"no font has a glyph for {where}: {fonts.missing_font(char, brief=said)}")
                return False
        return True

    def text(self, node, path, what="text") -> Optional[model.Text]:
        value = self.string(node, path, what)
        if value is None:
            return None
        spans = parse_inline(value)
        if not self._visible(node, path, "".join(span.text for span in spans), what):  # "**\u200b**"
            return None
        problems = [target_problem(span.link) for span in spans if span.link]
        for problem in dict.fromkeys(p for p in problems if p):
            self.problem(node, path, problem)
        if any(problems):
            return None
        mark = node.start_mark
        return model.Text(spans, model.Location(self.name, mark.line + 1, mark.column + 1, path))

    # -- values every kind of document has -------------------------------------
    def language(self, node, path) -> Optional[str]:
        value = self.string(node, path, "the language tag")
        if value is not None and not _LANG_TAG.match(value):
            self.problem(node, path, f"{self.quoted(value)} is not a BCP 47 language tag such as en-GB, es or pl")
            return None
        return value

    def product_code(self, node, path, kind: str) -> Optional[str]:
        """One NDC or GTIN, normalised (a wrong one is quoted when it looks like a code, not a name)."""
        value = self.string(node, path, f"the {kind.upper()}")
        if value is None:
            return None
        try:
            return codes.NORMALISE[kind](value)
        except ValueError as err:
            # Quoted only when it looks like a code: a name in this column is patient data.
            written = f"'{value}'" if re.fullmatch(r"[0-9 -]+", value) else self.quoted(value)
            self.problem(node, path, f"{written} is not a valid {kind.upper()}: {err}")
            return None

    def boolean(self, node, path) -> Optional[bool]:
        value = self.string(node, path, "yes or no")
        if value is None:
            return None
        if value.lower() in ("true", "yes", "on"):
            return True
        if value.lower() in ("false", "no", "off"):
            return False
        self.problem(node, path, "expected true or false")
        return None

    def date(self, node, path) -> Optional[datetime.date]:
        value = self.string(node, path, "the date")
        if value is None:
            return None
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.problem(node, path, f"{self.quoted(value)} is not a date; write it as YYYY-MM-DD")
            return None

    def paper(self, node, path) -> Optional[str]:
        paper = self.string(node, path, "the paper size")
        if paper is not None and paper not in model.PAPERS:
            written = "" if self.private else f" {self.quoted(paper)}"
            self.problem(node, path, f"unknown paper size{written} (expected one of: {', '.join(model.PAPERS)})")
        return paper


def key_of(node) -> Optional[str]:
    """A mapping key's text (None for a key that is itself a list or mapping)."""
    return node.value if isinstance(node, yaml.ScalarNode) else None


def pairs(root) -> list:
    """A mapping's (key text, value node) pairs; none for a node that is no mapping."""
    return [(key_of(key), value) for key, value in root.value] if isinstance(root, yaml.MappingNode) else []


def has_key(node, key: str) -> bool:
    return any(isinstance(k, yaml.ScalarNode) and k.value == key for k, _ in node.value)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def is_plain(node) -> bool:
    """A scalar written without quotes or | and > (PyYAML's C loader: style '', Python's: None)."""
    return isinstance(node, yaml.ScalarNode) and not node.style


def flow_hint(node) -> str:
    if getattr(node, "flow_style", False):
        return " (text that starts with [ or { is read as a YAML list or mapping: put the text in quotes)"
    return ""


def unknown_key_message(key, allowed, private=False, value=None) -> str:
    """What to say of a key that is not one of ``allowed``; ``value``: its value node, if any."""
    if key is None:
        return "keys must be plain text"
    if _reads_as_prose(key):
        # "Tell your doctor if you have:" -- a sentence ending in a colon is a key to YAML.
        written = "the text" if private else f"\"{shown(key)}:\""
        return (f"this text ends with ':' (or has ': ' in it), so YAML reads it as a key; put the whole text "
                f"in quotes: - {written}")
    same = [name for name in allowed if name.lower() == str(key).lower()]
    if same and isinstance(value, yaml.ScalarNode) and value.value:
        # "- Warning: do not drive": read as the block key, which takes a mapping, not text.
        written = "the text" if private else f"\"{shown(key)}: {shown(value.value)}\""
        return (f"'{shown(key)}: …' is read as the key '{same[0]}'; to print it as text, put it in quotes "
                f"(- {written}); for the block, write {same[0]}: with its keys on the lines below")
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=CLOSE)
    hint = f"did you mean '{close[0]}'? " if close else ""
    # In dispensing details a value written as a key ("Margaret Example: 1") is patient data.
    written = "" if private else f" '{shown(key)}'"
    return f"unknown key{written} ({hint}expected one of: {', '.join(allowed)})"


def _reads_as_prose(key) -> bool:
    """A key no author meant as one: several words, or longer than any key could be."""
    text = str(key)
    return len(text.split()) >= 3 or len(text) > 40
