"""The HTML edition: the leaflet as one accessible web page (CSS inline, pictures as data URIs).

The page is built as an element tree (the standard library's ElementTree, which
escapes every text and attribute it writes) in the PDF's reading order and with its
structure: one ``h1``, nested headings, lists, tables with ``caption`` and ``th
scope``, figures with their alt text (empty when decorative), boxes as named regions
whose heading says their kind.  A passage in another language carries its ``lang``
(and ``dir`` where its direction changes).  Links work, and a cross-reference goes to
its section: of what the paper adds to links, the address after a link whose text does
not show it is kept (a reader may want the number), "(see page N)" is not.

The EPUB edition writes the same tree as XHTML (``page_tree`` with its own pictures).
"""
from __future__ import annotations

import base64
import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .. import model
from ..text.bidi import is_rtl_language
from ..text.fixed_words import labelled, messages
from ..version import __version__
from . import front
from .style import style_sheet

MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}


def data_uri(image: model.Image) -> str:
    data = Path(image.path).read_bytes()
    return f"data:{MEDIA_TYPES[image.kind]};base64,{base64.b64encode(data).decode('ascii')}"


def html_edition(leaflet: model.Leaflet, prescription: Optional[model.Prescription] = None,
                 pharmacy: Optional[model.Pharmacy] = None, large_print: bool = False) -> bytes:
    """The HTML edition as UTF-8 bytes: the same bytes for the same input."""
    page = page_tree(leaflet, prescription, pharmacy, large_print, data_uri)
    return b"<!DOCTYPE html>\n" + ET.tostring(page.root, encoding="unicode", method="html").encode("utf-8") + b"\n"


@dataclass
class Heading:
    """A heading of the page, for a table of contents: its level (1 the title), its id and text."""

    level: int
    id: str
    text: str


@dataclass
class Page:
    root: ET.Element
    headings: list = field(default_factory=list)


def page_tree(leaflet: model.Leaflet, prescription: Optional[model.Prescription], pharmacy: Optional[model.Pharmacy],
              large_print: bool, picture: Callable[[model.Image], str]) -> Page:
    """The page as an element tree; ``picture(image)`` gives each image's ``src``."""
    return _PageBuilder(leaflet, prescription, pharmacy, picture).page(large_print)


def subject(leaflet: model.Leaflet) -> str:
    """"Patient information leaflet: Diazepam 2 mg tablets", as the PDF's Subject (no patient's data)."""
    return labelled(messages(leaflet.lang)["leaflet"], leaflet.medicine.label, leaflet.lang)


class _PageBuilder:
    def __init__(self, leaflet, prescription, pharmacy, picture):
        self.leaflet, self.prescription, self.pharmacy, self.picture = leaflet, prescription, pharmacy, picture
        self.words = messages(leaflet.lang)
        self.headings: list[Heading] = []
        self.taken = set(_content_ids(leaflet.blocks))
        self.counter = itertools.count(1)

    def page(self, large_print: bool) -> Page:
        leaflet = self.leaflet
        root = ET.Element("html", lang=leaflet.lang, dir="rtl" if is_rtl_language(leaflet.lang) else "ltr")
        head = ET.SubElement(root, "head")
        ET.SubElement(head, "meta", charset="utf-8")
        ET.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
        ET.SubElement(head, "title").text = f"{leaflet.title.plain} ({leaflet.medicine.label})"
        ET.SubElement(head, "meta", name="description", content=subject(leaflet))
        ET.SubElement(head, "meta", name="generator", content=f"rxleaflet {__version__}")
        ET.SubElement(head, "style").text = style_sheet(large_print)
        main = ET.SubElement(ET.SubElement(root, "body"), "main")
        rtl = is_rtl_language(leaflet.lang)
        if self.prescription is not None:  # USP <17>: the patient's own details first
            self.prescription_table(main)
        self.front(main)
        self.blocks(main, leaflet.blocks, level=2, rtl=rtl)
        if self.pharmacy is not None:
            self.pharmacy_section(main)
        return Page(root, self.headings)

    # -- what rxleaflet adds around the content
    def front(self, main: ET.Element) -> None:
        leaflet = self.leaflet
        ET.SubElement(main, "p", {"class": "leaflet-label"}).text = self.words["leaflet"]
        self.heading(main, leaflet.title.spans, 1)
        line = ET.SubElement(main, "p", {"class": "medicine"})
        for span in front.medicine_spans(leaflet):
            if span.link == front.PRONUNCIATION:  # shown as written, heard as "pronounced …"
                ET.SubElement(line, "span", {"aria-hidden": "true"}).text = span.text
                ET.SubElement(line, "span", {"class": "visually-hidden"}).text = front.pronounced(leaflet)
            else:
                self.spans(line, (span,))
        ET.SubElement(main, "p", {"class": "revised"}).text = front.revised_line(leaflet)
        if leaflet.lead is not None:
            self.spans(ET.SubElement(main, "p"), leaflet.lead.spans)

    def prescription_table(self, main: ET.Element) -> None:
        table = ET.SubElement(main, "table", {"class": "prescription"})
        ET.SubElement(table, "caption").text = self.words["prescription"]
        body = ET.SubElement(table, "tbody")
        for label, value in front.prescription_rows(self.leaflet, self.prescription, self.pharmacy):
            row = ET.SubElement(body, "tr")
            ET.SubElement(row, "th", scope="row").text = label
            cell = ET.SubElement(row, "td")
            if label == self.words["directions"]:
                cell.set("class", "directions")
            cell.text = value

    def pharmacy_section(self, main: ET.Element) -> None:
        section = ET.SubElement(main, "section", {"class": "pharmacy"})
        self.heading(section, (model.Span(self.words["your_pharmacy"]),), 2)
        self.spans(ET.SubElement(section, "p"), front.pharmacy_spans(self.leaflet, self.pharmacy))
        for line in self.pharmacy.footer:
            self.spans(ET.SubElement(section, "p"), line.spans)

    # -- the content
    def blocks(self, parent: ET.Element, blocks, level: int, rtl: bool) -> None:
        for block in blocks:
            inner_rtl = is_rtl_language(block.lang) if block.lang else rtl
            if isinstance(block, model.Paragraph):
                self.spans(self.element(parent, "p", block.lang, rtl), block.text.spans)
            elif isinstance(block, model.ListBlock):
                self.list_block(parent, block, rtl)
            elif isinstance(block, model.Section):
                section = self.element(parent, "section", block.lang, rtl, id=block.id)
                self.heading(section, block.heading.spans, level)
                self.blocks(section, block.blocks, level + 1, inner_rtl)
            elif isinstance(block, model.Box):
                self.box(parent, block, level, rtl, inner_rtl)
            elif isinstance(block, model.Table):
                self.table(parent, block, rtl, inner_rtl)
            elif isinstance(block, model.Figure):
                self.figure(parent, block, rtl)
            elif isinstance(block, model.Pictograms):
                group = self.element(parent, "div", block.lang, rtl, **{"class": "pictograms"})
                self.spans(ET.SubElement(group, "p"), block.text.spans)
                for image in block.images:
                    self.image(group, image)

    def element(self, parent: ET.Element, tag: str, lang: Optional[str], rtl: bool, **attributes) -> ET.Element:
        """A child element; in another language it says so, and its direction if that changes."""
        element = ET.SubElement(parent, tag, {key: value for key, value in attributes.items() if value})
        if lang:
            element.set("lang", lang)
            if is_rtl_language(lang) != rtl:
                element.set("dir", "rtl" if is_rtl_language(lang) else "ltr")
        return element

    def box(self, parent: ET.Element, box: model.Box, level: int, rtl: bool, inner_rtl: bool) -> None:
        """A named region: its heading (prefixed "Warning: " as on paper), else the kind's name."""
        region = self.element(parent, "section", box.lang, rtl, id=box.id, **{"class": f"box {box.kind}"})
        if box.title is None:
            region.set("aria-label", self.words[box.kind])
        else:
            label = front.box_prefix(self.leaflet.lang, box.kind)
            prefix = (model.Span(label),) if label else ()
            region.set("aria-labelledby", self.heading(region, prefix + box.title.spans, level))
        self.blocks(region, box.blocks, level + (box.title is not None), inner_rtl)

    def heading(self, parent: ET.Element, spans, level: int) -> str:
        """A heading (levels past 6 as ARIA headings); returns its id."""
        identity = self.new_id()
        if level <= 6:
            element = ET.SubElement(parent, f"h{level}", id=identity)
        else:
            element = ET.SubElement(parent, "p", {"role": "heading", "aria-level": str(level), "id": identity})
        self.spans(element, spans)
        self.headings.append(Heading(level, identity, "".join(span.text for span in spans)))
        return identity

    def new_id(self) -> str:
        while (identity := f"rx-heading-{next(self.counter)}") in self.taken:
            pass
        return identity

    def list_block(self, parent: ET.Element, block: model.ListBlock, rtl: bool) -> None:
        element = self.element(parent, "ol" if block.ordered else "ul", block.lang, rtl)
        rtl = is_rtl_language(block.lang) if block.lang else rtl
        for item in block.items:
            entry = self.element(element, "li", item.lang, rtl)
            self.spans(entry, item.text.spans)
            if item.sublist is not None:
                self.list_block(entry, item.sublist, is_rtl_language(item.lang) if item.lang else rtl)

    def table(self, parent: ET.Element, table: model.Table, rtl: bool, inner_rtl: bool) -> None:
        """Header rows in ``thead`` (``th scope=col``, ``colgroup`` when spanning), a row's header
        cell ``th scope=row``; spans as ``rowspan``/``colspan``.  A layout table (no headers) is
        presentation only: its caption a paragraph before it, its cells read in order."""
        if table.layout and table.caption is not None:
            self.spans(self.element(parent, "p", table.lang, rtl), table.caption.spans)
        element = self.element(parent, "table", table.lang, rtl)
        if table.layout:
            element.set("role", "presentation")
        elif table.caption is not None:
            self.spans(ET.SubElement(element, "caption"), table.caption.spans)
        covered, heads = table.covered(), table.head_count
        body = None
        for r, row in enumerate(table.rows):
            if r < heads:
                group = element.find("thead")
                group = ET.SubElement(element, "thead") if group is None else group
            else:
                body = ET.SubElement(element, "tbody") if body is None else body
                group = body
            tr = ET.SubElement(group, "tr")
            for c, cell in enumerate(row):
                if (r, c) in covered:
                    continue
                rows, columns = table.span_at(r, c)
                if table.layout:
                    target = ET.SubElement(tr, "td")
                elif r < heads:
                    target = ET.SubElement(tr, "th", scope="colgroup" if columns > 1 else "col")
                elif table.header_column and c == 0:
                    target = ET.SubElement(tr, "th", scope="rowgroup" if rows > 1 else "row")
                else:
                    target = ET.SubElement(tr, "td")
                if rows > 1:
                    target.set("rowspan", str(rows))
                if columns > 1:
                    target.set("colspan", str(columns))
                self.cell(target, cell, inner_rtl)

    def cell(self, element: ET.Element, blocks, rtl: bool) -> None:
        """A cell of one paragraph holds its text itself; else its blocks."""
        if len(blocks) == 1 and isinstance(blocks[0], model.Paragraph):
            paragraph = blocks[0]
            if paragraph.lang:
                element.set("lang", paragraph.lang)
                if is_rtl_language(paragraph.lang) != rtl:
                    element.set("dir", "rtl" if is_rtl_language(paragraph.lang) else "ltr")
            self.spans(element, paragraph.text.spans)
        else:
            self.blocks(element, blocks, 2, rtl)

    def figure(self, parent: ET.Element, figure: model.Figure, rtl: bool) -> None:
        share = f"width: {round(figure.width * 100, 2):g}%"
        if figure.decorative:  # as in the PDF: the picture an artifact, its caption a paragraph
            holder = self.element(parent, "div", figure.lang, rtl, **{"class": "figure"})
            self.image(holder, figure.image).set("style", share)
            if figure.caption is not None:
                self.spans(ET.SubElement(holder, "p"), figure.caption.spans)
            return
        element = self.element(parent, "figure", figure.lang, rtl)
        self.image(element, figure.image).set("style", share)
        if figure.caption is not None:
            self.spans(ET.SubElement(element, "figcaption"), figure.caption.spans)

    def image(self, parent: ET.Element, image: model.Image) -> ET.Element:
        width, height = image.pixels
        return ET.SubElement(parent, "img", src=self.picture(image), alt=image.alt or "",
                             width=str(width), height=str(height))

    def spans(self, parent: ET.Element, spans) -> None:
        """Inline text: each run of a link one ``a``; bold ``strong``, italic ``em``."""
        for link, group in itertools.groupby(spans, key=lambda span: span.link):
            holder = ET.SubElement(parent, "a", href=front.href(link)) if link else parent
            group = list(group)
            if link:  # the address after a link whose text does not show it, as on paper
                group.append(model.Span(front.address_suffix(link, "".join(span.text for span in group))))
            for span in group:
                target = holder
                if span.bold:
                    target = ET.SubElement(target, "strong")
                if span.italic:
                    target = ET.SubElement(target, "em")
                _append_text(target, span.text)


def _append_text(element: ET.Element, text: str) -> None:
    """Text at the end of ``element`` (ElementTree keeps text after a child in its tail)."""
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _content_ids(blocks):
    """The ids the content gives its sections and boxes (generated ids avoid them)."""
    for block in blocks:
        if isinstance(block, (model.Section, model.Box)):
            if block.id:
                yield block.id
            yield from _content_ids(block.blocks)


def message_page(lang: str, title: str, text: str) -> bytes:
    """A short page in the reader's language (the service's "no leaflet for this code"), styled as the editions."""
    root = ET.Element("html", lang=lang, dir="rtl" if is_rtl_language(lang) else "ltr")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "style").text = style_sheet(False)
    main = ET.SubElement(ET.SubElement(root, "body"), "main")
    ET.SubElement(main, "h1").text = title
    ET.SubElement(main, "p").text = text
    return b"<!DOCTYPE html>\n" + ET.tostring(root, encoding="unicode", method="html").encode("utf-8") + b"\n"
