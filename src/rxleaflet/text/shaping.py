"""Shaping: a run of text in a script whose letters join, stack or reorder, set by HarfBuzz into glyphs that each carry the author's characters they stand for.

A font's character map draws Latin, Greek, Cyrillic or Han one glyph per character,
but Devanagari conjuncts, Bengali and Tamil vowel signs written on both sides of a
consonant, Thai tone marks stacked over vowels, Khmer subscripts and Arabic joining
need the font's own rules (OpenType GSUB and GPOS), which HarfBuzz applies.

The text layer must still hold the author's characters, in reading order, in every
reader, including those that ignore ActualText (pdf.js, poppler's structure text).
So each glyph is given the characters it is read as: a cluster's characters (HarfBuzz
keeps a grapheme's glyphs in one cluster) are dealt out to its glyphs in the order
they are drawn, left to right, the last glyph taking the rest.  A reader that sorts
glyphs by position or takes them in drawing order then reads the cluster's characters
in order; a vowel sign drawn before its consonant (Devanagari ि) is read after it.
A cluster with more glyphs than characters (a split vowel, Bengali ো drawn as ে and
া) gives its further glyphs U+2060 WORD JOINER, which readers skip: the text layer keeps
the author's code point (ো), not its canonical parts, which eSpeak NG reads as two
vowels.  The PDF writer maps each glyph, by a code of its own, to exactly its
characters (``rxleaflet.pdf`` fence: ToUnicode).
"""
from __future__ import annotations

import functools
import unicodedata
from typing import NamedTuple, Optional


# The text of a glyph that reads as nothing (U+2060 WORD JOINER): the layout draws such a
# glyph as a shape, never as text (see layout/textset.py), so no reader meets it.
WORD_JOINER = "\u2060"


class Glyph(NamedTuple):
    """One glyph of a shaped run, where it is drawn from the run's start, in font units."""

    gid: int
    text: str  # the author's characters it is read as ("" for a further part of one)
    x: int
    y: int


class Run(NamedTuple):
    """A shaped run: its glyphs in the order they are drawn and read (left to right), and its advance."""

    glyphs: tuple[Glyph, ...]
    advance: int


class Shaper:
    """One font file, open in HarfBuzz, shaping runs of one script and language."""

    def __init__(self, path: str):
        import uharfbuzz

        self._hb = uharfbuzz
        self.path = path
        self.font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(path)))
        self.upem = self.font.face.upem

    def run(self, text: str, lang: Optional[str] = None, rtl: bool = False) -> Run:
        """``text`` shaped, left to right as drawn (a right-to-left run comes out in visual order)."""
        hb = self._hb
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.direction = "rtl" if rtl else "ltr"
        if lang:
            buffer.language = lang
        buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
        hb.shape(self.font, buffer, {})
        return _dealt(text, buffer.glyph_infos, buffer.glyph_positions, rtl, self.upem // 20)


def _dealt(text: str, infos, positions, rtl: bool, slack: int) -> Run:
    """The glyphs, each with the characters it is read as (see the module's docstring)."""
    clusters: list[tuple[int, list]] = []  # (first character, [(x, y, glyph id)]) in drawing order
    pen = 0
    for info, position in zip(infos, positions):
        if not clusters or clusters[-1][0] != info.cluster:
            clusters.append((info.cluster, []))
        clusters[-1][1].append((pen + position.x_offset, position.y_offset, info.codepoint))
        pen += position.x_advance
    starts = sorted({start for start, _ in clusters})
    ends = dict(zip(starts, starts[1:] + [len(text)]))
    glyphs = []
    for number, (start, members) in enumerate(clusters):
        characters = text[start:ends[start]]
        if rtl:
            # A right-to-left run is written in visual order, and read so (see linebreak):
            # its clusters' characters go the same way.
            characters = characters[::-1]
        members.sort(key=lambda member: member[0])
        # The characters ride on the cluster's glyphs on the baseline, left to right, those
        # drawn no further right than the next cluster starts (a twentieth of an em of
        # kerning aside).  A glyph the font moves up or down (a Khmer subscript, a mark
        # placed over a vowel) or sets past the next cluster reads as nothing: readers that
        # order glyphs by position would read it after the next cluster, and pdftotext
        # starts a new line at a glyph off the baseline.
        following = min((x for x, _, _ in clusters[number + 1][1]), default=None) if number + 1 < len(clusters) else None
        level = [member for member in members if member[1] == 0] or members
        read = [member for member in level if following is None or member[0] <= following + slack] or level[:1]
        if following is not None:  # drawn no further right than the next cluster starts
            members = [(min(x, following), y, gid) if (x, y, gid) in read else (x, y, gid) for x, y, gid in members]
            read = [(min(x, following), y, gid) for x, y, gid in read]
        for member in members:
            index = read.index(member) if member in read else len(characters)
            if index >= len(characters):
                piece = WORD_JOINER  # more glyphs than characters, even decomposed: reads as nothing
            elif index == len(read) - 1:
                piece = characters[index:]
            else:
                piece = characters[index]
            glyphs.append(Glyph(member[2], piece, member[0], member[1]))
    # Drawn left to right, whatever the cluster: a reader that sees a glyph start left of
    # the one before takes a new word or line there.  The characters were dealt so that
    # this order is also the reading order (a glyph that reads as nothing may go anywhere).
    glyphs.sort(key=lambda glyph: glyph.x)
    return Run(tuple(glyphs), pen)


@functools.lru_cache(maxsize=None)
def shaper(path: str) -> Shaper:
    """The process's HarfBuzz font for a font file."""
    return Shaper(path)


def is_rtl_run(text: str) -> bool:
    """Is ``text`` right to left (it holds a Hebrew or Arabic letter)?"""
    return not text.isascii() and any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def visual_glyphs(text: str, path: str) -> Run:
    """A run of a set line as drawn: ``text`` as the line holds it (a right-to-left run in
    visual order, its brackets mirrored) shaped in the font at ``path``, uncached (a
    patient's name may be in it).  Each glyph reads as the characters the line holds for
    it, so a right-to-left run reads as before shaping: visual order, mirrored brackets.

    In a right-to-left run every glyph reads as one character: a ligature's further
    characters (lam-alef reads as two) ride on zero-width, empty glyphs (the font's
    zero-width non-joiner) set at its right edge, where the glyph after it starts, so that
    no reader sees a gap (PDFium reads a gap inside a word as a space).  Readers reverse a right-to-left
    run to read it, and some (pypdf) do not reverse the characters of one glyph."""
    if not is_rtl_run(text):
        return shaper(path).run(text)
    from .bidi import mirrored

    font = shaper(path).font
    run = shaper(path).run(mirrored(text[::-1]), None, rtl=True)
    carrier = font.get_nominal_glyph(0x200C) or font.get_nominal_glyph(0x200B)
    glyphs = []
    for glyph in run.glyphs:
        shown = mirrored(glyph.text)
        if len(shown) < 2 or carrier is None:
            glyphs.append(glyph._replace(text=shown))
            continue
        width = font.get_glyph_h_advance(glyph.gid)
        glyphs.append(glyph._replace(text=shown[0]))
        glyphs += [Glyph(carrier, char, glyph.x + width, glyph.y) for char in shown[1:]]
    return Run(tuple(glyphs), run.advance)


def needs_shaping(text: str) -> bool:
    """Does ``text`` hold a character whose script's letters join, stack or reorder, or a combining mark?"""
    if text.isascii():
        return False
    return any(ord(char) >= _COMPLEX_FROM and _is_complex(char) for char in text)


_COMPLEX_FROM = 0x0300
# Blocks whose letters need a font's shaping rules: Hebrew (points), Arabic and its
# supplements, Syriac, Thaana, N'Ko, the Brahmic scripts from Devanagari to Sinhala,
# Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian; Arabic presentation forms are never
# in the author's text (they are refused as what they are).
_COMPLEX_BLOCKS = ((0x0591, 0x05C8), (0x0600, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0EFF), (0x0F00, 0x0FFF),
                   (0x1000, 0x109F), (0x1780, 0x18AF), (0xA8E0, 0xA8FF), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F))


def _is_complex(char: str) -> bool:
    code = ord(char)
    if any(start <= code <= end for start, end in _COMPLEX_BLOCKS):
        return True
    return unicodedata.category(char) == "Mn"  # a combining mark not composed with its letter


def outline(shaper: Shaper, gid: int, path, x: float, y: float, scale: float) -> None:
    """Add a glyph's outline to ``path`` (a ReportLab path: moveTo, lineTo, curveTo,
    close), its origin at (x, y), font units times ``scale``."""
    for operator, points in _outline(shaper.path, gid):
        placed = [x + px * scale if index % 2 == 0 else y + px * scale for index, px in enumerate(points)]
        getattr(path, operator)(*placed)


@functools.lru_cache(maxsize=4096)
def _outline(path: str, gid: int) -> tuple:
    """A glyph's outline as (operator, coordinates) in font units: a shape, not text."""
    from fontTools.pens.basePen import BasePen

    class Recorder(BasePen):
        def __init__(self):
            super().__init__(None)
            self.steps = []

        def _moveTo(self, point):
            self.steps.append(("moveTo", point))

        def _lineTo(self, point):
            self.steps.append(("lineTo", point))

        def _curveToOne(self, first, second, third):
            self.steps.append(("curveTo", first + second + third))

        def _closePath(self):
            self.steps.append(("close", ()))

        _endPath = _closePath

    recorder = Recorder()
    shaper(path).font.draw_glyph_with_pen(gid, recorder)
    return tuple(recorder.steps)
