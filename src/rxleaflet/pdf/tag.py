"""Everything PDF/UA: the structure tree, marked content, artifacts, catalog and XMP.

ReportLab writes no tags, so this module does, on the hooks of
:mod:`rxleaflet.pdf.reportlab_fence` (the one module that touches ReportLab's
private API, and checks at import that ReportLab is the version it was tested
with; pyproject.toml pins it).

How it fits together:

* While the story is built, the layout allocates :class:`Element` objects
  (Document › Sect › H2, P, L › LI › Lbl + LBody …) in reading order, and a
  :class:`Slot` inside an element for each piece of text it will draw.
* Flowables draw inside ``canvas.marked(slot)``: the canvas gives the next
  MCID of the page and records it in the slot.  A paragraph split across
  pages draws twice into one slot, so it stays one element (MCIDs on two
  pages, the second reached through an MCR).
* Everything else (running header, footer, rules, box tints and borders) is
  drawn inside ``canvas.artifact(...)``.
* MCIDs are only given out in ``draw()``: the page filler calls ``wrap``/``split``
  speculatively, and only drawing is final.
* :class:`TaggedCanvas` holds every finished page back until the end, so the
  footer can say "Page N of M" after a single layout pass, then writes the
  structure tree, ParentTree, bookmarks, catalog entries and XMP.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable, Optional

from reportlab.pdfbase import pdfdoc

from .reportlab_fence import HookedCanvas, RawObject
from .reportlab_fence import text_string

PDF_VERSION = (1, 7)




class Slot:
    """A place among an element's kids for text drawn later: (page, MCID) pairs."""

    __slots__ = ("owner", "marks")

    def __init__(self, owner: "Element"):
        self.owner = owner
        self.marks: list[tuple[int, int]] = []


class ObjectRef:
    """Among an element's kids: an annotation (a link) drawn on ``page``, by its object name."""

    __slots__ = ("name", "page")

    def __init__(self, name: str, page: int):
        self.name = name
        self.page = page


class Element:
    """A structure element: a role, its attributes and its kids in reading order."""

    __slots__ = ("role", "parent", "kids", "title", "lang", "attributes", "alt", "actual", "ident")

    def __init__(self, role: str, parent: Optional["Element"], *, title=None, lang=None, attributes=None, alt=None,
                 actual=None, ident=None):
        self.role = role
        self.parent = parent
        self.kids: list = []  # Element, Slot or ObjectRef, in reading order
        self.title = title
        self.lang = lang
        # Layout attributes as (owner, {name: value}): ("List", {"ListNumbering": "Disc"}),
        # ("Table", {"Scope": "Row"}); values are PDF names, or numbers in a tuple (an array,
        # as ("Layout", {"BBox": (x0, y0, x1, y1)})).
        self.attributes = attributes
        self.alt = alt
        self.actual = actual  # ActualText: what the element's content is read as
        self.ident = ident  # its /ID (in the IDTree): what a table cell's /Headers names
        if parent is not None:
            parent.kids.append(self)

    def add(self, role: str, **props) -> "Element":
        return Element(role, self, **props)

    def slot(self) -> Slot:
        """A place among this element's kids for text drawn later."""
        slot = Slot(self)
        self.kids.append(slot)
        return slot

    def walk(self) -> list["Element"]:
        """This element and all below it, in reading order."""
        found, stack = [], [self]
        while stack:
            element = stack.pop()
            found.append(element)
            stack.extend(kid for kid in reversed(element.kids) if isinstance(kid, Element))
        return found


class Table:
    """One table's structure, in the shape every reader understands:
    ``Table › Caption``, ``THead › TR › TH (Scope Column)`` where there is a header
    row, then ``TBody › TR › TH (Scope Row) + TD``.

    The story builder asks for the caption and for rows, and a row for its header
    and data cells; it never names table roles itself.  (pdf.js makes a TH a row
    header from Scope Row, or, in older versions, only in a TR inside a TBody.)
    """

    __slots__ = ("element", "_head", "_body")

    def __init__(self, parent: Element, *, lang=None):
        self.element = parent.add("Table", lang=lang)
        self._head: Optional[Element] = None
        self._body: Optional[Element] = None

    def caption(self) -> Element:
        """The table's title: its first kid."""
        if self.element.kids:
            raise ValueError("a table's caption must come first")
        return self.element.add("Caption")

    def header_row(self) -> "TableRow":
        """A row of column headers, in the THead (before any body row)."""
        if self._body is not None:
            raise ValueError("a table's header rows come before its body rows")
        if self._head is None:
            self._head = self.element.add("THead")
        return TableRow(self._head.add("TR"), "Column")

    def row(self) -> "TableRow":
        """A row of the body: a row header (if any), then data cells."""
        if self._body is None:
            self._body = self.element.add("TBody")
        return TableRow(self._body.add("TR"), "Row")


class TableRow:
    """One TR: ``header()`` gives a TH whose scope is the row (in the body) or the
    column (in the head), ``cell()`` a TD."""

    __slots__ = ("element", "scope")

    def __init__(self, element: Element, scope: str):
        self.element = element
        self.scope = scope

    def header(self, rows: int = 1, columns: int = 1, headers=(), ident=None, **props) -> Element:
        values = {"Scope": self.scope, **_table_attributes(rows, columns, headers)}
        return self.element.add("TH", attributes=("Table", values), ident=ident, **props)

    def cell(self, rows: int = 1, columns: int = 1, headers=(), **props) -> Element:
        values = _table_attributes(rows, columns, headers)
        return self.element.add("TD", attributes=("Table", values) if values else None, **props)


def _table_attributes(rows: int, columns: int, headers) -> dict:
    """RowSpan and ColSpan where a cell spans, and Headers (the IDs of its header cells) where given."""
    values: dict = {}
    if rows > 1:
        values["RowSpan"] = rows
    if columns > 1:
        values["ColSpan"] = columns
    if headers:
        values["Headers"] = list(headers)
    return values


@dataclass(frozen=True)
class DocumentInfo:
    """What goes into the Info dictionary, the XMP packet and the catalog."""

    title: str
    lang: str
    subject: str
    author: str
    creator: str
    keywords: str
    date: datetime.datetime  # CreationDate and ModDate: fixed so output is reproducible


@dataclass
class PageBookmark:
    title: str
    level: int  # 0 for the top of the outline
    page: int
    top: float


class _Sequence:
    """A marked-content sequence as a context: BDC on entry, EMC on exit.

    A plain class rather than contextlib.contextmanager: a leaflet opens
    hundreds of these, and a generator per sequence showed in the profile.
    """

    __slots__ = ("canvas", "begin", "slot", "mcid")

    def __init__(self, canvas, begin: Optional[str], slot: Optional[Slot] = None, mcid: int = -1):
        self.canvas = canvas
        self.begin = begin  # None: untagged, nothing to mark
        self.slot = slot  # the element's place, for a sequence of tagged content
        self.mcid = mcid

    def __enter__(self):
        if self.begin:
            self.canvas.addLiteral(self.begin)
            self.canvas.open_sequence = self

    def __exit__(self, *exc_info):
        if self.begin:
            self.canvas.addLiteral("EMC")
            self.canvas.open_sequence = None
        return False


class TaggedCanvas(HookedCanvas):
    """A canvas that writes a tagged PDF/UA-1 document.

    ``decorate_page(canvas, page_number, page_count)`` draws the running
    header and footer of each page once the page count is known.
    """

    def __init__(self, *args, document: Element, info: DocumentInfo,
                 decorate_page: Callable[["TaggedCanvas", int, int], None], tagged: bool = True, prime=(),
                 anchors: Optional[dict] = None, **kwargs):
        kwargs["pdfVersion"] = PDF_VERSION
        kwargs["invariant"] = 1
        kwargs["lang"] = info.lang
        super().__init__(*args, **kwargs)
        self.setAuthor(info.author)
        self.setTitle(info.title)
        self.setSubject(info.subject)
        self.setCreator(info.creator)
        self.setProducer(info.creator)
        self.setKeywords(info.keywords)
        self._document = document
        self._info = info
        self._decorate_page = decorate_page
        # Untagged: the same pages with no marked content and no structure, the
        # baseline the benchmark measures the cost of tagging against.
        self.tagged = tagged
        self._held_pages: list[dict] = []
        self._page_marks: list[list[Element]] = []  # per page: MCID -> owning element
        self._bookmarks: list[PageBookmark] = []
        self.open_sequence: Optional[_Sequence] = None
        # Section ids -> (page, top) where their heading was drawn: cross-references
        # point there.  The caller's dict, so that it can read the pages after the build.
        self.anchors: dict[str, tuple[int, float]] = anchors if anchors is not None else {}
        self._links: list = []  # (element, page, name) of each link annotation, in drawing order
        self.fix_timestamp(info.date)
        if prime:  # fonts and character codes fixed first: see prime_fonts
            self.prime_fonts(prime)

    # -- marked content --------------------------------------------------------
    def marked(self, slot: Slot) -> "_Sequence":
        """``with canvas.marked(slot):`` draw content that belongs to ``slot``'s element."""
        if not self.tagged:
            return _Sequence(self, None)
        mcid = self._next_mcid(slot)
        return _Sequence(self, _begin_marked(slot, mcid), slot, mcid)

    def _next_mcid(self, slot: Slot) -> int:
        page = self.getPageNumber() - 1
        while len(self._page_marks) <= page:
            self._page_marks.append([])
        marks = self._page_marks[page]
        marks.append(slot.owner)
        slot.marks.append((page, len(marks) - 1))
        return len(marks) - 1

    def in_element(self) -> bool:
        """Inside ``marked(slot)``: drawing tagged content of an element."""
        return self.open_sequence is not None and self.open_sequence.slot is not None

    def go_on_marked(self, actual_text: Optional[str], slot: Optional[Slot] = None) -> None:
        """Between text objects, inside ``marked(slot)``: what is drawn next, up to the next
        call, is a new sequence of the same element (or of ``slot``'s: the link in a
        paragraph, the paragraph after it), read as ``actual_text`` (None: as drawn).  An
        ActualText is so a sequence of the element itself, never a sequence nested in one,
        which poppler's structure reader stops reading at."""
        sequence = self.open_sequence
        if not self.in_element():
            raise RuntimeError("go_on_marked outside an element's marked content")
        if self.last_operator() == sequence.begin:  # nothing drawn in it yet: it is the new one
            if slot is not None and slot is not sequence.slot:  # give back the MCID it took
                sequence.slot.marks.pop()
                self._page_marks[self.getPageNumber() - 1].pop()
                sequence.slot, sequence.mcid = slot, self._next_mcid(slot)
            sequence.begin = _begin_marked(sequence.slot, sequence.mcid, actual_text)
            self.replace_last_operator(sequence.begin)
            return
        self.addLiteral("EMC")
        if slot is not None:
            sequence.slot = slot
        sequence.mcid = self._next_mcid(sequence.slot)
        sequence.begin = _begin_marked(sequence.slot, sequence.mcid, actual_text)
        self.addLiteral(sequence.begin)

    def reserve(self, slot: Slot) -> None:
        """Give ``slot`` the next MCID as :meth:`marked` would, drawing nothing:
        the content comes later, from elsewhere (a personalised leaflet's panel)."""
        self.marked(slot)

    def artifact(self, kind: str = "Layout", subtype: Optional[str] = None) -> "_Sequence":
        """``with canvas.artifact(...):`` draw decoration that a screen reader must skip."""
        if not self.tagged:
            return _Sequence(self, None)
        props = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
        return _Sequence(self, f"/Artifact <<{props}>> BDC")

    def add_anchor(self, name: str, top: float) -> None:
        """A cross-reference target on the current page (a section's heading)."""
        self.anchors.setdefault(name, (self.getPageNumber() - 1, top))

    def add_link(self, element: Element, rect: tuple, target: str, contents: str) -> None:
        """A link annotation over ``rect`` (page coordinates) on the current page, owned by
        the Link ``element``: the element gets an OBJR to it, the page lists it in /Annots.
        ``target``: a URI, or "#id" for a section of this document."""
        page = self.getPageNumber() - 1
        name = f"Link{len(self._links)}"
        index = len(self._links)
        self._links.append((element, page, name))
        if self.tagged:
            element.kids.append(ObjectRef(name, page))
        anchors, pages = self.anchors, lambda: self.pdf_document().pageCounter - 1
        box = " ".join(f"{v:.2f}" for v in rect)

        def render(ref):
            if target.startswith("#"):
                dest_page, top = anchors.get(target[1:], (page, rect[3]))
                action = f"/Dest [{ref(_page_name(dest_page))} /XYZ 0 {top:.2f} 0]"
            else:
                action = f"/A <</Type /Action /S /URI /URI {_byte_string(target)}>>"
            parent = f" /StructParent {pages() + index}" if self.tagged else ""
            return (f"<</Type /Annot /Subtype /Link /Rect [{box}] /Border [0 0 0] /F 4 "
                    f"/Contents {text_string(contents)}{parent} {action}>>")

        self.add_page_annotation(RawObject(render), name)

    def add_bookmark(self, title: str, level: int, top: float) -> None:
        """Bookmark the current page; written when pages are released."""
        self._bookmarks.append(PageBookmark(title, level, self.getPageNumber() - 1, top))

    # -- pages -----------------------------------------------------------------
    def showPage(self):
        # Hold the finished page: its footer needs the page count.
        self._held_pages.append(self.page_state())
        self.start_next_page()

    def save(self):
        self._release_pages()
        if self.tagged:
            self._write_structure()
        super().save()

    def _release_pages(self) -> None:
        count = len(self._held_pages)
        bookmarks = sorted(self._bookmarks, key=lambda b: b.page)
        for index, state in enumerate(self._held_pages):
            self.restore_page_state(state)
            self._decorate_page(self, index + 1, count)
            for mark in (b for b in bookmarks if b.page == index):
                key = f"bm{id(mark)}"
                self.bookmarkPage(key, fit="XYZ", top=mark.top, left=0, zoom=0)
                self.addOutlineEntry(mark.title, key, level=mark.level)
            super().showPage()
        self._held_pages = []

    def page_keys(self) -> dict:
        """What PDF/UA asks of every page object: its ParentTree key, tab order by structure."""
        return {"StructParents": self.getPageNumber() - 1, "Tabs": pdfdoc.PDFName("S")}

    # -- document level ----------------------------------------------------------
    def _write_structure(self) -> None:
        doc = self.pdf_document()
        page_count = doc.pageCounter - 1
        elements = self._document.walk()
        names = {id(e): f"SE{n}" for n, e in enumerate(elements)}
        for element in elements:
            doc.Reference(_struct_elem(element, names), names[id(element)])
        pages = [self._page_marks[page] if page < len(self._page_marks) else [] for page in range(page_count)]

        links = self._links

        def parent_tree(ref):
            # Page n's entry lists, MCID by MCID, the element each marked sequence belongs to;
            # then each link annotation's entry (its /StructParent) names its Link element.
            entries = [f"{page} [{' '.join(ref(names[id(e)]) for e in marks)}]" for page, marks in enumerate(pages)]
            entries += [f"{page_count + index} {ref(names[id(element)])}" for index, (element, _, _) in enumerate(links)]
            return f"<</Nums [{' '.join(entries)}]>>"

        doc.Reference(RawObject(parent_tree), "ParentTree")
        doc.Reference(RawObject(lambda ref: f"<</Type /StructTreeRoot /K [{ref(names[id(self._document)])}] "
                                             f"/ParentTree {ref('ParentTree')} "
                                             f"/ParentTreeNextKey {page_count + len(links)}"
                                             f"{_id_tree(elements, names, ref)}>>"),
                      "StructTreeRoot")
        catalog = doc.Catalog
        catalog.StructTreeRoot = pdfdoc.PDFObjectReference("StructTreeRoot")
        catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": "true"})
        catalog.Metadata = doc.Reference(_xmp_stream(self._info), "XMPMetadata")
        self.setViewerPreference("DisplayDocTitle", "true")
        if self._bookmarks:
            self.showOutline()


def _begin_marked(slot: Slot, mcid: int, actual_text: Optional[str] = None) -> str:
    actual = f" /ActualText {text_string(actual_text)}" if actual_text is not None else ""
    return f"/{slot.owner.role} <</MCID {mcid}{actual}>> BDC"


def _byte_string(text: str) -> str:
    """A PDF string of ASCII bytes (a URI, an element ID), in hex."""
    return "<" + text.encode("utf-8").hex().upper() + ">"


def _page_name(page: int) -> str:
    return f"Page{page + 1}"  # how ReportLab names its page objects


def _struct_elem(element: Element, names: dict) -> RawObject:
    def render(ref):
        marks = [mark for kid in element.kids if isinstance(kid, Slot) for mark in kid.marks]
        home_page = marks[0][0] if marks else None
        kids = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(ref(names[id(kid)]))
                continue
            if isinstance(kid, ObjectRef):
                kids.append(f"<</Type /OBJR /Obj {ref(kid.name)} /Pg {ref(_page_name(kid.page))}>>")
                continue
            for page, mcid in kid.marks:
                # The part of a paragraph that ran on to another page is reached by an MCR.
                kids.append(str(mcid) if page == home_page else
                            f"<</Type /MCR /Pg {ref(_page_name(page))} /MCID {mcid}>>")
        parent = names[id(element.parent)] if element.parent is not None else "StructTreeRoot"
        # One marked-content sequence is written as a bare MCID, the usual form (the
        # checker pdfua 0.1.3 cannot read a heading whose /K is an array).
        kid_list = kids[0] if len(kids) == 1 and kids[0].isdigit() else f"[{' '.join(kids)}]"
        entries = [f"/Type /StructElem /S /{element.role} /P {ref(parent)} /K {kid_list}"]
        if home_page is not None:
            entries.append(f"/Pg {ref(_page_name(home_page))}")
        for key, value in (("T", element.title), ("Lang", element.lang), ("Alt", element.alt),
                           ("ActualText", element.actual)):
            if value:
                entries.append(f"/{key} " + text_string(value))
        if element.ident:
            entries.append(f"/ID {_byte_string(element.ident)}")
        if element.attributes:
            owner, values = element.attributes
            attributes = " ".join(f"/{key} {_attribute_value(value)}" for key, value in values.items())
            entries.append(f"/A <</O /{owner} {attributes}>>")
        return f"<<{' '.join(entries)}>>"

    return RawObject(render)


def _attribute_value(value) -> str:
    """A layout attribute's value: numbers in a tuple (an array), texts in a list (an array of
    strings: Headers), a whole number, or a name."""
    if isinstance(value, tuple):
        return f"[{' '.join(f'{v:.2f}' for v in value)}]"
    if isinstance(value, list):
        return f"[{' '.join(_byte_string(v) for v in value)}]"
    if isinstance(value, int):
        return str(value)
    return f"/{value}"


def _id_tree(elements, names: dict, ref) -> str:
    """The IDTree: every element's /ID, sorted as the name tree asks, to its element."""
    named = sorted((element.ident, names[id(element)]) for element in elements if element.ident)
    return f" /IDTree <</Names [{' '.join(f'{_byte_string(ident)} {ref(name)}' for ident, name in named)}]>>" \
        if named else ""


def _xml_escape(text: str) -> str:
    """Text for XML character data (xml.sax.saxutils.escape, without importing
    xml.sax, which pulls in urllib, http and email: 20 ms at start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xmp_stream(info: DocumentInfo) -> pdfdoc.PDFStream:
    stamp = info.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml_escape(info.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_xml_escape(info.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>{_xml_escape(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{_xml_escape(info.lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>{_xml_escape(info.creator)}</pdf:Producer>
   <pdf:Keywords>{_xml_escape(info.keywords)}</pdf:Keywords>
   <xmp:CreatorTool>{_xml_escape(info.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    dictionary = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")})
    # Uncompressed, so that tools which look for the packet by scanning can find it.
    return pdfdoc.PDFStream(dictionary, packet.encode("utf-8"), filters=[])
