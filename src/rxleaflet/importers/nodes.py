"""The imported leaflet as plain data, shaped like the content format, for the YAML writer.

Texts here are already inline markup (``**bold**``, ``*emphasis*``, ``[text](target)``,
escapes): the importers build these nodes, the writer prints them, nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass
class Paragraph:
    text: str
    plain: str = ""  # the text without markup, for the outline's rules
    strong: bool = False  # all of it bold or underlined
    runs: Optional[list] = None  # the styled characters it was made from, when the narrative reader made it
    review: Optional[str] = None  # why an author must look at it (a placeholder such as "unavailable")


@dataclass
class Item:
    text: str
    sublist: Optional["ListBlock"] = None


@dataclass
class ListBlock:
    ordered: bool
    items: list[Item]
    level: int = 0  # bullets typed as text: how deep their sign says they are (1 •, 2 o, 3 ▪); 0 a real list


@dataclass
class Spanning:
    """A table cell spanning rows or columns (the places it covers are left out of the rows)."""

    cell: Union[str, list]
    rows: int = 1
    columns: int = 1


@dataclass
class Table:
    rows: list[list[Union[str, list, Spanning]]]  # a cell: a text, or a list of blocks; the cells starting in the row
    header_rows: int  # 0: none
    header_column: bool = False
    caption: Optional[str] = None
    layout: bool = False  # no headers: read as paragraphs
    review: Optional[str] = None  # what the import decided, for an author to check


@dataclass
class Figure:
    image: Optional[str]  # path relative to the content file; None: not available
    alt: Optional[str]  # None: no real description in the source (marked for review)
    caption: Optional[str] = None
    label: str = ""  # what the source calls it (file name, file label), for notes
    review: Optional[str] = None  # why an author must look at it (then alt is None)


@dataclass
class Note:
    """A YAML comment where something was left out or needs an author."""

    text: str


@dataclass
class Section:
    heading: str
    blocks: list
    id: Optional[str] = None


@dataclass
class Box:
    kind: str  # "important" or "intro"
    title: Optional[str]
    blocks: list


Block = Union[Paragraph, ListBlock, Table, Figure, Note, Section, Box]


@dataclass
class Medicine:
    name: str
    strengths: list[str]
    form: str
    brand_names: list[str] = field(default_factory=list)
    pronunciation: Optional[str] = None


@dataclass
class Leaflet:
    lang: str
    title: str
    medicine: Medicine
    revised: str  # YYYY-MM-DD
    source: str
    blocks: list
    comments: list[str] = field(default_factory=list)  # printed at the top of the file
    review: dict = field(default_factory=dict)  # medicine field -> why an author must check it
    profile: Optional[str] = None  # the rules it follows, for `rxleaflet check` (model.Leaflet.profile)


@dataclass
class Heading:
    """A heading found inside a narrative (h1–h6, or a bold line): the outline makes it a section."""

    text: str
    level: int  # 1–6 for h1–h6; 7 for a bold line standing alone


class Log:
    """What the import noticed: warnings (printed, and written as comments) and notes (comments only)."""

    def __init__(self, name: str):
        self.name = name
        self.warnings: list[str] = []
        self.notes: list[str] = []

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)
