"""Lay the story out on pages and write the tagged PDF: the model in, bytes out."""
from __future__ import annotations

import datetime
import functools
import io
import os
from typing import Optional

from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError, PageTemplate
from reportlab.platypus.frames import Frame

from . import fonts, model, story, tag
from .errors import UserError
from .messages import messages
from .theme import STANDARD, Theme, page_size
from .version import __version__


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
    size = page_size(paper)
    frame_width = theme.text_width(size[0])
    frame_x = (size[0] - frame_width) / 2
    frame_height = size[1] - theme.top_margin - theme.bottom_margin
    document = tag.Element("Document", None)
    flowables = story.build_story(leaflet, document, theme, frame_height, prescription, pharmacy)
    info = document_info(leaflet)
    output = io.BytesIO()
    template = _DocTemplate(
        output, pagesize=size, pageCompression=1, invariant=1,
        leftMargin=frame_x, rightMargin=frame_x, topMargin=theme.top_margin, bottomMargin=theme.bottom_margin,
        initialFontName=fonts.REGULAR, initialFontSize=theme.body_size,
        title=info.title, author=info.author, subject=info.subject, creator=info.creator,
        producer=info.creator, keywords=info.keywords, lang=info.lang,
    )
    frame = Frame(frame_x, theme.bottom_margin, frame_width, frame_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    decorate = story.page_decorator(leaflet, theme, size, frame_x, frame_width)
    canvasmaker = functools.partial(tag.TaggedCanvas, document=document, info=info, decorate_page=decorate,
                                    tagged=tagged)
    try:
        template.build(flowables, canvasmaker=canvasmaker)
    except LayoutError:
        # Only content can make a block taller than a page that no rule may split:
        # boxes nested in boxes, each with a title many lines long.
        where = getattr(template.placing, "where", None)
        raise UserError.single(where.file if where else leaflet.file, where.line if where else 0,
                               where.column if where else 0, where.path if where else "",
                               f"cannot lay this content out on {paper} paper: a part that cannot be split is taller "
                               "than a page (usually boxes nested in boxes, with long titles); shorten it or "
                               "nest less") from None
    return output.getvalue()


class _DocTemplate(BaseDocTemplate):
    """Remembers the flowable being placed, so that a layout failure can name its block."""

    placing = None

    def handle_flowable(self, flowables):
        if flowables:
            self.placing = flowables[0]
        return super().handle_flowable(flowables)


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
        date=_document_date(leaflet.revised),
    )


def _document_date(revised: datetime.date) -> datetime.datetime:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else the leaflet's revision date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.datetime(revised.year, revised.month, revised.day)
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise UserError.single("SOURCE_DATE_EPOCH", 0, 0, "", f"'{epoch}' is not a time rxleaflet can use: "
                               "give whole seconds since 1970 (or unset it)") from None
