"""Right-to-left text: where each word and letter of a line shows.

Lines are broken in logical order.  The Unicode Bidirectional Algorithm's rule
L2, in a word-level form (``levels``, ``reorder``), then says where each word,
space and right-to-left letter stands on the line; a run of joined Arabic letters is
shaped by HarfBuzz as it is drawn (``shaping``).  The layout writes a line in logical
order, each piece placed where it shows (see ``textset._make_visual_line``), so
that readers which follow the content (poppler's structure text, pdf.js, screen
readers) and readers which sort by position (PDFium, pdftotext) both get
reading order.
"""
from __future__ import annotations

import unicodedata

_MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
# Languages written right to left (primary subtags): a leaflet in one is laid out mirrored.
RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ku", "ps", "sd", "syr", "ug", "ur", "yi"}


def is_rtl_language(lang: str) -> bool:
    return lang.split("-")[0].lower() in RTL_LANGUAGES


def has_rtl(text: str) -> bool:
    """Does ``text`` hold any right-to-left letter (Hebrew, Arabic …)?"""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def direction(word: str):
    """"R", "L" or None (neutral: punctuation, symbols) for one word."""
    for char in word:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind in ("L", "EN", "AN"):
            return "L"
    return None


def _kind(item: str):
    """"R", "L", "EN" (a number first) or None (neutral) for a word, space or character."""
    for char in item:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
        if kind in ("EN", "AN"):
            return "EN"
    return None


def levels(items: list[str], rtl_paragraph: bool) -> list[int]:
    """The embedding level of each item (words, spaces or characters, logical order), by
    the bidi algorithm's rules for one paragraph without embeddings: 1 right to left,
    0 or 2 left to right (2 inside a right-to-left paragraph), numbers 2 unless they
    follow left-to-right text (W7); a neutral item takes its neighbours' direction when
    they agree, a number counting as right to left (N1), else the paragraph's (N2)."""
    left = 2 if rtl_paragraph else 0
    paragraph = "R" if rtl_paragraph else "L"
    kinds = [_kind(item) for item in items]
    classes = [unicodedata.bidirectional(item[:1]) if len(item) == 1 else "" for item in items]
    for index, kind in enumerate(kinds):
        around = [kinds[near] for near in (index - 1, index + 1) if 0 <= near < len(items)]
        if kind is None and classes[index] == "ET" and "EN" in around:
            kinds[index] = "EN"  # W5: "%" or "$" next to a number goes with it
        elif kind is None and classes[index] in ("CS", "ES") and around == ["EN", "EN"]:
            kinds[index] = "EN"  # W4: "2.5", "2-3"
    last_strong = paragraph
    for index, kind in enumerate(kinds):
        if kind in ("R", "L"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            kinds[index] = "L"  # W7: a number after left-to-right text is left to right
    as_direction = {"R": "R", "EN": "R", "L": "L"}
    found = []
    for index, kind in enumerate(kinds):
        if kind is None:
            before = next((as_direction[k] for k in reversed(kinds[:index]) if k), paragraph)
            after = next((as_direction[k] for k in kinds[index + 1:] if k), paragraph)
            kind = before if before == after else paragraph
            found.append(1 if kind == "R" else left)
        else:
            found.append({"R": 1, "L": left, "EN": 2}[kind])
    return found


def reorder(item_levels: list[int]) -> list[int]:
    """Rule L2: the indexes of the items, from their levels, in the order they are drawn."""
    order = list(range(len(item_levels)))
    for level in range(max(item_levels, default=0), 0, -1):  # from the highest level down
        position = 0
        while position < len(order):
            if item_levels[order[position]] >= level:
                end = position
                while end < len(order) and item_levels[order[end]] >= level:
                    end += 1
                order[position:end] = reversed(order[position:end])
                position = end
            else:
                position += 1
    return order


def mirrored(text: str) -> str:
    """Brackets as a right-to-left run shows them: each the mirror image of itself."""
    return text.translate(_MIRRORED)
