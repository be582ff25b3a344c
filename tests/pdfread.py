"""Reading our PDFs back with two readers we did not write.

* pypdf reads the objects: catalog, pages, structure tree, outline.
* PDFium (the engine of Chrome's viewer, through pypdfium2's raw API) reads
  the page content: every text and path object with the marked-content
  sequence it sits in, and the text it shows.

Joining the two gives the text of each structure element as a screen reader
would get it.
"""
from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass, field

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_TEXT_OBJECT = pdfium_c.FPDF_PAGEOBJ_TEXT


@dataclass
class PageObject:
    """One object painted on a page, as PDFium sees it."""

    page: int
    kind: int  # FPDF_PAGEOBJ_TEXT, _PATH, _IMAGE …
    mcid: int  # -1 outside tagged content
    marks: tuple[str, ...]  # names of the marked-content sequences around it
    text: str
    font_size: float
    font_name: str
    font_embedded: bool
    bounds: tuple[float, float, float, float]  # left, bottom, right, top
    baseline: float

    @property
    def is_artifact(self) -> bool:
        return "Artifact" in self.marks


def page_objects(data: bytes) -> tuple[list[PageObject], dict]:
    """Every object painted on every page, and the text of each (page, MCID).

    The text comes from PDFium's text page, char by char, each char mapped to
    the object (and so the marked-content sequence) that drew it: the text a
    screen reader gets from Chrome.  A line break PDFium puts in place of a
    space at a line end reads as a space.
    """
    document = pdfium.PdfDocument(data)
    found: list[PageObject] = []
    texts: dict = {}
    try:
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            raw_page, raw_text = page.raw, text_page.raw
            for position in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
                obj = pdfium_c.FPDFPage_GetObject(raw_page, position)
                found.append(_describe(index, obj, raw_text))
            _collect_marked_text(index, raw_text, texts)
            text_page.close()
            page.close()
    finally:
        document.close()
    return found, {mark: "".join(chars) for mark, chars in texts.items()}


def _collect_marked_text(page: int, raw_text, texts: dict) -> None:
    mark = None
    for index in range(pdfium_c.FPDFText_CountChars(raw_text)):
        char = chr(pdfium_c.FPDFText_GetUnicode(raw_text, index))
        if char == "\x02":  # PDFium's mark for a hyphen it takes for a line-end hyphenation
            char = "-"
        obj = pdfium_c.FPDFText_GetTextObject(raw_text, index)
        if obj:
            mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj)
            mark = (page, mcid) if mcid >= 0 else None
        if mark is not None:
            texts.setdefault(mark, []).append(char)


def _describe(page: int, obj, raw_text) -> PageObject:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    marks = []
    for m in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
        mark = pdfium_c.FPDFPageObj_GetMark(obj, m)
        marks.append(_utf16_call(pdfium_c.FPDFPageObjMark_GetName, mark, unsigned_length=True))
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    text, size, font_name, embedded, baseline = "", 0.0, "", True, 0.0
    if kind == _TEXT_OBJECT:
        text = _utf16_call(pdfium_c.FPDFTextObj_GetText, obj, raw_text)
        size_value = ctypes.c_float()
        pdfium_c.FPDFTextObj_GetFontSize(obj, size_value)
        matrix = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
        size = size_value.value * matrix.d
        baseline = matrix.f
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        buffer = ctypes.create_string_buffer(256)
        pdfium_c.FPDFFont_GetBaseFontName(font, buffer, 256)
        font_name = buffer.value.decode("latin-1")
        embedded = bool(pdfium_c.FPDFFont_GetIsEmbedded(font))
    return PageObject(page, kind, pdfium_c.FPDFPageObj_GetMarkedContentID(obj), tuple(marks), text, size,
                      font_name, embedded, (left.value, bottom.value, right.value, top.value), baseline)


def _utf16_call(function, *args, unsigned_length=False) -> str:
    """PDFium's pattern: ask for the size in bytes, then fill a UTF-16LE buffer."""
    if unsigned_length:
        length = ctypes.c_ulong()
        function(*args, None, 0, length)
        size = length.value
    else:
        size = function(*args, None, 0)
    buffer = (ctypes.c_ushort * (size // 2 + 1))()
    if unsigned_length:
        function(*args, buffer, size, length)
    else:
        function(*args, buffer, size)
    return bytes(buffer)[:size].decode("utf-16-le").rstrip("\x00")


@dataclass
class Element:
    role: str
    kids: list = field(default_factory=list)  # Element or (page, mcid)
    attributes: dict = field(default_factory=dict)
    title: str = ""
    lang: str = ""
    owner: object = None  # the Leaflet read
    annotations: list = field(default_factory=list)  # objects reached by OBJR (link annotations)
    raw_text: str = ""  # as PDFium's text page has it: line ends as "\r\n"
    text: str = ""  # the same, white space folded: what is read out

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def marks(self):
        return [kid for kid in self.kids if not isinstance(kid, Element)]

    @property
    def inline_text(self) -> str:
        """The text with that of its inline elements (Link, Span) in their place: what
        is read for a paragraph with links."""
        return " ".join(self._inline_raw().split())

    def _inline_raw(self) -> str:
        return "".join((kid._inline_raw() if kid.role in ("Link", "Span") else "") if isinstance(kid, Element)
                       else self.owner.mark_texts.get(kid, "") for kid in self.kids)


class Leaflet:
    """A built PDF, read back: objects, structure tree and page content."""

    def __init__(self, data: bytes):
        self.data = data
        self.reader = pypdf.PdfReader(io.BytesIO(data))
        self.catalog = self.reader.trailer["/Root"]
        self.page_numbers = {page.indirect_reference.idnum: i for i, page in enumerate(self.reader.pages)}
        self.objects, self.mark_texts = page_objects(data)
        self.tree = self._element(self.catalog["/StructTreeRoot"]["/K"][0].get_object())
        self._fill_texts()

    def _page_of(self, ref) -> int:
        return self.page_numbers[ref.idnum]

    def _element(self, node) -> Element:
        element = Element(str(node["/S"])[1:], owner=self)
        element.attributes = dict(node.get("/A", {}))
        element.title = str(node.get("/T", ""))
        element.lang = str(node.get("/Lang", ""))
        home = self._page_of(node.raw_get("/Pg")) if "/Pg" in node else None
        kids = node.get("/K", [])
        if not isinstance(kids, list):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int):
                element.kids.append((home, kid))
                continue
            kid = kid.get_object()
            if kid.get("/Type") == "/MCR":
                element.kids.append((self._page_of(kid.raw_get("/Pg")), kid["/MCID"]))
            elif kid.get("/Type") == "/OBJR":
                element.annotations.append((self._page_of(kid.raw_get("/Pg")), kid.raw_get("/Obj").idnum))
            else:
                element.kids.append(self._element(kid))
        return element

    def _fill_texts(self) -> None:
        for element in self.tree.walk():
            element.raw_text = "".join(self.mark_texts.get(mark, "") for mark in element.marks())
            element.text = " ".join(element.raw_text.split())

    def elements(self, role: str) -> list[Element]:
        return [e for e in self.tree.walk() if e.role == role]

    def reading_text(self) -> str:
        """All tagged text in structure order: what a screen reader reads."""
        return " ".join(" ".join(e.text.split()) for e in self.tree.walk() if e.text)

    def artifact_texts(self) -> list[tuple[int, str]]:
        return [(o.page, o.text) for o in self.objects if o.is_artifact and o.text]
