"""A reader for gettext .po catalogues: what Poedit and a text editor write (context, message, translation, comments, flags).

The catalogues of the words rxleaflet prints itself (``catalogues/*.po``) are read here,
once per process.  Babel's ``read_po`` reads the same files, and the tests check that it
finds the same messages in every catalogue; importing it would cost every build about
11 ms (Babel's dates and locale machinery come with it), this reader well under one.

Kept as gettext has it: a fuzzy translation ("needs work" in Poedit) is not used, an
obsolete one (``#~``) is not read, and ``msgid ""`` without a context is the header.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


class PoError(ValueError):
    """A catalogue that is not a .po file: says the file and the line."""


@dataclass(frozen=True)
class Entry:
    context: Optional[str]
    id: str
    string: str  # "" when untranslated
    fuzzy: bool
    line: int  # of its msgid


@dataclass(frozen=True)
class Catalogue:
    headers: dict  # "Language" -> "de", "X-Reviewed" -> "no", ...
    entries: tuple  # of Entry, in file order, the header left out

    def translations(self) -> dict:
        """(context, id) -> translation, for the entries translated and not fuzzy."""
        return {(e.context, e.id): e.string for e in self.entries if e.string and not e.fuzzy}


def read(path: Path) -> Catalogue:
    return parse(Path(path).read_text(encoding="utf-8-sig"), str(path))


def parse(text: str, name: str = "<catalogue>") -> Catalogue:
    entries, fields, flags, last, start = [], {}, set(), None, 0

    def finish():
        nonlocal fields, flags, last
        if fields:
            if "msgid" not in fields or not ("msgstr" in fields or "msgstr[0]" in fields):
                raise PoError(f"{name}:{start}: an entry needs a msgid and a msgstr")
            string = fields.get("msgstr", fields.get("msgstr[0]", ""))
            entries.append(Entry(fields.get("msgctxt"), fields["msgid"], string, "fuzzy" in flags, start))
        fields, flags, last = {}, set(), None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # an obsolete entry
        elif line.startswith("#"):
            if any(key.startswith("msgstr") for key in fields):
                finish()  # a comment after a translation: the next entry's
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith('"'):
            if last is None:
                raise PoError(f"{name}:{number}: a string continues nothing (start it with msgid or msgstr)")
            fields[last] += _unquote(line, name, number)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr") and not \
                    (keyword.startswith("msgstr[") and keyword.endswith("]")):
                raise PoError(f"{name}:{number}: '{keyword}' is not a .po keyword (msgctxt, msgid, msgstr)")
            if (keyword == "msgctxt" and fields) or (keyword == "msgid" and "msgid" in fields):
                finish()  # the next entry starts
            if keyword in ("msgctxt", "msgid"):
                start = number
            if keyword in fields:
                raise PoError(f"{name}:{number}: {keyword} twice in one entry")
            fields[keyword] = _unquote(rest.strip(), name, number)
            last = keyword
    finish()
    headers, body, seen = {}, [], {}
    for entry in entries:
        if entry.id == "" and entry.context is None:
            headers = _headers(entry.string)
            continue
        key = (entry.context, entry.id)
        if key in seen:
            raise PoError(f"{name}:{entry.line}: the message of line {seen[key]} again")
        seen[key] = entry.line
        body.append(entry)
    return Catalogue(headers, tuple(body))


def _unquote(text: str, name: str, number: int) -> str:
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise PoError(f"{name}:{number}: expected a string in double quotes")
    out, i, inner = [], 0, text[1:-1]
    while i < len(inner):
        char = inner[i]
        if char == "\\":
            if i + 1 >= len(inner) or inner[i + 1] not in _ESCAPES:
                raise PoError(f"{name}:{number}: unknown escape '\\{inner[i + 1:i + 2]}'")
            out.append(_ESCAPES[inner[i + 1]])
            i += 2
            continue
        if char == '"':
            raise PoError(f"{name}:{number}: a '\"' inside a string is written \\\"")
        out.append(char)
        i += 1
    return "".join(out)


def _headers(text: str) -> dict:
    headers = {}
    for line in text.split("\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip():
            headers[key.strip()] = value.strip()
    return headers
