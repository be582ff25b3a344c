"""Drawing set lines: text objects on the tagged canvas, links in their own marked content, words read whole (ActualText).

Lines are set by ``rxleaflet.text.linebreak``; this module draws them, in an
element's marked content or as an artifact, finds where a link's text was drawn
(for its annotation), and keeps a word cut by a page break read as one word.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from reportlab.lib.colors import HexColor

from ..pdf import reportlab_fence
from ..text import fonts, shaping
from ..text.linebreak import END_ACTUAL_TEXT, ActualText, Line, Placed, TextStyle

# Baseline of the first line below the top of its line box, as a share of the
# font size: Atkinson Hyperlegible's ascender is 0.8 em.
ASCENT = 0.8


class _TextWriter:
    """Draws runs into text objects for ``draw_lines``, and carries out ActualText markers.

    Inside a tagged element's marked-content sequence an ActualText becomes a sequence
    of that element of its own (``canvas.go_on_marked``), which ends the text object:
    a sequence nested in the element's one is where poppler's structure text stops
    reading.  Elsewhere (an artifact) it is a nested Span, as readers skip it anyway.
    The end of an ActualText waits for the next run, so that nothing opens an empty
    sequence; at the end of the lines the element's sequence closes it.
    """

    def __init__(self, canv, style: TextStyle):
        self.canv = canv
        self.style = style
        self.text = self._begin()
        self.font = None
        self.drawn = False  # anything in the current text object
        self.ending = False  # an ActualText ended, its sequence still open

    def _begin(self, x: float = 0.0, y: float = 0.0):
        text = self.canv.beginText(x, y)
        text.setFillColor(HexColor(self.style.colour))
        return text

    def _go_on(self, actual: Optional[str]) -> None:
        text = self.text
        x, y = text.getX(), text.getY()
        if self.drawn:
            self.canv.drawText(text)
        self.canv.go_on_marked(actual)
        self.text, self.font, self.drawn = self._begin(x, y), None, False

    def actual_text(self, marker: ActualText) -> None:
        in_element = self.canv.in_element()
        if marker is END_ACTUAL_TEXT:
            if in_element:
                self.ending = True
            else:
                reportlab_fence.end_actual_text(self.text)
        elif in_element:
            self.ending = False
            self._go_on(marker.text)
        else:
            reportlab_fence.begin_actual_text(self.text, marker.text)

    def origin(self, x: float, y: float) -> None:
        self.text.setTextOrigin(x, y)

    def switch(self, slot, actual: Optional[str], x: float, y: float) -> None:
        """What follows is the content of ``slot``'s element (a link, the text after it),
        read as ``actual`` if given.  Untagged, there is nothing to mark: it goes on."""
        if not self.canv.in_element():
            return
        if self.drawn:
            self.canv.drawText(self.text)
        self.canv.go_on_marked(actual, slot)
        self.text, self.font, self.drawn, self.ending = self._begin(), None, False, False
        self.text.setTextOrigin(x, y)

    def run(self, font: str, chunk: str) -> None:
        if self.ending:
            self.ending = False
            self._go_on(None)
        if font != self.font:
            self.text.setFont(font, self.style.size, self.style.leading)
            self.font = font
        face = None if chunk.isascii() else fonts.shaping_face(font)
        if face is not None and shaping.needs_shaping(chunk):
            self._shaped(face, font, chunk)
        else:
            self.text.textOut(chunk)
        self.drawn = True

    def _shaped(self, face, font: str, chunk: str) -> None:
        """A run whose letters join or stack, drawn as HarfBuzz shaped it, each glyph read
        as the author's characters it stands for (see ``rxleaflet.text.shaping``).

        A glyph that reads as nothing (a Khmer subscript or a mark the font sets off the
        baseline, a glyph set past the next cluster) is drawn as a shape, not as text:
        a reader sees no glyph off the baseline or out of order, which pdftotext, PDFium and
        pdf.js take for a word break."""
        scale = 1000 / shaping.shaper(face.path).upem
        run = shaping.visual_glyphs(chunk, face.path)
        spoken = [glyph for glyph in run.glyphs if glyph.text != shaping.WORD_JOINER]
        starts = [glyph.x * scale for glyph in spoken] + [run.advance * scale]
        widths = [max(0, round(after - before)) for before, after in zip(starts, starts[1:])]  # 1/1000 em
        codes = reportlab_fence.glyph_codes(font, [(glyph.gid, glyph.text, width) for glyph, width in zip(spoken, widths)])
        x, y = self.text.getX(), self.text.getY()
        reportlab_fence.draw_glyphs(self.text, font, codes, [(glyph.x * scale, glyph.y * scale) for glyph in spoken],
                                    run.advance * scale)
        silent = [glyph for glyph in run.glyphs if glyph.text == shaping.WORD_JOINER]
        if silent:
            self._outlines(face, silent, x, y)

    def _outlines(self, face, glyphs, x: float, y: float) -> None:
        """Glyphs drawn as filled shapes at (x, y), the start of their run on the baseline:
        the text object so far is written, and the next one starts where it ended."""
        end = self.text.getX()
        self.canv.drawText(self.text)
        size = self.style.size
        shaper = shaping.shaper(face.path)
        self.canv.saveState()
        self.canv.setFillColor(HexColor(self.style.colour))
        path = self.canv.beginPath()
        for glyph in glyphs:
            shaping.outline(shaper, glyph.gid, path, x + glyph.x * size / shaper.upem, y + glyph.y * size / shaper.upem,
                            size / shaper.upem)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()
        self.text, self.font, self.drawn = self._begin(end, y), None, False

    def finish(self) -> None:
        if self.drawn:
            self.canv.drawText(self.text)


def draw_lines(canv, lines, style: TextStyle, x: float, top: float, width: float = 0.0) -> None:
    """Draw set lines with the first line's box starting at ``top``; a right-to-left
    style aligns them to the right edge of ``width``."""
    writer = _TextWriter(canv, style)
    baseline = top - (style.leading - style.size) / 2 - ASCENT * style.size
    for index, line in enumerate(lines):
        left = x + width - line.width if style.rtl else x
        y = baseline - index * style.leading
        writer.origin(left, y)
        for run in line.runs:
            if isinstance(run, ActualText):
                writer.actual_text(run)
            elif isinstance(run, Placed):
                writer.origin(left + run.x, y)
                writer.run(run.font, run.text)
            else:
                writer.run(*run)
    writer.finish()


class Segment(NamedTuple):
    """A stretch of a text block's characters that is its own marked content: the text
    of a paragraph between links, or a link (tagged Link, with an annotation)."""

    end: int  # offset of the character after it, in the block's text
    slot: object  # tag.Slot
    link: Optional[str] = None  # the target, for a link


class LinkBox(NamedTuple):
    """Where a link's text was drawn on one line, in the flowable's coordinates."""

    segment: int
    left: float
    right: float
    baseline: float


def draw_segmented_lines(canv, lines, style: TextStyle, x: float, top: float, segments,
                         offset: int) -> list[LinkBox]:
    """Draw set lines (left to right) with each segment of the text a marked-content
    sequence of its own element, starting ``offset`` characters into the block's text:
    the caller has opened ``canv.marked`` with the first segment's slot.  Returns where each
    link's text was drawn.  A word read whole (ActualText) that a segment boundary cuts is
    read in its two parts, each in its segment.
    """
    writer = _TextWriter(canv, style)
    baseline = top - (style.leading - style.size) / 2 - ASCENT * style.size
    boxes: list[LinkBox] = []
    seg = next(i for i, segment in enumerate(segments) if segment.end > offset)
    # A word cut by a page break is read in its two parts here: each part as the characters
    # it draws (the part before the break reads no further; the part after it, which
    # close_actual_text marks to be read as a space, reads as drawn).
    last = offset + sum(len(line.text) for line in lines)
    skip_end = bool(lines and lines[0].runs and lines[0].runs[0] == ActualText(" ") and offset)
    actual: Optional[tuple[str, int]] = None  # an open ActualText: the text it reads and where it starts
    for index, line in enumerate(lines):
        y = baseline - index * style.leading
        writer.origin(x, y)
        position = x
        for number, run in enumerate(line.runs):
            if isinstance(run, ActualText):
                if skip_end and (run is END_ACTUAL_TEXT or index == number == 0):
                    skip_end = run is not END_ACTUAL_TEXT
                    continue
                actual = None if run is END_ACTUAL_TEXT else (run.text, offset)
                writer.actual_text(run if actual is None else
                                   ActualText(_reading_within(actual, offset, min(segments[seg].end, last))))
                continue
            font, chunk = run
            while chunk:
                room = segments[seg].end - offset
                if room <= 0 and seg + 1 < len(segments):
                    seg += 1
                    reading = _reading_within(actual, offset, min(segments[seg].end, last)) if actual else None
                    writer.switch(segments[seg].slot, reading, position, y)
                    continue
                piece, chunk = (chunk[:room], chunk[room:]) if room > 0 else (chunk, "")
                writer.run(font, piece)
                piece_width = fonts.string_width(piece, font, style.size)
                if segments[seg].link and piece.strip():
                    visible = piece.rstrip(" ")  # not the space kept at a line end
                    right = position + (piece_width if visible == piece else
                                        fonts.string_width(visible, font, style.size))
                    boxes.append(LinkBox(seg, position, right, y))
                position += piece_width
                offset += len(piece)
    writer.finish()
    return boxes


def find_links_in_visual_lines(lines, style: TextStyle, x: float, top: float, width: float,
                               links: list[str], found: set) -> list[LinkBox]:
    """Right to left, where each link's text shows: a link there is one left-to-right word
    (an address, a number), drawn as written inside a placed run.  Links are taken in
    reading order, each at the next place after the one before where its word stands
    whole (not inside a longer word), so that two links with the same address each get
    their own.  ``found``: the links already found (in a split block's earlier part),
    updated."""
    baseline = top - (style.leading - style.size) / 2 - ASCENT * style.size
    places = []  # (link word, left, right, baseline) of each whole word, in reading order
    for index, line in enumerate(lines):
        y = baseline - index * style.leading
        left = x + width - line.width if style.rtl else x
        position = left
        for run in line.runs:
            if isinstance(run, ActualText):
                continue
            font, text = run[0], run[1]
            start = left + run.x if isinstance(run, Placed) else position
            for match in _LINK_WORD.finditer(text):
                before = fonts.string_width(text[:match.start()], font, style.size)
                places.append((match.group().casefold(), start + before,
                               start + before + fonts.string_width(match.group(), font, style.size), y))
            position = start + fonts.string_width(text, font, style.size)
    boxes: list[LinkBox] = []
    at = 0
    for number, link in enumerate(links):
        if number in found or not link:
            continue
        wanted = link.casefold()
        for place in range(at, len(places)):
            if places[place][0] == wanted:
                found.add(number)
                boxes.append(LinkBox(number, *places[place][1:]))
                at = place + 1
                break
    return boxes


# A word as a link prints it: no space (a no-break space joins a phone number's parts),
# no bracket or sentence sign at either end.
_LINK_WORD = re.compile(r"[^ ()\[\]]+?(?=[.,;:!?]*(?:[ ()\[\]]|$))")


def _reading_within(actual: tuple[str, int], start: int, end: int) -> str:
    """The part of an ActualText's reading from offset ``start`` to ``end`` of the text:
    a word cut at the margin, read whole, but in the segments it belongs to."""
    reading, begins = actual
    if begins + len(reading) <= end:
        return reading[start - begins:]  # to its end (with a space it may add)
    return reading[start - begins:end - begins]


def open_actual_text(lines) -> int:
    """How many ActualText spans are still open after ``lines``."""
    depth = 0
    for line in lines:
        for run in line.runs:
            if isinstance(run, ActualText):
                depth += -1 if run is END_ACTUAL_TEXT else 1
    return depth


def close_actual_text(head: tuple[Line, ...], tail: tuple[Line, ...]) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """A broken word cut by a page break: the head part is read as the whole
    word, the rest of it on the next page as a space (PDFium ignores an empty
    ActualText)."""
    if not open_actual_text(head):
        return head, tail
    last, first = head[-1], tail[0]
    head = head[:-1] + (Line(last.runs + (END_ACTUAL_TEXT,), last.width),)
    tail = (Line((ActualText(" "),) + first.runs, first.width),) + tail[1:]
    return head, tail
