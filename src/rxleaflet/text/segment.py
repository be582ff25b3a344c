"""Where a line may break inside a run of text without spaces: the Unicode line-breaking rules (UAX #14) by ICU, with its dictionaries for Thai, Lao, Khmer and Myanmar and its rules for Chinese and Japanese punctuation.

Text in most scripts breaks at its spaces, and rxleaflet breaks it there and only
there (plus inside a word too long for the line): a hyphenated name or a web address
is not broken at its "-" or "/" while it fits, because PDFium and pdftotext join a line
that ends in "-" to the next as one word.  Text whose words are not separated by
spaces (Thai, Lao, Khmer, Myanmar, Chinese, Japanese; Korean is written with spaces)
is broken where ICU's line break iterator allows, which follows UAX #14: between
words found by dictionary in Thai, Lao, Khmer and Myanmar, between ideographs, never
before a closing bracket or "。" and never after an opening one.  The same iterator
gives the places a word too wide for a line may be cut (after "/" in an address).
"""
from __future__ import annotations

import functools

# Characters of scripts written without spaces between words (ICU's dictionary scripts
# and the ideographic ones): a word holding one is broken by ICU.
_UNSPACED = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x19E0, 0x19FF), (0x2E80, 0x2FDF),
             (0x3000, 0x30FF), (0x31C0, 0x31FF), (0x3200, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
             (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))


def is_unspaced(text: str) -> bool:
    """Does ``text`` hold a letter of a script that does not separate its words with spaces?"""
    if text.isascii():
        return False
    return any(ord(char) >= 0x0E00 and any(start <= ord(char) <= end for start, end in _UNSPACED)
               for char in text)


@functools.lru_cache(maxsize=64)
def _locale(lang: str):
    from icu4py.locale import Locale

    return Locale(lang.replace("-", "_") or "en")


def pieces(word: str, lang: str = "") -> list[str]:
    """A word (no spaces) cut where UAX #14 allows a line break: ["การ", "ใช้", "ยา"]."""
    from icu4py.breakers import LineBreaker

    return [word[start:end] for start, end in LineBreaker(word, _locale(lang)).segments() if end > start]


def graphemes(text: str) -> list[str]:
    """``text`` in user-perceived characters (a letter with its marks, a conjunct's parts
    are several), the smallest pieces a word may be cut into."""
    from icu4py.breakers import CharacterBreaker

    if text.isascii():
        return list(text)
    return [text[start:end] for start, end in CharacterBreaker(text, _locale("")).segments() if end > start]

