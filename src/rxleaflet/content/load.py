"""Content YAML to the model, with every problem reported as FILE:LINE:COL: PATH: message.

We compose the YAML into nodes (which keep line and column) and build the
model from them ourselves instead of letting PyYAML construct Python objects:
that way a duplicate key is caught (PyYAML keeps the last one silently), an
alias cannot multiply the document, and every message can point at the exact
place an author has to fix.
"""
from __future__ import annotations

import dataclasses
import datetime
import difflib
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Callable, Optional

import yaml

from . import codes, yamltext
from .. import model
from ..errors import Problem, UserError
from .inline import normalise_space, parse_inline, target_problem

MAX_CONTENT_BYTES = 1_000_000
MAX_HEADING_LEVEL = 6  # H1 is the title; sections start at H2
MAX_LIST_DEPTH = 30  # a list in a list item in a list …: thirty lists deep at most
# Mappings and lists inside one another, at most: far more than a leaflet at the other
# limits needs (about 80), and far less than would exhaust Python's stack while reading.
MAX_YAML_NESTING = 100
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_SINGLE_KEY_BLOCKS = ("paragraph", "bullets", "numbered", "table", "figure", "pictograms") + model.BOX_KINDS
_BLOCK_KEYS = ("heading", "content") + _SINGLE_KEY_BLOCKS
_SECTION_ID = re.compile(r"^[a-z0-9-]+$")
_WIDTH = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpeg"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_leaflet(path, printable: Optional[Callable[[str], bool]] = None) -> model.Leaflet:
    """Load and validate one content file.

    ``printable`` says whether a character can be drawn; the caller passes the
    font check so that this module stays free of fonts.
    """
    return parse_leaflet(_read_bytes(path), str(path), printable)


def parse_leaflet(data: bytes, name: str, printable=None) -> model.Leaflet:
    text, root = _compose_file(data, name, "a leaflet", "lang, title, medicine, revised, source and sections")
    return _Reader(name, text, printable).finish(lambda reader: reader.leaflet(root))


def read_prescription(path, medicine: model.Medicine, printable=None) -> model.Prescription:
    """Dispensing details (YAML or JSON) for a leaflet about ``medicine``."""
    data = _read_bytes(path)
    name = str(path)
    text, root = _compose_file(data, name, "dispensing details", ", ".join(PRESCRIPTION_KEYS), private=True)
    reader = _Reader(name, text, printable, private=True)
    return reader.finish(lambda r: r.prescription(root, "", medicine))


def read_pharmacy(path, printable=None) -> model.Pharmacy:
    data = _read_bytes(path)
    name = str(path)
    text, root = _compose_file(data, name, "pharmacy settings", "name, address and phone")
    return _Reader(name, text, printable).finish(lambda reader: reader.pharmacy(root))


def prescription_row(fields: dict, name: str, line: int, row: int, medicine_of, printable=None, find=None):
    """One batch row: (content path, Prescription, Choice or None), validated like a prescription file.

    ``fields`` maps column names to text (a CSV row) or is composed YAML/JSON
    (a JSON Lines row); ``medicine_of(content_path)`` gives the medicine of the
    leaflet a row names, or raises UserError.  A row without a content file
    names its medicine by ``ndc``, ``gtin`` or ``medicine`` (and ``lang``), and
    ``find`` (a library's look-up) picks the leaflet.
    """
    root = fields if isinstance(fields, yaml.Node) else _row_node(fields, line)
    path = f"row {row}"
    if find is not None and isinstance(root, yaml.MappingNode) and not _has_key(root, "content"):
        choice, prescription = read_located(root, name, find, printable, path, details=True, extra=("content",))
        return choice.path, prescription, choice
    reader = _Reader(name, "", printable, private=True)
    content, prescription = reader.finish(lambda r: r.prescription_row(root, path, medicine_of))
    return content, prescription, None


def read_located_prescription(path, find, printable=None):
    """Dispensing details that name their medicine (``ndc``, ``gtin`` or ``medicine``, and
    ``lang``) for a library to find: (Choice, Prescription)."""
    name = str(path)
    _, root = _compose_file(_read_bytes(path), name, "dispensing details", ", ".join(PRESCRIPTION_KEYS))
    return read_located(root, name, find, printable, details=True)


def read_fields(fields: dict, name: str, find, printable=None):
    """(Choice, None) for a medicine named by options (ndc, gtin or medicine; lang) rather than a file."""
    given = {key: value for key, value in fields.items() if value is not None}
    return read_located(_row_node(given, 0), name, find, printable, details=False)


def read_request(data: bytes, name: str, find, printable=None):
    """A service's leaflet request (JSON): (Choice, Prescription or None, paper, large print).

    The medicine by ``ndc``, ``gtin`` or ``medicine``, optional ``lang``,
    ``paper`` and ``large_print``, and optionally every dispensing-details key
    (then all of them, as in a prescription file).
    """
    _, root = _compose_file(data, name, "a leaflet request", "ndc, gtin or medicine")
    edition = {key: value for key, value in _pairs(root) if key in REQUEST_EDITION_KEYS}
    root.value = [(key, value) for key, value in root.value if _key(key) not in REQUEST_EDITION_KEYS]
    reader = _Reader(name, "", printable)
    paper = reader.paper(edition["paper"], "paper") if "paper" in edition else None
    large_print = reader.boolean(edition["large_print"], "large_print") if "large_print" in edition else None
    reader.finish(lambda r: None)
    choice, prescription = read_located(root, name, find, printable, details=None)
    return choice, prescription, paper, large_print


REQUEST_EDITION_KEYS = ("paper", "large_print")


def read_located(root, name: str, find, printable=None, path: str = "", details: Optional[bool] = True, extra=()):
    """(Choice, Prescription or None) from details that name their medicine instead of a content file.

    ``find(wanted)`` is a library's look-up (raising NotFound or Ambiguous).
    ``details``: True, they are required; False, not allowed; None, optional
    (all or none of them, beside the medicine); the prescription's medicine must still
    match the leaflet found (a product code and a name that disagree are refused).
    """
    wanted = _Reader(name, "", printable, private=True).finish(lambda r: r.wanted(root, path))
    choice = find(wanted)
    given = {key for key, _ in _pairs(root)}
    if details is False or (details is None and not given & (set(PRESCRIPTION_KEYS) - {"medicine"})):
        _Reader(name, "", printable).finish(lambda r: r.mapping(root, path, (), ("medicine",) + LOCATOR_KEYS + extra))
        return choice, None
    reader = _Reader(name, "", printable, private=True)
    prescription = reader.finish(lambda r: r.prescription(root, path, choice.leaflet.medicine, extra, choice.asked))
    return choice, prescription


# Keys of dispensing details that name the medicine for a library instead of a content file.
LOCATOR_KEYS = ("ndc", "gtin", "lang")


def _key(node) -> Optional[str]:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _pairs(root):
    return [(_key(key), value) for key, value in root.value] if isinstance(root, yaml.MappingNode) else []


def _read_bytes(path) -> bytes:
    return read_input(path, MAX_CONTENT_BYTES)


def read_input(path, limit: Optional[int]) -> bytes:
    """A regular file's bytes (a symbolic link to one is followed); a UserError otherwise.

    A folder, device or pipe is refused before it is read: reading ``/dev/zero``
    or a pipe nobody writes to would never end.  At most ``limit`` + 1 bytes are
    read, so a file over the limit is refused without being held in memory.
    """
    name = str(path)
    try:
        # Non-blocking: opening a pipe that nobody writes to would otherwise wait for ever.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise UserError.single(name, 0, 0, "", f"cannot read the file: {err.strerror}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise UserError.single(name, 0, 0, "", f"cannot read the file: it is {special_file_kind(mode)}, "
                                               "not a regular file")
    with os.fdopen(descriptor, "rb") as stream:
        try:
            data = stream.read() if limit is None else stream.read(limit + 1)
        except OSError as err:
            raise UserError.single(name, 0, 0, "", f"cannot read the file: {err.strerror}") from None
    if limit is not None and len(data) > limit:
        raise UserError.single(name, 1, 1, "", f"the file is too large: the limit is {limit:,} bytes")
    return data


def special_file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
             (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))
    return next((word for test, word in kinds if test(mode)), "a special file")


def _compose_file(data: bytes, name: str, what: str, keys: str, private=False):
    if len(data) > MAX_CONTENT_BYTES:
        raise UserError.single(name, 1, 1, "", f"the file is {len(data):,} bytes; the limit is {MAX_CONTENT_BYTES:,}")
    text = decode_utf8(data, name)
    return text, compose_document(text, name, what, keys, private)


def _row_node(fields: dict, line: int) -> yaml.MappingNode:
    """A CSV row as composed YAML, every cell marked at the row's line."""
    mark = yaml.Mark("", 0, line - 1, 0, None, None)
    # An empty cell of an optional column (a row that names its medicine by code has no content file) is no key.
    pairs = [(yaml.ScalarNode(_STR, key, mark, mark), yaml.ScalarNode(_STR, value or "", mark, mark))
             for key, value in fields.items() if key is not None and (value or key in PRESCRIPTION_KEYS)]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, mark, mark)


def decode_utf8(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")  # a BOM is accepted and dropped
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise UserError.single(name, line, column, "", f"not UTF-8: byte 0x{data[err.start]:02X} cannot be decoded; save the file as UTF-8")
    _refuse_control_characters(text, name)
    return text


# C0 controls but tab and line breaks, DEL and C1 controls, non-characters, lone surrogates
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _refuse_control_characters(text: str, name: str) -> None:
    found = _FORBIDDEN.search(text)
    if found:
        index = found.start()
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        raise UserError.single(name, line, column, "", f"control character U+{ord(found.group()):04X} is not allowed in content")


def compose_document(text: str, name: str, what: str, keys: str, private=False) -> yaml.Node:
    """The YAML's root mapping, composed; ``private``: the text holds patient data, never quote it."""
    try:
        _refuse_tags_and_depth(text, name)
        root = yamltext.compose(text, _Loader)
    except yaml.MarkedYAMLError as err:
        if "maximum nesting depth" in (err.problem or ""):  # libyaml's own limit (1,000), which it reads ahead to
            raise _too_deep(name, err.problem_mark) from None
        line, column, message = yamltext.explain(text, err)
        if private:
            message = _QUOTED.sub(_unquoted, message)
        raise UserError.single(name, line, column, "", message)
    except RecursionError:  # the depth check makes this all but impossible: still a user's file, not a bug
        raise _too_deep(name, yaml.Mark(name, 0, 0, 0, None, None)) from None
    except yaml.YAMLError as err:
        raise UserError.single(name, 1, 1, "", f"YAML error: {err}")
    anchor = yamltext.unused_anchor(text, _Loader)
    if anchor:
        line, column, message = anchor
        raise UserError.single(name, line, column, "", message)
    if root is None:
        raise UserError.single(name, 1, 1, "", f"the file is empty; {what} needs {keys}")
    if not isinstance(root, yaml.MappingNode):
        raise UserError.single(name, root.start_mark.line + 1, root.start_mark.column + 1, "", f"the file holds {_kind(root)}; {what} is a mapping of keys ({keys})")
    return root


# What a YAML message quotes (a character, an alias, a tag handle, the start of a text).
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _unquoted(match) -> str:
    """Quoted punctuation as it is, another character as its code point, and longer text
    (a name written as an alias or a tag) not at all."""
    import ast

    try:
        quoted = ast.literal_eval(match.group())
    except (ValueError, SyntaxError):
        quoted = ""
    if quoted and all(is_visible(c) and not c.isalnum() for c in quoted):
        return match.group()  # punctuation only: "no ':' after its key", "(- \"%…\")"
    return f"U+{ord(quoted):04X}" if len(quoted) == 1 else "(text not shown)"


def _refuse_tags_and_depth(text: str, name: str) -> None:
    """Refuse explicit YAML tags and nesting too deep to read, at their line, before composing.

    A tag (``!!binary``, ``!!python/object``, ``!anything``) would otherwise be
    ignored and its text printed as if it were content.  The tag itself is not
    quoted: in dispensing details it could be patient data.
    """
    try:
        found = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as err:
        if not yamltext.about_alias(err):
            return  # a syntax error: compose reports it, at its line
        try:  # read as compose reads it: a leading * is text
            found = list(yaml.parse(text, Loader=yamltext.TextLoader))
        except yaml.YAMLError:
            return
    depth = 0
    for event in found:
        mark = event.start_mark
        if getattr(event, "tag", None) is not None:
            raise UserError.single(name, mark.line + 1, mark.column + 1, "",
                                   "YAML tags (!name, !!type) are not supported: remove the tag, or put text "
                                   "that starts with ! in quotes")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_NESTING:
                raise _too_deep(name, mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _too_deep(name: str, mark) -> UserError:
    return UserError.single(name, mark.line + 1, mark.column + 1, "",
                            f"nested too deep: more than {MAX_YAML_NESTING} lists and mappings inside one another "
                            f"(sections nest at most {MAX_HEADING_LEVEL - 1} deep, lists {MAX_LIST_DEPTH})")


def _kind(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a single value"


class _Reader:
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
        self._section_ids: dict[str, int] = {}  # id -> line of the section that has it
        self.base = Path(name).parent  # images are found relative to the content file
        self._made: list = []  # nodes made here: kept alive so that no id in _seen is reused

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
        return "this" if self.private else f"'{_shown(value)}'"

    def problem(self, node, path: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.name, mark.line + 1, mark.column + 1, path, message))

    def _visit(self, node, path) -> bool:
        # An alias makes one node appear twice; refusing it stops "billion laughs".
        if id(node) in self._seen:
            if not self._alias_reported:
                self._alias_reported = True
                mark = _first_alias_mark(self.source_text) or node.start_mark
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
            self.problem(node, path, f"expected a mapping with {shape or ', '.join(required)}, found {_kind(node)}")
            return None
        allowed = tuple(required) + tuple(optional)
        found = {}
        for key_node, value_node in node.value:
            self._seen.add(id(key_node))  # a key used again through an alias is refused too
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key == "<<":
                self.problem(key_node, path, "YAML merge keys (<<) are not supported; write the keys out")
            elif key not in allowed:
                self.problem(key_node, path, _unknown_key_message(key, allowed, self.private))
            elif key in found:
                first = found[key][0].start_mark.line + 1
                self.problem(key_node, _join(path, key), f"duplicate key '{key}' (first given on line {first})")
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
            self.problem(node, path, f"expected a list of {what}, found {_kind(node)}")
            return []
        if not node.value:
            self.problem(node, path, f"the list is empty; add {what}")
        return node.value

    def string(self, node, path, what="text") -> Optional[str]:
        """A scalar's text as written, spaces folded; None (with a problem) if unusable."""
        if not self._visit(node, path):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, path, f"expected {what}, found {_kind(node)}{_flow_hint(node)}")
            return None
        # Plain scalars like 42 or yes are kept as the author wrote them.
        # A plain ~ or null is YAML's "nothing" (PyYAML's C loader marks plain scalars
        # with style '', the Python one with None); quoted, it is text.
        value = "" if node.tag == _NULL and not node.style else node.value
        # Checked as written, before line breaks fold to spaces: a control character
        # refused in the file (U+0085, U+000B …) is refused when written as a YAML escape too.
        forbidden = _FORBIDDEN.search(value)
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
                shown = _code_point(char) if self.private else f"{_describe(char)} in {_context(value, value.index(char))}"
                self.problem(node, path, f"no bundled font has a glyph for {shown}")
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

    # -- dispensing details and pharmacy settings ------------------------------
    def prescription(self, root, path, medicine: model.Medicine, extra=(), editions=()):
        """Dispensing details for a leaflet about ``medicine``; ``editions``: the same medicine as
        named in other languages' editions (a library's choice), which the details may name instead."""
        keys = self.mapping(root, path, PRESCRIPTION_KEYS, LOCATOR_KEYS + tuple(extra))
        if keys is None:
            return None
        medicines = (medicine,) + tuple(editions)
        for kind in codes.NORMALISE:  # a product code given beside the details must be the leaflet's
            where = _join(path, kind)
            code = self.product_code(keys[kind][1], where, kind) if kind in keys else None
            if code is not None and not any((kind, code) in m.codes for m in medicines):
                self.problem(keys[kind][1], where, f"{kind.upper()} {code} is not one of this leaflet's product codes "
                                                   f"({medicine.label}); a patient must get the leaflet for their own medicine")
        if "lang" in keys:
            self.language(keys["lang"][1], _join(path, "lang"))
        values = {}
        for key in PRESCRIPTION_KEYS:
            if key in keys:
                node, where = keys[key][1], _join(path, key)
                values[key] = self.date(node, where) if key == "dispensed" else self.string(node, where, "this field")
        if len(values) < len(PRESCRIPTION_KEYS) or None in values.values():
            return None
        given = squashed(values["medicine"])
        strength = next((medicine_names(m)[given] for m in medicines if given in medicine_names(m)), None)
        if strength is None:
            self.problem(keys["medicine"][1], _join(path, "medicine"),
                         f"the prescription's medicine does not match this leaflet's medicine ({medicine.label}); "
                         "a patient must get the leaflet for their own medicine")
            return None
        return model.Prescription(**values, strength=strength)

    def wanted(self, root, path) -> Optional[model.Wanted]:
        """What details ask a library for: ``ndc`` or ``gtin``, else ``medicine``; and ``lang``."""
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, path, f"expected a mapping of keys, found {_kind(root)}")
            return None
        nodes = dict(_pairs(root))
        codes_given = [kind for kind in codes.NORMALISE if kind in nodes]
        if len(codes_given) > 1:
            self.problem(nodes["gtin"], _join(path, "gtin"), "give one product code: ndc or gtin, not both")
            return None
        named = codes_given[0] if codes_given else "medicine" if "medicine" in nodes else None
        if named is None:
            self.problem(root, path, "name the medicine: ndc, gtin or medicine (or give a content file)")
            return None
        node, where = nodes[named], _join(path, named)
        values = {named: self.product_code(node, where, named) if codes_given else
                  self.string(node, where, "the medicine")}
        if "lang" in nodes:
            values["lang"] = self.language(nodes["lang"], _join(path, "lang"))
        if None in values.values():
            return None
        mark = node.start_mark
        return model.Wanted(**values, where=model.Location(self.name, mark.line + 1, mark.column + 1, where))

    def paper(self, node, path) -> Optional[str]:
        paper = self.string(node, path, "the paper size")
        if paper is not None and paper not in model.PAPERS:
            shown = "" if self.private else f" {self.quoted(paper)}"
            self.problem(node, path, f"unknown paper size{shown} (expected one of: {', '.join(model.PAPERS)})")
        return paper

    def prescription_row(self, root, path, medicine_of):
        """A batch row: the content file it names, and its dispensing details."""
        if not isinstance(root, yaml.MappingNode) or not _has_key(root, "content"):
            self.problem(root, path, "missing the content file (column 'content'); or give a library (--library) "
                                    "and name the medicine by ndc, gtin or medicine")
            return None
        content_node = next(v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "content")
        content = self.string(content_node, _join(path, "content"), "the content file")
        if content is None:
            return None
        try:
            medicine = medicine_of(content)
        except UserError as err:
            self.problem(content_node, _join(path, "content"), err.problems[0].message)
            return None
        prescription = self.prescription(root, path, medicine, extra=("content",))
        return None if prescription is None else (content, prescription)

    def pharmacy(self, root):
        keys = self.mapping(root, "", PHARMACY_KEYS[:3], PHARMACY_KEYS[3:])
        if keys is None:
            return None
        values = {key: self.string(keys[key][1], key, f"the pharmacy's {key}")
                  for key in ("name", "address", "phone") if key in keys}
        paper = self.paper(keys["paper"][1], "paper") if "paper" in keys else None
        large_print = self.boolean(keys["large_print"][1], "large_print") if "large_print" in keys else False
        footer = ()
        if "footer" in keys:
            nodes = self.sequence(keys["footer"][1], "footer", "footer lines")
            footer = tuple(self.string(n, f"footer[{i}]", "a footer line") for i, n in enumerate(nodes))
        library = self.string(keys["library"][1], "library", "the library folder") if "library" in keys else None
        library_lang = self.language(keys["library_lang"][1], "library_lang") if "library_lang" in keys else None
        if len(values) < 3 or None in values.values() or None in footer or self.problems:
            return None
        if library is not None:  # relative to the settings file, wherever rxleaflet runs
            library = str(Path(self.name).parent / Path(library).expanduser())
        return model.Pharmacy(values["name"], values["address"], values["phone"], paper, footer, bool(large_print),
                              library, library_lang)

    # -- the leaflet ---------------------------------------------------------
    def leaflet(self, root) -> Optional[model.Leaflet]:
        keys = self.mapping(root, "", ("lang", "title", "medicine", "revised", "source", "sections"), ("lead",))
        if keys is None:
            return None
        get = lambda key: keys[key][1] if key in keys else None  # noqa: E731
        lang = self.language(get("lang"), "lang") if "lang" in keys else None
        title = self.text(get("title"), "title", "the title") if "title" in keys else None
        medicine = self.medicine(get("medicine")) if "medicine" in keys else None
        revised = self.date(get("revised"), "revised") if "revised" in keys else None
        source = self.string(get("source"), "source", "the source") if "source" in keys else None
        lead = self.text(get("lead"), "lead", "the lead paragraph") if "lead" in keys else None
        blocks = self.blocks(get("sections"), "sections", level=2) if "sections" in keys else ()
        if self.problems:
            return None
        leaflet = model.Leaflet(lang, title, medicine, revised, source, lead, blocks, file=self.name,
                                warnings=tuple(self.warnings))
        self.check_cross_references(leaflet)
        return None if self.problems else leaflet

    def check_cross_references(self, leaflet: model.Leaflet) -> None:
        """Every "#id" link names a section of this leaflet."""
        ids = set(self._section_ids)
        for text in model.iter_texts(leaflet):
            for span in text.spans:
                if span.link and span.link.startswith("#") and span.link[1:] not in ids:
                    where = text.where
                    self.problems.append(Problem(self.name, where.line, where.column, where.path,
                                                 f"no section or box has the id '{span.link[1:]}' (give the "
                                                 f"section 'id: {span.link[1:]}')"))

    def language(self, node, path) -> Optional[str]:
        value = self.string(node, path, "the language tag")
        if value is not None and not _LANG_TAG.match(value):
            self.problem(node, path, f"{self.quoted(value)} is not a BCP 47 language tag such as en-GB, es or pl")
            return None
        return value

    def optional_language(self, keys, path) -> Optional[str]:
        """A block's own ``lang``, when it is in another language than the leaflet."""
        return self.language(keys["lang"][1], _join(path, "lang")) if "lang" in keys else None

    def medicine(self, node) -> Optional[model.Medicine]:
        keys = self.mapping(node, "medicine", ("name", "form"),
                            ("strength", "strengths", "brand_names", "pronunciation", "codes"),
                            shape="name, strength (or strengths), form")
        if keys is None:
            return None
        fields = {key: self.string(keys[key][1], f"medicine.{key}", f"the medicine's {key}")
                  for key in ("name", "strength", "form", "pronunciation") if key in keys}
        brands = self.string_list(keys, "brand_names", "medicine", "brand names", "a brand name")
        strengths = self.string_list(keys, "strengths", "medicine", "strengths", "a strength")
        if ("strength" in keys) == ("strengths" in keys):
            self.problem(node, "medicine", "give 'strength' (a text) or 'strengths' (a list), not both"
                         if "strength" in keys else "missing required key 'strength' (or 'strengths', a list)")
            return None
        found_codes = self.product_codes(keys["codes"][1], "medicine.codes") if "codes" in keys else ()
        if None in fields.values() or None in brands or None in strengths or found_codes is None:
            return None
        if len(set(strengths)) < len(strengths):
            self.problem(keys["strengths"][1], "medicine.strengths", "a strength is listed twice")
            return None
        first = fields.get("strength") or strengths[0]
        return model.Medicine(fields["name"], first, fields["form"], tuple(brands), tuple(strengths),
                              fields.get("pronunciation"), codes=found_codes)

    def string_list(self, keys, key, path, what, each) -> list:
        """An optional list of texts (``None`` in it where one is unusable)."""
        if key not in keys:
            return []
        items = self.sequence(keys[key][1], f"{path}.{key}", what)
        return [self.string(n, f"{path}.{key}[{i}]", each) for i, n in enumerate(items)]

    def product_codes(self, node, path):
        """``{ndc: [...], gtin: [...]}``: each code checked and normalised; None if any is wrong."""
        keys = self.mapping(node, path, (), tuple(codes.NORMALISE))
        if keys is None:
            return None
        if not keys and isinstance(node, yaml.MappingNode) and not node.value:
            self.problem(node, path, f"give at least one of: {', '.join(codes.NORMALISE)}")
        found, ok = [], True
        for kind, (_, value) in keys.items():
            for i, item in enumerate(self.sequence(value, f"{path}.{kind}", f"{kind.upper()}s")):
                code = self.product_code(item, f"{path}.{kind}[{i}]", kind)
                ok = ok and code is not None
                if code is not None and (kind, code) in found:
                    self.problem(item, f"{path}.{kind}[{i}]", f"{kind.upper()} {code} is listed twice")
                found.append((kind, code))
        return tuple(found) if ok else None

    def product_code(self, node, path, kind: str) -> Optional[str]:
        """One NDC or GTIN, normalised (a wrong one is quoted when it looks like a code, not a name)."""
        value = self.string(node, path, f"the {kind.upper()}")
        if value is None:
            return None
        try:
            return codes.NORMALISE[kind](value)
        except ValueError as err:
            # Quoted only when it looks like a code: a name in this column is patient data.
            shown = f"'{value}'" if re.fullmatch(r"[0-9 -]+", value) else self.quoted(value)
            self.problem(node, path, f"{shown} is not a valid {kind.upper()}: {err}")
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

    def blocks(self, node, path, level: int) -> tuple:
        items = self.sequence(node, path, "blocks (paragraphs, lists, sections, boxes)")
        blocks = (self.block(item, f"{path}[{i}]", level) for i, item in enumerate(items))
        return tuple(block for block in blocks if block is not None)

    def block(self, node, path, level: int):
        node = self.key_text(node, _BLOCK_KEYS + ("lang",))
        if self.key_without_colon(node, path, _BLOCK_KEYS):
            return None
        if isinstance(node, yaml.ScalarNode):
            self.warn_if_folded(node, path, "paragraph")
            text = self.text(node, path, "the paragraph")
            return model.Paragraph(text) if text else None
        if isinstance(node, yaml.MappingNode) and _has_key(node, "heading"):
            return self.section(node, path, level)
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, path, f"expected a paragraph (text) or a block mapping, found {_kind(node)}{_flow_hint(node)}")
            return None
        keys = self.mapping(node, path, (), _BLOCK_KEYS + ("lang",))
        if keys is None:
            return None
        kinds = [key for key in keys if key in _SINGLE_KEY_BLOCKS]
        if len(kinds) != 1 or "content" in keys:
            if len(keys) == len(node.value):  # no unknown key was reported: say what a block is
                found = ", ".join(keys) or "nothing"
                self.problem(node, path, f"a block has exactly one of {', '.join(_SINGLE_KEY_BLOCKS)}, "
                                         f"or heading with content; found {found}")
            return None
        key = kinds[0]
        value = keys[key][1]
        lang = self.optional_language(keys, path)
        inner = f"{path}.{key}"
        if key == "paragraph":
            text = self.text(value, inner, "the paragraph")
            return model.Paragraph(text, lang) if text else None
        if key in ("bullets", "numbered"):
            block = self.list_block(value, inner, ordered=key == "numbered")
        elif key == "table":
            block = self.table(value, inner, level)
        elif key == "figure":
            block = self.figure(value, inner)
        elif key == "pictograms":
            block = self.pictograms(value, inner)
        else:
            block = self.box(value, inner, key, level)
        return dataclasses.replace(block, lang=lang) if block and lang else block

    def section(self, node, path, level: int):
        too_deep = (f"sections nest too deep: this heading would be level {level}; "
                    f"the deepest is {MAX_HEADING_LEVEL} (the title is level 1)")
        parts = self._titled_blocks(node, path, "heading", "the heading", level, too_deep, ("id",))
        return model.Section(*parts) if parts else None

    def section_id(self, node, path) -> Optional[str]:
        value = self.string(node, path, "the section id")
        if value is None:
            return None
        if not _SECTION_ID.match(value):
            self.problem(node, path, f"'{value}' is not a section id: use a-z, 0-9 and - (like side-effects)")
            return None
        if value in self._section_ids:
            self.problem(node, path, f"the id '{value}' is already the id of the section on line {self._section_ids[value]}")
            return None
        self._section_ids[value] = node.start_mark.line + 1
        return value

    def box(self, node, path, kind: str, level: int):
        too_deep = (f"the {kind} box nests too deep: its title would be heading level {level}; "
                    f"the deepest is {MAX_HEADING_LEVEL}")
        parts = self._titled_blocks(node, path, "title", "the box title", level, too_deep, ("id",),
                                    title_optional=kind == "intro")
        return model.Box(kind, *parts) if parts else None

    def _titled_blocks(self, node, path, title_key: str, what: str, level: int, too_deep: str, extra=(),
                       title_optional=False):
        """(title, blocks, lang, id) of a section or box, its title a heading of ``level``."""
        required = ("content",) if title_optional else (title_key, "content")
        keys = self.mapping(node, path, required, ("lang",) + ((title_key,) if title_optional else ()) + extra)
        if keys is None:
            return None
        if level > MAX_HEADING_LEVEL:
            self.problem(node, path, too_deep)
            return None
        title = self.text(keys[title_key][1], f"{path}.{title_key}", what) if title_key in keys else None
        blocks = self.blocks(keys["content"][1], f"{path}.content", level + 1) if "content" in keys else ()
        lang = self.optional_language(keys, path)
        section_id = self.section_id(keys["id"][1], _join(path, "id")) if "id" in keys else None
        if not blocks or (title is None and (title_key in keys or not title_optional)) or \
                ("id" in keys and section_id is None):
            return None
        return title, blocks, lang, section_id

    # -- tables and pictures ---------------------------------------------------
    def table(self, node, path, level: int):
        keys = self.mapping(node, path, ("rows",), ("caption", "header_row", "header_column", "widths"))
        if keys is None:
            return None
        caption = self.text(keys["caption"][1], f"{path}.caption", "the caption") if "caption" in keys else None
        flags = {key: self.boolean(keys[key][1], f"{path}.{key}") if key in keys else default
                 for key, default in (("header_row", True), ("header_column", False))}
        rows_node = keys["rows"][1] if "rows" in keys else None
        rows = []
        for r, row_node in enumerate(self.sequence(rows_node, f"{path}.rows", "rows") if rows_node else []):
            where = f"{path}.rows[{r}]"
            cells = [self.cell(cell, f"{where}[{c}]", level) for c, cell in enumerate(self.sequence(row_node, where, "cells"))]
            if rows and cells and len(cells) != len(rows[0]):
                self.problem(row_node, where, f"this row has {len(cells)} cells; the first row has {len(rows[0])}: "
                                              "every row has as many cells as the first")
            rows.append(cells)
        widths = self.widths(keys["widths"][1], f"{path}.widths", len(rows[0]) if rows else 0) \
            if "widths" in keys else None
        if flags["header_row"] is False and flags["header_column"] is False:
            self.problem(node, path, "a table needs a header row or a header column (header_row or header_column: "
                                     "true): a screen reader names each cell by its headers")
        if flags["header_row"] and len(rows) == 1:
            self.problem(rows_node, f"{path}.rows", "a table with a header row needs at least one more row")
        if (rows_node is None or not rows or None in flags.values() or widths is False
                or any(None in row or len(row) != len(rows[0]) for row in rows) or len(rows) == flags["header_row"]):
            return None
        return model.Table(tuple(tuple(row) for row in rows), caption, bool(flags["header_row"]),
                           bool(flags["header_column"]), widths)

    def cell(self, node, path, level: int):
        """A table cell: a text, or a list of texts and lists."""
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, path, "the cell")
            return (model.Paragraph(text),) if text else None
        blocks = self.blocks(node, path, level)
        for i, block in enumerate(blocks):
            if not isinstance(block, (model.Paragraph, model.ListBlock)):
                self.problem(node.value[i], f"{path}[{i}]", "a table cell holds texts and lists only")
                return None
        return blocks or None

    def widths(self, node, path, columns: int):
        """Relative column widths, one per column (False when unusable)."""
        items = self.sequence(node, path, "column widths")
        values = []
        for i, item in enumerate(items):
            value = self.string(item, f"{path}[{i}]", "a column width")
            try:
                number = float(value) if value is not None else None
            except ValueError:
                number = None
            if number is None or not 0 < number < 1e6:
                if value is not None:
                    self.problem(item, f"{path}[{i}]", "a column width is a positive number (widths are relative: [1, 2])")
                return False
            values.append(number)
        if items and columns and len(values) != columns:
            self.problem(node, path, f"{len(values)} widths for {columns} columns")
            return False
        return tuple(values) if values else False

    def figure(self, node, path):
        keys = self.mapping(node, path, ("image",), ("alt", "caption", "width", "decorative"))
        if keys is None:
            return None
        image = self.image(node, keys, path)
        caption = self.text(keys["caption"][1], f"{path}.caption", "the caption") if "caption" in keys else None
        width = 1.0
        if "width" in keys:
            value = self.string(keys["width"][1], f"{path}.width", "the width")
            match = _WIDTH.match(value or "")
            if value is not None and (not match or not 0 < float(match.group(1)) <= 100):
                self.problem(keys["width"][1], f"{path}.width", "the width is a share of the column, like 60% (at most 100%)")
                return None
            width = float(match.group(1)) / 100 if match else 1.0
        if image is None or ("caption" in keys and caption is None):
            return None
        return model.Figure(image, caption, width)

    def pictograms(self, node, path):
        keys = self.mapping(node, path, ("images", "text"))
        if keys is None:
            return None
        images = []
        for i, item in enumerate(self.sequence(keys["images"][1], f"{path}.images", "images") if "images" in keys else []):
            where = f"{path}.images[{i}]"
            item_keys = self.mapping(item, where, ("image",), ("alt", "decorative"))
            images.append(self.image(item, item_keys, where) if item_keys is not None else None)
        text = self.text(keys["text"][1], f"{path}.text", "the text") if "text" in keys else None
        if not images or None in images or text is None:
            return None
        return model.Pictograms(tuple(images), text)

    def image(self, node, keys, path) -> Optional[model.Image]:
        """The image file (checked readable), with its alt text or marked decorative."""
        decorative = self.boolean(keys["decorative"][1], f"{path}.decorative") if "decorative" in keys else False
        alt = self.string(keys["alt"][1], f"{path}.alt", "the alt text") if "alt" in keys else None
        if decorative and "alt" in keys:
            self.problem(keys["alt"][1], f"{path}.alt", "a decorative image has no alt text: remove 'alt', or "
                                                        "'decorative' if the image says something")
            return None
        if not decorative and "alt" not in keys and decorative is not None:
            self.problem(node, path, "missing required key 'alt': say what the image shows (or mark it "
                                     "'decorative: true' if it says nothing)")
            return None
        if "image" not in keys or decorative is None or (alt is None and not decorative):
            return None
        file_node = keys["image"][1]
        name = self.string(file_node, f"{path}.image", "the image file")
        if name is None:
            return None
        found = self.read_image(file_node, f"{path}.image", name)
        if found is None:
            return None
        mark = file_node.start_mark
        return model.Image(found[0], found[1], found[2], alt,
                           model.Location(self.name, mark.line + 1, mark.column + 1, f"{path}.image"))

    def read_image(self, node, path, name: str):
        """(absolute path, "png" or "jpeg", (width, height)) of a readable image, or None."""
        from PIL import Image, UnidentifiedImageError  # only content with pictures pays for the import

        file = (self.base / name).resolve()
        try:
            with Image.open(file) as picture:
                kind = _IMAGE_FORMATS.get(picture.format)
                if kind is None:
                    self.problem(node, path, f"'{name}' is a {picture.format} image; use PNG or JPEG")
                    return None
                picture.load()  # a truncated or damaged file fails here
                return str(file), kind, picture.size
        except FileNotFoundError:
            self.problem(node, path, f"no image file '{name}' (a path relative to the content file)")
        except UnidentifiedImageError:
            self.problem(node, path, f"'{name}' is not an image file rxleaflet can read (PNG or JPEG)")
        except (OSError, SyntaxError, ValueError) as err:
            self.problem(node, path, f"the image '{name}' cannot be read: {getattr(err, 'strerror', None) or err}")
        return None

    def list_block(self, node, path, ordered: bool, depth: int = 1):
        if depth > MAX_LIST_DEPTH:
            self.problem(node, path, f"lists nest too deep: this list would be level {depth}; "
                                     f"the deepest is {MAX_LIST_DEPTH}")
            return None
        items = self.sequence(node, path, "list items")
        parsed = [self.list_item(item, f"{path}[{i}]", depth) for i, item in enumerate(items)]
        if not items or None in parsed:
            return None
        return model.ListBlock(ordered, tuple(parsed))

    def list_item(self, node, path, depth: int):
        node = self.key_text(node, _ITEM_KEYS)
        if not isinstance(node, yaml.MappingNode):
            self.warn_if_folded(node, path)
            text = self.text(node, path, "the list item")
            return model.ListItem(text) if text else None
        keys = self.mapping(node, path, ("text",), _ITEM_KEYS[1:])
        if keys is None:
            return None
        if "text" in keys:
            self.warn_if_folded(keys["text"][1], f"{path}.text")
        text = self.text(keys["text"][1], f"{path}.text", "the list item") if "text" in keys else None
        nested = [key for key in ("bullets", "numbered") if key in keys]
        if len(nested) > 1:
            self.problem(node, path, "a list item holds one nested list: bullets or numbered, not both")
            return None
        sublist = None
        if nested:
            key = nested[0]
            sublist = self.list_block(keys[key][1], f"{path}.{key}", ordered=key == "numbered", depth=depth + 1)
            if sublist is None:
                return None
        lang = self.optional_language(keys, path)
        return model.ListItem(text, sublist, lang) if text else None

    # -- text that YAML read as something else --------------------------------
    def key_text(self, node, keys):
        """``- Note: take with food`` as the text it is, when "Note" is no key and like none.

        YAML reads it as a one-key mapping.  When the key is plain words on the
        item's line, not one of ``keys`` nor close to one (a misspelt key is
        still reported), and its value is plain text, the item is the text
        exactly as written, colon included.
        """
        if not (isinstance(node, yaml.MappingNode) and len(node.value) == 1 and self.source_text):
            return node
        key, value = node.value[0]
        if not (_is_plain(key) and _is_plain(value) and key.value and value.value
                and key.start_mark.line == key.end_mark.line
                and not difflib.get_close_matches(key.value.lower(), keys, n=1, cutoff=_CLOSE)):
            return node
        text = self.source_text[key.start_mark.index:value.end_mark.index]
        self._made.append(yaml.ScalarNode(_STR, text, key.start_mark, value.end_mark, style=value.style))
        return self._made[-1]

    def key_without_colon(self, node, path, keys) -> bool:
        """``- bullets`` with the items below it: YAML reads one text, "bullets - Drowsiness …"."""
        if not (_is_plain(node) and self.source_text and node.value.split(" ", 1)[0] in keys):
            return False
        start = node.start_mark.index
        end = self.source_text.find("\n", start)
        first = self.source_text[start:end if end >= 0 else None].split(" #")[0].strip()
        if first not in keys:
            return False
        self.problem(node, path, f"'{first}' has no ':' after it; write {first}:")
        return True

    def warn_if_folded(self, node, path, what="list item") -> None:
        """A plain text in a list over several lines: often two, the second without its "- "."""
        if _is_plain(node) and node.end_mark.line > node.start_mark.line:
            lines = node.end_mark.line - node.start_mark.line + 1
            mark = node.start_mark
            self.warnings.append(Problem(
                self.name, mark.line + 1, mark.column + 1, path,
                f"warning: this {what} runs over {lines} lines and is read as one {what}; if the lines are "
                f"separate, start each with '- '; if it is one {what}, write it after '>-' or in quotes"))


_ITEM_KEYS = ("text", "bullets", "numbered", "lang")
_CLOSE = 0.6  # how alike a word and a key must be for "did you mean"


def _is_plain(node) -> bool:
    """A scalar written without quotes or | and > (PyYAML's C loader: style '', Python's: None)."""
    return isinstance(node, yaml.ScalarNode) and not node.style


def _flow_hint(node) -> str:
    if getattr(node, "flow_style", False):
        return " (text that starts with [ or { is read as a YAML list or mapping: put the text in quotes)"
    return ""


def _first_alias_mark(text: str):
    """Where the first alias is: composed nodes only carry their anchor's place."""
    for event in yamltext.events(text, _Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark
    return None


PHARMACY_KEYS = ("name", "address", "phone", "paper", "footer", "large_print", "library", "library_lang")  # 3 required
PRESCRIPTION_KEYS = ("patient", "rx_number", "dispensed", "prescriber", "medicine", "directions",
                     "quantity", "refills")


def medicine_matches(named: str, medicine: model.Medicine) -> bool:
    """Does a dispensing system's "Diazepam 2mg Tablets" name this leaflet's medicine?"""
    return squashed(named) in medicine_names(medicine)


def medicine_names(medicine: model.Medicine) -> dict[str, str]:
    """Every way a dispensing system may name ``medicine``: squashed name → the strength it names.

    The one matching rule, for ``--rx`` and for finding a leaflet in a library:
    case, spaces and punctuation aside, the name (or a brand name) and one of
    the strengths, optionally followed by the form.
    """
    form = squashed(medicine.form)
    names = {}
    for strength in medicine.strengths:
        for name in (medicine.name,) + medicine.brand_names:
            names[squashed(name) + squashed(strength)] = strength
            names[squashed(name) + squashed(strength) + form] = strength
    return names


def squashed(text: str) -> str:
    """Text compared for a match: lower case, letters, digits and decimal points only."""
    return "".join(c for c in text.lower() if c.isalnum() or c == ".")


def _has_key(node, key: str) -> bool:
    return any(isinstance(k, yaml.ScalarNode) and k.value == key for k, _ in node.value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _unknown_key_message(key, allowed, private=False) -> str:
    if key is None:
        return "keys must be plain text"
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=_CLOSE)
    hint = f"did you mean '{close[0]}'? " if close else ""
    # In dispensing details a value written as a key ("Margaret Example: 1") is patient data.
    shown = "" if private else f" '{_shown(key)}'"
    return f"unknown key{shown} ({hint}expected one of: {', '.join(allowed)})"


# Characters that show nothing by themselves: spaces, format controls (zero-width
# spaces and joiners, soft hyphens, bidi controls), combining marks with no letter to
# sit on, and the Hangul fillers Unicode marks as default-ignorable.
_INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me", "Mc"}
_INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def is_visible(char: str) -> bool:
    return unicodedata.category(char) not in _INVISIBLE_CATEGORIES and char not in _INVISIBLE_LETTERS


def _shown(text: str) -> str:
    """Text for a message, with what a terminal would act on or hide written as U+XXXX."""
    return "".join(c if c == " " or is_visible(c) else f"<U+{ord(c):04X}>" for c in text)


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def _describe(char: str) -> str:
    return f"'{char}' ({_code_point(char)})"


def _context(value: str, index: int) -> str:
    start, end = max(0, index - 20), min(len(value), index + 20)
    return f"“{'…' if start else ''}{value[start:end]}{'…' if end < len(value) else ''}”"
