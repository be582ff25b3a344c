"""Error-prone dose notation: ISMP's list and the Joint Commission's "Do Not Use" list, in every language.

Each rule is a pattern over a text as the reader sees it (the model's plain text, markup
gone), built for the text's language: its decimal mark, its dose words and the words of the
fix. A hit is ``(start, end, rule, message, suggestion)``, ``start`` and ``end`` indexes
into the text.
"""
from __future__ import annotations

import functools
import re

from .languages import Language, language, shared

SPACE = "[ \u00a0\u202f]"  # a space, a no-break space, a narrow no-break space
FRACTIONS = "½¼¾⅓⅔⅛⅜⅝⅞"
COMPARISONS = {">": "more than", "<": "less than", "≥": "at least", "≤": "at most"}


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _token(word: str) -> str:
    """A whole word as written: not inside a longer word, a number or an address."""
    return rf"(?<![\w./]){re.escape(word)}(?![\w/]|\.\w)"


@functools.lru_cache(maxsize=None)
def _patterns(code: str) -> dict:
    lang = language(code)
    units = _alternation(shared()["units"])
    unit_or_word = rf"(?:{units}|{_alternation(lang.dose_words)})(?!\w)" if lang.dose_words else rf"(?:{units})(?!\w)"
    dec = re.escape(lang.decimal_mark)
    other = re.escape("," if lang.decimal_mark == "." else ".")
    abbreviations = shared()["unit_abbreviations"]
    return {
        # 1.0 mg, 2.50 mL; with the other mark too, unless it may be a thousands separator (1,000)
        "trailing-zero": re.compile(rf"(?<![\w.,])\d+(?:{dec}\d*0|{other}(?:\d?0|\d{{4,}}0))(?!\d)"
                                    rf"(?={SPACE}?(?:{unit_or_word}|%))"),
        "naked-decimal": re.compile(rf"(?<![\w.,]){dec}\d+|(?<![\w.,]){other}\d+(?={SPACE}?{unit_or_word})"),
        "unit-anywhere": re.compile("|".join(_token(word) for word in abbreviations["anywhere"])),
        "unit-after-number": re.compile(rf"(?<=\d){SPACE}?(?:{_alternation(abbreviations['after_number'])})(?![\w-])"
                                        r"|(?<![\w.])U-(?=\d)"),
        "microgram": re.compile(rf"(?<=\d){SPACE}?(?:{_alternation(shared()['microgram'])})(?!\w)|(?<!\w)[µμ]gs?(?!\w)"),
        "comparison": re.compile(rf"[<>≤≥]=?{SPACE}?(?=\d)|(?<=\d){SPACE}?[<>≤≥]"),
        # @ and & standing between words (not in FD&C or an address), + joining two words
        "symbol": re.compile(r"(?<!\S)@|(?<!\S)&(?!\S)|(?<=\w)[ ]?\+[ ]?(?=[^\W\d_])"),
        # two doses in one unit (25 units/10 units), not a concentration (40 mg/0.8 mL)
        "slash": re.compile(rf"(?<=\d){SPACE}?({unit_or_word}){SPACE}?/{SPACE}?(?=\d[\d.,]*{SPACE}?\1)"),
        "glued-unit": re.compile(rf"(?<![\w.,])\d+(?:[.,]\d+)*(?:{units})(?!\w)"),
        "dose-split": re.compile(rf"(?:(?<![\w/.,])\d+/\d+|(?<![\w.,])\d*[{FRACTIONS}]|[“\"'‘«„~≈±]\d+(?:[.,]\d+)?)"
                                 rf"(?= {unit_or_word})"),
    }


@functools.lru_cache(maxsize=None)
def _abbreviations() -> tuple:
    """(pattern, entry) for each of all.yaml's abbreviations."""
    found = []
    for entry in shared()["abbreviations"]:
        tokens = "|".join(_token(token) for token in sorted(entry["tokens"], key=len, reverse=True))
        prefix = rf"(?<=\d){SPACE}?" if entry.get("after_number") else ""
        found.append((re.compile(f"{prefix}(?:{tokens})"), entry))
    return tuple(found)


def hits(text: str, lang: Language, links=()) -> list[tuple[int, int, str, str, str]]:
    """Every piece of error-prone notation in ``text``, in order."""
    pattern = _patterns(lang.code)
    found = []

    def add(match, rule, message, suggestion):
        start = match.start() + len(match.group()) - len(match.group().lstrip(" \u00a0\u202f"))
        found.append((start, match.end(), rule, message, suggestion))

    for match in pattern["trailing-zero"].finditer(text):
        number = match.group()
        add(match, "trailing-zero", f"'{number}' has a trailing zero: it is read as ten times the dose if the "
                                    "decimal mark is missed", f"write '{_without_trailing_zeros(number)}'")
    for match in pattern["naked-decimal"].finditer(text):
        add(match, "naked-decimal", f"'{match.group()}' has no zero before the decimal mark: it is read as "
                                    f"'{match.group()[1:]}'", f"write '0{match.group()}'")
    for name in ("unit-anywhere", "unit-after-number"):
        for match in pattern[name].finditer(text):
            add(match, "unit-abbreviation", f"'{match.group().strip()}' for units is read as a number "
                                            "(U as 0 or 4, IU as IV or 10)", f"write '{lang.fix('units')}'")
    for match in pattern["microgram"].finditer(text):
        add(match, "microgram-symbol", f"'{match.group().strip()}' is read as mg (a thousand times the dose)",
            f"write '{lang.fix('micrograms')}'")
    for match in pattern["comparison"].finditer(text):
        sign = match.group().strip()
        words = lang.fix(COMPARISONS.get(sign[0], "more than"))
        add(match, "comparison-sign", f"'{sign}' is read the wrong way round", f"write '{words}'")
    for match in pattern["symbol"].finditer(text):
        if not any(start <= match.start() < end for start, end in links):
            sign = match.group().strip()
            add(match, "error-prone-symbol", f"'{sign}' is read as a number (2 or 4)",
                f"write '{lang.fix({'@': 'at', '&': 'and'}.get(sign, 'and'))}'")
    for match in pattern["slash"].finditer(text):
        add(match, "error-prone-symbol", "a slash between doses is read as the number 1",
            f"write '{lang.fix('per')}' or '{lang.fix('and')}'")
    for match in pattern["glued-unit"].finditer(text):
        number = re.match(r"[\d.,]+", match.group()).group()
        unit = match.group()[len(number):]
        if unit.upper() in ("U", "IU", "UI", "IE"):
            unit = lang.fix("units")
        add(match, "glued-unit", f"'{match.group()}': a unit against its number is misread (the first letter "
                                 "as a digit)", f"write '{number}\u00a0{unit}' (with a no-break space)")
    for match in pattern["dose-split"].finditer(text):
        add(match, "dose-split", f"'{match.group()}' and its unit may be split at a line end (the line breaker "
                                 "keeps only plain numbers with their unit)",
            "put a no-break space (U+00A0) between the dose and its unit")
    _abbreviation_hits(text, lang, add)
    return sorted(dict.fromkeys((s, e, r, m, f) for s, e, r, m, f in found))


def _abbreviation_hits(text: str, lang: Language, add) -> None:
    for pattern, entry in _abbreviations():
        for match in pattern.finditer(text):
            if entry.get("caps") and (in_capitals(text, match.start(), match.end()) or defined(text, match)):
                continue
            add(match, "error-prone-abbreviation", f"'{match.group().strip()}' is on ISMP's list of error-prone "
                                                   f"abbreviations (misread as {entry['misread']})",
                f"write '{lang.fix(entry['means'])}'")


_WORD = re.compile(r"[^\W\d_]{3,}")


def in_capitals(text: str, start: int, end: int) -> bool:
    """Whether a word stands beside words in capitals (a heading in capitals: AS, OS are words there)."""
    before = _WORD.findall(text[max(0, start - 40):start])[-2:]
    after = _WORD.findall(text[end:end + 40])[:2]
    return any(word.isupper() for word in before + after)


def defined(text: str, match) -> bool:
    """An abbreviation in brackets after what it stands for: "ankylosing spondylitis (AS)"."""
    return text[match.start() - 1:match.start()] == "(" and text[match.end():match.end() + 1] == ")"


def _without_trailing_zeros(number: str) -> str:
    mark = max(number.rfind("."), number.rfind(","))
    kept = number.rstrip("0")
    return kept[:-1] if kept.endswith(number[mark]) and len(kept) - 1 == mark else kept
