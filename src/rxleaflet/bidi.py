"""Right-to-left text: Arabic shaping and the visual order of words.

Lines are broken in logical order; each line is then drawn in visual order
(a word-level form of the Unicode Bidirectional Algorithm's rule L2), every
right-to-left word reversed by python-bidi (which keeps numbers in it the
right way round) with its brackets mirrored, Arabic in its joined
(presentation) forms from arabic-reshaper.  That is how right-to-left text is
stored in PDF: readers (PDFium, poppler, pdf.js) apply the bidi algorithm and
extract it in reading order, presentation forms folded back to letters.
"""
from __future__ import annotations

import functools
import unicodedata

from .model import Span

# arabic-reshaper and python-bidi are imported when a right-to-left word is
# first met: most leaflets have none, and the shaper alone takes 20 ms to import.

_MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
_ARABIC = ("AL",)


@functools.lru_cache(maxsize=1)
def _reshaper():
    import arabic_reshaper

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


def visual_order(words: list[str], rtl_paragraph: bool) -> list[int]:
    """The indexes of ``words`` (one line, logical order) in the order they are drawn."""
    base = 1 if rtl_paragraph else 0
    strong = [direction(word) for word in words]
    levels = []
    for index, kind in enumerate(strong):
        if kind == "R":
            levels.append(1)
        elif kind == "L":
            levels.append(2 if rtl_paragraph else 0)
        else:  # neutral: the level of its strong neighbours when they agree, else the paragraph's
            before = next((levels[i] for i in range(index - 1, -1, -1) if strong[i]), base)
            after_kind = next((k for k in strong[index + 1:] if k), None)
            after = base if after_kind is None else (1 if after_kind == "R" else (2 if rtl_paragraph else 0))
            levels.append(before if before == after else base)
    order = list(range(len(words)))
    for level in range(max(levels, default=0), 0, -1):  # rule L2, from the highest level down
        position = 0
        while position < len(order):
            if levels[order[position]] >= level:
                end = position
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[position:end] = reversed(order[position:end])
                position = end
            else:
                position += 1
    return order


def display(word: str) -> str:
    """A right-to-left word as drawn, left to right: reversed, numbers kept, brackets mirrored."""
    from bidi import get_display

    return get_display(word, base_dir="R").translate(_MIRRORED)
