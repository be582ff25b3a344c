"""Flowables: text block, rule, box, and the page decorator (the prescription panel is in ``panel``).

Each flowable knows the structure slot its text belongs to and draws inside
``canvas.marked(slot)``, or inside ``canvas.artifact(...)`` for decoration.
Nothing here reads the model: the story builder hands over spans and styles.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from reportlab.lib.colors import HexColor

from ..model import Location, Span
from .pagefill import Flowable
from ..pdf.tag import Slot
from ..text.linebreak import UNLIMITED, Line, TextStyle, break_lines, fit_text
from .textset import (ASCENT, close_actual_text, draw_lines, draw_segmented_lines, find_links_in_visual_lines,
                      open_actual_text)
from .theme import Theme

@dataclass
class Label:
    """A list item's bullet or number: drawn in the hanging indent, tagged Lbl."""

    text: str
    slot: Optional[Slot]  # None: drawn as an artifact (a repeated table header)
    x: float  # from the flowable's left edge


@dataclass
class OutlineEntry:
    title: str
    level: int  # 0 = top of the outline


class TextBlock(Flowable):
    """A paragraph, heading or list item body; may split across pages.

    Both parts of a split draw into the same slot, so a paragraph that breaks
    across a page stays one structure element.
    """

    def __init__(self, spans, style: TextStyle, slot: Optional[Slot], *, indent=0.0, space_before=0.0,
                 label: Optional[Label] = None, bookmark: Optional[OutlineEntry] = None, orphans=2,
                 whole_up_to=0.0, lines=None, first=True, keep_with_next=False, where: Optional[Location] = None,
                 segments=None, offset=0, anchor: Optional[str] = None, visual_links=None):
        super().__init__()
        self.spans = spans
        # Text with links: (textset.Segment, …) covering the text, each its own marked
        # content; ``offset``: where this part's text starts in the block's (a split part).
        self.segments = segments
        self.offset = offset
        # Right to left: [(text, target)] of the links found where their text shows.
        self.visual_links = visual_links
        self.found: Optional[set] = None  # right to left: the links already drawn (shared by a split's parts)
        self.anchor = anchor  # a section id: cross-references to it point at this heading
        self.where = where  # the text's place in the content file, for a message about it
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

    def lines_for(self, width: float) -> tuple[Line, ...]:
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
                # the height makes the page filler split it or move it to the next page.
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
        while fit > self.orphans and open_actual_text(lines[:fit]):
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
        head_lines, tail_lines = close_actual_text(lines[:fit], lines[fit:])
        head = self._part(head_lines, first=self.first)
        head.spaceBefore = self.spaceBefore
        tail = self._part(tail_lines, first=False, offset=self.offset + sum(len(line.text) for line in head_lines))
        tail.keep_with, tail.keep_limit = self.keep_with, self.keep_limit
        if self.visual_links:
            self.found = head.found = tail.found = self.found if self.found is not None else set()
        return [head, tail]

    def as_artifact(self) -> "TextBlock":
        """The same text drawn again as an artifact (a table's header row where it continues)."""
        label = Label(self.label.text, None, self.label.x) if self.label is not None else None
        return TextBlock(self.spans, self.style, None, indent=self.indent, label=label,
                         space_before=self.spaceBefore, lines=self._lines)

    def _part(self, lines, first, offset=None):
        return TextBlock(self.spans, self.style, self.slot, indent=self.indent, label=self.label,
                         bookmark=self.bookmark, orphans=self.orphans, lines=lines, first=first, where=self.where,
                         segments=self.segments, offset=self.offset if offset is None else offset, anchor=self.anchor,
                         visual_links=self.visual_links)

    def draw(self):
        canv = self.canv
        lines = self.lines_for(self.width)
        if self.first and self.bookmark is not None:
            _, top = canv.absolutePosition(0, self.height)
            canv.add_bookmark(self.bookmark.title, self.bookmark.level, top)
        if self.first and self.anchor is not None:
            canv.add_anchor(self.anchor, canv.absolutePosition(0, self.height)[1])
        if self.first and self.label is not None:
            label_line = break_lines((Span(self.label.text),), self.style, UNLIMITED)
            with (canv.marked(self.label.slot) if self.label.slot is not None else canv.artifact("Pagination")):
                # Right to left, the hanging indent is on the right: a mirror image.
                if self.style.rtl:
                    draw_lines(canv, label_line, self.style, 0.0, self.height, self.width - self.label.x)
                else:
                    draw_lines(canv, label_line, self.style, self.label.x, self.height)
        if self.segments or self.visual_links:
            self._draw_with_links(lines)
            return
        with (canv.marked(self.slot) if self.slot is not None else canv.artifact("Pagination")):
            if self.style.rtl:
                draw_lines(canv, lines, self.style, 0.0, self.height, self.width - self.indent)
            else:
                draw_lines(canv, lines, self.style, self.indent, self.height)

    def _draw_with_links(self, lines) -> None:
        """Each link's text is the content of its Link element, under a link annotation,
        and underlined (an artifact: the underline only shows where the link is).  Right to
        left, the text is one sequence and each Link element holds its annotation only."""
        canv, style = self.canv, self.style
        x, width = (0.0, self.width - self.indent) if style.rtl else (self.indent, 0.0)
        if self.visual_links:
            with canv.marked(self.slot):
                draw_lines(canv, lines, style, x, self.height, width)
            if self.found is None:
                self.found = set()
            texts = [text for text, _ in self.visual_links]
            boxes = find_links_in_visual_lines(lines, style, x, self.height, width, texts, self.found)
            # The Link's text is in the paragraph's sequence: it says it in /Alt.
            owners = {box.segment: self.slot.owner.add("Link", alt=texts[box.segment]) for box in boxes}
            targets = [(owners.get(n), link, text) for n, (text, link) in enumerate(self.visual_links)]
        else:
            # A split's later part starts in the segment its text starts in.
            first = next(segment for segment in self.segments if segment.end > self.offset)
            with canv.marked(first.slot):
                boxes = draw_segmented_lines(canv, lines, style, x, self.height, self.segments, self.offset)
            texts = self._segment_texts()
            targets = [(segment.slot.owner, segment.link, text) for segment, text in zip(self.segments, texts)]
        with canv.artifact("Layout"):
            canv.setStrokeColor(HexColor(style.colour))
            canv.setLineWidth(style.size * 0.06)
            for box in boxes:
                y = box.baseline - style.size * 0.12
                canv.line(box.left, y, box.right, y)
        for box in boxes:
            owner, link, text = targets[box.segment]
            if link is None:
                continue
            x0, y0 = canv.absolutePosition(box.left, box.baseline - style.size * 0.25)
            x1, y1 = canv.absolutePosition(box.right, box.baseline + style.size * ASCENT)
            canv.add_link(owner, (x0, y0, x1, y1), link, text)

    def _segment_texts(self) -> list[str]:
        text = "".join(span.text for span in self.spans)
        starts = [0] + [segment.end for segment in self.segments]
        return [text[start:segment.end].strip() for start, segment in zip(starts, self.segments)]


def split_column(children: list, width: float, room: float, force: bool) -> tuple[list, list]:
    """Flowables stacked in a column of ``width``: (what fits in ``room``, the rest), a
    flowable split where its own rules allow (or anywhere between lines, with ``force``,
    when nothing else would stand here)."""
    placed: list = []
    for index, child in enumerate(children):
        space = child.getSpaceBefore()
        height = child.wrap(width, room - space)[1]
        if space + height <= room:
            placed.append(child)
            room -= space + height
            continue
        parts = child.split(width, room - space) if room - space > 0 else []
        if not parts and force and not placed and room - space > 0:
            parts = child.force_split(width, room - space)
        if parts:
            placed.append(parts[0])
            return placed, list(parts[1:]) + children[index + 1:]
        return placed, children[index:]
    return placed, []


def column_height(children: list, width: float) -> float:
    """The height of flowables stacked in a column, each with its space before."""
    return sum(child.getSpaceBefore() + child.wrap(width, UNLIMITED)[1] for child in children)


def draw_column(canv, children: list, x: float, top: float, width: float) -> None:
    """Draw flowables stacked in a column from ``top`` down, each after its space before."""
    for child in children:
        top -= child.getSpaceBefore() + child.wrap(width, UNLIMITED)[1]
        child.drawOn(canv, x, top)


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
    """A warning, emergency, most-important or intro panel: bordered, titled (an intro box
    may have no title); flows across pages.

    A continuation repeats the title with "(continued)" as an artifact: it is
    there for the eye, and a screen reader has already read the title.
    """

    def __init__(self, title: Optional[TextBlock], children: list, theme: Theme, kind: str, continued_format: str, *,
                 space_before=0.0, continued_title: Optional[TextBlock] = None, rtl=False, whole_up_to=0.0,
                 anchor: Optional[str] = None):
        super().__init__()
        self.anchor = anchor  # a box id: cross-references to it point at the box's top
        self.continued_format = continued_format  # "{title} (continued)", in the leaflet's language
        self.title = title
        self.children = children
        self.theme = theme
        self.kind = kind
        self.spaceBefore = space_before
        self.continued_title = continued_title  # set on continuation parts only
        self.rtl = rtl  # the bar stands where lines start: on the right, right to left
        self.whole_up_to = title.whole_up_to if title is not None else whole_up_to  # a page

    @property
    def where(self) -> Optional[Location]:
        """The box's place in the content file: its title's (or its first block's)."""
        return self.title.where if self.title is not None else getattr(self.children[0], "where", None)

    # geometry
    def _inset(self) -> float:
        return self.theme.box_bar_width + self.theme.box_padding

    def _inner_width(self, avail_width) -> float:
        return avail_width - self._inset() - self.theme.box_padding

    def _parts(self) -> list:
        """The heading (if any) and the blocks inside, top to bottom."""
        heading = self.continued_title or self.title
        return ([heading] if heading is not None else []) + self.children

    def _heading_height(self, inner, avail_height) -> float:
        heading = self.continued_title or self.title
        return heading.wrap(inner, avail_height)[1] if heading is not None else 0.0

    def wrap(self, avail_width, avail_height):
        inner = self._inner_width(avail_width)
        pad = self.theme.box_padding
        height = 2 * pad + self._heading_height(inner, avail_height)
        for child in self.children:
            height += child.getSpaceBefore() + child.wrap(inner, UNLIMITED)[1]
        self.width, self.height = avail_width, height
        return avail_width, height

    def min_start_height(self, avail_width) -> float:
        inner = self._inner_width(avail_width)
        first = self.children[0]
        return (self.theme.box_padding + self._heading_height(inner, UNLIMITED)
                + first.getSpaceBefore() + first.min_start_height(inner))

    def split(self, avail_width, avail_height):
        # At the top of a page nothing comes before the box: if its first part
        # cannot stand here by the usual rules, it has to anyway.
        at_top = avail_height >= self.whole_up_to - 1.0
        return self._split(avail_width, avail_height, force=at_top)

    def force_split(self, avail_width, avail_height):
        return self._split(avail_width, avail_height, force=True)

    def _split(self, avail_width, avail_height, force: bool):
        inner = self._inner_width(avail_width)
        pad = self.theme.box_padding
        room = avail_height - 2 * pad - self._heading_height(inner, avail_height)
        placed, rest = split_column(self.children, inner, room, force)
        if not placed or not rest:
            return []
        keep = dict(rtl=self.rtl, whole_up_to=self.whole_up_to)
        head = BoxBlock(self.title, placed, self.theme, self.kind, self.continued_format,
                        space_before=self.spaceBefore, continued_title=self.continued_title, anchor=self.anchor,
                        **keep)
        tail = BoxBlock(self.title, rest, self.theme, self.kind, self.continued_format,
                        continued_title=self._continued(avail_width), **keep)
        return [head, tail]

    def _continued(self, avail_width) -> Optional[TextBlock]:
        """One line, "Warning: title (continued)", the title shortened to fit."""
        if self.title is None:
            return None
        text = "".join(span.text for span in self.title.spans)
        label = fit_text(text, self.title.style, self._inner_width(avail_width), self.continued_format)
        return TextBlock((Span(label),), self.title.style, None, whole_up_to=self.title.whole_up_to)

    def draw(self):
        canv, theme = self.canv, self.theme
        if self.anchor is not None and self.continued_title is None:
            canv.add_anchor(self.anchor, canv.absolutePosition(0, self.height)[1])
        colours = theme.box_colours(self.kind)
        border = theme.box_border(self.kind)
        with canv.artifact("Layout"):
            canv.setFillColor(HexColor(colours.tint))
            canv.setStrokeColor(HexColor(colours.border))
            canv.setLineWidth(border)
            half = border / 2
            canv.rect(half, half, self.width - 2 * half, self.height - 2 * half, stroke=1, fill=1)
            canv.setFillColor(HexColor(colours.border))
            bar_x = self.width - theme.box_bar_width if self.rtl else 0
            canv.rect(bar_x, 0, theme.box_bar_width, self.height, stroke=0, fill=1)
        x = theme.box_padding if self.rtl else self._inset()
        inner = self._inner_width(self.width)
        y = self.height - theme.box_padding
        for position, child in enumerate(self._parts()):
            if position:
                y -= child.getSpaceBefore()
            height = child.wrap(inner, UNLIMITED)[1]
            y -= height
            child.drawOn(canv, x, y)


# -- running header and footer ---------------------------------------------------------

class PageDecorator:
    """Draws the running header (from page 2) and the "Page N of M" footer, as artifacts."""

    def __init__(self, header: str, page_format: str, style: TextStyle, theme: Theme, page_size,
                 frame_x: float, frame_width: float):
        self.theme = theme
        self.page_format = page_format  # "Page {number} of {count}", in the leaflet's language
        self.page_width, self.page_height = page_size
        self.x = frame_x
        self.width = frame_width
        self.style = style
        # What a loose page belongs to; a long title is shortened here, never in the metadata.
        self.header_lines = break_lines((Span(fit_text(header, style, frame_width)),), style, UNLIMITED)

    def __call__(self, canv, number: int, count: int) -> None:
        theme, style = self.theme, self.style
        if number > 1:
            with canv.artifact("Pagination", "Header"):
                top = self.page_height - theme.header_offset + style.size * ASCENT
                draw_lines(canv, self.header_lines, style, self.x, top, self.width)
        footer = break_lines((Span(self.page_format.format(number=number, count=count)),), style, UNLIMITED)
        with canv.artifact("Pagination", "Footer"):
            # The page number goes in the outer corner where lines end: right, or left right to left.
            width = footer[0].width
            x = self.x if style.rtl else self.x + self.width - width
            draw_lines(canv, footer, style, x, theme.footer_offset + style.size * ASCENT, width)
