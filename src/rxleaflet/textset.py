"""Text setting: styles, set lines, line breaking, drawing lines, breaking over-long words.

Text is set by our own small line breaker instead of ReportLab's Paragraph:
it never parses content as markup (so ``<``, ``&`` and ``*`` print as
written), picks a font per character so nothing falls to .notdef, keeps the
space at the end of each line (so extracted text reads "end of line. Next"),
and breaks an over-long word inside the margins.  Set lines are cached for the
whole process and shared, so they are immutable.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple, Optional

from reportlab.lib.colors import HexColor

from . import bidi, fonts, tag
from .model import Span

# Baseline of the first line below the top of its line box, as a share of the
# font size: Atkinson Hyperlegible's ascender is 0.8 em.
ASCENT = 0.8
# A width or height no text reaches: "no limit" to platypus and the line breaker.
UNLIMITED = 1e9

@dataclass(frozen=True)
class TextStyle:
    size: float
    leading: float
    bold: bool = False
    colour: str = "#000000"
    rtl: bool = False  # right-to-left paragraph: lines ordered and aligned from the right


class _WholeWord:
    """While lines are made: the text a word cut into chunks is read as (see ``_Word``)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class _Word:
    __slots__ = ("pieces", "width", "space", "opens", "closes")

    def __init__(self, pieces, width, space, opens=None, closes=None):
        self.pieces = pieces  # [(font, text, width)]
        self.width = width
        self.space = space  # (font, width) of the space after the word, or None
        # A word too wide for a line is cut into chunks; the first chunk carries
        # the whole word (``opens``) and the last one ``closes`` it, so that the
        # chunks are read as one word, not as several.
        self.opens: Optional[_WholeWord] = opens
        self.closes: Optional[_WholeWord] = closes  # the same object, on the last chunk


class ActualText(NamedTuple):
    """In a line's runs: what the runs up to the next ``END_ACTUAL_TEXT`` are read as."""

    text: Optional[str]


END_ACTUAL_TEXT = ActualText(None)


class Line(NamedTuple):
    """One line of set text: runs of (font name, text), in visual order, and ActualText markers.

    Immutable: lines are cached for the whole process and shared between builds.
    """

    runs: tuple
    width: float

    @property
    def text(self) -> str:
        return "".join(run[1] for run in self.runs if not isinstance(run, ActualText))


def _words(spans, style: TextStyle, measure) -> list[_Word]:
    words: list[_Word] = []
    pieces: list = []
    width = 0.0
    size = style.size
    for span in spans:
        bold, italic = style.bold or span.bold, span.italic
        for index, part in enumerate(span.text.split(" ")):
            if index and pieces:  # a space ends the word so far
                # The space takes the font of the text before it, so that a space kept
                # at a line end shares that text's run (readers drop a lone space).
                space_font = pieces[-1][0]
                words.append(_Word(pieces, width, (space_font, measure(" ", space_font, size))))
                pieces, width = [], 0.0
            if part:
                for font, text in fonts.font_runs(part, bold, italic):
                    piece_width = measure(text, font, size)
                    pieces.append((font, text, piece_width))
                    width += piece_width
    if pieces:
        words.append(_Word(pieces, width, None))
    return words


def _split_long_word(word: _Word, width: float, size: float) -> list[_Word]:
    """Cut a word wider than the line (a long URL) into chunks that fit."""
    chunks: list[_Word] = []
    pieces: list = []
    used = 0.0
    for font, text, _ in word.pieces:
        for char in text:
            char_width = fonts.string_width(char, font, size)
            if pieces and used + char_width > width:
                chunks.append(_Word(pieces, used, None))
                pieces, used = [], 0.0
            if pieces and pieces[-1][0] == font:
                last = pieces[-1]
                pieces[-1] = (font, last[1] + char, last[2] + char_width)
            else:
                pieces.append((font, char, char_width))
            used += char_width
    chunks.append(_Word(pieces, used, word.space))
    if len(chunks) > 1:
        chunks[0].opens = chunks[-1].closes = _WholeWord("".join(text for _, text, _ in word.pieces))
    return chunks


@functools.lru_cache(maxsize=4096)
def break_lines(spans, style: TextStyle, width: float) -> tuple[Line, ...]:
    """Greedy, ragged-right line breaking at spaces; no hyphenation.

    Cached, with the widths of its words: a leaflet's body is set once per
    process and reused by every build of it (a batch of patients of one
    medicine).  Only for text that is not one patient's: see
    :func:`break_private_lines`.
    """
    return _set_lines(spans, style, width, fonts.string_width)


def break_private_lines(spans, style: TextStyle, width: float) -> tuple[Line, ...]:
    """:func:`break_lines` for one patient's details, with no cache on the way, so that
    nothing in the process holds them once their leaflet is built."""
    return _set_lines(spans, style, width, fonts.uncached_string_width)


def _set_lines(spans, style: TextStyle, width: float, measure) -> tuple[Line, ...]:
    bidirectional = style.rtl or any(bidi.has_rtl(span.text) for span in spans)
    words = _words(bidi.shape(spans) if bidirectional else spans, style, measure)
    lines: list[list[_Word]] = []
    current: list[_Word] = []
    used = 0.0
    for group in _unbreakable_groups(words):
        if len(group) > 1 and current:
            # A dose and its unit start a new line together when they do not fit on this one
            # (and fit on a line of their own: a longer group breaks as words do).
            group_width = sum(word.width for word in group) + sum(word.space[1] for word in group[:-1])
            gap = current[-1].space[1] if current[-1].space else 0.0
            if used + gap + group_width > width >= group_width:
                lines.append(current)
                current, used = [], 0.0
        for word in group:
            for part in (_split_long_word(word, width, style.size) if word.width > width else (word,)):
                gap = current[-1].space[1] if current and current[-1].space else 0.0
                if current and used + gap + part.width > width:
                    lines.append(current)
                    current, used, gap = [], 0.0, 0.0
                current.append(part)
                used += gap + part.width
    if current:
        lines.append(current)
    if not bidirectional:
        _read_hyphens_at_line_ends(lines)
        return tuple(_make_line(line, trailing_space=number < len(lines) - 1) for number, line in enumerate(lines))
    return tuple(_make_visual_line(line, style, measure, trailing_space=number < len(lines) - 1)
                 for number, line in enumerate(lines))


# A number as doses are written: 2, 0.5, 1,000, 2–3, (2, in any script's digits.
_NUMBER = re.compile(r"[(\[]?\d[\d.,\u066b\u066c]*(?:[-\u2010-\u2013]\d[\d.,\u066b\u066c]*)?")


def _unbreakable_groups(words: list[_Word]) -> list[list[_Word]]:
    """The words in runs that no line break may split: a number and the word after it
    ("2 mg", "3 times", "2 מ״ג"), so that a dose never loses its unit at a line end."""
    groups: list[list[_Word]] = []
    glued = False
    for word in words:
        if glued:
            groups[-1].append(word)
        else:
            groups.append([word])
        glued = (word.space is not None and word.pieces[-1][1][-1:].isdigit()  # the quick test first
                 and _NUMBER.fullmatch("".join(piece[1] for piece in word.pieces)) is not None)
    return groups


def _read_hyphens_at_line_ends(lines: list[list[_Word]]) -> None:
    """A cut word whose last chunk ends a line with "-" is read as "word- ": said
    before any line is made, since its ActualText opens on an earlier line."""
    for words in lines[:-1]:
        last = words[-1]
        if last.closes and last.space and last.pieces[-1][1].endswith("-"):
            last.closes.text += " "


def _make_visual_line(words: list[_Word], style: TextStyle, measure, trailing_space: bool) -> Line:
    """A line with right-to-left text, as drawn: words in visual order, each right-to-left
    word reversed and shaped.  Readers (PDFium, poppler, pdf.js) turn visual order back
    into reading order themselves; in a right-to-left paragraph an ActualText would
    be reversed a second time."""
    texts = ["".join(text for _, text, _ in word.pieces) for word in words]
    regular = fonts.BOLD if style.bold else fonts.REGULAR
    space = measure(" ", regular, style.size)
    # The space that ends the line in reading order stands at its left end, where it is drawn.
    runs: list = [(regular, " ")] if trailing_space else []
    width = space if trailing_space else 0.0
    for position, index in enumerate(bidi.visual_order(texts, style.rtl)):
        pieces = [(font, text) for font, text, _ in words[index].pieces]
        if bidi.has_rtl(texts[index]):  # drawn from its end; each piece keeps its font (bold, italic …)
            pieces = [(font, bidi.display(text)) for font, text in reversed(pieces)]
        for font, text in ([(runs[-1][0], " ")] if position else []) + pieces:
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + text)
            else:
                runs.append((font, text))
            width += measure(text, font, style.size)
    if not style.rtl:
        # A right-to-left name in a left-to-right line: PDFium's guess at reading order
        # gets the words of such a line wrong, and takes an ActualText nearly right.
        runs = [ActualText(" ".join(texts) + (" " if trailing_space else ""))] + runs + [END_ACTUAL_TEXT]
    return Line(tuple(runs), width)


def _make_line(words: list[_Word], trailing_space: bool) -> Line:
    runs: list = []
    width = 0.0

    def add(font, text, text_width):
        nonlocal width
        if runs and not isinstance(runs[-1], ActualText) and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + text)
        else:
            runs.append((font, text))
        width += text_width

    for position, word in enumerate(words):
        if word.opens:
            runs.append(ActualText(word.opens.text))
        for font, text, piece_width in word.pieces:
            add(font, text, piece_width)
        is_last = position == len(words) - 1
        # The space at a line break is kept (drawn past the text, invisible) so
        # that extracted text and screen readers do not run words together.
        line_end_space = word.space and is_last and trailing_space
        if line_end_space and runs[-1][1].endswith("-"):
            # "word-" at a line end reads as a hyphenated word joined to the next
            # line (PDFium does so): say explicitly that it is "- ".
            if word.closes:  # read as "word- " already (_read_hyphens_at_line_ends)
                add(word.space[0], " ", 0.0)
            else:
                _keep_hyphen_and_space(runs, word.space[0])
            line_end_space = False
        if word.closes:
            runs.append(END_ACTUAL_TEXT)
        if word.space and (not is_last or line_end_space):
            add(word.space[0], " ", 0.0 if is_last else word.space[1])
    return Line(tuple(runs), width)


def _keep_hyphen_and_space(runs: list, space_font: str) -> None:
    """Replace the line's closing "-" by an ActualText "- " over "-" and a space."""
    font, text = runs.pop()
    if text[:-1]:
        runs.append((font, text[:-1]))
    runs += [ActualText("- "), (font, "-"), (space_font, " "), END_ACTUAL_TEXT]


def draw_lines(canv, lines, style: TextStyle, x: float, top: float, width: float = 0.0) -> None:
    """Draw set lines with the first line's box starting at ``top``; a right-to-left
    style aligns them to the right edge of ``width``."""
    text = canv.beginText()
    text.setFillColor(HexColor(style.colour))
    baseline = top - (style.leading - style.size) / 2 - ASCENT * style.size
    current_font = None
    for index, line in enumerate(lines):
        left = x + width - line.width if style.rtl else x
        text.setTextOrigin(left, baseline - index * style.leading)
        for run in line.runs:
            if isinstance(run, ActualText):
                if run is END_ACTUAL_TEXT:
                    tag.end_actual_text(text)
                else:
                    tag.begin_actual_text(text, run.text)
                continue
            font, chunk = run
            if font != current_font:
                text.setFont(font, style.size, style.leading)
                current_font = font
            text.textOut(chunk)
    canv.drawText(text)


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


def one_line_width(text: str, style: TextStyle) -> float:
    return break_lines((Span(text),), style, UNLIMITED)[0].width


def fit_text(text: str, style: TextStyle, width: float, template: str = "{title}") -> str:
    """``template`` filled with ``text``, shortened with "…" until it fits on one line."""
    if one_line_width(template.format(title=text), style) <= width:
        return template.format(title=text)
    shortest, longest = 0, len(text)  # the longest prefix that fits, by bisection
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if one_line_width(template.format(title=text[:middle].rstrip() + "…"), style) <= width:
            shortest = middle
        else:
            longest = middle - 1
    return template.format(title=text[:shortest].rstrip() + "…")
