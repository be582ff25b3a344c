"""The fence around ReportLab's private API: every use of it in rxleaflet stands here, checked against the ReportLab version it was written for.

It was written against ReportLab 5.1.0 and is checked against the running version at
import: canvas state saved and restored to hold pages back, the per-page annotation
hook, the document's timestamp and object table, a text object's code list (ReportLab
has no public way to put marked-content operators inside a text object), and for
personalised leaflets (see layout/write.py) the page's code list and the fonts'
per-document state (internal names and character codes fixed in advance).
:mod:`rxleaflet.pdf.tag` builds the structure on these hooks.
"""
from __future__ import annotations

import datetime
import time
from typing import Callable

import reportlab
from reportlab import rl_config
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

TESTED_REPORTLAB_VERSIONS = ("5.1.0",)

if reportlab.Version not in TESTED_REPORTLAB_VERSIONS:
    raise ImportError(
        f"rxleaflet needs ReportLab {' or '.join(TESTED_REPORTLAB_VERSIONS)} (it uses parts of ReportLab "
        f"that change between versions), but ReportLab {reportlab.Version} is installed: "
        f"pip install 'reportlab=={TESTED_REPORTLAB_VERSIONS[-1]}'")


def _to_unicode_cmap(fontname: str, subset) -> str:
    """ReportLab's ToUnicode CMap for a font subset, each code's character as UTF-16BE.

    ReportLab writes a character's code point as hex (``<%04X>``), which for one above
    U+FFFF (Old Italic, emoji) is five digits that readers take as another character:
    U+10300 came back as U+1030.  UTF-16 writes it as its surrogate pair."""
    pairs = [f"<{code:02X}> <{chr(char).encode('utf-16-be').hex().upper()}>" for code, char in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange", f"{len(subset)} beginbfchar", *pairs, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end"])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap

# Binary Flate streams: ReportLab's default wraps them in ASCII85 as well, which makes
# files a quarter bigger and costs time for nothing.  rl_config is process-wide: this
# changes every PDF ReportLab writes in this process, not only rxleaflet's.
rl_config.useA85 = 0


class HookedCanvas(Canvas):
    """A canvas with the private hooks TaggedCanvas needs, under public names."""

    def page_state(self) -> dict:
        """Everything the canvas holds for the page drawn so far (to hold the page back)."""
        return dict(self.__dict__)

    def restore_page_state(self, state: dict) -> None:
        self.__dict__.update(state)

    def start_next_page(self) -> None:
        """A fresh page, without writing the current one (it is held in page_state)."""
        self._startPage()

    def pdf_document(self) -> pdfdoc.PDFDocument:
        return self._doc

    def last_operator(self) -> str:
        """The last operator written to the page's content so far."""
        return self._code[-1] if self._code else ""

    def replace_last_operator(self, operator: str) -> None:
        self._code[-1] = operator

    def page_keys(self) -> dict:
        """Extra keys for the page object being written; overridden by TaggedCanvas."""
        return {}

    def _setAnnotations(self, page):
        # The one hook showPage offers per page object.
        super()._setAnnotations(page)
        extra = self.page_keys()
        page.__NoDefault__ = list(page.__NoDefault__) + list(extra)
        for key, value in extra.items():
            setattr(page, key, value)

    def add_page_annotation(self, annotation: pdfdoc.PDFObject, name: str) -> None:
        """Register ``annotation`` as object ``name`` and list it in this page's /Annots."""
        self._doc.Reference(annotation, name)
        self._annotationrefs.append(pdfdoc.PDFObjectReference(name))

    def fix_timestamp(self, date: datetime.datetime) -> None:
        """The document's CreationDate and ModDate, fixed so that output is reproducible."""
        stamp = TimeStamp(invariant=1)
        seconds = int(date.replace(tzinfo=datetime.timezone.utc).timestamp())
        stamp.t = seconds
        stamp.lt = time.gmtime(seconds)
        stamp.YMDhms = tuple(stamp.lt)[:6]
        stamp.dhh = stamp.dmm = 0
        self._doc._timeStamp = stamp

    def prime_fonts(self, charsets) -> None:
        """Fix fonts' internal names and character codes before anything is drawn.

        ``charsets`` is ((registered font name, characters), ...): each font
        gets the next internal name (F1, F2 … in this order) and its characters
        the next codes, in this order.  Two documents primed alike encode those
        characters in those fonts alike, whatever either draws first.
        """
        doc = self._doc
        for name, chars in charsets:
            font = pdfmetrics.getFont(name)
            font.getSubsetInternalName(0, doc)
            font.splitString(chars, doc)
        self._primed = [(name, len(pdfmetrics.getFont(name).state[doc].assignments)) for name, _ in charsets]
        self._primed_fonts = len(doc.fontMapping)

    def only_primed_characters(self) -> bool:
        """Has everything drawn since :meth:`prime_fonts` used only primed fonts and characters?"""
        doc = self._doc
        return len(doc.fontMapping) == self._primed_fonts and all(
            len(pdfmetrics.getFont(name).state[doc].assignments) == count for name, count in self._primed)

    def code_mark(self) -> int:
        """Where the current page's content stands (for :meth:`code_since`)."""
        return len(self._code)

    def code_since(self, mark: int) -> bytes:
        """The page's content operators drawn since ``mark``, as ReportLab writes them in the page stream."""
        return "\n".join(self._code[mark:]).encode("utf8")


def begin_actual_text(text_object, actual: str) -> None:
    """Inside a text object: what follows, to ``end_actual_text``, reads as ``actual``."""
    if not text_object._canvas.tagged:
        return
    text_object._code.append(f"/Span <</ActualText {text_string(actual) if actual else '<>'}>> BDC")


def end_actual_text(text_object) -> None:
    if text_object._canvas.tagged:
        text_object._code.append("EMC")


class RawObject(pdfdoc.PDFObject):
    """An object written straight to PDF syntax by ``render(ref)``.

    A leaflet has a hundred or more structure elements; building each as
    ReportLab PDFDictionary/PDFName objects cost more than the rest of the
    tagging.  ``ref(name)`` is "N 0 R" for a registered object's name.
    """

    __RefOnly__ = 1

    def __init__(self, render: Callable[[Callable[[str], str]], str]):
        self.render = render

    def format(self, doc) -> bytes:
        references = getattr(doc, "_rxleaflet_references", None)
        if references is None:  # every object is registered by the time of writing
            references = doc._rxleaflet_references = {
                name: f"{number} 0 R" for name, (number, _) in doc.idToObjectNumberAndVersion.items()}
        return self.render(references.__getitem__).encode("latin-1")





def text_string(text: str) -> str:
    """A PDF text string: UTF-16BE with a byte-order mark, in hex."""
    return "<" + ("\ufeff" + text).encode("utf-16-be").hex().upper() + ">"
