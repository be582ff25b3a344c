"""The model laid out as platypus flowables, each knowing its structure element.

Text is set by our own small line breaker instead of ReportLab's Paragraph:
it never parses content as markup (so ``<``, ``&`` and ``*`` print as
written), picks a font per character so nothing falls to .notdef, keeps the
space at the end of each line (so extracted text reads "end of line. Next"),
breaks an over-long word inside the margins, and lets every text block split
across pages as one structure element.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Optional

from reportlab.lib.colors import HexColor
from reportlab.platypus.flowables import Flowable

from . import bidi, fonts, model, tag
from .messages import long_date, messages
from .model import Span
from .tag import Element, Slot
from .theme import Theme

# Baseline of the first line below the top of its line box, as a share of the
# font size: Atkinson Hyperlegible's ascender is 0.8 em.
_ASCENT = 0.8


# -- line breaking ------------------------------------------------------------

@dataclass(frozen=True)
class TextStyle:
    size: float
    leading: float
    bold: bool = False
    colour: str = "#000000"
    rtl: bool = False  # right-to-left paragraph: lines ordered and aligned from the right


class _Word:
    __slots__ = ("pieces", "width", "space", "opens", "closes")

    def __init__(self, pieces, width, space, opens=None, closes=None):
        self.pieces = pieces  # [(font, text, width)]
        self.width = width
        self.space = space  # (font, width) of the space after the word, or None
        # A word too wide for a line is cut into chunks; the first chunk carries
        # the whole word (``opens``) and the last one ``closes`` it, so that the
        # chunks are read as one word, not as several.
        self.opens = opens  # the ActualText that reads the chunks as the whole word
        self.closes = closes  # the same ActualText, on the last chunk


class ActualText:
    """In a line's runs: what the runs up to the next ``END_ACTUAL_TEXT`` are read as."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


END_ACTUAL_TEXT = ActualText(None)


class Line:
    """One line of set text: runs of (font name, text), in visual order, and ActualText markers."""

    __slots__ = ("runs", "width")

    def __init__(self, runs, width):
        self.runs = runs
        self.width = width

    @property
    def text(self) -> str:
        return "".join(run.text if isinstance(run, Placed) else run[1]
                       for run in self.runs if not isinstance(run, ActualText))


def _words(spans, style: TextStyle) -> list[_Word]:
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
                words.append(_Word(pieces, width, (space_font, fonts.string_width(" ", space_font, size))))
                pieces, width = [], 0.0
            if part:
                for font, text in fonts.font_runs(part, bold, italic):
                    piece_width = fonts.string_width(text, font, size)
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
        chunks[0].opens = chunks[-1].closes = ActualText("".join(text for _, text, _ in word.pieces))
    return chunks


@functools.lru_cache(maxsize=4096)
def break_lines(spans, style: TextStyle, width: float) -> list[Line]:
    """Greedy, ragged-right line breaking at spaces; no hyphenation.

    Cached: a leaflet's body is set once per process and reused by every
    build of it (a batch of patients of one medicine).  Callers must not
    change the lines they get.
    """
    bidirectional = style.rtl or any(bidi.has_rtl(span.text) for span in spans)
    words = _words(bidi.shape(spans) if bidirectional else spans, style)
    lines: list[Line] = []
    current: list[_Word] = []
    used = 0.0
    for word in words:
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
        return [_make_line(line, trailing_space=number < len(lines) - 1) for number, line in enumerate(lines)]
    return [_make_visual_line(line, style, trailing_space=number < len(lines) - 1) for number, line in enumerate(lines)]


class Placed:
    """A run drawn at ``x`` from the line's start: a line with right-to-left text is
    stored in reading (logical) order, each run placed where it shows.  ``flip``:
    a bracket drawn as its mirror image (an opening bracket in right-to-left text
    looks like a closing one), so that its character stays the one written."""

    __slots__ = ("font", "text", "x", "width", "flip")

    def __init__(self, font: str, text: str, x: float, width: float, flip: bool = False):
        self.font, self.text, self.x, self.width, self.flip = font, text, x, width, flip


def _make_visual_line(words: list[_Word], style: TextStyle, trailing_space: bool) -> Line:
    """A line with right-to-left text: words and the spaces between them placed in
    visual order (the bidi algorithm's rule L2), but written in reading order, so
    that readers which follow the content (screen readers through the structure
    tree, poppler, pdf.js) and readers which sort by position (PDFium, pdftotext)
    both read it in logical order.  A right-to-left word is written letter by letter,
    each at its place, so no reader reverses it a second time."""
    regular = fonts.BOLD if style.bold else fonts.REGULAR
    size = style.size
    # Tokens in logical order: the words and the spaces between them (and the space
    # that ends the line), each a list of (font, text, width) pieces.
    tokens: list[list] = []
    for position, word in enumerate(words):
        tokens.append([(font, text, width) for font, text, width in word.pieces])
        if position < len(words) - 1 or trailing_space:
            space_font = word.space[0] if word.space else regular
            tokens.append([(space_font, " ", fonts.string_width(" ", space_font, size))])
    texts = ["".join(text for _, text, _ in pieces) for pieces in tokens]
    x = 0.0
    starts = [0.0] * len(tokens)
    for index in bidi.visual_order(texts, style.rtl):
        starts[index] = x
        x += sum(width for _, _, width in tokens[index])
    width = x
    if trailing_space and not style.rtl and starts[-1] >= x - tokens[-1][0][2] - 1e-6:
        width -= tokens[-1][0][2]  # the space that ends a left-to-right line stands past its end
    runs: list = []
    for index, pieces in enumerate(tokens):
        if bidi.has_rtl(texts[index]):
            runs += _placed_rtl_word(pieces, starts[index], size)
            continue
        x = starts[index]
        for font, text, piece_width in pieces:
            runs.append(Placed(font, text, x, piece_width))
            x += piece_width
    return Line(runs, width)


def _placed_rtl_word(pieces: list, start: float, size: float) -> list[Placed]:
    """A right-to-left word's characters in reading order, each placed where the
    bidi algorithm shows it; a run of them that shows left to right (a number) is
    kept together."""
    chars = [(font, char) for font, text, _ in pieces for char in text]
    char_levels = bidi.levels([char for _, char in chars], rtl_paragraph=True)
    order = bidi.reorder(char_levels)
    widths = [fonts.string_width(char, font, size) for font, char in chars]
    lefts = [0.0] * len(chars)
    x = start
    for index in order:
        lefts[index] = x
        x += widths[index]
    runs: list[Placed] = []
    for index, (font, char) in enumerate(chars):
        flip = char_levels[index] % 2 == 1 and bidi.mirrored(char) != char
        last = runs[-1] if runs else None
        if (last is not None and not flip and not last.flip and last.font == font
                and abs(last.x + last.width - lefts[index]) < 1e-6 and char_levels[index] % 2 == 0):
            last.text += char  # continues a left-to-right run (digits)
            last.width += widths[index]
        else:
            runs.append(Placed(font, char, lefts[index], widths[index], flip))
    return runs


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
            runs.append(word.opens)
        for font, text, piece_width in word.pieces:
            add(font, text, piece_width)
        is_last = position == len(words) - 1
        # The space at a line break is kept (drawn past the text, invisible) so
        # that extracted text and screen readers do not run words together.
        line_end_space = word.space and is_last and trailing_space
        if line_end_space and runs[-1][1].endswith("-"):
            # "word-" at a line end reads as a hyphenated word joined to the next
            # line (PDFium does so): say explicitly that it is "- ".
            if word.closes:
                word.closes.text += " "
                add(word.space[0], " ", 0.0)
            else:
                _keep_hyphen_and_space(runs, word.space[0])
            line_end_space = False
        if word.closes:
            runs.append(END_ACTUAL_TEXT)
        if word.space and (not is_last or line_end_space):
            add(word.space[0], " ", 0.0 if is_last else word.space[1])
    return Line(runs, width)


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
    baseline = top - (style.leading - style.size) / 2 - _ASCENT * style.size
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
            if isinstance(run, Placed):
                font, chunk = run.font, run.text
                y = baseline - index * style.leading
                if run.flip:
                    # Mirrored, so its origin is its right edge, where the glyph to its right
                    # starts: PDFium orders glyphs by origin, and 0.01 pt keeps this one first.
                    text.setTextTransform(-1, 0, 0, 1, left + run.x + run.width - 0.01, y)
                else:
                    text.setTextOrigin(left + run.x, y)
            else:
                font, chunk = run
            if font != current_font:
                text.setFont(font, style.size, style.leading)
                current_font = font
            text.textOut(chunk)
    canv.drawText(text)


def _open_actual_text(lines: list[Line]) -> int:
    """How many ActualText spans are still open after ``lines``."""
    depth = 0
    for line in lines:
        for run in line.runs:
            if isinstance(run, ActualText):
                depth += -1 if run is END_ACTUAL_TEXT else 1
    return depth


def _close_actual_text(head: list[Line], tail: list[Line]) -> tuple[list[Line], list[Line]]:
    """A broken word cut by a page break: the head part is read as the whole
    word, the rest of it on the next page as a space (PDFium ignores an empty
    ActualText)."""
    if not _open_actual_text(head):
        return head, tail
    last, first = head[-1], tail[0]
    head = head[:-1] + [Line(last.runs + [END_ACTUAL_TEXT], last.width)]
    tail = [Line([ActualText(" ")] + first.runs, first.width)] + tail[1:]
    return head, tail


# -- flowables -----------------------------------------------------------------

@dataclass
class Label:
    """A list item's bullet or number: drawn in the hanging indent, tagged Lbl."""

    text: str
    slot: Slot
    x: float  # from the flowable's left edge


@dataclass
class Bookmark:
    title: str
    level: int  # 0 = top of the outline


class TextBlock(Flowable):
    """A paragraph, heading or list item body; may split across pages.

    Both parts of a split draw into the same slot, so a paragraph that breaks
    across a page stays one structure element.
    """

    def __init__(self, spans, style: TextStyle, slot: Optional[Slot], *, indent=0.0, space_before=0.0,
                 label: Optional[Label] = None, bookmark: Optional[Bookmark] = None, orphans=2,
                 whole_up_to=0.0, lines=None, first=True, keep_with_next=False):
        super().__init__()
        self.spans = spans
        self.style = style
        self.slot = slot  # None: an artifact (a repeated title)
        self.indent = indent
        self.spaceBefore = space_before
        self.label = label
        self.bookmark = bookmark
        self.orphans = orphans
        # Never split while no taller than this (a heading: a page); 0 = split freely.
        self.whole_up_to = whole_up_to
        self.keep_with_next = keep_with_next or bookmark is not None  # headings always do
        self.keep_with: Optional[Flowable] = None  # what it keeps with: set by _keep_together
        self.keep_limit = 0.0  # no keeping together beyond this height (a page)
        self._lines = lines  # fixed once split: both parts keep their breaks
        self.first = first

    def lines_for(self, width: float) -> list[Line]:
        if self._lines is not None:
            return self._lines
        return break_lines(self.spans, self.style, width - self.indent)

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = len(self.lines_for(avail_width)) * self.style.leading
        if self.keep_with is not None:
            need = self.height + self._follower_start(avail_width)
            if avail_height < need <= self.keep_limit:
                # Too tall to stand here with the start of what follows: claiming
                # the height makes platypus split it or move it to the next page.
                return avail_width, need
        return avail_width, self.height

    def _follower_start(self, avail_width) -> float:
        return self.keep_with.getSpaceBefore() + self.keep_with.min_start_height(avail_width)

    def min_start_height(self, avail_width) -> float:
        """The least of this block that may stand at the foot of a page."""
        lines = self.lines_for(avail_width)
        if self._splittable(lines) and len(lines) >= 2 * self.orphans:
            return self.orphans * self.style.leading
        height = len(lines) * self.style.leading
        return height + (self._follower_start(avail_width) if self.keep_with is not None else 0.0)

    def _splittable(self, lines) -> bool:
        return len(lines) * self.style.leading > self.whole_up_to

    def split(self, avail_width, avail_height):
        lines = self.lines_for(avail_width)
        fit = min(int((avail_height + 1e-6) // self.style.leading), len(lines) - self.orphans)
        # A word broken over lines stays on one page, where the page allows it.
        while fit > self.orphans and _open_actual_text(lines[:fit]):
            fit -= 1
        if not self._splittable(lines) or fit < self.orphans:
            return []
        return self._split_at(lines, fit)

    def force_split(self, avail_width, avail_height):
        """Split wherever the space ends, orphans and keeping aside: for a block
        that must start on this page because it starts a page's only box."""
        lines = self.lines_for(avail_width)
        fit = max(1, int((avail_height + 1e-6) // self.style.leading))
        return [self] if fit >= len(lines) else self._split_at(lines, fit)

    def _split_at(self, lines, fit: int) -> list:
        head_lines, tail_lines = _close_actual_text(lines[:fit], lines[fit:])
        head = self._part(head_lines, first=self.first)
        head.spaceBefore = self.spaceBefore
        tail = self._part(tail_lines, first=False)
        tail.keep_with, tail.keep_limit = self.keep_with, self.keep_limit
        return [head, tail]

    def _part(self, lines, first):
        return TextBlock(self.spans, self.style, self.slot, indent=self.indent, label=self.label,
                         bookmark=self.bookmark, orphans=self.orphans, lines=lines, first=first)

    def draw(self):
        canv = self.canv
        lines = self.lines_for(self.width)
        if self.first and self.bookmark is not None:
            _, top = canv.absolutePosition(0, self.height)
            canv.add_bookmark(self.bookmark.title, self.bookmark.level, top)
        if self.first and self.label is not None:
            label_line = break_lines((Span(self.label.text),), self.style, 1e9)
            with canv.marked(self.label.slot):
                # Right to left, the hanging indent is on the right: a mirror image.
                if self.style.rtl:
                    draw_lines(canv, label_line, self.style, 0.0, self.height, self.width - self.label.x)
                else:
                    draw_lines(canv, label_line, self.style, self.label.x, self.height)
        with (canv.marked(self.slot) if self.slot is not None else canv.artifact("Pagination")):
            if self.style.rtl:
                draw_lines(canv, lines, self.style, 0.0, self.height, self.width - self.indent)
            else:
                draw_lines(canv, lines, self.style, self.indent, self.height)


class Rule(Flowable):
    """A horizontal line: decoration, so an artifact."""

    def __init__(self, width: float, colour: str, space_before=0.0):
        super().__init__()
        self.line_width = width
        self.colour = colour
        self.spaceBefore = space_before

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.line_width

    def min_start_height(self, avail_width):
        return self.line_width

    def draw(self):
        with self.canv.artifact("Layout"):
            self.canv.setStrokeColor(HexColor(self.colour))
            self.canv.setLineWidth(self.line_width)
            self.canv.line(0, self.line_width / 2, self.width, self.line_width / 2)


class BoxBlock(Flowable):
    """The warnings or emergency panel: tinted, bordered, titled; flows across pages.

    A continuation repeats the title with "(continued)" as an artifact: it is
    there for the eye, and a screen reader has already read the title.
    """

    def __init__(self, title: TextBlock, children: list, theme: Theme, kind: str, continued_format: str, *,
                 space_before=0.0, continued_title: Optional[TextBlock] = None):
        super().__init__()
        self.continued_format = continued_format  # "{title} (continued)", in the leaflet's language
        self.title = title
        self.children = children
        self.theme = theme
        self.kind = kind
        self.spaceBefore = space_before
        self.continued_title = continued_title  # set on continuation parts only

    # geometry
    def _inset(self) -> float:
        return self.theme.box_bar_width + self.theme.box_padding

    def _inner_width(self, avail_width) -> float:
        return avail_width - self._inset() - self.theme.box_padding

    def _heading(self) -> TextBlock:
        return self.continued_title or self.title

    def wrap(self, avail_width, avail_height):
        inner = self._inner_width(avail_width)
        pad = self.theme.box_padding
        height = 2 * pad + self._heading().wrap(inner, avail_height)[1]
        for child in self.children:
            height += child.getSpaceBefore() + child.wrap(inner, 1e9)[1]
        self.width, self.height = avail_width, height
        return avail_width, height

    def min_start_height(self, avail_width) -> float:
        inner = self._inner_width(avail_width)
        first = self.children[0]
        return (self.theme.box_padding + self._heading().wrap(inner, 1e9)[1]
                + first.getSpaceBefore() + first.min_start_height(inner))

    def split(self, avail_width, avail_height):
        # At the top of a page nothing comes before the box: if its first part
        # cannot stand here by the usual rules, it has to anyway.
        at_top = avail_height >= self.title.whole_up_to - 1.0
        return self._split(avail_width, avail_height, force=at_top)

    def force_split(self, avail_width, avail_height):
        return self._split(avail_width, avail_height, force=True)

    def _split(self, avail_width, avail_height, force: bool):
        inner = self._inner_width(avail_width)
        pad = self.theme.box_padding
        room = avail_height - 2 * pad - self._heading().wrap(inner, avail_height)[1]
        placed: list = []
        rest: list = []
        for index, child in enumerate(self.children):
            space = child.getSpaceBefore()
            height = child.wrap(inner, room - space)[1]
            if space + height <= room:
                placed.append(child)
                room -= space + height
                continue
            parts = child.split(inner, room - space) if room - space > 0 else []
            if not parts and force and not placed and room - space > 0:
                parts = child.force_split(inner, room - space)
            if parts:
                placed.append(parts[0])
                rest = list(parts[1:]) + self.children[index + 1:]
            else:
                rest = self.children[index:]
            break
        if not placed or not rest:
            return []
        head = BoxBlock(self.title, placed, self.theme, self.kind, self.continued_format,
                        space_before=self.spaceBefore, continued_title=self.continued_title)
        tail = BoxBlock(self.title, rest, self.theme, self.kind, self.continued_format,
                        continued_title=self._continued(avail_width))
        return [head, tail]

    def _continued(self, avail_width) -> TextBlock:
        """One line, "Warning: title (continued)", the title shortened to fit."""
        text = "".join(span.text for span in self.title.spans)
        label = fit_text(text, self.title.style, self._inner_width(avail_width), self.continued_format)
        return TextBlock((Span(label),), self.title.style, None, whole_up_to=self.title.whole_up_to)

    def draw(self):
        canv, theme = self.canv, self.theme
        colours = theme.box_colours(self.kind)
        with canv.artifact("Layout"):
            canv.setFillColor(HexColor(colours.tint))
            canv.setStrokeColor(HexColor(colours.border))
            canv.setLineWidth(theme.box_border_width)
            half = theme.box_border_width / 2
            canv.rect(half, half, self.width - 2 * half, self.height - 2 * half, stroke=1, fill=1)
            canv.setFillColor(HexColor(colours.border))
            rtl = self.title.style.rtl  # the bar stands where lines start: on the right, right to left
            bar_x = self.width - theme.box_bar_width if rtl else 0
            canv.rect(bar_x, 0, theme.box_bar_width, self.height, stroke=0, fill=1)
        x = theme.box_padding if rtl else self._inset()
        inner = self._inner_width(self.width)
        y = self.height - theme.box_padding
        for position, child in enumerate([self._heading()] + self.children):
            if position:
                y -= child.getSpaceBefore()
            height = child.wrap(inner, 1e9)[1]
            y -= height
            child.drawOn(canv, x, y)


@dataclass
class PanelRow:
    label: tuple  # spans
    value: tuple  # spans
    label_slot: Slot
    value_slot: Slot
    value_style: TextStyle
    # A row cut by a page break: the value lines of this part, and whether the label
    # is shown (only on the first part: it is read once).
    value_lines: Optional[list] = None
    show_label: bool = True


class PanelBlock(Flowable):
    """The "Your prescription" panel: a caption and label/value rows in a bordered box.

    Tagged as a Table whose rows have a row header (TH) and a cell (TD), so a
    screen reader reads "Directions: Take one tablet …" together.
    """

    def __init__(self, caption: TextBlock, rows: list[PanelRow], label_style: TextStyle, theme: Theme,
                 continued_format: str = "{title}", continuation=False, title: str = ""):
        super().__init__()
        self.caption = caption
        self.title = title or "".join(span.text for span in caption.spans)  # "Your prescription"
        self.rows = rows
        self.label_style = label_style
        self.theme = theme
        self.continued_format = continued_format
        self.continuation = continuation  # its caption repeats, as an artifact

    def _columns(self, avail_width):
        pad = self.theme.box_padding
        inner = avail_width - 2 * pad
        widest = max(_one_line_width("".join(s.text for s in row.label), self.label_style) for row in self.rows)
        label_width = min(widest + self.label_style.size, inner * 0.4)
        return pad, inner, label_width

    def _layout(self, avail_width):
        """Each row's label lines, value lines and height."""
        _, inner, label_width = self._columns(avail_width)
        rows = []
        for row in self.rows:
            labels = break_lines(row.label, self.label_style, label_width - self.label_style.size) \
                if row.show_label else []
            # A patient's details are set once: kept out of the cache, which holds what leaflets share.
            values = row.value_lines if row.value_lines is not None else \
                break_lines.__wrapped__(row.value, row.value_style, inner - label_width)
            height = max(len(labels) * self.label_style.leading, len(values) * row.value_style.leading)
            rows.append((labels, values, height))
        return rows

    def wrap(self, avail_width, avail_height):
        pad = self.theme.box_padding
        height = 2 * pad + self.caption.wrap(avail_width - 2 * pad, avail_height)[1]
        height += sum(h + self.theme.list_item_space for _, _, h in self._layout(avail_width))
        self.width, self.height = avail_width, height
        return avail_width, height

    def min_start_height(self, avail_width) -> float:
        return self.wrap(avail_width, 1e9)[1]

    def split(self, avail_width, avail_height):
        """Whole rows on this page, the rest on the next under a repeated caption
        (large print on small paper can make the panel taller than a page)."""
        pad = self.theme.box_padding
        room = avail_height - 2 * pad - self.caption.wrap(avail_width - 2 * pad, avail_height)[1]
        fit = 0
        layout = self._layout(avail_width)
        for _, _, height in layout:
            room -= height + self.theme.list_item_space
            if room < 0:
                break
            fit += 1
        rows, rest = self.rows[:fit], self.rows[fit:]
        if fit == 0 and room + layout[0][2] > 0:
            # One row taller than the page (very long directions): cut it between lines.
            first, (_, values, _) = self.rows[0], layout[0]
            lines = int((room + layout[0][2]) // first.value_style.leading)
            if 0 < lines < len(values):
                rows = [dataclasses.replace(first, value_lines=values[:lines])]
                rest = [dataclasses.replace(first, value_lines=values[lines:], show_label=False)] + self.rows[1:]
        if not rows or not rest:
            return []
        repeated = TextBlock((Span(self.continued_format.format(title=self.title)),), self.caption.style, None)
        head = PanelBlock(self.caption, rows, self.label_style, self.theme, self.continued_format,
                          self.continuation, self.title)
        tail = PanelBlock(repeated, rest, self.label_style, self.theme, self.continued_format, True, self.title)
        return [head, tail]

    def draw(self):
        canv, theme = self.canv, self.theme
        pad, inner, label_width = self._columns(self.width)
        with canv.artifact("Layout"):
            canv.setStrokeColor(HexColor(theme.panel_border))
            canv.setLineWidth(theme.panel_border_width)
            half = theme.panel_border_width / 2
            canv.rect(half, half, self.width - 2 * half, self.height - 2 * half, stroke=1, fill=0)
        top = self.height - pad
        caption_height = self.caption.wrap(inner, 1e9)[1]
        self.caption.drawOn(canv, pad, top - caption_height)
        top -= caption_height
        for row, (labels, values, height) in zip(self.rows, self._layout(self.width)):
            top -= theme.list_item_space
            # Right to left, the labels are the right-hand column.
            label_x, value_x = ((pad + inner - label_width + self.label_style.size, pad) if self.label_style.rtl
                                else (pad, pad + label_width))
            if row.show_label:
                with canv.marked(row.label_slot):
                    draw_lines(canv, labels, self.label_style, label_x, top, label_width - self.label_style.size)
            with canv.marked(row.value_slot):
                draw_lines(canv, values, row.value_style, value_x, top, inner - label_width)
            top -= height


# -- the story -------------------------------------------------------------------

class _StoryBuilder:
    """Turns the model into flowables and the structure tree, in reading order."""

    def __init__(self, leaflet: model.Leaflet, theme: Theme, page_height: float,
                 prescription: Optional[model.Prescription] = None, pharmacy: Optional[model.Pharmacy] = None):
        self.leaflet = leaflet
        self.prescription = prescription
        self.pharmacy = pharmacy
        self.theme = theme
        self.words = messages(leaflet.lang)
        self.page_height = page_height
        self.rtl = bidi.is_rtl_language(leaflet.lang)  # the whole page is mirrored
        self.body = self.style(theme.body_size)

    def style(self, size: float, bold: bool = False, lang: Optional[str] = None) -> TextStyle:
        """A style; a block in another language than the leaflet runs in that language's direction."""
        rtl = bidi.is_rtl_language(lang) if lang else self.rtl
        return TextStyle(size, self.theme.leading(size), bold=bold, colour=self.theme.text_colour, rtl=rtl)

    def heading_style(self, level: int, lang: Optional[str] = None) -> TextStyle:
        return self.style(self.theme.heading_size(level), bold=True, lang=lang)

    def story(self, document: Element) -> list:
        # USP <17>: the patient, the medicine and the directions come first.
        flowables = [self.prescription_panel(document)] if self.prescription else []
        flowables += self.title_block(document)
        flowables += self.blocks(self.leaflet.blocks, document, level=2, indent=0.0)
        if self.pharmacy is not None:
            flowables += self.pharmacy_block(document)
        _keep_together(flowables, self.page_height)
        return flowables

    def prescription_panel(self, document: Element) -> PanelBlock:
        rx, words, theme = self.prescription, self.words, self.theme
        caption_size = theme.heading_size(4)
        table = document.add("Table")
        caption = TextBlock((Span(words["prescription"]),), self.style(caption_size, bold=True),
                            table.add("Caption").slot())
        directions = self.style(theme.directions_size, bold=True)
        fields = [("patient", rx.patient), ("medicine", self.leaflet.medicine.label), ("directions", rx.directions),
                  ("quantity", rx.quantity), ("refills", rx.refills), ("prescriber", rx.prescriber),
                  ("dispensed", long_date(rx.dispensed, self.leaflet.lang)), ("rx_number", rx.rx_number)]
        if self.pharmacy is not None:
            fields.append(("pharmacy", f"{self.pharmacy.name}, {_unbreakable(self.pharmacy.phone)}"))
        rows = []
        for key, value in fields:
            row = table.add("TR")
            header = row.add("TH", attributes=("Table", {"Scope": "Row"}))
            cell = row.add("TD")
            rows.append(PanelRow((Span(words[key]),), (Span(value),), header.slot(), cell.slot(),
                                 directions if key == "directions" else self.body))
        return PanelBlock(caption, rows, self.body, theme, words["continued"])

    def pharmacy_block(self, document: Element) -> list:
        pharmacy, words = self.pharmacy, self.words
        section = document.add("Sect")
        flowables = [self.heading(model.Text((Span(words["your_pharmacy"]),)), section, level=2)]
        details = (Span(pharmacy.name, bold=True), Span(f". {pharmacy.address}. "),
                   Span(words["phone"].format(phone=_unbreakable(pharmacy.phone))))
        flowables.append(TextBlock(details, self.body, section.add("P").slot(), space_before=self.theme.heading_space_after,
                                   orphans=self.theme.orphans))
        for line in pharmacy.footer:
            flowables.append(self.paragraph(model.Text((Span(line),)), section, 0.0))
        return flowables

    def title_block(self, document: Element) -> list:
        leaflet, theme, words = self.leaflet, self.theme, self.words
        label_style = self.style(theme.label_size, bold=True)
        small = self.style(theme.small_size)
        medicine = leaflet.medicine
        medicine_line = [Span(medicine.label, bold=True)]
        if medicine.brand_names:
            key = "brand_names_plural" if len(medicine.brand_names) > 1 else "brand_names"
            medicine_line.append(Span(". " + words[key].format(names=", ".join(medicine.brand_names))))
        revised = words["revised"].format(date=long_date(leaflet.revised, leaflet.lang), source=leaflet.source)
        flowables = [
            TextBlock((Span(words["leaflet"]),), label_style, document.add("P").slot(), space_before=theme.box_space,
                      keep_with_next=True),
            self.heading(leaflet.title, document, level=1, space_before=2.0),
            TextBlock(tuple(medicine_line), self.body, document.add("P").slot(), space_before=theme.heading_space_after),
            TextBlock((Span(revised),), small, document.add("P").slot(), space_before=2.0),
            Rule(theme.rule_width, theme.rule_colour, space_before=theme.paragraph_space),
        ]
        if leaflet.lead is not None:
            flowables.append(self.paragraph(leaflet.lead, document, 0.0, space_before=theme.paragraph_space))
        return flowables

    def heading(self, text: model.Text, parent: Element, level: int, indent=0.0, space_before=None, prefix=(),
                lang=None):
        element = parent.add(f"H{level}")
        spans = tuple(prefix) + text.spans
        return TextBlock(spans, self.heading_style(level, lang), element.slot(), indent=indent,
                         space_before=self.theme.heading_space_before if space_before is None else space_before,
                         bookmark=Bookmark("".join(s.text for s in spans), level - 1),
                         whole_up_to=self.page_height)

    def paragraph(self, text: model.Text, parent: Element, indent: float, space_before=None, lang=None,
                  language=None) -> TextBlock:
        """``lang``: the paragraph's own /Lang; ``language``: the language it is in (its own or inherited)."""
        style = self.style(self.theme.body_size, lang=language) if language else self.body
        return TextBlock(text.spans, style, parent.add("P", lang=lang).slot(), indent=indent,
                         space_before=self.theme.paragraph_space if space_before is None else space_before,
                         orphans=self.theme.orphans)

    def blocks(self, blocks, parent: Element, level: int, indent: float, language: Optional[str] = None) -> list:
        """``language``: set when these blocks sit in a section or box in another language."""
        flowables: list = []
        for block in blocks:
            if isinstance(block, model.Paragraph):
                flowables.append(self.paragraph(block.text, parent, indent, lang=block.lang,
                                                language=block.lang or language))
            elif isinstance(block, model.ListBlock):
                flowables += self.list_block(block, parent, level, indent, block.lang or language)
            elif isinstance(block, model.Section):
                section = parent.add("Sect", lang=block.lang)
                inner = block.lang or language
                flowables.append(self.heading(block.heading, section, level, indent, lang=inner))
                flowables += self.blocks(block.blocks, section, level + 1, indent, inner)
            elif isinstance(block, model.Box):
                flowables.append(self.box(block, parent, level, block.lang or language))
        return flowables

    def box(self, box: model.Box, parent: Element, level: int, language: Optional[str] = None) -> BoxBlock:
        section = parent.add("Sect", title=self.words[box.kind], lang=box.lang)
        prefix = (Span(self.words[box.kind] + ": "),)
        title = self.heading(box.title, section, level, prefix=prefix, lang=language)
        children = self.blocks(box.blocks, section, level + 1, 0.0, language)
        if children:
            children[0].spaceBefore = self.theme.heading_space_after
        _keep_together(children, self.page_height)
        return BoxBlock(title, children, self.theme, box.kind, self.words["continued"],
                        space_before=self.theme.box_space)

    def list_block(self, block: model.ListBlock, parent: Element, level: int, indent: float,
                   language: Optional[str] = None) -> list:
        numbering = "Decimal" if block.ordered else "Disc"
        element = parent.add("L", attributes=("List", {"ListNumbering": numbering}), lang=block.lang)
        labels = [f"{n}." if block.ordered else "•" for n in range(1, len(block.items) + 1)]
        widest = max(fonts.string_width(label, fonts.REGULAR, self.body.size) for label in labels)
        hang = max(self.theme.list_indent, widest + self.body.size * 0.6)
        flowables: list = []
        for position, (item, label) in enumerate(zip(block.items, labels)):
            entry = element.add("LI", lang=item.lang)
            label_slot = entry.add("Lbl").slot()
            body = entry.add("LBody")
            space = self.theme.paragraph_space if position == 0 else self.theme.list_item_space
            item_language = item.lang or language
            style = self.style(self.theme.body_size, lang=item_language) if item_language else self.body
            flowables.append(TextBlock(item.text.spans, style, body.slot(), indent=indent + hang,
                                       space_before=space, label=Label(label + " ", label_slot, indent),
                                       orphans=self.theme.orphans))
            if item.sublist is not None:
                # Deeper lists nest in the structure without end, but on paper their
                # indent stops growing, so the text keeps a readable width.
                deeper = indent + hang if indent + hang <= self.theme.max_list_indent else indent
                flowables += self.list_block(item.sublist, body, level, deeper, item_language)
        return flowables


def _keep_together(flowables: list, page_height: float) -> None:
    """Keep a heading (or the label above the title), or a paragraph that introduces a
    list ("… include:"), with what follows."""
    for block, follower in zip(flowables, flowables[1:]):
        if not isinstance(block, TextBlock):
            continue
        introduces_list = (block.label is None and isinstance(follower, TextBlock) and follower.label is not None
                           and "".join(s.text for s in block.spans).rstrip().endswith(":"))
        if block.keep_with_next or introduces_list:
            block.keep_with = follower
            block.keep_limit = page_height / 2


def _unbreakable(text: str) -> str:
    """No line break inside a phone number: no-break spaces (drawn as spaces)."""
    return text.replace(" ", "\u00a0")


def build_story(leaflet: model.Leaflet, document: Element, theme: Theme, frame_height: float,
                prescription: Optional[model.Prescription] = None, pharmacy: Optional[model.Pharmacy] = None) -> list:
    return _StoryBuilder(leaflet, theme, frame_height, prescription, pharmacy).story(document)


# -- running header and footer ---------------------------------------------------------

class PageDecorator:
    """Draws the running header (from page 2) and the "Page N of M" footer, as artifacts."""

    def __init__(self, leaflet: model.Leaflet, theme: Theme, page_size, frame_x: float, frame_width: float):
        self.theme = theme
        self.words = messages(leaflet.lang)
        self.page_width, self.page_height = page_size
        self.x = frame_x
        self.width = frame_width
        size = theme.small_size
        self.style = TextStyle(size, theme.leading(size), colour=theme.text_colour, rtl=bidi.is_rtl_language(leaflet.lang))
        medicine = leaflet.medicine
        # What a loose page belongs to; a long title is shortened here, never in the metadata.
        header = f"{medicine.name} {medicine.strength} — {leaflet.title.plain}"
        self.header_lines = break_lines((Span(fit_text(header, self.style, frame_width)),), self.style, 1e9)

    def __call__(self, canv, number: int, count: int) -> None:
        theme, style = self.theme, self.style
        if number > 1:
            with canv.artifact("Pagination", "Header"):
                top = self.page_height - theme.header_offset + style.size * _ASCENT
                draw_lines(canv, self.header_lines, style, self.x, top, self.width)
        footer = break_lines((Span(self.words["page"].format(number=number, count=count)),), style, 1e9)
        with canv.artifact("Pagination", "Footer"):
            # The page number goes in the outer corner where lines end: right, or left right to left.
            width = footer[0].width
            x = self.x if style.rtl else self.x + self.width - width
            draw_lines(canv, footer, style, x, theme.footer_offset + style.size * _ASCENT, width)


def _one_line_width(text: str, style: TextStyle) -> float:
    return break_lines((Span(text),), style, 1e9)[0].width


def fit_text(text: str, style: TextStyle, width: float, template: str = "{title}") -> str:
    """``template`` filled with ``text``, shortened with "…" until it fits on one line."""
    if _one_line_width(template.format(title=text), style) <= width:
        return template.format(title=text)
    shortest, longest = 0, len(text)  # the longest prefix that fits, by bisection
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if _one_line_width(template.format(title=text[:middle].rstrip() + "…"), style) <= width:
            shortest = middle
        else:
            longest = middle - 1
    return template.format(title=text[:shortest].rstrip() + "…")
