"""The story builder: the model turned into flowables and structure elements, in reading order.

The only part of the layout that knows the model: it decides each block's
structure role (Document › Sect › H2, P, L › LI …), style and keeping rules.
"""
from __future__ import annotations

from typing import Optional

from . import bidi, fonts, model, tag
from .flowables import BoxBlock, Label, OutlineEntry, PageDecorator, PanelBlock, PanelRow, Rule, TextBlock
from .messages import long_date, messages
from .model import Span
from .tag import Element
from .textset import TextStyle
from .theme import Theme

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
        table = tag.Table(document)
        caption = TextBlock((Span(words["prescription"]),), self.style(caption_size, bold=True),
                            table.caption().slot())
        directions = self.style(theme.directions_size, bold=True)
        fields = [("patient", rx.patient), ("medicine", self.leaflet.medicine.label), ("directions", rx.directions),
                  ("quantity", rx.quantity), ("refills", rx.refills), ("prescriber", rx.prescriber),
                  ("dispensed", long_date(rx.dispensed, self.leaflet.lang)), ("rx_number", rx.rx_number)]
        if self.pharmacy is not None:
            fields.append(("pharmacy", f"{self.pharmacy.name}, {_unbreakable(self.pharmacy.phone)}"))
        rows = []
        for key, value in fields:
            row = table.row()
            header, cell = row.header(), row.cell()
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
            # Under the prescription panel (at the top of a page the space is dropped).
            TextBlock((Span(words["leaflet"]),), label_style, document.add("P").slot(),
                      space_before=theme.paragraph_space, keep_with_next=True),
            self.heading(leaflet.title, document, level=1, space_before=2.0),
            TextBlock(tuple(medicine_line), self.body, document.add("P").slot(), space_before=theme.heading_space_after),
            TextBlock((Span(revised),), small, document.add("P").slot(), space_before=2.0),
            Rule(theme.rule_width, theme.rule_colour, space_before=theme.paragraph_space),
        ]
        if leaflet.lead is not None:
            flowables.append(self.paragraph(leaflet.lead, document, 0.0, space_before=theme.paragraph_space))
        return flowables

    def heading(self, text: model.Text, parent: Element, level: int, indent=0.0, space_before=None, prefix=(),
                lang_in_effect=None):
        element = parent.add(f"H{level}")
        spans = tuple(prefix) + text.spans
        return TextBlock(spans, self.heading_style(level, lang_in_effect), element.slot(), indent=indent,
                         space_before=self.theme.heading_space_before if space_before is None else space_before,
                         bookmark=OutlineEntry("".join(s.text for s in spans), level - 1),
                         whole_up_to=self.page_height, where=text.where)

    def paragraph(self, text: model.Text, parent: Element, indent: float, space_before=None, own_lang=None,
                  lang_in_effect=None) -> TextBlock:
        """``own_lang``: the paragraph's own /Lang; ``lang_in_effect``: the language it is in (its own or
        inherited from a section or box), which sets its direction."""
        style = self.style(self.theme.body_size, lang=lang_in_effect) if lang_in_effect else self.body
        return TextBlock(text.spans, style, parent.add("P", lang=own_lang).slot(), indent=indent,
                         space_before=self.theme.paragraph_space if space_before is None else space_before,
                         orphans=self.theme.orphans, where=text.where)

    def blocks(self, blocks, parent: Element, level: int, indent: float, lang_in_effect: Optional[str] = None) -> list:
        """``lang_in_effect``: set when these blocks sit in a section or box in another language."""
        flowables: list = []
        for block in blocks:
            inner = block.lang or lang_in_effect
            if isinstance(block, model.Paragraph):
                flowables.append(self.paragraph(block.text, parent, indent, own_lang=block.lang, lang_in_effect=inner))
            elif isinstance(block, model.ListBlock):
                flowables += self.list_block(block, parent, level, indent, inner)
            elif isinstance(block, model.Section):
                section = parent.add("Sect", lang=block.lang)
                flowables.append(self.heading(block.heading, section, level, indent, lang_in_effect=inner))
                flowables += self.blocks(block.blocks, section, level + 1, indent, inner)
            elif isinstance(block, model.Box):
                flowables.append(self.box(block, parent, level, inner))
        return flowables

    def box(self, box: model.Box, parent: Element, level: int, lang_in_effect: Optional[str] = None) -> BoxBlock:
        section = parent.add("Sect", title=self.words[box.kind], lang=box.lang)
        prefix = (Span(self.words[box.kind] + ": "),)
        title = self.heading(box.title, section, level, prefix=prefix, lang_in_effect=lang_in_effect)
        children = self.blocks(box.blocks, section, level + 1, 0.0, lang_in_effect)
        if children:
            children[0].spaceBefore = self.theme.heading_space_after
        _keep_together(children, self.page_height)
        return BoxBlock(title, children, self.theme, box.kind, self.words["continued"],
                        space_before=self.theme.box_space)

    def list_block(self, block: model.ListBlock, parent: Element, level: int, indent: float,
                   lang_in_effect: Optional[str] = None) -> list:
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
            item_lang = item.lang or lang_in_effect
            style = self.style(self.theme.body_size, lang=item_lang) if item_lang else self.body
            flowables.append(TextBlock(item.text.spans, style, body.slot(), indent=indent + hang,
                                       space_before=space, label=Label(label + " ", label_slot, indent),
                                       orphans=self.theme.orphans, where=item.text.where))
            if item.sublist is not None:
                # Deeper lists nest in the structure without end, but on paper their
                # indent stops growing, so the text keeps a readable width.
                deeper = indent + hang if indent + hang <= self.theme.max_list_indent else indent
                flowables += self.list_block(item.sublist, body, level, deeper, item_lang)
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


def prescription_panel(leaflet: model.Leaflet, theme: Theme, frame_height: float, prescription: model.Prescription,
                       pharmacy: Optional[model.Pharmacy] = None) -> PanelBlock:
    """The prescription panel alone, as the story's first flowable would be (its elements in a tree of its own)."""
    return _StoryBuilder(leaflet, theme, frame_height, prescription, pharmacy).prescription_panel(
        Element("Document", None))


def build_story(leaflet: model.Leaflet, document: Element, theme: Theme, frame_height: float,
                prescription: Optional[model.Prescription] = None, pharmacy: Optional[model.Pharmacy] = None) -> list:
    return _StoryBuilder(leaflet, theme, frame_height, prescription, pharmacy).story(document)




def page_decorator(leaflet: model.Leaflet, theme: Theme, page_size, frame_x: float, frame_width: float) -> PageDecorator:
    """The running header and the page numbers of ``leaflet``.

    The header names the medicine and its strength only: enough to say what a loose
    page belongs to, and short enough that no checker or reader takes it for a line
    of prose that was skipped (the title in it read as one to outloud, TAG-002)."""
    size = theme.small_size
    style = TextStyle(size, theme.leading(size), colour=theme.text_colour, rtl=bidi.is_rtl_language(leaflet.lang))
    medicine = leaflet.medicine
    header = f"{medicine.name} {medicine.strength}"
    return PageDecorator(header, messages(leaflet.lang)["page"], style, theme, page_size, frame_x, frame_width)
