"""The leaflet as plain data: what every later stage reads.

Nothing here knows about YAML or ReportLab.  The loader builds these objects,
the layout reads them, and any future output (lint, HTML, plain text) would
read them too.  Every text-bearing node keeps its place in the source file so
that a problem found later (a character no font covers) can still be reported
as ``file:line:col``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Location:
    """A place in a content file, 1-based like editors show it."""

    file: str
    line: int
    column: int
    path: str  # e.g. "sections[2].content[1]"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}"


@dataclass(frozen=True)
class Span:
    """A run of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    # A link: "https://…", "http://…", "mailto:…", "tel:…", or "#section-id" (a cross-reference).
    link: Optional[str] = None
    # No line break at the spaces inside it (a space at its start may still break): a phrase
    # rxleaflet prints itself, such as "(see page 3)" or a phone number, stays on one line.
    unbreakable: bool = False


@dataclass(frozen=True)
class Text:
    """Inline text: styled spans, plus where it came from."""

    spans: tuple[Span, ...]
    where: Optional[Location] = field(default=None, compare=False)

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)


# Paper sizes rxleaflet lays out for (theme.PAPER_SIZES has their dimensions).
PAPERS = ("a4", "letter", "legal", "a5")


@dataclass(frozen=True)
class Paragraph:
    text: Text
    lang: Optional[str] = None  # set when it is in another language than the leaflet


@dataclass(frozen=True)
class ListItem:
    text: Text
    sublist: Optional["ListBlock"] = None
    lang: Optional[str] = None


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    lang: Optional[str] = None


@dataclass(frozen=True)
class Box:
    """A bordered panel: ``kind`` is one of BOX_KINDS.

    "warning" and "emergency" are tinted, with a bar; "important" (the FDA's "most
    important information") has a heavier border; "intro" (the EU's "Read all of
    this leaflet carefully") is the only kind whose title may be None.
    """

    kind: str
    title: Optional[Text]
    blocks: tuple["Block", ...]
    lang: Optional[str] = None
    id: Optional[str] = None  # the target of "#id" cross-references, as a section's


@dataclass(frozen=True)
class Section:
    heading: Text
    blocks: tuple["Block", ...]
    lang: Optional[str] = None
    id: Optional[str] = None  # the target of "#id" cross-references


@dataclass(frozen=True)
class Table:
    """A grid of cells; each cell a tuple of Paragraph and ListBlock blocks.

    ``rows`` is the full grid: a cell that spans rows or columns (``spans``) is at the
    place where it starts, and the places it covers hold ``()``.  A ``layout`` table has no
    headers: a grid for the eye, read by a screen reader as its cells' paragraphs, row by row.
    """

    rows: tuple[tuple[tuple["Block", ...], ...], ...]
    caption: Optional[Text] = None
    header_row: bool = True  # the first row (``header_rows`` rows) holds column headers
    header_column: bool = False  # the first cell of each body row is its row header
    widths: Optional[tuple[float, ...]] = None  # relative column widths; automatic if None
    lang: Optional[str] = None
    header_rows: int = 1  # how many rows of column headers, when header_row
    spans: tuple[tuple[int, int, int, int], ...] = ()  # (row, column, rows spanned, columns spanned), > 1 only
    layout: bool = False  # no headers: read as paragraphs

    @property
    def columns(self) -> int:
        return len(self.rows[0])

    @property
    def head_count(self) -> int:
        """The number of header rows at the top (0 without a header row)."""
        return self.header_rows if self.header_row and not self.layout else 0

    def span_at(self, row: int, column: int) -> tuple[int, int]:
        """(rows, columns) the cell starting here spans: (1, 1) for a plain cell."""
        for r, c, rows, columns in self.spans:
            if (r, c) == (row, column):
                return rows, columns
        return 1, 1

    def covered(self) -> set:
        """The places covered by a spanning cell that starts elsewhere."""
        return {(r + dr, c + dc) for r, c, rows, columns in self.spans
                for dr in range(rows) for dc in range(columns) if dr or dc}


@dataclass(frozen=True)
class Image:
    """An image file, checked readable when loaded."""

    path: str  # absolute
    kind: str  # "png" or "jpeg"
    pixels: tuple[int, int]  # width, height
    alt: Optional[str]  # None when decorative
    where: Optional[Location] = field(default=None, compare=False)


@dataclass(frozen=True)
class Figure:
    image: Image
    caption: Optional[Text] = None
    width: float = 1.0  # share of the column width
    lang: Optional[str] = None

    @property
    def decorative(self) -> bool:
        return self.image.alt is None


@dataclass(frozen=True)
class Pictograms:
    """A row of small pictures (USP pictograms) beside a text that says the same."""

    images: tuple[Image, ...]
    text: Text
    lang: Optional[str] = None


Block = Union[Paragraph, ListBlock, Box, Section, Table, Figure, Pictograms]

BOX_KINDS = ("warning", "emergency", "important", "intro")


@dataclass(frozen=True)
class Medicine:
    name: str
    strength: str  # the first (or only) strength; "" when the content gives none (an imported label without one)
    form: str  # "" when the content gives none
    brand_names: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()  # every strength the leaflet covers (the one above when not listed)
    pronunciation: Optional[str] = None  # how to say the first brand name (else the name)
    codes: tuple[tuple[str, str], ...] = ()  # product codes, normalised: ("ndc", "12345-0678-01"), ("gtin", …)

    def __post_init__(self):
        if not self.strengths and self.strength:
            object.__setattr__(self, "strengths", (self.strength,))

    @property
    def label(self) -> str:
        """"Diazepam 2 mg tablets": what the running header prints (several strengths: comma-joined)."""
        return self.label_with(", ".join(self.strengths))

    def label_with(self, strength: str) -> str:
        """The name, the strength and the form; a part the content does not give is left out."""
        return " ".join(part for part in (self.name, strength, self.form) if part)


@dataclass(frozen=True)
class Leaflet:
    lang: str
    title: Text
    medicine: Medicine
    revised: datetime.date
    source: str
    lead: Optional[Text]
    blocks: tuple[Block, ...]
    file: str = field(default="", compare=False)
    # Problems that do not stop a build (errors.Problem): printed, or refused with --strict.
    warnings: tuple = field(default=(), compare=False)
    # The rules the leaflet says it follows (`rxleaflet check` looks for their sections): a
    # profile's name, such as "eu-qrd" or "fda-medication-guide"; None if it names none.
    profile: Optional[str] = None
    # Where the plain string fields were written ("source", "medicine.strength", …): pairs of
    # (path, Location), so that a later check can name the place of what it finds in them.
    places: tuple = field(default=(), compare=False)


def iter_texts(leaflet: Leaflet):
    """Every piece of inline text in reading order: the order of the PDF."""
    yield leaflet.title
    if leaflet.lead is not None:
        yield leaflet.lead
    yield from _block_texts(leaflet.blocks)


def _block_texts(blocks):
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, ListBlock):
            yield from _list_texts(block)
        elif isinstance(block, Box):
            if block.title is not None:
                yield block.title
            yield from _block_texts(block.blocks)
        elif isinstance(block, Section):
            yield block.heading
            yield from _block_texts(block.blocks)
        elif isinstance(block, Table):
            if block.caption is not None:
                yield block.caption
            for row in block.rows:
                for cell in row:
                    yield from _block_texts(cell)
        elif isinstance(block, Figure):
            if block.caption is not None:
                yield block.caption
        elif isinstance(block, Pictograms):
            yield block.text


def _list_texts(block: ListBlock):
    for item in block.items:
        yield item.text
        if item.sublist is not None:
            yield from _list_texts(item.sublist)


@dataclass(frozen=True)
class Pharmacy:
    """The pharmacy's own settings: printed at the end of every leaflet it builds."""

    name: str
    address: str
    phone: str
    paper: Optional[str] = None  # the default paper size, if set
    footer: tuple[Text, ...] = ()  # lines every leaflet ends with (e.g. 21 CFR 209.10)
    large_print: bool = False  # large print by default
    library: Optional[str] = None  # the content library folder (rxleaflet --library), if set
    library_lang: Optional[str] = None  # the language of the library's default editions (default: en)
    country: Optional[str] = None  # ISO 3166-1 alpha-2: which side-effect reporting line the footer has by default
    # The electronic edition's address, a template ("https://…/01/{gtin}?lang={lang}"): a QR code on the print opens it.
    edition_url: Optional[str] = None


@dataclass(frozen=True)
class Prescription:
    """One prescription's dispensing details: printed only on the page, never in metadata."""

    patient: str
    rx_number: str
    dispensed: datetime.date
    prescriber: str
    medicine: str  # as the dispensing system names it; must match the leaflet's medicine
    directions: str
    quantity: str
    refills: str
    strength: Optional[str] = None  # the leaflet's strength the medicine matched (several strengths)


@dataclass(frozen=True)
class Wanted:
    """What a pharmacy system asks a library for: a product code or a medicine's name, and a language.

    Product codes and medicine names are not patient data: messages name them.
    """

    ndc: Optional[str] = None  # normalised, 5-4-2
    gtin: Optional[str] = None  # normalised, 14 digits
    medicine: Optional[str] = None  # as the dispensing system names it
    lang: Optional[str] = None  # the patient's language, if known
    where: Optional[Location] = field(default=None, compare=False)  # the key that named it

    def __str__(self) -> str:
        if self.ndc:
            return f"NDC {self.ndc}"
        if self.gtin:
            return f"GTIN {self.gtin}"
        return f"medicine '{self.medicine}'"
