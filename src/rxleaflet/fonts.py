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
    here = Path(__file__).resolve().parent
    for candidate in (here / "fonts", here.parents[1] / "fonts"):
        if (candidate / _PRIMARY[(False, False)][1]).is_file():
            return candidate
    raise FileNotFoundError(f"the bundled fonts are missing (looked in {here / 'fonts'} and {here.parents[1] / 'fonts'})")


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


def primary_cmap() -> frozenset[int]:
    """The code points Atkinson Hyperlegible (regular) draws."""
    return _cmap((False, False), False)


def register() -> None:
    """Make the primary fonts known to ReportLab (fallbacks load when first needed)."""
    for name, filename in _PRIMARY.values():
        _font(name, filename)


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
    primary = _cmap((bold, italic), False)
    if all(ord(c) in primary for c in text):  # the common case: one run
        return [(_PRIMARY[(bold, italic)][0], text)]
    runs: list[tuple[str, str]] = []
    for char in text:
        name = font_for(char, bold, italic)
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + char)
        else:
            runs.append((name, char))
    return runs


@functools.lru_cache(maxsize=16384)
def string_width(text: str, font_name: str, size: float) -> float:
    """The width of ``text``, cached for the process: only for text that is not a patient's."""
    return pdfmetrics.stringWidth(text, font_name, size)


def uncached_string_width(text: str, font_name: str, size: float) -> float:
    """The width of ``text``, remembered nowhere: for a patient's details."""
    return pdfmetrics.stringWidth(text, font_name, size)
