"""The fonts: which font draws each word, the bundled ones and the CJK fonts found on the computer, and what to install when none has a glyph.

Atkinson Hyperlegible was drawn for low-vision readers and draws Latin text.  Where it
lacks a letter of a word (Vietnamese ố, Greek, Cyrillic), the whole word is drawn in the
first font that has all of its letters (Noto Sans, the Noto font of its script), so that
a word is never split between two fonts (a reader that sees a font change may take it
for a word break).  The Noto fonts of the scripts in ``_SCRIPT_FAMILIES`` are bundled
(fonts/, OFL); DejaVu Sans is the last resort for symbols.

Chinese, Japanese and Korean need Noto Sans CJK, 16 to 20 MB a weight: it is not
bundled but found where the operating system keeps fonts (Windows, macOS, Linux: see
``font_folders``) or in the folders named by ``RXLEAFLET_FONTS``.  Its outlines are
PostScript (CFF), which ReportLab cannot embed: the PDF fence turns the glyphs a leaflet
uses into a small TrueType font (``reportlab_fence.OutlineFont``).  A character no font
has is refused by the content loader with :func:`missing_font`'s advice.
"""
from __future__ import annotations

import functools
import os
import sys
import unicodedata
from pathlib import Path
from typing import NamedTuple, Optional

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..pdf import reportlab_fence
from . import shaping


class Face(NamedTuple):
    """One font file (and face in a collection) as registered with ReportLab."""

    name: str  # the registered name
    path: str
    index: int = 0
    shaped: bool = True  # drawn through HarfBuzz where its text needs it (bundled TrueType fonts)


# family -> file stem by (bold, italic); a family without italics uses its upright faces.
_ATKINSON = "Atkinson"
_FILES = {
    _ATKINSON: {(False, False): "AtkinsonHyperlegible-Regular", (True, False): "AtkinsonHyperlegible-Bold",
                (False, True): "AtkinsonHyperlegible-Italic", (True, True): "AtkinsonHyperlegible-BoldItalic"},
    "NotoSans": {(False, False): "NotoSans-Regular", (True, False): "NotoSans-Bold",
                 (False, True): "NotoSans-Italic", (True, True): "NotoSans-BoldItalic"},
    "DejaVuSans": {(False, False): "DejaVuSans", (True, False): "DejaVuSans-Bold",
                   (False, True): "DejaVuSans-Oblique", (True, True): "DejaVuSans-BoldOblique"},
}
# Script (ISO 15924) -> its bundled Noto family (regular and bold).
_SCRIPT_FAMILIES = {
    "Armn": "NotoSansArmenian", "Geor": "NotoSansGeorgian", "Hebr": "NotoSansHebrew", "Arab": "NotoSansArabic",
    "Deva": "NotoSansDevanagari", "Beng": "NotoSansBengali", "Guru": "NotoSansGurmukhi", "Taml": "NotoSansTamil",
    "Thai": "NotoSansThai", "Laoo": "NotoSansLao", "Khmr": "NotoSansKhmer", "Ethi": "NotoSansEthiopic",
}
for _family in _SCRIPT_FAMILIES.values():
    _FILES[_family] = {(bold, italic): f"{_family}-{'Bold' if bold else 'Regular'}"
                       for bold in (False, True) for italic in (False, True)}
CJK = "CJK"
# Where each script's letters are (the blocks a leaflet's text uses); the rest is Latin,
# Greek, Cyrillic or a symbol.
_BLOCKS = (
    (0x0530, 0x058F, "Armn"), (0xFB13, 0xFB17, "Armn"), (0x10A0, 0x10FF, "Geor"), (0x1C90, 0x1CBF, "Geor"),
    (0x2D00, 0x2D2F, "Geor"), (0x0590, 0x05FF, "Hebr"), (0xFB1D, 0xFB4F, "Hebr"), (0x0600, 0x06FF, "Arab"),
    (0x0750, 0x077F, "Arab"), (0x0870, 0x08FF, "Arab"), (0xFB50, 0xFDFF, "Arab"), (0xFE70, 0xFEFF, "Arab"),
    (0x0900, 0x097F, "Deva"), (0xA8E0, 0xA8FF, "Deva"), (0x0980, 0x09FF, "Beng"), (0x0A00, 0x0A7F, "Guru"),
    (0x0B80, 0x0BFF, "Taml"), (0x0E00, 0x0E7F, "Thai"), (0x0E80, 0x0EFF, "Laoo"), (0x1780, 0x17FF, "Khmr"),
    (0x19E0, 0x19FF, "Khmr"), (0x1200, 0x139F, "Ethi"), (0x2D80, 0x2DDF, "Ethi"), (0xAB00, 0xAB2F, "Ethi"),
    (0x1100, 0x11FF, "Hang"), (0x3130, 0x318F, "Hang"), (0xA960, 0xA97F, "Hang"), (0xAC00, 0xD7AF, "Hang"),
    (0xD7B0, 0xD7FF, "Hang"), (0x3040, 0x309F, "Hira"), (0x30A0, 0x30FF, "Kana"), (0x31F0, 0x31FF, "Kana"),
    (0x2E80, 0x2FDF, "Hani"), (0x3000, 0x303F, "Hani"), (0x3100, 0x312F, "Bopo"), (0x31C0, 0x31EF, "Hani"),
    (0x3200, 0x33FF, "Hani"), (0x3400, 0x4DBF, "Hani"), (0x4E00, 0x9FFF, "Hani"), (0xF900, 0xFAFF, "Hani"),
    (0xFE30, 0xFE4F, "Hani"), (0xFF00, 0xFFEF, "Hani"), (0x20000, 0x3FFFF, "Hani"),
)
_CJK_SCRIPTS = {"Hang", "Hira", "Kana", "Hani", "Bopo"}
SCRIPT_NAMES = {
    "Armn": "Armenian", "Geor": "Georgian", "Hebr": "Hebrew", "Arab": "Arabic", "Deva": "Devanagari",
    "Beng": "Bengali", "Guru": "Gurmukhi", "Taml": "Tamil", "Thai": "Thai", "Laoo": "Lao", "Khmr": "Khmer",
    "Ethi": "Ethiopic", "Hang": "Hangul (Korean)", "Hira": "Hiragana (Japanese)", "Kana": "Katakana (Japanese)",
    "Hani": "Han (Chinese, Japanese kanji)", "Bopo": "Bopomofo",
}
# Characters every font is taken to draw: joiners and selectors that shaping uses and
# no glyph shows; a soft hyphen shows only at a break.
_INVISIBLE = {0x200C, 0x200D, 0x00AD, 0x034F, 0x2060} | set(range(0xFE00, 0xFE10))
_NEVER = {0xFFFE, 0xFFFF}
REGULAR = "Atkinson-Regular"
BOLD = "Atkinson-Bold"


def script_of(char: str) -> Optional[str]:
    """The ISO 15924 script of a letter whose script has a font of its own, else None."""
    code = ord(char)
    if code < 0x0530:
        return None
    for start, end, script in _BLOCKS:
        if start <= code <= end:
            return script
    return None


def font_dir() -> Path:
    """fonts/ inside an installed wheel, else the repository's top-level fonts/."""
    package = Path(__file__).resolve().parents[1]
    candidates = (package / "fonts", package.parents[1] / "fonts")
    for candidate in candidates:
        if (candidate / "AtkinsonHyperlegible-Regular.ttf").is_file():
            return candidate
    raise FileNotFoundError(f"the bundled fonts are missing (looked in {candidates[0]} and {candidates[1]})")


@functools.lru_cache(maxsize=None)
def _bundled(family: str, bold: bool, italic: bool) -> Face:
    stem = _FILES[family][(bold, italic)]
    name = REGULAR if stem.endswith("Hyperlegible-Regular") else BOLD if stem.endswith("Hyperlegible-Bold") \
        else "Atkinson-" + stem.split("-")[1] if family == _ATKINSON else stem
    face = Face(name, str(font_dir() / f"{stem}.ttf"))
    if name not in _registered:
        font = TTFont(name, face.path)
        pdfmetrics.registerFont(font)
        _registered[name] = font
        _known_faces[name] = face
    return face


_registered: dict = {}  # registered name -> ReportLab font
_known_faces: dict = {}  # registered name -> Face


@functools.lru_cache(maxsize=None)
def cmap(name: str) -> frozenset:
    """The code points a registered font draws."""
    return reportlab_fence.codepoints(name) - _NEVER


def register() -> None:
    """Make the regular and bold Atkinson faces known to ReportLab; every other font loads
    when a word first needs it (each takes milliseconds to read)."""
    for bold in (False, True):
        _bundled(_ATKINSON, bold, False)


# -- Noto Sans CJK, found on the computer ------------------------------------------------
def font_folders() -> list:
    """Where fonts are looked for: RXLEAFLET_FONTS (folders separated by os.pathsep), then
    the operating system's font folders, the user's own first (not with
    RXLEAFLET_SYSTEM_FONTS=no)."""
    folders = [Path(p) for p in os.environ.get("RXLEAFLET_FONTS", "").split(os.pathsep) if p]
    if os.environ.get("RXLEAFLET_SYSTEM_FONTS", "").lower() in ("0", "no", "false"):
        return folders  # only the named folders: a build that must not depend on the computer
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        folders.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    elif sys.platform == "darwin":
        folders += [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    else:
        data = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
        folders += [Path(data) / "fonts", home / ".fonts", Path("/usr/local/share/fonts"), Path("/usr/share/fonts")]
    return folders


# The region of a CJK leaflet -> Noto Sans CJK's region code and the files that hold it:
# the collection of all regions (Linux packages, the noto-cjk release), a region's own
# OpenType file (the noto-cjk release) or Google Fonts' files.
_CJK_REGIONS = {"SC": "sc", "TC": "tc", "HK": "hk", "JP": "jp", "KR": "kr"}


def cjk_region(lang: str) -> str:
    tag = lang.replace("_", "-").split("-")
    language = tag[0].lower()
    rest = {part.upper() for part in tag[1:]} | {part.title() for part in tag[1:]}
    if language == "ja":
        return "JP"
    if language == "ko":
        return "KR"
    if "HK" in rest or "MO" in rest:
        return "HK"
    return "TC" if "Hant" in rest or "TW" in rest else "SC"


def _cjk_names(region: str, bold: bool) -> list:
    weight = "Bold" if bold else "Regular"
    low = _CJK_REGIONS[region]
    return [f"NotoSansCJK-{weight}.ttc", f"NotoSansCJK{low}-{weight}.otf", f"NotoSans{region}-{weight}.otf",
            f"NotoSans{region}-{weight}.ttf", f"NotoSansCJK-{weight}.otc"]


@functools.lru_cache(maxsize=None)
def _font_files() -> dict:
    """File name -> path of every font file in the font folders (the first found wins)."""
    found: dict = {}
    for folder in font_folders():
        if not folder.is_dir():
            continue
        for root, _, files in sorted(os.walk(folder)):
            for name in sorted(files):
                if name.lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
                    found.setdefault(name, os.path.join(root, name))
    return found


@functools.lru_cache(maxsize=None)
def _cjk(region: str, bold: bool) -> Optional[Face]:
    """Noto Sans CJK of a region, registered, or None when it is not installed."""
    files = _font_files()
    for file_name in _cjk_names(region, bold) + ([] if not bold else _cjk_names(region, False)):
        path = files.get(file_name)
        if path is None:
            continue
        index = reportlab_fence.collection_index(path, f"Noto Sans CJK {region}") if file_name.endswith(
            (".ttc", ".otc")) else 0
        if index is None:
            continue
        name = f"NotoSansCJK{region}-{'Bold' if bold and 'Bold' in file_name else 'Regular'}"
        if name not in _registered:
            font = reportlab_fence.OutlineFont(name, path, index)
            pdfmetrics.registerFont(font)
            _registered[name] = font
            _known_faces[name] = Face(name, path, index, shaped=False)
        return _known_faces[name]
    return None


# -- choosing a font for each word ---------------------------------------------------------
def _family_face(family: str, bold: bool, italic: bool, lang: str) -> Optional[Face]:
    if family == CJK:  # the leaflet's region's forms, else any region's
        region = cjk_region(lang)
        return next((face for face in (_cjk(r, bold) for r in [region] + list(_CJK_REGIONS)) if face), None)
    return _bundled(family, bold, italic)


@functools.lru_cache(maxsize=None)
def _faces_for(scripts: tuple, bold: bool, italic: bool, lang: str, prefer: Optional[str]) -> tuple:
    """The faces to try for a word in ``scripts``, in order: ``prefer``, the leaflet's main
    font, the fonts of the scripts, Noto Sans, DejaVu Sans.  Cached by script, never by
    text (a patient's name goes through here)."""
    families = [main_family(lang)]
    families += [CJK if script in _CJK_SCRIPTS else _SCRIPT_FAMILIES[script] for script in scripts]
    families = list(dict.fromkeys(([prefer] if prefer else []) + families + ["NotoSans", "DejaVuSans"]))
    return tuple(face for face in (_family_face(family, bold, italic, lang) for family in families) if face)


@functools.lru_cache(maxsize=None)
def main_family(lang: str) -> str:
    """The font of a leaflet's Latin text, digits and signs: Atkinson Hyperlegible where it
    draws every letter of the language (by its catalogue of rxleaflet's own words), else
    Noto Sans, so that a Vietnamese, Greek, Russian or Hindi leaflet does not change design
    from word to word."""
    from . import fixed_words

    name = fixed_words.catalogue_of(lang) if lang else None
    if name is None or name == fixed_words.ENGLISH:
        return _ATKINSON
    catalogue = fixed_words.read_catalogue(name)
    letters = {char for entry in catalogue.entries for char in entry.string if char.isalpha()}
    atkinson = cmap(_bundled(_ATKINSON, False, False).name)
    return _ATKINSON if all(ord(char) in atkinson for char in letters) else "NotoSans"


def _draws(face: Face, char: str) -> bool:
    code = ord(char)
    return code in _INVISIBLE or code in cmap(face.name)


def _word_runs(word: str, bold: bool, italic: bool, lang: str, prefer: Optional[str]) -> tuple:
    """The (font, text) runs of one word; not cached: a patient's name goes through here."""
    scripts = tuple(dict.fromkeys(script for script in map(script_of, word) if script))
    faces = _faces_for(scripts, bold, italic, lang, prefer)
    for face in faces:
        if all(_draws(face, char) for char in word):
            return ((face.name, word),)
    runs: list = []
    for char in word:
        # A combining mark stays in its letter's font where that font has it.
        if runs and unicodedata.category(char).startswith("M") and _draws(_face_named(runs[-1][0]), char):
            name = runs[-1][0]
        else:
            name = next((face.name for face in faces if _draws(face, char)), None)
            if name is None:
                raise ValueError(f"no font has U+{ord(char):04X}")
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + char)
        else:
            runs.append((name, char))
    return tuple(runs)


def _face_named(name: str) -> Face:
    return _known_faces[name]


def font_runs(text: str, bold: bool, italic: bool, prefer_fallback: bool = False,
              lang: str = "") -> list[tuple[str, str]]:
    """Split one word into (font name, text) runs: one run wherever one font draws the
    whole word.  ``prefer_fallback``: a word in a right-to-left paragraph, drawn in the
    font of the paragraph's script when that font has all of it (a line in one font)."""
    if not prefer_fallback and text.isascii() and text.isprintable():  # the common case: the main font has ASCII
        name = _ascii_font.get((bold, italic, lang))
        if name is None:
            name = _ascii_font[bold, italic, lang] = _bundled(main_family(lang), bold, italic).name
        return [(name, text)]
    prefer = _rtl_family(lang) if prefer_fallback else None
    return list(_word_runs(text, bold, italic, lang, prefer))


_ascii_font: dict = {}  # (bold, italic, lang) -> the registered font of ASCII words


def _rtl_family(lang: str) -> Optional[str]:
    language = lang.split("-")[0].lower()
    return "NotoSansHebrew" if language in ("he", "iw", "yi") else "NotoSansArabic"


def covers(char: str, lang: str = "") -> bool:
    """True if some font rxleaflet can use draws ``char`` (space and the like count)."""
    try:
        _word_runs(char, False, False, lang, None)
    except ValueError:
        return False
    return True


def missing_font(char: str, lang: str = "", brief: bool = False) -> Optional[str]:
    """Why no font draws ``char`` and what to install, or None when one does; ``brief``:
    the advice was given already (for an earlier field)."""
    if covers(char, lang):
        return None
    script = script_of(char)
    if script in _CJK_SCRIPTS and brief:
        return f"it is {SCRIPT_NAMES[script]} script: Noto Sans CJK is not installed (see above)"
    if script in _CJK_SCRIPTS:
        return (f"it is {SCRIPT_NAMES[script]} script, drawn with Noto Sans CJK, which is not installed: install "
                f"it (Debian, Ubuntu: apt install fonts-noto-cjk; Fedora: dnf install google-noto-sans-cjk-fonts; "
                f"Windows, macOS: NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc from "
                f"https://github.com/notofonts/noto-cjk/releases, installed for all users), or put those files "
                f"in a folder named by RXLEAFLET_FONTS")
    name = unicodedata.name(char, "")
    if char.isalpha() and name:  # "MALAYALAM LETTER VA": the script is the name's first word
        return (f"it is {name.split()[0].title()} script, which rxleaflet has no font for "
                f"(docs/languages.md lists the scripts it prints)")
    return "no font rxleaflet has draws it (docs/languages.md lists the scripts it prints)"


def shaping_face(name: str) -> Optional[Face]:
    """The face of a registered font whose text HarfBuzz shapes, or None (CJK: not shaped)."""
    face = _known_faces.get(name)
    return face if face is not None and face.shaped else None


# -- widths ------------------------------------------------------------------------------
def _width(text: str, font_name: str, size: float, visual: bool = False) -> float:
    """The width of ``text`` as drawn: shaped where its script needs it, a right-to-left word
    as one in reading order, or (``visual``) a run of a set line as it stands on the line."""
    if not text.isascii():
        face = shaping_face(font_name)
        if face is not None and shaping.needs_shaping(text):
            shaper = shaping.shaper(face.path)
            run = shaping.visual_glyphs(text, face.path) if visual else \
                shaper.run(text, None, shaping.is_rtl_run(text))
            return run.advance * size / shaper.upem
    return pdfmetrics.stringWidth(text, font_name, size)


@functools.lru_cache(maxsize=16384)
def visual_width(text: str, font_name: str, size: float) -> float:
    """:func:`uncached_visual_width`, cached: only for text that is not a patient's."""
    return _width(text, font_name, size, visual=True)


def uncached_visual_width(text: str, font_name: str, size: float) -> float:
    """The width of a run of a set line as drawn (a right-to-left run in visual order)."""
    return _width(text, font_name, size, visual=True)


@functools.lru_cache(maxsize=16384)
def string_width(text: str, font_name: str, size: float) -> float:
    """The width of ``text`` as drawn (shaped where its script needs it), cached for the
    process: only for text that is not a patient's."""
    return _width(text, font_name, size)


def uncached_string_width(text: str, font_name: str, size: float) -> float:
    """The width of ``text``, remembered nowhere: for a patient's details."""
    return _width(text, font_name, size)


# -- the prescription panel's fixed characters ----------------------------------------------
# What a prescription panel may hold and still be drawn into a shared layout (see
# layout/write.py): the characters of one of these tiers, each fixed to its code in the
# leaflet's fonts before anything is drawn.  The smallest tier that holds a panel is used,
# as every glyph fixed is embedded: ASCII (a leaflet the size of one without a panel),
# Latin-1 (+13 KB), Latin Extended-A (Polish, Czech, Turkish … names: +31 KB).  A panel
# with other letters (a name in Arabic or Chinese script) is laid out with its leaflet.
_ASCII = "".join(map(chr, range(0x20, 0x7F)))
_PANEL_TIERS = (_ASCII, _ASCII + "".join(map(chr, range(0xA0, 0x100))),
                _ASCII + "".join(map(chr, range(0xA0, 0x180))))


# A Hebrew leaflet's panel may hold Hebrew letters too (a name): drawn one glyph each,
# they can be fixed in advance in the leaflet's Hebrew font; Arabic letters are shaped
# (each glyph a code of its own), so an Arabic name is laid out with its leaflet.
_PRIMED_SCRIPTS = {"he": "NotoSansHebrew", "iw": "NotoSansHebrew", "yi": "NotoSansHebrew"}
_HEBREW_LETTERS = "".join(map(chr, range(0x05D0, 0x05EB))) + "\u05f3\u05f4\u05be"


def _primed_script(lang: str) -> Optional[str]:
    return _PRIMED_SCRIPTS.get(lang.split("-")[0].lower())


def panel_tier(text: str, lang: str) -> Optional[int]:
    """The smallest tier of :func:`panel_charsets` that holds ``text``, or None."""
    rest = set(text) - set(_HEBREW_LETTERS) if _primed_script(lang) else set(text)
    for tier in range(len(_PANEL_TIERS)):
        if rest <= _tier_set(tier):
            return tier
    return None


@functools.lru_cache(maxsize=None)
def _tier_set(tier: int) -> frozenset:
    return frozenset(_PANEL_TIERS[tier]) | {"\u00a0"}  # a no-break space is drawn as a space


@functools.lru_cache(maxsize=None)
def panel_charsets(lang: str, tier: int) -> tuple[tuple[str, str], ...]:
    """(registered font, characters) to fix in a personalised leaflet before drawing, in order."""
    charsets = []
    for bold in (False, True):
        face = _bundled(main_family(lang), bold, False)
        charsets.append((face.name, "".join(c for c in _PANEL_TIERS[tier] if ord(c) in cmap(face.name))))
    family = _primed_script(lang)
    if family:
        for bold in (False, True):
            face = _bundled(family, bold, False)
            charsets.append((face.name, "".join(c for c in _PANEL_TIERS[tier] + _HEBREW_LETTERS
                                                if ord(c) in cmap(face.name))))
    return tuple(charsets)


def primary_cmap() -> frozenset[int]:
    """The code points Atkinson Hyperlegible (regular) draws."""
    return cmap(_bundled(_ATKINSON, False, False).name)
