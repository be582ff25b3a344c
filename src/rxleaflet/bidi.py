"""Right-to-left text: Arabic shaping, and where each word and letter of a line shows.

Lines are broken in logical order.  The Unicode Bidirectional Algorithm's rule
L2, in a word-level form (``levels``, ``reorder``), then says where each word,
space and right-to-left letter stands on the line; Arabic is drawn in its joined
(presentation) forms from arabic-reshaper.  The layout writes a line in logical
order, each piece placed where it shows (see ``textset._make_visual_line``), so
that readers which follow the content (poppler's structure text, pdf.js, screen
readers) and readers which sort by position (PDFium, pdftotext) both get
reading order.
"""
from __future__ import annotations

import functools
import unicodedata

import arabic_reshaper

from .model import Span

_MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
_ARABIC = ("AL",)


@functools.lru_cache(maxsize=1)
def _reshaper():
    # Keep harakat (vowel marks) as separate characters rather than dropping them.
    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def shape(spans) -> tuple:
    """Spans with Arabic in its contextual forms; spaces, and so words, are kept."""
    return tuple(Span(_reshaper().reshape(span.text), span.bold, span.italic)
                 if any(unicodedata.bidirectional(c) in _ARABIC for c in span.text) else span
                 for span in spans)


# Languages written right to left (primary subtags): a leaflet in one is laid out mirrored.
RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ku", "ps", "sd", "syr", "ug", "ur", "yi"}


def is_rtl_language(lang: str) -> bool:
    return lang.split("-")[0].lower() in RTL_LANGUAGES


def has_rtl(text: str) -> bool:
    """Does ``text`` hold any right-to-left letter (Hebrew, Arabic …)?"""
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


def levels(items: list[str], rtl_paragraph: bool) -> list[int]:
    """The embedding level of each item (words, spaces or characters, logical order):
    1 right to left, 0 or 2 left to right (2 inside a right-to-left paragraph); a
    neutral item takes its strong neighbours' level when they agree, else the paragraph's."""
    base = 1 if rtl_paragraph else 0
    left = 2 if rtl_paragraph else 0
    strong = [direction(item) for item in items]
    for index, item in enumerate(items):  # rule W5: "%" or "$" next to a number goes with the number
        if unicodedata.bidirectional(item[:1]) == "ET" and any(
                0 <= near < len(items) and unicodedata.bidirectional(items[near][:1]) == "EN"
                for near in (index - 1, index + 1)):
            strong[index] = "L"
    found = []
    for index, kind in enumerate(strong):
        if kind == "R":
            found.append(1)
        elif kind == "L":
            found.append(left)
        else:
            before = next((found[i] for i in range(index - 1, -1, -1) if strong[i]), base)
            after_kind = next((k for k in strong[index + 1:] if k), None)
            after = base if after_kind is None else (1 if after_kind == "R" else left)
            found.append(before if before == after else base)
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


def visual_order(items: list[str], rtl_paragraph: bool) -> list[int]:
    """The indexes of ``items`` (one line, logical order) in the order they are drawn."""
    return reorder(levels(items, rtl_paragraph))


def mirrored(char: str) -> str:
    """The mirror image of a bracket (what a right-to-left run shows for it), else ``char``."""
    return char.translate(_MIRRORED)


def display(word: str) -> str:
    """A right-to-left word as drawn, left to right: reversed, numbers kept, brackets mirrored."""
    chars = list(word)
    char_levels = levels(chars, rtl_paragraph=True)
    return "".join(mirrored(chars[i]) if char_levels[i] % 2 else chars[i] for i in reorder(char_levels))
