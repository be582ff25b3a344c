"""The "Your prescription" panel: label and value rows in a bordered box, its label column as wide as its longest label word, or labels stacked above their values.

A label is never cut inside a word.  The label column takes the width of the
whole labels (at most 40% of the panel), and never less than the widest label
word in the leaflet's font and size; when that leaves the values too little
room (a German or Finnish compound in large print on A5), each label stands on
its own line above its value, across the whole panel.  Nothing is hyphenated.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional

from reportlab.lib.colors import HexColor

from ..model import Span
from .flowables import TextBlock
from .pagefill import Flowable
from ..pdf.tag import Slot
from ..text.linebreak import UNLIMITED, TextStyle, break_lines, break_private_lines, one_line_width
from .textset import draw_lines
from .theme import Theme

WHOLE_LABELS = 0.4  # of the panel's inner width: the most whole labels take beside their values
LEAST_VALUE_ROOM = 0.55  # of the panel's inner width: the least a value gets beside its label
STACKED = 0.0  # as a label column's width: labels stand above their values


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


def label_column(labels, style: TextStyle, inner: float) -> float:
    """The label column's width for ``labels`` (texts) in a panel ``inner`` wide: the width of
    the whole labels up to :data:`WHOLE_LABELS`, never less than the widest word; or
    :data:`STACKED` when the widest word would leave a value less than :data:`LEAST_VALUE_ROOM`."""
    gap = style.size  # between the columns
    whole = max(one_line_width(text, style) for text in labels) + gap
    # Words as the line breaker keeps them: split at plain spaces only (a no-break space holds two together).
    # A hundredth of a point more: width - gap must not come out a rounding error short of the word.
    word = max(one_line_width(w, style) for text in labels for w in text.split(" ") if w) + gap + 0.01
    if word > inner * (1 - LEAST_VALUE_ROOM):
        return STACKED
    return max(min(whole, inner * WHOLE_LABELS), word)


class PanelBlock(Flowable):
    """The "Your prescription" panel: a caption and label/value rows in a bordered box.

    Tagged as a Table whose rows have a row header (TH) and a cell (TD), so a
    screen reader reads "Directions: Take one tablet …" together.
    """

    def __init__(self, caption: TextBlock, rows: list[PanelRow], label_style: TextStyle, theme: Theme,
                 continued_format: str = "{title}", continuation=False, title: str = "",
                 label_width: Optional[float] = None):
        super().__init__()
        self.caption = caption
        self.title = title or "".join(span.text for span in caption.spans)  # "Your prescription"
        self.rows = rows
        self.label_style = label_style
        self.theme = theme
        self.continued_format = continued_format
        self.continuation = continuation  # its caption repeats, as an artifact
        # The label column of the whole panel (STACKED: none): every part of a split panel keeps it.
        self.label_width = label_width
        self._laid_out = None  # (width, rows): this panel's own, dropped with it

    def _columns(self, avail_width):
        """(padding, inner width, label column width or STACKED, value width)."""
        pad = self.theme.box_padding
        inner = avail_width - 2 * pad
        label_width = self.label_width
        if label_width is None:
            label_width = label_column(["".join(s.text for s in row.label) for row in self.rows], self.label_style,
                                       inner)
        return pad, inner, label_width, inner - label_width

    def _layout(self, avail_width):
        """Each row's label lines, value lines and height (set once per width: wrap and draw both ask)."""
        if self._laid_out is None or self._laid_out[0] != avail_width:
            self._laid_out = (avail_width, self._set_rows(avail_width))
        return self._laid_out[1]

    def _set_rows(self, avail_width):
        _, inner, label_width, value_width = self._columns(avail_width)
        label_room = inner if label_width == STACKED else label_width - self.label_style.size
        rows = []
        for row in self.rows:
            labels = break_lines(row.label, self.label_style, label_room) if row.show_label else []
            # A patient's details: kept out of every cache, which holds only what leaflets share.
            values = row.value_lines if row.value_lines is not None else \
                break_private_lines(row.value, row.value_style, value_width)
            label_height = len(labels) * self.label_style.leading
            value_height = len(values) * row.value_style.leading
            height = label_height + value_height if label_width == STACKED else max(label_height, value_height)
            rows.append((labels, values, height))
        return rows

    def wrap(self, avail_width, avail_height):
        pad = self.theme.box_padding
        height = 2 * pad + self.caption.wrap(avail_width - 2 * pad, avail_height)[1]
        height += sum(h + self.theme.list_item_space for _, _, h in self._layout(avail_width))
        self.width, self.height = avail_width, height
        return avail_width, height

    def min_start_height(self, avail_width) -> float:
        return self.wrap(avail_width, UNLIMITED)[1]

    def split(self, avail_width, avail_height):
        """Whole rows on this page, the rest on the next under a repeated caption
        (large print on small paper can make the panel taller than a page).  The
        first row that does not fit whole is cut between its lines to fill the
        page, so that a page never holds a panel and its own continuation."""
        pad = self.theme.box_padding
        room = avail_height - 2 * pad - self.caption.wrap(avail_width - 2 * pad, avail_height)[1]
        layout = self._layout(avail_width)
        label_width = self._columns(avail_width)[2]
        fit = 0
        for _, _, height in layout:
            if room < height + self.theme.list_item_space:
                break
            room -= height + self.theme.list_item_space
            fit += 1
        rows, rest = self.rows[:fit], self.rows[fit:]
        if rest:
            row, (labels, values, _) = rest[0], layout[fit]
            label_height = len(labels) * self.label_style.leading
            beside = room if label_width != STACKED else room - label_height  # stacked: the label takes its lines
            lines = int((beside - self.theme.list_item_space) // row.value_style.leading)
            # Alone on its page a row is cut anywhere; after other rows, as a paragraph is.
            least = 1 if fit == 0 else self.theme.orphans
            if least <= lines <= len(values) - least and (label_width == STACKED or
                                                          lines * row.value_style.leading >= label_height):
                rows = rows + [dataclasses.replace(row, value_lines=values[:lines])]
                rest = [dataclasses.replace(row, value_lines=values[lines:], show_label=False)] + rest[1:]
        if not rows or not rest:
            return []
        repeated = TextBlock((Span(self.continued_format.format(title=self.title)),), self.caption.style, None)
        head = PanelBlock(self.caption, rows, self.label_style, self.theme, self.continued_format,
                          self.continuation, self.title, label_width)
        tail = PanelBlock(repeated, rest, self.label_style, self.theme, self.continued_format, True, self.title,
                          label_width)
        return [head, tail]

    def draw(self):
        canv, theme = self.canv, self.theme
        pad, inner, label_width, value_width = self._columns(self.width)
        with canv.artifact("Layout"):
            canv.setStrokeColor(HexColor(theme.panel_border))
            canv.setLineWidth(theme.panel_border_width)
            half = theme.panel_border_width / 2
            canv.rect(half, half, self.width - 2 * half, self.height - 2 * half, stroke=1, fill=0)
        top = self.height - pad
        caption_height = self.caption.wrap(inner, UNLIMITED)[1]
        self.caption.drawOn(canv, pad, top - caption_height)
        top -= caption_height
        style = self.label_style
        if label_width == STACKED:
            label_x, label_room, value_x = pad, inner, pad
        elif style.rtl:  # right to left, the labels are the right-hand column
            label_x, label_room, value_x = pad + inner - label_width + style.size, label_width - style.size, pad
        else:
            label_x, label_room, value_x = pad, label_width - style.size, pad + label_width
        for row, (labels, values, height) in zip(self.rows, self._layout(self.width)):
            top -= theme.list_item_space
            if row.show_label:
                with canv.marked(row.label_slot):
                    draw_lines(canv, labels, style, label_x, top, label_room)
            value_top = top - len(labels) * style.leading if label_width == STACKED else top
            with canv.marked(row.value_slot):
                draw_lines(canv, values, row.value_style, value_x, value_top, value_width)
            top -= height

    def text(self) -> str:
        """All the text the panel draws."""
        return "".join(span.text for spans in [self.caption.spans] + [row.label + row.value for row in self.rows]
                       for span in spans)

    def slots_in_drawing_order(self) -> list[Slot]:
        """The slots :meth:`draw` marks, in the order it marks them."""
        slots = [self.caption.slot] if self.caption.slot is not None else []
        for row in self.rows:
            slots += [row.label_slot, row.value_slot] if row.show_label else [row.value_slot]
        return slots


# Where a personalised leaflet's panel goes in the page's content (a PDF comment,
# always replaced by the panel's operators before the page is written).
PANEL_MARK = "%rxleaflet:panel"


class PanelSpace(Flowable):
    """The room a prescription panel takes at the top of page 1, without the panel.

    A leaflet laid out with this in place of the panel is the same for every
    patient whose panel is as tall: write.py draws each patient's panel on
    its own and puts its operators where this leaves :data:`PANEL_MARK`.  The
    panel's structure elements and MCIDs are given out here, as drawing the
    panel would give them.
    """

    def __init__(self, panel: PanelBlock, width: float, height: float):
        super().__init__()
        self.slots = panel.slots_in_drawing_order()
        self.width, self.height = width, height

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def drawOn(self, canvas, x, y, _sW=0):
        for slot in self.slots:
            canvas.reserve(slot)
        canvas.addLiteral(PANEL_MARK)
