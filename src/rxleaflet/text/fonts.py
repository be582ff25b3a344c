"""The bundled fonts: registration, glyph coverage, and picking a font per character.

Atkinson Hyperlegible was drawn for low-vision readers but covers Latin only;
DejaVu Sans fills in the rest (arrows, Greek, Cyrillic …).  ReportLab would
silently draw a missing character as .notdef mapped to U+0000, so every
character goes through :func:`font_runs`, and the loader refuses what no
bundled font has (see :func:`covers`).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# (bold, italic) -> (registered name, file)
_PRIMARY = {
    (False, False): ("Atkinson-Regular", "AtkinsonHyperlegible-Regular.ttf"),
    (True, False): ("Atkinson-Bold", "AtkinsonHyperlegible-Bold.ttf"),
    (False, True): ("Atkinson-Italic", "AtkinsonHyperlegible-Italic.ttf"),
    (True, True): ("Atkinson-BoldItalic", "AtkinsonHyperlegible-BoldItalic.ttf"),
}
_FALLBACK = {
    (False, False): ("DejaVuSans", "DejaVuSans.ttf"),
    (True, False): ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
    (False, True): ("DejaVuSans-Oblique", "DejaVuSans-Oblique.ttf"),
    (True, True): ("DejaVuSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
}
REGULAR = _PRIMARY[(False, False)][0]
BOLD = _PRIMARY[(True, False)][0]
# Code points a font's cmap may list that must never be drawn.
_NEVER = {0xFFFE, 0xFFFF}


def font_dir() -> Path:
    """fonts/ inside an installed wheel, else the repository's top-level fonts/."""
    package = Path(__file__).resolve().parents[1]
    candidates = (package / "fonts", package.parents[1] / "fonts")
    for candidate in candidates:
        if (candidate / _PRIMARY[(False, False)][1]).is_file():
            return candidate
    raise FileNotFoundError(f"the bundled fonts are missing (looked in {candidates[0]} and {candidates[1]})")


@functools.lru_cache(maxsize=None)
def _font(name: str, filename: str) -> TTFont:
    """Load and register one font, once per process."""
    font = TTFont(name, str(font_dir() / filename))
    pdfmetrics.registerFont(font)
    return font


@functools.lru_cache(maxsize=None)
def _cmap(style: tuple[bool, bool], fallback: bool) -> frozenset[int]:
    name, filename = (_FALLBACK if fallback else _PRIMARY)[style]
    return frozenset(_font(name, filename).face.charToGlyph) - _NEVER


@functools.lru_cache(maxsize=None)
def _draws_ascii(style: tuple[bool, bool]) -> bool:
    """Does the primary font of this style draw every printable ASCII character?"""
    return all(code in _cmap(style, False) for code in range(0x20, 0x7F))


def primary_cmap() -> frozenset[int]:
    """The code points Atkinson Hyperlegible (regular) draws."""
    return _cmap((False, False), False)


def register() -> None:
    """Make the regular and bold fonts known to ReportLab; the italic faces and the
    fallbacks load when :func:`font_runs` first meets text in them (each takes a few
    milliseconds to read, and most leaflets have no italics)."""
    for style in ((False, False), (True, False)):
        _font(*_PRIMARY[style])


def covers(char: str) -> bool:
    """True if some bundled font can draw ``char`` (space and the like count)."""
    code = ord(char)
    return code in _cmap((False, False), False) or code in _cmap((False, False), True)


def font_for(char: str, bold: bool, italic: bool) -> str:
    """The registered font that draws ``char`` in this style, falling back by coverage."""
    style = (bold, italic)
    code = ord(char)
    if code in _cmap(style, False):
        return _PRIMARY[style][0]
    if code in _cmap(style, True):
        return _font(*_FALLBACK[style]).fontName
    # A fallback glyph in the regular face beats no glyph at all.
    if code in _cmap((False, False), True):
        return _font(*_FALLBACK[(False, False)]).fontName
    raise ValueError(f"no bundled font has U+{code:04X}")


def font_runs(text: str, bold: bool, italic: bool, prefer_fallback: bool = False) -> list[tuple[str, str]]:
    """Split ``text`` into (font name, text) runs so that every character has a glyph;
    ``prefer_fallback``: all in the fallback font (DejaVu Sans) when it has them all."""
    if prefer_fallback and all(ord(c) in _cmap((bold, italic), True) for c in text):
        return [(_font(*_FALLBACK[(bold, italic)]).fontName, text)]
    if text.isascii() and text.isprintable() and _draws_ascii((bold, italic)):  # the common case: one run
        return [(_PRIMARY[(bold, italic)][0], text)]
    primary = _cmap((bold, italic), False)
    if all(ord(c) in primary for c in text):
        return [(_PRIMARY[(bold, italic)][0], text)]
    runs: list[tuple[str, str]] = []
    for char in text:
        name = font_for(char, bold, italic)
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + char)
        else:
            runs.append((name, char))
    return runs


# What a prescription panel may hold and still be drawn into a shared layout
# (see write.py): the characters of one of these tiers, each fixed to its code
# in the leaflet's fonts before anything is drawn.  The smallest tier that
# holds a panel is used, as every glyph fixed is embedded: ASCII (a leaflet
# the size of one without a panel), Latin-1 (+13 KB), Latin Extended-A
# (Polish, Czech, Turkish … names: +31 KB).  A right-to-left leaflet's fonts
# have its script's letters fixed too.
_ASCII = "".join(map(chr, range(0x20, 0x7F)))
_PANEL_TIERS = (_ASCII, _ASCII + "".join(map(chr, range(0xA0, 0x100))),
                _ASCII + "".join(map(chr, range(0xA0, 0x180))))
_HEBREW = ((0x0590, 0x0600),)
_ARABIC = ((0x0600, 0x0700), (0xFE70, 0xFF00))
_SCRIPTS = {"he": _HEBREW, "iw": _HEBREW, "yi": _HEBREW}


def panel_tier(text: str, lang: str) -> Optional[int]:
    """The smallest tier of :func:`panel_charsets` that holds ``text``, or None."""
    script = _script(lang)
    rest = {c for c in text if c not in script}
    for tier in range(len(_PANEL_TIERS)):
        if rest <= _tier_set(tier):
            return tier
    return None


@functools.lru_cache(maxsize=None)
def _tier_set(tier: int) -> frozenset:
    return frozenset(_PANEL_TIERS[tier]) | {"\u00a0"}  # a no-break space is drawn as a space


@functools.lru_cache(maxsize=None)
def _script(lang: str) -> frozenset:
    """The letters of a right-to-left leaflet's script (none for others)."""
    from .bidi import is_rtl_language

    if not is_rtl_language(lang):
        return frozenset()
    blocks = _SCRIPTS.get(lang.split("-")[0].lower(), _ARABIC)
    return frozenset(chr(code) for start, end in blocks for code in range(start, end))


@functools.lru_cache(maxsize=None)
def panel_charsets(lang: str, tier: int) -> tuple[tuple[str, str], ...]:
    """(registered font, characters) to fix in a personalised leaflet before drawing, in order."""
    charsets = []
    for style in ((False, False), (True, False)):
        charsets.append((_PRIMARY[style][0], "".join(c for c in _PANEL_TIERS[tier] if ord(c) in _cmap(style, False))))
    script = sorted(_script(lang))
    if script:
        for style in ((False, False), (True, False)):
            name = _font(*_FALLBACK[style]).fontName
            charsets.append((name, "".join(c for c in script if ord(c) in _cmap(style, True)
                                           and ord(c) not in _cmap(style, False))))
    return tuple(charsets)


@functools.lru_cache(maxsize=16384)
def string_width(text: str, font_name: str, size: float) -> float:
    """The width of ``text``, cached for the process: only for text that is not a patient's."""
    return pdfmetrics.stringWidth(text, font_name, size)


def uncached_string_width(text: str, font_name: str, size: float) -> float:
    """The width of ``text``, remembered nowhere: for a patient's details."""
    return pdfmetrics.stringWidth(text, font_name, size)
