"""Dates, "and" lists and digits as CLDR has them for a locale: read from the extract Babel wrote (catalogues/cldr/), or from Babel itself.

A leaflet prints three things whose form CLDR (the Unicode Common Locale Data
Repository) knows for each language and region: the long date ("25 November 2026",
"25 de noviembre de 2026", "2026年11月25日"), a list joined with "and" ("10 mg, 20 mg
and 40 mg") and the digits of the numbers it prints itself (Persian ۲۵, Bengali ২৫,
Latin 25 in Arabic unless the region's CLDR data says otherwise).

Babel is CLDR's Python home, but importing it and loading one locale costs a build
about 25 ms (an eighth of the English sample's whole run).  So the few facts a leaflet
uses are written by Babel, once, into one small JSON file per catalogue
(``python -m rxleaflet.text.cldr`` rewrites them) and formatted here; the tests check
that every date and list formatted from the extract is the one ``babel.dates.format_date``
and ``babel.lists.format_list`` give.  A catalogue without an extract (a translator's new
language) gets its facts from Babel at run time, imported only then.

Babel formats digits as Latin whatever the locale; the digits of the locale's default
numbering system (CLDR's ``defaultNumberingSystem``, or a ``-u-nu-`` key in the
language tag, as in ``ar-EG-u-nu-latn``) are put in here.
"""
from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

EXTRACTS = Path(__file__).resolve().parent / "catalogues" / "cldr"

# Decimal numbering systems (CLDR numberingSystems.xml): the digit zero; 1 to 9 follow it.
ZERO = {
    "latn": "0", "arab": "\u0660", "arabext": "\u06f0", "beng": "\u09e6", "deva": "\u0966",
    "guru": "\u0a66", "gujr": "\u0ae6", "orya": "\u0b66", "tamldec": "\u0be6", "telu": "\u0c66",
    "knda": "\u0ce6", "mlym": "\u0d66", "thai": "\u0e50", "laoo": "\u0ed0", "tibt": "\u0f20",
    "mymr": "\u1040", "khmr": "\u17e0", "mong": "\u1810", "olck": "\u1c50", "rohg": "\U00010d30",
}
# Babel's data for a language it has no real data for: months "M01" … "M12".
_ROOT_DECEMBER = "M12"
# A date field of a long date pattern -> how it is formatted (the rest is refused).
_NUMERIC = {"d": "day", "y": "year"}


@dataclass(frozen=True)
class Facts:
    """What a leaflet prints for one CLDR locale."""

    date: tuple  # pieces: a literal text, ("day", width), ("month", width), ("year", width), ("names", (12 names))
    lists: dict  # CLDR's standard list patterns: "2", "start", "middle", "end"
    numbers: str  # the default numbering system, a key of ZERO

    def long_date(self, date: datetime.date) -> str:
        """The date as Babel's ``format_date(date, format="long")`` writes it (Latin digits)."""
        out = []
        for piece in self.date:
            if isinstance(piece, str):
                out.append(piece)
            elif piece[0] == "names":
                out.append(piece[1][date.month - 1])
            else:
                value = {"day": date.day, "month": date.month, "year": date.year}[piece[0]]
                if piece[0] == "year" and piece[1] == 2:
                    value %= 100
                out.append(f"{value:0{piece[1]}d}")
        return "".join(out)

    def join(self, items: Sequence[str]) -> str:
        """The items as Babel's ``format_list(items)`` joins them."""
        items = list(items)
        if len(items) < 2:
            return "".join(items)
        if len(items) == 2:
            return self.lists["2"].format(*items)
        result = self.lists["start"].format(items[0], items[1])
        for item in items[2:-1]:
            result = self.lists["middle"].format(result, item)
        return self.lists["end"].format(result, items[-1])


def digits(text: str, numbers: str) -> str:
    """``text`` with its Latin digits written in the numbering system ``numbers``."""
    zero = ZERO.get(numbers, "0")
    if zero == "0":
        return text
    return text.translate({ord("0") + i: chr(ord(zero) + i) for i in range(10)})


def facts(catalogue: str, candidates: Sequence[str]) -> Optional[Facts]:
    """The facts of the first of ``candidates`` (CLDR locale ids such as "en_GB", "en")
    that CLDR has data for; None when it has none (the catalogue's own words then serve)."""
    extract = _extract(catalogue)
    if extract is None:
        return _from_babel_cached(tuple(candidates))
    for locale in candidates:
        if locale in extract["locales"]:
            profile = extract["locales"][locale]
            return None if profile is None else _profile(catalogue, profile)
    return None


@functools.lru_cache(maxsize=None)
def _extract(catalogue: str) -> Optional[dict]:
    path = EXTRACTS / f"{catalogue}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@functools.lru_cache(maxsize=None)
def _profile(catalogue: str, index: int) -> Facts:
    return facts_from_data(_extract(catalogue)["profiles"][index])


def facts_from_data(data: dict) -> Facts:
    pieces = tuple(piece if isinstance(piece, str) else (piece[0], tuple(piece[1]) if piece[0] == "names" else piece[1])
                   for piece in data["date"])
    return Facts(pieces, dict(data["lists"]), data["numbers"])


@functools.lru_cache(maxsize=None)
def _from_babel_cached(candidates: tuple) -> Optional[Facts]:
    for locale in candidates:
        data = from_babel(locale)
        if data is not False:
            return None if data is None else facts_from_data(data)
    return None


def from_babel(locale_id: str):
    """The facts of one locale as Babel has them (JSON-ready); None when Babel's data for
    it is the root's (no months of its own); False when Babel does not know it."""
    from babel import Locale, UnknownLocaleError, dates

    try:
        locale = Locale.parse(locale_id)
    except (UnknownLocaleError, ValueError):
        return False
    if locale.months["format"]["wide"][12] == _ROOT_DECEMBER:
        return None
    pattern = locale.date_formats["long"].pattern
    pieces: list = []
    for kind, value in dates.tokenize_pattern(pattern):
        if kind == "chars":
            piece = value
        else:
            piece = _field(value[0], value[1], locale, dates)
        if isinstance(piece, str) and pieces and isinstance(pieces[-1], str):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    lists = locale.list_patterns["standard"]
    numbers = locale.default_numbering_system
    if numbers not in ZERO:
        raise ValueError(f"{locale_id}: CLDR's numbering system {numbers!r} is not in cldr.ZERO")
    return {"date": pieces, "lists": {key: lists[key] for key in ("2", "start", "middle", "end")},
            "numbers": numbers}


def _field(char: str, count: int, locale, dates):
    if char in _NUMERIC:
        return [_NUMERIC[char], count]
    if char in "ML":
        if count <= 2:
            return ["month", count]
        return ["names", [dates.format_date(datetime.date(2001, month, 15), char * count, locale=locale)
                          for month in range(1, 13)]]
    if char == "G":  # the era: "AD" for every date a leaflet prints
        return dates.format_date(datetime.date(2001, 1, 1), char * count, locale=locale)
    raise ValueError(f"{locale}: the long date pattern has a field {char * count!r} that cldr.py does not format")


# -- writing the extracts (python -m rxleaflet.text.cldr) -----------------------------
def locales_of(cldr_language: str, script: str, unwritten: str) -> list:
    """The CLDR locale ids a catalogue in ``script`` serves: its language's in that script
    (zh_Hant, zh_Hant_TW for zh-Hant), and those that name no script when the language
    without one means ``unwritten`` (zh, zh_SG … mean zh_Hans)."""
    from babel import localedata

    found = []
    for locale in sorted(localedata.locale_identifiers()):
        parts = locale.split("_")
        if parts[0] != cldr_language:
            continue
        written = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), unwritten)
        if written == script:
            found.append(locale)
    return found


def extract(locales: Sequence[str]) -> dict:
    """The JSON of one catalogue's extract: profiles shared by locales with the same facts."""
    import babel

    profiles, index, table = [], {}, {}
    for locale in locales:
        data = from_babel(locale)
        if data is False:
            continue
        if data is None:
            table[locale] = None
            continue
        key = json.dumps(data, ensure_ascii=False, sort_keys=True)
        if key not in index:
            index[key] = len(profiles)
            profiles.append(data)
        table[locale] = index[key]
    from babel.core import get_cldr_version

    return {"written_by": f"Babel {babel.__version__}", "cldr": get_cldr_version(),
            "profiles": profiles, "locales": table}


def dumps(data: dict) -> str:
    lines = ["{", f'  "written_by": {json.dumps(data["written_by"])},', f'  "cldr": {json.dumps(data["cldr"])},',
             '  "profiles": [']
    lines += [f"    {json.dumps(p, ensure_ascii=False)}," for p in data["profiles"]]
    if data["profiles"]:
        lines[-1] = lines[-1].rstrip(",")
    lines += ["  ],", f'  "locales": {json.dumps(data["locales"], ensure_ascii=False, sort_keys=True)}', "}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Rewrite catalogues/cldr/<catalogue>.json for every catalogue, from the installed Babel."""
    from . import fixed_words

    EXTRACTS.mkdir(exist_ok=True)
    for name in fixed_words.catalogue_names():
        data = extract(locales_of(*fixed_words.cldr_locales(name)))
        (EXTRACTS / f"{name}.json").write_text(dumps(data), encoding="utf-8")
        print(f"{name}: {len(data['locales'])} locales, {len(data['profiles'])} profiles")


if __name__ == "__main__":
    main()
