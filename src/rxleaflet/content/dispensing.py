"""Dispensing details read into a Prescription: prescription files, batch rows, service requests, and what they ask a library for.

Dispensing details hold patient data: their reader never quotes a value back in a
message (``private``).  Here too is the one rule by which a dispensing system's
name of a medicine ("Diazepam 2mg Tablets") matches a leaflet (:func:`medicine_names`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import yaml

from . import codes
from .. import model
from ..errors import UserError
from .nodes import STR, NodeReader, has_key, is_plain, join, key_of, pairs
from .yamlfile import compose_file, node_kind, read_content_bytes

PRESCRIPTION_KEYS = ("patient", "rx_number", "dispensed", "prescriber", "medicine", "directions",
                     "quantity", "refills")
# Keys of dispensing details that name the medicine for a library instead of a content file.
LOCATOR_KEYS = ("ndc", "gtin", "lang")
REQUEST_EDITION_KEYS = ("paper", "large_print")


@dataclass(frozen=True)
class FieldType:
    """What a field of dispensing details or a request may be: the YAML/JSON types it takes
    beside text, and its longest value (characters as written)."""

    numbers: bool  # may be written as a number (JSON 30, YAML 30): kept as written
    most: int
    name: bool = False  # a person's name: has a letter
    date: bool = False
    boolean: bool = False


# Every field, typed.  A text field refuses true/false, numbers and null (a dispensing system
# that writes a missing name as true or 12345 must not have it printed); only quantities,
# refills, Rx numbers and product codes may be numbers.  The limits are far above any real
# value and keep one field from holding a build for seconds (a 900 KB name).
_NAME = FieldType(numbers=False, most=200, name=True)
_COUNT = FieldType(numbers=True, most=100)  # a quantity, refills
_CODE = FieldType(numbers=True, most=20)
FIELDS = {
    "patient": _NAME, "prescriber": _NAME, "medicine": FieldType(numbers=False, most=200),
    "directions": FieldType(numbers=False, most=5000),
    "quantity": _COUNT, "refills": _COUNT, "ndc": _CODE, "gtin": _CODE,
    # Its file name keeps at most 100 characters of it, but what it drops (dots, other scripts) may be more.
    "rx_number": FieldType(numbers=True, most=500),
    "dispensed": FieldType(numbers=False, most=40, date=True), "lang": FieldType(numbers=False, most=35),
    "content": FieldType(numbers=False, most=1000), "paper": FieldType(numbers=False, most=40),
    "large_print": FieldType(numbers=False, most=40, boolean=True),
}
# What YAML (and JSON, which it reads) makes of an unquoted value that is not text.
_NOT_TEXT = {"tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:int": "a number",
             "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:null": "null (nothing)",
             "tag:yaml.org,2002:timestamp": "a date"}
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# A JSON number YAML 1.1 reads as text (1.5e3: its exponent has no sign).
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
# A missing value written out as text by a program ("None", "undefined"): never a real value
# (where a field may be a number, "none" may be: no refills).
_MISSING = {"true", "false", "null", "none", "nil", "undefined", "nan", "[object object]"}


def read_prescription(path, medicine: model.Medicine, printable=None) -> model.Prescription:
    """Dispensing details (YAML or JSON) for a leaflet about ``medicine``."""
    data = read_content_bytes(path)
    name = str(path)
    text, root = compose_file(data, name, "dispensing details", ", ".join(PRESCRIPTION_KEYS), private=True)
    reader = DispensingReader(name, text, printable, private=True)
    return reader.finish(lambda r: r.prescription(root, "", medicine))


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
    if find is not None and isinstance(root, yaml.MappingNode) and not has_key(root, "content"):
        choice, prescription = read_located(root, name, find, printable, path, details=True, extra=("content",))
        return choice.path, prescription, choice
    reader = DispensingReader(name, "", printable, private=True)
    content, prescription = reader.finish(lambda r: r.prescription_row(root, path, medicine_of))
    return content, prescription, None


def read_located_prescription(path, find, printable=None):
    """Dispensing details that name their medicine (``ndc``, ``gtin`` or ``medicine``, and
    ``lang``) for a library to find: (Choice, Prescription)."""
    name = str(path)
    _, root = compose_file(read_content_bytes(path), name, "dispensing details", ", ".join(PRESCRIPTION_KEYS))
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
    _, root = compose_file(data, name, "a leaflet request", "ndc, gtin or medicine")
    edition = {key: value for key, value in pairs(root) if key in REQUEST_EDITION_KEYS}
    root.value = [(key, value) for key, value in root.value if key_of(key) not in REQUEST_EDITION_KEYS]
    reader = DispensingReader(name, "", printable)
    paper = reader.paper(edition["paper"], "paper") if reader.typed(edition.get("paper"), "paper") else None
    large_print = reader.boolean(edition["large_print"], "large_print") \
        if reader.typed(edition.get("large_print"), "large_print") else None
    reader.finish(lambda r: None)
    choice, prescription = read_located(root, name, find, printable, details=None)
    return choice, prescription, paper, large_print


def read_located(root, name: str, find, printable=None, path: str = "", details: Optional[bool] = True, extra=()):
    """(Choice, Prescription or None) from details that name their medicine instead of a content file.

    ``find(wanted)`` is a library's look-up (raising NotFound or Ambiguous).
    ``details``: True, they are required; False, not allowed; None, optional
    (all or none of them, beside the medicine); the prescription's medicine must still
    match the leaflet found (a product code and a name that disagree are refused).
    """
    wanted = DispensingReader(name, "", printable, private=True).finish(lambda r: r.wanted(root, path))
    choice = find(wanted)
    given = {key for key, _ in pairs(root)}
    if details is False or (details is None and not given & (set(PRESCRIPTION_KEYS) - {"medicine"})):
        DispensingReader(name, "", printable).finish(
            lambda r: r.mapping(root, path, (), ("medicine",) + LOCATOR_KEYS + extra))
        return choice, None
    reader = DispensingReader(name, "", printable, private=True)
    prescription = reader.finish(lambda r: r.prescription(root, path, choice.leaflet.medicine, extra, choice.asked))
    return choice, prescription


def _node(keys: dict, key: str):
    """The value node of ``key`` in :meth:`NodeReader.mapping`'s answer, or None."""
    return keys[key][1] if key in keys else None


def _row_node(fields: dict, line: int) -> yaml.MappingNode:
    """A CSV row as composed YAML, every cell marked at the row's line."""
    mark = yaml.Mark("", 0, line - 1, 0, None, None)
    # An empty cell of an optional column (a row that names its medicine by code has no content file) is no key.
    # A cell is text, as a quoted YAML scalar is (its "30" or "true" is not read as a number or boolean).
    row = [(yaml.ScalarNode(STR, key, mark, mark), yaml.ScalarNode(STR, value or "", mark, mark, style='"'))
           for key, value in fields.items() if key is not None and (value or key in PRESCRIPTION_KEYS)]
    return yaml.MappingNode("tag:yaml.org,2002:map", row, mark, mark)


class DispensingReader(NodeReader):
    """Reads dispensing details: the prescription, or what it asks a library for."""

    def prescription(self, root, path, medicine: model.Medicine, extra=(), editions=()):
        """Dispensing details for a leaflet about ``medicine``; ``editions``: the same medicine as
        named in other languages' editions (a library's choice), which the details may name instead."""
        keys = self.mapping(root, path, PRESCRIPTION_KEYS, LOCATOR_KEYS + tuple(extra))
        if keys is None:
            return None
        medicines = (medicine,) + tuple(editions)
        for kind in codes.NORMALISE:  # a product code given beside the details must be the leaflet's
            where = join(path, kind)
            code = self.product_code(keys[kind][1], where, kind) if self.typed(_node(keys, kind), where) else None
            if code is not None and not any((kind, code) in m.codes for m in medicines):
                self.problem(keys[kind][1], where, f"{kind.upper()} {code} is not one of this leaflet's product codes "
                                                   f"({medicine.label}); a patient must get the leaflet for their own medicine")
        if self.typed(_node(keys, "lang"), join(path, "lang")):
            self.language(keys["lang"][1], join(path, "lang"))
        values = {}
        for key in PRESCRIPTION_KEYS:
            if key in keys:
                node, where = keys[key][1], join(path, key)
                if not self.typed(node, where):
                    values[key] = None
                else:
                    values[key] = self.date(node, where) if key == "dispensed" else self.string(node, where, "this field")
        if len(values) < len(PRESCRIPTION_KEYS) or None in values.values():
            return None
        given = squashed(values["medicine"])
        strength = next((medicine_names(m)[given] for m in medicines if given in medicine_names(m)), None)
        if strength is None:
            self.problem(keys["medicine"][1], join(path, "medicine"),
                         f"the prescription's medicine does not match this leaflet's medicine ({medicine.label}); "
                         "a patient must get the leaflet for their own medicine")
            return None
        return model.Prescription(**values, strength=strength)

    def typed(self, node, path: str) -> bool:
        """Whether a field's value is of its type (see :data:`FIELDS`) and within its length; the
        field is the last part of ``path``.  False (with a problem) if not, or if there is no node."""
        if not isinstance(node, yaml.ScalarNode):
            return node is not None  # a list or mapping: string() says what it found
        problem = type_problem(FIELDS[path.rsplit(".", 1)[-1]], node)
        if problem:
            self.problem(node, path, problem)
        return not problem

    def wanted(self, root, path) -> Optional[model.Wanted]:
        """What details ask a library for: ``ndc`` or ``gtin``, else ``medicine``; and ``lang``."""
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, path, f"expected a mapping of keys, found {node_kind(root)}")
            return None
        nodes = dict(pairs(root))
        codes_given = [kind for kind in codes.NORMALISE if kind in nodes]
        if len(codes_given) > 1:
            self.problem(nodes["gtin"], join(path, "gtin"), "give one product code: ndc or gtin, not both")
            return None
        named = codes_given[0] if codes_given else "medicine" if "medicine" in nodes else None
        if named is None:
            self.problem(root, path, "name the medicine: ndc, gtin or medicine (or give a content file)")
            return None
        node, where = nodes[named], join(path, named)
        if not self.typed(node, where):
            return None
        values = {named: self.product_code(node, where, named) if codes_given else
                  self.string(node, where, "the medicine")}
        if "lang" in nodes:
            lang = join(path, "lang")
            values["lang"] = self.language(nodes["lang"], lang) if self.typed(nodes["lang"], lang) else None
        if None in values.values():
            return None
        mark = node.start_mark
        return model.Wanted(**values, where=model.Location(self.name, mark.line + 1, mark.column + 1, where))

    def prescription_row(self, root, path, medicine_of):
        """A batch row: the content file it names, and its dispensing details."""
        if not isinstance(root, yaml.MappingNode) or not has_key(root, "content"):
            self.problem(root, path, "missing the content file (column 'content'); or give a library (--library) "
                                    "and name the medicine by ndc, gtin or medicine")
            return None
        content_node = next(v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "content")
        where = join(path, "content")
        content = self.string(content_node, where, "the content file") if self.typed(content_node, where) else None
        if content is None:
            return None
        try:
            medicine = medicine_of(content)
        except UserError as err:
            self.problem(content_node, join(path, "content"), err.problems[0].message)
            return None
        prescription = self.prescription(root, path, medicine, extra=("content",))
        return None if prescription is None else (content, prescription)


def type_problem(kind: FieldType, node: yaml.ScalarNode) -> Optional[str]:
    """Why a field's value is not of its kind, or None (never quoting the value)."""
    value = node.value
    number = node.tag in _NUMBERS or _JSON_NUMBER.fullmatch(value) is not None
    found = None if not is_plain(node) else "a number" if number else _NOT_TEXT.get(node.tag)
    allowed = kind.date and found == "a date" or kind.boolean and found == "true or false" \
        or kind.numbers and found == "a number"
    if found and not allowed:
        expected = "a date (YYYY-MM-DD)" if kind.date else "true or false" if kind.boolean else \
            "text or a number" if kind.numbers else "text"
        quotable = not (kind.date or kind.boolean) and found != "null (nothing)"
        return f"expected {expected}, found {found}" + (" (put it in quotes if it is text)" if quotable else "")
    if len(value) > kind.most:
        return f"is {len(value):,} characters long; the limit is {kind.most:,}"
    if not kind.boolean and value.strip().lower() in _MISSING - ({"none"} if kind.numbers else set()):
        return "holds a word a program writes for a missing value (true, false, null, none, undefined …), not a value"
    if kind.name and value.strip() and not any(char.isalpha() for char in value):
        return "a name has at least one letter"
    return None


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
    for strength in medicine.strengths or ("",):  # a leaflet giving no strength: the name alone
        for name in (medicine.name,) + medicine.brand_names:
            names[squashed(name) + squashed(strength)] = strength
            names[squashed(name) + squashed(strength) + form] = strength
    return names


def squashed(text: str) -> str:
    """Text compared for a match: lower case, letters, digits and decimal points only."""
    return "".join(c for c in text.lower() if c.isalnum() or c == ".")
