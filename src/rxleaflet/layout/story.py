"""The story builder: the model turned into flowables and structure elements, in reading order.

The only part of the layout that knows the model: it decides each block's
structure role (Document › Sect › H2, P, L › LI …), style and keeping rules.
"""
from __future__ import annotations

import dataclasses
import itertools
from typing import Optional

from ..text import bidi, fonts
from .. import model
from ..pdf import tag
from .flowables import BoxBlock, Label, OutlineEntry, PageDecorator, Rule, TextBlock
from .panel import PanelBlock, PanelRow
from ..text.fixed_words import labelled, list_text, long_date, messages
from ..editions.address import edition_address
from ..editions import front
from ..editions.front import shown_address as _shown_address
from ..editions.qr import qr_code
from ..editions.words import edition_words
from .edition_code import EditionCodeBlock
from ..model import Span
from .pictures import FigureBlock, PictogramsBlock
from .tables import Cell, TableBlock
from .table_story import table_block
from ..pdf.tag import Element
from ..text.linebreak import TextStyle
from .textset import Segment
from .theme import Theme

# Before the page numbers are known (the first layout of a leaflet with cross-references).
_UNKNOWN_PAGE = "1"

class _StoryBuilder:
    """Turns the model into flowables and the structure tree, in reading order."""

    def __init__(self, leaflet: model.Leaflet, theme: Theme, page_height: float,
                 prescription: Optional[model.Prescription] = None, pharmacy: Optional[model.Pharmacy] = None,
                 pages: Optional[dict] = None):
        self.leaflet = leaflet
        self.pages = pages or {}  # section id -> page number, for "(see page N)"
        self.prescription = prescription
        self.pharmacy = pharmacy
        self.theme = theme
        self.words = messages(leaflet.lang)
        self.page_height = page_height
        self.rtl = bidi.is_rtl_language(leaflet.lang)  # the whole page is mirrored
        self.lang = leaflet.lang
        self.body = self.style(theme.body_size)
        self.table_numbers = itertools.count(1)  # each table's cells' IDs are its own

    def style(self, size: float, bold: bool = False, lang: Optional[str] = None) -> TextStyle:
        """A style; a block in another language than the leaflet runs in that language's direction."""
        rtl = bidi.is_rtl_language(lang) if lang else self.rtl
        return TextStyle(size, self.theme.leading(size), bold=bold, colour=self.theme.text_colour, rtl=rtl,
                         lang=lang or self.lang)

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
        fields = [("patient", rx.patient), ("medicine", self.medicine_label(rx.strength)), ("directions", rx.directions),
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
                   Span(words["phone"].format(phone=pharmacy.phone), unbreakable=True))
        flowables.append(TextBlock(details, self.body, section.add("P").slot(), space_before=self.theme.heading_space_after,
                                   orphans=self.theme.orphans))
        for line in pharmacy.footer:
            flowables.append(self.paragraph(line, section, 0.0))
        address = edition_address(pharmacy.edition_url, self.leaflet) if pharmacy.edition_url else None
        if address is not None:
            flowables.append(self.edition_code(address, section))
        return flowables

    def edition_code(self, address: str, section: Element) -> EditionCodeBlock:
        """The QR code that opens the electronic edition, and the address beside it."""
        words = edition_words(self.leaflet.lang)
        said = self.text_block((Span(labelled(words["edition"], "", self.leaflet.lang)),), section.add("P"), self.body)
        shown = self.text_block((Span(address, link=address),), section.add("P"),
                                dataclasses.replace(self.body, rtl=False))  # an address reads left to right
        alt = labelled(words["qr"], address, self.leaflet.lang)
        link = section.add("Link", alt=alt)  # a Link says where it goes, as its Figure does
        figure = link.add("Figure", alt=alt)
        return EditionCodeBlock(qr_code(address), link, figure, [said, shown], scale=self.theme.body_size / 12.0,
                                gap=self.theme.picture_gap * 2, rtl=self.rtl, space_before=self.theme.paragraph_space)

    def title_block(self, document: Element) -> list:
        leaflet, theme, words = self.leaflet, self.theme, self.words
        label_style = self.style(theme.label_size, bold=True)
        small = self.style(theme.small_size)
        revised = words["revised"].format(date=long_date(leaflet.revised, leaflet.lang), source=leaflet.source)
        flowables = [
            # Under the prescription panel (at the top of a page the space is dropped).
            TextBlock((Span(words["leaflet"]),), label_style, document.add("P").slot(),
                      space_before=theme.paragraph_space, keep_with_next=True),
            self.heading(leaflet.title, document, level=1, space_before=2.0),
            self.medicine_line(document.add("P")),
            TextBlock((Span(revised),), small, document.add("P").slot(), space_before=2.0),
            Rule(theme.rule_width, theme.rule_colour, space_before=theme.paragraph_space),
        ]
        if leaflet.lead is not None:
            flowables.append(self.paragraph(leaflet.lead, document, 0.0, space_before=theme.paragraph_space))
        return flowables

    def medicine_label(self, strength: Optional[str] = None) -> str:
        """"Atorvastatin 10 mg, 20 mg and 40 mg tablets", or with the one strength given."""
        return front.medicine_label(self.leaflet, strength)

    def medicine_line(self, element: Element) -> TextBlock:
        """The medicine, its strengths and form, its brand names, and how to say the first
        brand name (else the name) after it: "Brand name: Lipitor (LIP-ih-tore)".  The
        pronunciation is a Span element read as "(pronounced lip-ih-tore)": a screen
        reader would spell the capitals out."""
        say = self.leaflet.medicine.pronunciation
        spans = list(front.medicine_spans(self.leaflet))  # the pronunciation's span: link PRONUNCIATION
        if not say or self.rtl or any(bidi.has_rtl(span.text) for span in spans):
            # (right to left, lines are placed as they show: the pronunciation is read as printed)
            spans = [Span(span.text, span.bold, span.italic) for span in spans]
            return TextBlock(tuple(spans), self.body, element.slot(), space_before=self.theme.heading_space_after)
        actual = front.pronounced(self.leaflet)
        segments = _inline_segments(spans, element, lambda span: span.link == front.PRONUNCIATION,
                                    lambda _: element.add("Span", actual=actual))
        segments = [segment._replace(link=None) for segment in segments]
        spans = tuple(Span(span.text, span.bold, span.italic) for span in spans)
        return TextBlock(spans, self.body, segments[0].slot, space_before=self.theme.heading_space_after,
                         segments=tuple(segments))

    def linked(self, spans, element: Element, style: TextStyle):
        """(spans as printed, first slot, segments, links found by their text) of a text in
        ``element``: a link becomes a Link element between parts of the text, a
        cross-reference is followed by "(see page N)" and a link whose text does not show
        its address by the address, so that the paper leaflet says where it goes."""
        for span in spans:  # a loop, not any(): this runs for every text of the leaflet
            if span.link:
                break
        else:
            return spans, element.slot(), None, None
        spans = self.printed(spans)
        if style.rtl or any(bidi.has_rtl(span.text) for span in spans):
            # Lines placed as the bidi algorithm shows them: the text stays one sequence of
            # ``element``, and each link is found where it shows, for its annotation, by a
            # left-to-right word it prints: its text if that is one (an address, a number),
            # else the address printed after it.  A cross-reference prints no address:
            # its page number is printed only.
            links = [(word, link) for link, group in itertools.groupby(spans, key=lambda span: span.link)
                     if link and (word := _clickable_word("".join(span.text for span in group), link))]
            plain = tuple(Span(span.text, span.bold, span.italic, unbreakable=span.unbreakable) for span in spans)
            return plain, element.slot(), None, links or None
        segments = _inline_segments(spans, element, lambda span: span.link, lambda _: element.add("Link"))
        return spans, segments[0].slot, tuple(segments), None

    def printed(self, spans) -> tuple:
        """The spans with what a link adds on paper: "(see page N)" or "(address)"."""
        result = []
        for link, group in itertools.groupby(spans, key=lambda span: span.link):
            group = list(group)
            result += group
            if link:
                suffix = self.link_suffix(link, "".join(span.text for span in group))
                if suffix:
                    result.append(Span(suffix, link=link, unbreakable=True))
        return tuple(result)

    def link_suffix(self, link: str, text: str) -> str:
        if link.startswith("#"):
            return " " + self.words["see_page"].format(page=self.pages.get(link[1:], _UNKNOWN_PAGE))
        return "" if _shown_address(link).lower() in text.lower() else f" ({_printed_address(link)})"

    def text_block(self, spans, element: Element, style: TextStyle, **options) -> TextBlock:
        """A text block whose text is ``element``'s content, links and all."""
        spans, slot, segments, visual_links = self.linked(spans, element, style)
        return TextBlock(spans, style, slot, segments=segments, visual_links=visual_links, **options)

    def heading(self, text: model.Text, parent: Element, level: int, indent=0.0, space_before=None, prefix=(),
                lang_in_effect=None, anchor=None):
        element = parent.add(f"H{level}")
        spans = tuple(prefix) + text.spans
        return self.text_block(spans, element, self.heading_style(level, lang_in_effect), indent=indent,
                               space_before=self.theme.heading_space_before if space_before is None else space_before,
                               bookmark=OutlineEntry("".join(s.text for s in spans), level - 1),
                               whole_up_to=self.page_height, where=text.where, anchor=anchor)

    def paragraph(self, text: model.Text, parent: Element, indent: float, space_before=None, own_lang=None,
                  lang_in_effect=None) -> TextBlock:
        """``own_lang``: the paragraph's own /Lang; ``lang_in_effect``: the language it is in (its own or
        inherited from a section or box), which sets its direction."""
        style = self.style(self.theme.body_size, lang=lang_in_effect) if lang_in_effect else self.body
        return self.text_block(text.spans, parent.add("P", lang=own_lang), style, indent=indent,
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
                flowables.append(self.heading(block.heading, section, level, indent, lang_in_effect=inner,
                                              anchor=block.id))
                flowables += self.blocks(block.blocks, section, level + 1, indent, inner)
            elif isinstance(block, model.Box):
                flowables.append(self.box(block, parent, level, inner))
            elif isinstance(block, model.Table):
                flowables.append(self.table(block, parent, inner))
            elif isinstance(block, model.Figure):
                flowables.append(self.figure(block, parent, inner))
            elif isinstance(block, model.Pictograms):
                flowables.append(self.pictograms(block, parent, inner))
        return flowables

    def rtl_in(self, lang_in_effect: Optional[str]) -> bool:
        return bidi.is_rtl_language(lang_in_effect) if lang_in_effect else self.rtl

    def cell(self, blocks, element: Element, lang_in_effect, header: bool) -> Cell:
        """A table cell's flowables (header cells bold), its first at the top of the cell.  A
        cell of one paragraph holds its text itself, as a cell of a screen reader's table does."""
        if len(blocks) == 1 and isinstance(blocks[0], model.Paragraph):
            paragraph = blocks[0]
            if paragraph.lang:
                element.lang = paragraph.lang
            style = self.style(self.theme.body_size, bold=header, lang=paragraph.lang or lang_in_effect)
            return Cell([self.text_block(paragraph.text.spans, element, style, orphans=self.theme.orphans,
                                         where=paragraph.text.where)], header)
        flowables = self.blocks(blocks, element, 2, 0.0, lang_in_effect)
        for flowable in flowables:
            if header:
                flowable.style = dataclasses.replace(flowable.style, bold=True)
        flowables[0].spaceBefore = 0.0
        return Cell(flowables, header)

    def table(self, table: model.Table, parent: Element, lang_in_effect: Optional[str]) -> TableBlock:
        return table_block(self, table, parent, lang_in_effect)

    def caption(self, text: Optional[model.Text], element: Optional[Element], lang_in_effect) -> Optional[TextBlock]:
        if text is None:
            return None
        style = self.style(self.theme.body_size, bold=True, lang=lang_in_effect)
        return self.text_block(text.spans, element, style, space_before=0.0, where=text.where,
                               orphans=self.theme.orphans)

    def figure(self, figure: model.Figure, parent: Element, lang_in_effect) -> FigureBlock:
        element = None if figure.decorative else parent.add("Figure", alt=figure.image.alt, lang=figure.lang)
        caption = None
        if figure.caption is not None:
            style = self.style(self.theme.body_size, lang=lang_in_effect)
            caption = self.text_block(figure.caption.spans, parent.add("P", lang=figure.lang), style,
                                      where=figure.caption.where)
        return FigureBlock(figure.image, element, caption, share=figure.width,
                           scale=self.theme.body_size / 12.0, max_height=self.page_height, gap=self.theme.picture_gap,
                           rtl=self.rtl_in(lang_in_effect), space_before=self.theme.paragraph_space)

    def pictograms(self, block: model.Pictograms, parent: Element, lang_in_effect) -> PictogramsBlock:
        """The text first (the pictures illustrate it), then each picture's Figure."""
        group = parent.add("Div", lang=block.lang)
        style = self.style(self.theme.body_size, lang=lang_in_effect)
        text = self.text_block(block.text.spans, group.add("P"), style, where=block.text.where)
        images = [(image, None if image.alt is None else group.add("Figure", alt=image.alt))
                  for image in block.images]
        return PictogramsBlock(images, text, size=self.theme.pictogram_size, gap=self.theme.picture_gap,
                               rtl=self.rtl_in(lang_in_effect), space_before=self.theme.paragraph_space)

    def box(self, box: model.Box, parent: Element, level: int, lang_in_effect: Optional[str] = None) -> BoxBlock:
        """A Sect with its own heading.  Warning and emergency boxes say so before their title;
        a most-important box's title is its heading as written (the FDA's question says it
        all); an intro box may have no title, and its blocks then stand in the Sect alone."""
        section = parent.add("Sect", title=self.words[box.kind], lang=box.lang)
        label = front.box_prefix(self.leaflet.lang, box.kind)  # "Warning: " as the language punctuates it
        prefix = (Span(label),) if label else ()
        title = None if box.title is None else \
            self.heading(box.title, section, level, prefix=prefix, lang_in_effect=lang_in_effect)
        children = self.blocks(box.blocks, section, level + (title is not None), 0.0, lang_in_effect)
        if children and title is not None:
            children[0].spaceBefore = self.theme.heading_space_after
        elif children:
            children[0].spaceBefore = 0.0
        _keep_together(children, self.page_height)
        rtl = bidi.is_rtl_language(lang_in_effect) if lang_in_effect else self.rtl
        return BoxBlock(title, children, self.theme, box.kind, self.words["continued"],
                        space_before=self.theme.box_space, rtl=rtl, whole_up_to=self.page_height, anchor=box.id)

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
            flowables.append(self.text_block(item.text.spans, body, style, indent=indent + hang,
                                             space_before=space, label=Label(label + " ", label_slot, indent),
                                             orphans=self.theme.orphans, where=item.text.where))
            if item.sublist is not None:
                # Deeper lists nest in the structure without end, but on paper their
                # indent stops growing, so the text keeps a readable width.
                deeper = indent + hang if indent + hang <= self.theme.max_list_indent else indent
                flowables += self.list_block(item.sublist, body, level, deeper, item_lang)
        return flowables


def _one_ltr_word(text: str) -> bool:
    return " " not in text.strip() and not bidi.has_rtl(text)


def _printed_address(link: str) -> str:
    """The address as printed after a link's text: a phone number never broken over lines."""
    shown = _shown_address(link)
    return _unbreakable(shown) if link.startswith("tel:") else shown


def _clickable_word(printed: str, link: str) -> Optional[str]:
    """In right-to-left lines, the left-to-right word a link prints (its text with what
    the page adds), found where it shows for the link's annotation: the text if it is
    one such word, else the address printed with it; None: nothing to find."""
    if _one_ltr_word(printed):
        return printed
    if link.startswith("#"):
        return None
    shown = _printed_address(link)
    at = printed.casefold().find(shown.casefold())  # printed as the text has it, if it does
    return printed[at:at + len(shown)] if _one_ltr_word(shown) and at >= 0 else None


def _inline_segments(spans, element: Element, key, inline_element) -> list:
    """Segments of a text in ``element`` whose runs of spans with a true ``key`` are
    each an inline element of their own (``inline_element(key)``: a Link, a Span).

    The text after the first such element goes into a Span, not back into ``element``:
    then each element's own content comes in the order the page paints it, which is
    how checkers (outloud) read a tag tree's order.  A space at a boundary ends the
    segment before it: readers drop a space that opens marked content.
    """
    text = "".join(span.text for span in spans)
    groups, end = [], 0
    for value, group in itertools.groupby(spans, key=key):
        end += sum(len(span.text) for span in group)
        offset = end
        while offset < len(text) and text[offset] == " ":
            offset += 1
        if groups and offset <= groups[-1][1]:
            continue  # nothing left of this group but the space
        groups.append((value, offset))
    segments, inline_seen = [], False
    for value, end in groups:
        if value:
            owner, inline_seen = inline_element(value), True
        else:
            owner = element.add("Span") if inline_seen else element
        segments.append(Segment(end, owner.slot(), value if isinstance(value, str) else None))
    return segments


def _keep_together(flowables: list, page_height: float) -> None:
    """Keep a heading (or the label above the title), or a paragraph that introduces a
    list, a table or a picture ("… include:"), with what follows."""
    for block, follower in zip(flowables, flowables[1:]):
        if not isinstance(block, TextBlock):
            continue
        introduced = (isinstance(follower, TextBlock) and follower.label is not None
                      or isinstance(follower, (TableBlock, FigureBlock, PictogramsBlock)))
        introduces = (block.label is None and introduced
                      and "".join(s.text for s in block.spans).rstrip().endswith(":"))
        if block.keep_with_next or introduces:
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
                prescription: Optional[model.Prescription] = None, pharmacy: Optional[model.Pharmacy] = None,
                pages: Optional[dict] = None) -> list:
    """``pages``: section id -> page number, from an earlier layout (cross-references)."""
    return _StoryBuilder(leaflet, theme, frame_height, prescription, pharmacy, pages).story(document)




def page_decorator(leaflet: model.Leaflet, theme: Theme, page_size, frame_x: float, frame_width: float) -> PageDecorator:
    """The running header and the page numbers of ``leaflet``.

    The header names the medicine and its strength only: enough to say what a loose
    page belongs to, and short enough that no checker or reader takes it for a line
    of prose that was skipped (the title in it read as one to outloud, TAG-002)."""
    size = theme.small_size
    style = TextStyle(size, theme.leading(size), colour=theme.text_colour, rtl=bidi.is_rtl_language(leaflet.lang),
                      lang=leaflet.lang)
    medicine = leaflet.medicine
    header = f"{medicine.name} {list_text(medicine.strengths, leaflet.lang)}".rstrip()
    return PageDecorator(header, messages(leaflet.lang)["page"], style, theme, page_size, frame_x, frame_width)
