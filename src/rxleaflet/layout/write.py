"""Lay the story out on pages and write the tagged PDF: the model in, bytes out."""
from __future__ import annotations

import io
import os
import re
import zlib
from collections import OrderedDict
from typing import Optional

from ..text import fonts
from .. import model
from . import story
from ..pdf import tag
from .pagefill import LayoutError, PageFiller
from .panel import PANEL_MARK, PanelSpace
from ..errors import UserError
from ..text.fixed_words import messages
from .theme import STANDARD, Theme, page_size
from ..version import __version__
from ..editions.dates import document_date


def render(leaflet: model.Leaflet, paper: str = "a4", theme: Theme = STANDARD,
           prescription: Optional[model.Prescription] = None, pharmacy: Optional[model.Pharmacy] = None,
           tagged: bool = True) -> bytes:
    """The leaflet as PDF bytes: identical input gives identical bytes.

    ``prescription`` puts one patient's dispensing details on page 1;
    ``pharmacy`` ends the leaflet with the pharmacy's details and footer lines.
    Neither goes into the metadata, the bookmarks or the title.
    ``tagged=False`` leaves out all tagging: only the benchmark wants that.
    """
    fonts.register()
    page = _Page(paper, theme)
    pages, settled = _cross_reference_pages(leaflet, page, prescription, pharmacy) \
        if _has_cross_references(leaflet) else (None, None)
    if settled is not None and prescription is None and tagged:
        return settled  # the last layout of the pages is the leaflet
    if prescription is not None and tagged:
        pdf = _personalised(leaflet, page, prescription, pharmacy, pages)
        if pdf is not None:
            return pdf
    document = tag.Element("Document", None)
    flowables = story.build_story(leaflet, document, theme, page.frame_height, prescription, pharmacy, pages)
    return _lay_out(leaflet, page, document, flowables, tagged)


_MAX_LAYOUTS = 3


def _has_cross_references(leaflet: model.Leaflet) -> bool:
    return any(span.link and span.link.startswith("#") for text in model.iter_texts(leaflet) for span in text.spans)


def _cross_reference_pages(leaflet, page, prescription, pharmacy) -> tuple[Optional[dict], Optional[bytes]]:
    """The page of each section id, for "(see page N)", and the PDF of the layout that
    printed them if they stood still in it: the leaflet laid out with the pages found
    until they stand still (the first layout assumes page 1; a number's width rarely moves
    a page break, so one more layout nearly always settles them)."""
    pages = None
    for _ in range(_MAX_LAYOUTS):
        document = tag.Element("Document", None)
        flowables = story.build_story(leaflet, document, page.theme, page.frame_height, prescription, pharmacy,
                                      pages)
        anchors: dict = {}
        pdf = _lay_out(leaflet, page, document, flowables, True, anchors=anchors)
        found = {name: number + 1 for name, (number, _) in anchors.items()}
        if found == pages:
            return pages, pdf
        pages = found
    return pages, None


class _Page:
    """The page and its text frame for a paper and a theme."""

    def __init__(self, paper: str, theme: Theme):
        self.paper, self.theme = paper, theme
        self.size = page_size(paper)
        self.frame_width = theme.text_width(self.size[0])
        self.frame_x = (self.size[0] - self.frame_width) / 2
        self.frame_height = self.size[1] - theme.top_margin - theme.bottom_margin


def _lay_out(leaflet: model.Leaflet, page: _Page, document: tag.Element, flowables: list, tagged: bool,
             prime=(), anchors: Optional[dict] = None) -> bytes:
    """The story on pages, written: the PDF.  ``anchors`` is filled with where each section
    id's heading was drawn: {id: (page index, top)}."""
    theme, size, frame_x, frame_width = page.theme, page.size, page.frame_x, page.frame_width
    info = document_info(leaflet)
    output = io.BytesIO()
    decorate = story.page_decorator(leaflet, theme, size, frame_x, frame_width)
    canv = tag.TaggedCanvas(output, pagesize=size, pageCompression=1, initialFontName=fonts.REGULAR,
                            initialFontSize=theme.body_size, document=document, info=info, decorate_page=decorate,
                            tagged=tagged, prime=prime, anchors=anchors)
    filler = PageFiller(canv, frame_x, theme.bottom_margin, frame_width, page.frame_height)
    try:
        filler.fill(flowables)
    except LayoutError:
        # Only content can make a block taller than a page that no rule may split:
        # boxes nested in boxes, each with a title many lines long.
        where = getattr(filler.placing, "where", None)
        raise UserError.single(where.file if where else leaflet.file, where.line if where else 0,
                               where.column if where else 0, where.path if where else "",
                               f"cannot lay this content out on {page.paper} paper: a part that cannot be split is "
                               "taller than a page (usually boxes nested in boxes, with long titles); shorten it or "
                               "nest less") from None
    canv.save()
    return output.getvalue()


# -- personalised leaflets: one layout of the body for every patient ----------------
#
# A personalised leaflet is the leaflet with a prescription panel at the top of
# page 1.  Everything after the panel depends only on the panel's height, so the
# leaflet is laid out and written once per (leaflet, edition, pharmacy, panel
# height) with a PanelSpace in the panel's place: the "template", a whole PDF
# with a mark where the panel's operators go.  Each patient's panel is drawn on
# its own canvas and put in at the mark; the page's stream is compressed again
# and the cross-reference table rewritten.  The fonts' internal names and the
# codes of the characters a panel may use are fixed before anything is drawn
# (tag.TaggedCanvas.prime_fonts), so the body's bytes and the embedded font
# subsets never depend on the patient.  A panel taller than the page, or with a
# character outside those sets, is laid out whole instead.  Every personalised
# build comes this way, single or batch, so a batch's leaflet is byte for byte
# what `build` makes.  The templates hold nothing of a patient's (only a height).


def _personalised(leaflet: model.Leaflet, page: _Page, prescription: model.Prescription,
                  pharmacy: Optional[model.Pharmacy], pages: Optional[dict] = None) -> Optional[bytes]:
    """The personalised leaflet made from a template, or None where a template cannot serve."""
    theme = page.theme
    panel = story.prescription_panel(leaflet, theme, page.frame_height, prescription, pharmacy)
    height = panel.wrap(page.frame_width, page.frame_height)[1]
    if height > page.frame_height:
        return None  # the panel runs on to page 2: the leaflet is laid out whole
    tier = fonts.panel_tier(panel.text(), leaflet.lang)
    if tier is None:
        return None  # a character outside every tier: the leaflet is laid out whole
    charsets = fonts.panel_charsets(leaflet.lang, tier)
    operators = _panel_operators(leaflet, page, panel, height, charsets)
    if operators is None:
        return None
    key = (leaflet, page.paper, theme, pharmacy, os.environ.get("SOURCE_DATE_EPOCH", ""), height, tier,
           tuple(sorted(pages.items())) if pages else ())
    # A batch asks with the same objects row after row: the model is compared by
    # identity first, which spares hashing it whole for every leaflet.
    last_key, template = _last_template
    if template is None or key[0] is not last_key[0] or any(a is not b and a != b for a, b in zip(key, last_key)):
        template = _TEMPLATES.get(key)
        if template is None:
            document = tag.Element("Document", None)
            flowables = story.build_story(leaflet, document, theme, page.frame_height, prescription, pharmacy,
                                          pages)
            flowables[0] = PanelSpace(flowables[0], page.frame_width, height)
            template = _Template(_lay_out(leaflet, page, document, flowables, True, prime=charsets))
            _TEMPLATES[key] = template
            while len(_TEMPLATES) > _TEMPLATES_KEPT:
                _TEMPLATES.popitem(last=False)
        _TEMPLATES.move_to_end(key)
        _last_template[:] = [key, template]
    return template.with_panel(operators)


_TEMPLATES: OrderedDict = OrderedDict()
_TEMPLATES_KEPT = 16
_last_template: list = [(), None]  # the key and template of the last look-up


def forget_templates() -> None:
    """Empty the store of templates (for a benchmark's cold build)."""
    _TEMPLATES.clear()
    _last_template[:] = [(), None]


def _panel_operators(leaflet: model.Leaflet, page: _Page, panel, height: float, charsets) -> Optional[bytes]:
    """The panel drawn where the template leaves room for it: page 1's content operators,
    or None if it needs a character or font outside ``charsets``."""
    canvas = tag.TaggedCanvas(io.BytesIO(), pagesize=page.size, invariant=1, pageCompression=1,
                              initialFontName=fonts.REGULAR, initialFontSize=page.theme.body_size,
                              document=tag.Element("Document", None), info=document_info(leaflet),
                              decorate_page=None, prime=charsets)
    start = canvas.code_mark()
    panel.drawOn(canvas, page.frame_x, page.theme.bottom_margin + page.frame_height - height)
    return canvas.code_since(start) if canvas.only_primed_characters() else None


class _Template:
    """A written PDF with PANEL_MARK in page 1's content, ready to take each patient's panel."""

    def __init__(self, pdf: bytes):
        xref = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
        rows = pdf[xref:pdf.index(b"trailer", xref)].split(b"\n")
        count = int(rows[1].split()[1])
        offsets = [int(row[:10]) for row in rows[3:3 + count - 1]]  # objects 1 … count-1, in file order
        if offsets != sorted(offsets):
            raise AssertionError("a template's objects are not in number order")
        ends = offsets[1:] + [xref]
        contents = _first_page_contents(pdf, offsets, ends)
        start, end = offsets[contents - 1], ends[contents - 1]
        stream_object = pdf[start:end]
        data_start = stream_object.index(b"stream\n") + len(b"stream\n")
        length = int(re.search(rb"/Length (\d+)", stream_object[:data_start]).group(1))
        page_one = zlib.decompress(stream_object[data_start:data_start + length])
        mark = b"\n" + PANEL_MARK.encode() + b"\n"
        if page_one.count(mark) != 1:
            raise AssertionError("a template's page 1 does not hold the panel's mark once")
        self.before, self.after = page_one.split(mark)
        self.head, self.tail = pdf[:start], pdf[end:xref]
        self.stream_head = stream_object[:data_start]
        self.stream_end = stream_object[data_start + length:]
        self.stream_length = len(stream_object)
        self.contents, self.offsets = contents, offsets
        self.trailer = pdf[pdf.index(b"trailer", xref):pdf.rindex(b"startxref")]

    def with_panel(self, operators: bytes) -> bytes:
        stream = zlib.compress(b"".join((self.before, b"\n", operators, b"\n", self.after)))
        head = re.sub(rb"/Length \d+", b"/Length %d" % len(stream), self.stream_head)
        stream_object = b"".join((head, stream, self.stream_end))
        shift = len(stream_object) - self.stream_length  # for every object after it
        xref_at = len(self.head) + len(stream_object) + len(self.tail)
        rows = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.offsets) + 1)]
        rows += [b"%010d 00000 n \n" % (offset + shift if number > self.contents else offset)
                 for number, offset in enumerate(self.offsets, 1)]
        return b"".join((self.head, stream_object, self.tail, *rows, self.trailer,
                         b"startxref\n%d\n%%%%EOF\n" % xref_at))


def _first_page_contents(pdf: bytes, offsets: list[int], ends: list[int]) -> int:
    """The number of the object that holds page 1's content stream."""
    for start, end in zip(offsets, ends):
        match = re.search(rb"/Contents (\d+) 0 R", pdf[start:end]) if b"/Type /Page\n" in pdf[start:end] else None
        if match:
            return int(match.group(1))
    raise AssertionError("a template without pages")


def document_info(leaflet: model.Leaflet) -> tag.DocumentInfo:
    words = messages(leaflet.lang)
    medicine = leaflet.medicine
    keywords = ", ".join((medicine.name,) + medicine.brand_names + (words["leaflet"],))
    return tag.DocumentInfo(
        title=leaflet.title.plain,
        lang=leaflet.lang,
        subject=f"{words['leaflet']}: {medicine.label}",
        author="rxleaflet",
        creator=f"rxleaflet {__version__}",
        keywords=keywords,
        date=document_date(leaflet.revised),
    )
