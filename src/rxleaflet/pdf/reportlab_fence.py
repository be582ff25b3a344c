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
import io
import time
import weakref
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
    """ReportLab's ToUnicode CMap for a font subset, each code's characters as UTF-16BE.

    ReportLab writes a character's code point as hex (``<%04X>``), which for one above
    U+FFFF (Old Italic, emoji) is five digits that readers take as another character:
    U+10300 came back as U+1030.  UTF-16 writes it as its surrogate pair.  A shaped
    glyph (see :func:`glyph_codes`) maps to the author's characters it stands for."""
    pairs = [f"<{code:02X}> <{_GLYPH_TEXT.get(char, chr(char)).encode('utf-16-be').hex().upper()}>"
             for code, char in enumerate(subset)]
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _UNSAVED.add(self)

    def save(self):
        try:
            super().save()
        finally:
            _UNSAVED.discard(self)
            if not _UNSAVED:  # no document drawn with stand-ins is still open
                forget_glyph_codes()

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


# -- shaped glyphs -----------------------------------------------------------------------
# ReportLab encodes text by character: a font's state gives each character of a
# document a code, its face maps the character to a glyph (charToGlyph) and its width
# (charWidths), and the ToUnicode CMap maps the code back to the character.  A shaped
# glyph (a conjunct, a joined Arabic letter, a vowel sign placed before its consonant)
# has no character of its own.  So each (font, glyph, the author's characters it is
# read as) is given a stand-in character from the private-use planes 15 and 16, which
# content never holds (the loader refuses what no font draws): ReportLab subsets and
# encodes it like any character, and the ToUnicode CMap above maps its code to the
# author's characters.  The stand-ins live in this process's memory only, are never
# written to a PDF, and are forgotten when the documents drawn with them are saved.
_STAND_INS = list(range(0xF0000, 0xFFFFE)) + list(range(0x100000, 0x10FFFE))
_GLYPH_CODE: dict = {}  # (font name, glyph id, text, width) -> stand-in code point
_GLYPH_TEXT: dict = {}  # stand-in code point -> text
# Canvases not saved yet: the stand-ins (pieces of a patient's name among them) are
# forgotten once none is open, so that they do not outlive the build.  A canvas dropped
# unsaved (a measured panel) leaves this set as it is collected.
_UNSAVED: "weakref.WeakSet" = weakref.WeakSet()


def forget_glyph_codes() -> None:
    """Take every stand-in out of its font's maps: the next document gives them out anew."""
    for (font_name, _, _, _), code in _GLYPH_CODE.items():
        face = pdfmetrics.getFont(font_name).face
        face.charToGlyph.pop(code, None)
        face.charWidths.pop(code, None)
    _GLYPH_CODE.clear()
    _GLYPH_TEXT.clear()


def glyph_codes(font_name: str, glyphs) -> str:
    """The stand-in characters that draw ``glyphs`` ((glyph id, text, width in 1/1000 em)
    triples) in a registered TrueType font.  A stand-in's width is where the next glyph
    of its run starts, not the glyph's own advance: a vowel sign set after its consonant
    then leaves no gap that a reader takes for a space."""
    font = pdfmetrics.getFont(font_name)
    face = font.face
    out = []
    for gid, text, width in glyphs:
        key = (font_name, gid, text, width)
        code = _GLYPH_CODE.get(key)
        if code is None:
            if len(_GLYPH_CODE) >= len(_STAND_INS):
                raise RuntimeError("more shaped glyphs than private-use code points in one process")
            code = _STAND_INS[len(_GLYPH_CODE)]
            _GLYPH_CODE[key] = code
            _GLYPH_TEXT[code] = text
            face.charToGlyph[code] = gid
            face.charWidths[code] = width
        out.append(chr(code))
    return "".join(out)


def draw_glyphs(text_object, font_name: str, codes: str, moves, advance: float) -> None:
    """Draw stand-in characters (from :func:`glyph_codes`) from the current point: ``moves``
    says where each glyph is drawn, (x, y) in 1/1000 of the font size from the run's start;
    the pen then ends ``advance`` (1/1000) from the start."""
    canv = text_object._canvas
    font = pdfmetrics.getFont(font_name)
    size = text_object._fontsize
    code = text_object._code
    widths = [font.face.getCharWidth(ord(char)) for char in codes]
    pen = 0.0
    rise = 0.0
    index = 0
    for subset, encoded in font.splitString(codes, canv._doc):
        if subset != text_object._curSubset:
            code.append(f"{font.getSubsetInternalName(subset, canv._doc)} {_num(size)} Tf "
                        f"{_num(text_object._leading)} TL")
            text_object._curSubset = subset
        items: list = []
        for byte in encoded:
            x, y = moves[index]
            if y != rise:
                _flush(code, items, canv)
                items = []
                code.append(f"{_num(y * size / 1000)} Ts")
                rise = y
            if x != pen:
                items.append(_num(pen - x))
            items.append(bytes([byte]))
            pen = x + widths[index]
            index += 1
        _flush(code, items, canv)
    if rise:
        code.append("0 Ts")
    if advance != pen:
        code.append(f"[{_num(pen - advance)}] TJ")
    text_object._x += advance * size / 1000


def _flush(code: list, items: list, canv) -> None:
    parts = []
    for item in items:
        if isinstance(item, bytes) and parts and isinstance(parts[-1], bytes):
            parts[-1] += item
        else:
            parts.append(item)
    if parts:
        code.append("[" + " ".join(f"({canv._escape(p)})" if isinstance(p, bytes) else p for p in parts) + "] TJ")


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def codepoints(font_name: str) -> frozenset:
    """The characters a registered font draws (its cmap)."""
    font = pdfmetrics.getFont(font_name)
    if isinstance(font, OutlineFont):
        return frozenset(font.face.hb_face.unicodes)
    return frozenset(code for code in font.face.charToGlyph if code < 0xF0000)


# -- fonts with PostScript outlines ---------------------------------------------------------
def collection_index(path: str, family: str):
    """The index of the face named ``family`` in a font collection (.ttc), or None."""
    import uharfbuzz

    blob = uharfbuzz.Blob.from_file_path(path)
    for index in range(uharfbuzz.Face(blob).count):
        if uharfbuzz.Face(blob, index).get_name(uharfbuzz.OTNameIdPredefined.FONT_FAMILY) == family:
            return index
    return None


class _GlyphMap(dict):
    """A face's character -> glyph map, filled from HarfBuzz as characters are asked for."""

    def __init__(self, hb_font):
        super().__init__()
        self._hb_font = hb_font

    def __contains__(self, code) -> bool:
        return dict.__contains__(self, code) or self._look_up(code) is not None

    def __missing__(self, code):
        gid = self._look_up(code)
        if gid is None:
            raise KeyError(code)
        return gid

    def _look_up(self, code):
        gid = self._hb_font.get_nominal_glyph(code) if code < 0xF0000 else None
        if gid:
            self[code] = gid
        return gid or None


class _Widths(dict):
    def __init__(self, glyph_map, advance):
        super().__init__()
        self._glyph_map, self._advance = glyph_map, advance

    def get(self, code, default=None):
        if dict.__contains__(self, code):
            return dict.__getitem__(self, code)
        if code in self._glyph_map:
            width = self[code] = self._advance(self._glyph_map[code])
            return width
        return default


class _OutlineFace:
    """What ReportLab asks of a TrueType face, for a font it cannot read (PostScript/CFF
    outlines, Noto Sans CJK): metrics from HarfBuzz, and a subset made as TrueType."""

    def __init__(self, path: str, index: int):
        import uharfbuzz

        self.filename = path
        self.hb_face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(path), index)
        self.hb_font = uharfbuzz.Font(self.hb_face)
        self.upem = self.hb_face.upem
        postscript = self.hb_face.get_name(uharfbuzz.OTNameIdPredefined.POSTSCRIPT_NAME) or "OutlineFont"
        self.name = postscript.encode("ascii", "replace")
        self.subfontNameX = b""
        self.charToGlyph = _GlyphMap(self.hb_font)
        self.charWidths = _Widths(self.charToGlyph, self.advance)
        self.glyphToChar: dict = {}
        self.defaultWidth = self.advance(0)
        extents = self.hb_font.get_font_extents("ltr")
        self.ascent = round(extents.ascender * 1000 / self.upem)
        self.descent = round(extents.descender * 1000 / self.upem)
        self.capHeight = self.ascent
        self.bbox = [0, self.descent, 1000, self.ascent]
        self.italicAngle = 0
        self.stemV = 120 if "Bold" in postscript else 80
        self.flags = ttfonts.FF_SYMBOLIC
        self._glyphs: dict = {}

    def advance(self, gid: int) -> int:
        return round(self.hb_font.get_glyph_h_advance(gid) * 1000 / self.upem)

    def _glyph(self, gid: int):
        """A glyph made TrueType once per process: its outline, not any text (see _outline_glyph)."""
        found = self._glyphs.get(gid)
        if found is None:
            found = self._glyphs[gid] = _outline_glyph(self, gid)
        return found

    def getCharWidth(self, code):  # noqa: N802 - ReportLab's name
        return self.charWidths.get(code, self.defaultWidth)

    addSubsetObjects = ttfonts.TTFontFace.addSubsetObjects

    def makeSubset(self, subset) -> bytes:  # noqa: N802 - ReportLab's name
        """A TrueType font of the subset's glyphs, code i drawing the glyph of subset[i]
        (a Macintosh (1,0) cmap, as ReportLab's own subsets have), outlines converted to
        quadratic curves within 1 font unit."""
        from fontTools.fontBuilder import FontBuilder
        from fontTools.ttLib import newTable
        from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

        gids = [0] + sorted({self.charToGlyph[code] for code in subset if code in self.charToGlyph} - {0})
        names = {gid: ".notdef" if gid == 0 else f"g{gid}" for gid in gids}
        from fontTools.ttLib import OPTIMIZE_FONT_SPEED

        builder = FontBuilder(self.upem, isTTF=True)
        builder.font.recalcTimestamp = False
        builder.font.cfg[OPTIMIZE_FONT_SPEED] = True  # a few bytes more, many times faster
        builder.font.recalcBBoxes = False  # each glyph's data is written as compiled once
        builder.setupGlyphOrder([names[gid] for gid in gids])
        builder.setupCharacterMap({})
        table = CmapSubtable.newSubtable(6)
        table.platformID, table.platEncID, table.language = 1, 0, 0
        table.cmap = {code: names[self.charToGlyph[char] if char in self.charToGlyph else 0]
                      for code, char in enumerate(subset)}
        builder.font["cmap"].tables = [table]
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        glyphs, metrics = {}, {}
        for gid in gids:
            data, metrics[names[gid]] = self._glyph(gid)
            glyphs[names[gid]] = Glyph(data) if data else Glyph()
        glyf = newTable("glyf")  # the glyphs as compiled data, not set up again by FontBuilder
        glyf.glyphOrder, glyf.glyphs = [names[gid] for gid in gids], glyphs
        builder.font["glyf"], builder.font["loca"] = glyf, newTable("loca")
        builder.setupHorizontalMetrics(metrics)
        extents = self.hb_font.get_font_extents("ltr")
        builder.setupHorizontalHeader(ascent=extents.ascender, descent=extents.descender)
        builder.setupNameTable({"familyName": self.name.decode("ascii"), "styleName": "Regular"})
        builder.setupOS2(sTypoAscender=extents.ascender, sTypoDescender=extents.descender,
                         usWinAscent=extents.ascender, usWinDescent=-extents.descender)
        builder.setupPost()
        builder.font["head"].created = builder.font["head"].modified = 0
        out = io.BytesIO()
        builder.save(out)
        return out.getvalue()


def _outline_glyph(face: _OutlineFace, gid: int):
    """One glyph as compiled TrueType glyph data, with its (advance, left side bearing)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    face.hb_font.draw_glyph_with_pen(gid, Cu2QuPen(pen, 1.0, reverse_direction=True))
    glyph = pen.glyph()
    data = glyph.compile(None, recalcBBoxes=True, optimizeSize=False) if glyph.numberOfContours else b""
    extents = face.hb_font.get_glyph_extents(gid)
    return data, (face.hb_font.get_glyph_h_advance(gid), extents.x_bearing if extents else 0)


class OutlineFont(ttfonts.TTFont):
    """A font ReportLab draws as a TrueType font, made from one it cannot read (CFF outlines)."""

    def __init__(self, name: str, path: str, index: int = 0):  # noqa: D107 - no TTFont.__init__: it parses the file
        from weakref import WeakKeyDictionary

        self.fontName = name
        self.face = _OutlineFace(path, index)
        self.encoding = ttfonts.TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self._shapable = False
