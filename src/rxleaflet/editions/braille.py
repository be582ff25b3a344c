"""The braille edition (BRF): the leaflet in its language's braille, by liblouis, on pages of 40 cells by 25 lines.

liblouis (LGPL) comes from the operating system (Debian's liblouis20, liblouis-data and
python3-louis): an optional part, loaded only here, with an error naming what to
install when it is absent.  Text is translated a block at a time (contractions work
across words) into Unicode braille, laid out in lines and pages, and written as
North American ASCII braille (BRF: lines ended CR LF, pages by a form feed).

The layout follows BANA's formats in brief: the title and main headings centred,
lower headings from cell 5, paragraphs from cell 3, list items from cell 1 (nested
two cells deeper) with their runover lines two cells in, boxes between box lines, and
the braille page number at the end of each page's last line.
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .. import model
from ..errors import UserError
from ..text.fixed_words import labelled, messages
from . import front

CELLS, LINES = 40, 25
BLANK = "\u2800"  # the empty cell: what unicode.dis writes a space as
BOX_LINE = "\u2836" * CELLS  # dots 2356 across the line
# North American ASCII braille: the character for each 6-dot cell (dot n is bit n-1).
ASCII_BRAILLE = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="

# The table for each language: contracted where liblouis has a contracted table that it
# also reads back (UEB grade 2, French abrégé, German Kurzschrift, Arabic grade 2);
# Spanish braille is written uncontracted in practice, as are Polish and Hebrew.
TABLES = {"en": "en-ueb-g2.ctb", "fr": "fr-bfu-g2.ctb", "de": "de-g2.ctb", "es": "es-g1.ctb", "pl": "pl.tbl",
          "ar": "ar-ar-g2.ctb", "he": "he-IL.utb"}
# Debian's python3-louis is installed for the system's Python, which a virtual environment does not see.
SYSTEM_PACKAGES = (Path("/usr/lib/python3/dist-packages"),)
INSTALL = "apt-get install liblouis-data python3-louis"


def louis():
    """liblouis's Python bindings: importable, else Debian's python3-louis, else a UserError saying what to install."""
    try:
        import louis as bindings

        return bindings
    except ImportError:
        pass
    for folder in SYSTEM_PACKAGES:
        init = folder / "louis" / "__init__.py"
        if init.is_file():
            spec = importlib.util.spec_from_file_location("louis", init)
            bindings = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(bindings)
            except OSError:  # the bindings without the library
                break
            sys.modules["louis"] = bindings
            return bindings
    raise UserError.single("rxleaflet build --format brf", 0, 0, "", "the braille edition needs liblouis, which "
                           f"rxleaflet takes from the operating system: install it ({INSTALL} on Debian or "
                           "Ubuntu), or leave out --format brf")


def tables(lang: str) -> list[str]:
    """liblouis's table list for a language: Unicode braille out, the language's translation table."""
    primary = lang.split("-")[0].lower()
    if primary not in TABLES:
        raise UserError.single("rxleaflet build --format brf", 0, 0, "", f"no braille table for the language "
                               f"'{lang}': rxleaflet writes braille for {', '.join(sorted(TABLES))}")
    return ["unicode.dis", TABLES[primary]]


@dataclass(frozen=True)
class Block:
    """A piece of the leaflet as it is translated: its text, and how its lines are placed."""

    text: str
    form: str  # "centred", "heading" (from cell 5), "paragraph" (3-1), "item" (1-3), "line" (1-1)
    depth: int = 0  # list nesting: each level two cells in
    box: Optional[str] = None  # "open" or "close": a box line before or after
    lang: Optional[str] = None  # a passage in another language (its table), else the leaflet's


def braille_blocks(leaflet: model.Leaflet, prescription: Optional[model.Prescription] = None,
                   pharmacy: Optional[model.Pharmacy] = None) -> list[Block]:
    """The leaflet as blocks of text in the PDF's reading order, with the words rxleaflet adds."""
    words = messages(leaflet.lang)
    blocks = []
    if prescription is not None:
        blocks.append(Block(words["prescription"], "heading", box="open"))
        blocks += [Block(labelled(label, value, leaflet.lang), "line") for label, value in
                   front.prescription_rows(leaflet, prescription, pharmacy)]
        blocks.append(Block("", "line", box="close"))
    blocks.append(Block(words["leaflet"], "line"))
    blocks.append(Block(leaflet.title.plain, "centred"))
    blocks.append(Block(_plain(front.medicine_spans(leaflet)), "paragraph"))
    blocks.append(Block(front.revised_line(leaflet), "paragraph"))
    if leaflet.lead is not None:
        blocks.append(Block(_plain(leaflet.lead.spans), "paragraph"))
    blocks += _content(leaflet.blocks, leaflet.lang, level=2, lang=None)
    if pharmacy is not None:
        blocks.append(Block(words["your_pharmacy"], "centred"))
        blocks.append(Block(_plain(front.pharmacy_spans(leaflet, pharmacy)), "paragraph"))
        blocks += [Block(_plain(line.spans), "paragraph") for line in pharmacy.footer]
    return [block for block in blocks if block.text or block.box]


def _plain(spans) -> str:
    """A text as braille says it: a link's address after it when its text does not show it."""
    out = []
    for span in spans:
        out.append(span.text)
        if span.link and span.link != front.PRONUNCIATION:
            out.append(front.address_suffix(span.link, span.text))
    return " ".join("".join(out).split())


def _content(blocks, leaflet_lang: str, level: int, lang: Optional[str]) -> list[Block]:
    """``lang``: the language in effect when these blocks sit in a passage in another language."""
    out = []
    for block in blocks:
        inner = block.lang or lang
        if isinstance(block, model.Paragraph):
            out.append(Block(_plain(block.text.spans), "paragraph", lang=inner))
        elif isinstance(block, model.ListBlock):
            out += _list(block, 0, inner)
        elif isinstance(block, model.Section):
            out.append(Block(_plain(block.heading.spans), "centred" if level == 2 else "heading", lang=inner))
            out += _content(block.blocks, leaflet_lang, level + 1, inner)
        elif isinstance(block, model.Box):
            title = front.box_prefix(leaflet_lang, block.kind) + _plain(block.title.spans) \
                if block.title is not None else messages(leaflet_lang)[block.kind]
            out.append(Block(title, "heading", box="open", lang=inner if block.title is not None else None))
            out += _content(block.blocks, leaflet_lang, level + 1, inner)
            out.append(Block("", "line", box="close"))
        elif isinstance(block, model.Table):
            out += _table(block, leaflet_lang, inner)
        elif isinstance(block, model.Figure):
            if block.image.alt:
                out.append(Block(block.image.alt, "paragraph", lang=inner))
            if block.caption is not None:
                out.append(Block(_plain(block.caption.spans), "paragraph", lang=inner))
        elif isinstance(block, model.Pictograms):
            out.append(Block(_plain(block.text.spans), "paragraph", lang=inner))
            out += [Block(image.alt, "paragraph", lang=inner) for image in block.images if image.alt]
    return out


def _list(block: model.ListBlock, depth: int, lang: Optional[str]) -> list[Block]:
    out = []
    for number, item in enumerate(block.items, 1):
        label = f"{number}. " if block.ordered else ""  # an unordered item's first cell says it is one
        out.append(Block(label + _plain(item.text.spans), "item", depth, lang=item.lang or lang))
        if item.sublist is not None:
            out += _list(item.sublist, depth + 1, item.lang or lang)
    return out


def _table(table: model.Table, leaflet_lang: str, lang: Optional[str]) -> list[Block]:
    """A table in listed form: its caption, its column headings, then each row an item, each
    cell after its column's heading (a spanning cell's text in each place it covers, read
    once; a layout table's cells one after the other)."""
    def cell_text(cell) -> str:
        return " ".join(block.text for block in _content(cell, leaflet_lang, 3, lang) if block.text)

    grid = [[cell_text(cell) for cell in row] for row in table.rows]
    origin = {}  # each covered place: the place of the cell that covers it
    for r, c, rows, columns in table.spans:
        for place in ((r + dr, c + dc) for dr in range(rows) for dc in range(columns)):
            origin[place] = (r, c)
    out = [Block(_plain(table.caption.spans), "heading", lang=lang)] if table.caption is not None else []
    heads = table.head_count
    headers = [" ".join(dict.fromkeys(grid[origin.get((r, c), (r, c))[0]][origin.get((r, c), (r, c))[1]]
                                      for r in range(heads)))
               for c in range(table.columns)] if heads else None
    if headers:  # the column headings first, as the PDF reads them, then each row with them
        out.append(Block("; ".join(dict.fromkeys(header for header in headers if header)), "item", lang=lang))
    for r in range(heads, len(grid)):
        parts = []
        for c in range(table.columns):
            if (r, c) in origin and origin[(r, c)] != (r, c):
                continue  # covered by a spanning cell: read once, where it starts
            parts.append(labelled(headers[c], grid[r][c], lang or leaflet_lang) if headers and headers[c] else grid[r][c])
        out.append(Block("; ".join(part for part in parts if part), "item", lang=lang))
    return out


def braille_edition(leaflet: model.Leaflet, prescription: Optional[model.Prescription] = None,
                    pharmacy: Optional[model.Pharmacy] = None) -> bytes:
    """The BRF file: pages of 25 lines of at most 40 cells, in ASCII braille."""
    bindings = louis()
    blocks = braille_blocks(leaflet, prescription, pharmacy)
    table_lists = {lang: tables(lang) for lang in {block.lang or leaflet.lang for block in blocks}}

    def translate(text: str, lang: str = leaflet.lang) -> str:
        text = text.translate(EQUIVALENTS)
        _refuse_undefined(bindings, table_lists[lang], text, lang)
        return bindings.translateString(table_lists[lang], text)

    pages = _Pages(translate)
    for block in blocks:
        pages.add(block)
    return pages.brf()


# Characters a table lacks whose braille is another's: Hebrew geresh and gershayim are
# brailled as the apostrophe and the quotation mark.
EQUIVALENTS = str.maketrans({"\u05f3": "'", "\u05f4": '"'})


def _refuse_undefined(bindings, table_list: list, text: str, lang: str) -> None:
    """A character the table has no braille for would be written as an escape code: refused, named."""
    for char in sorted(set(text) - {" "}):
        if not bindings.translateString(table_list, char, mode=bindings.noUndefined):
            shown = text if len(text) <= 60 else text[:57] + "…"
            raise UserError.single("rxleaflet build --format brf", 0, 0, "", f"'{char}' (U+{ord(char):04X}) in "
                                   f"\"{shown}\" has no braille in the {lang} braille table: write it in words")


class _Pages:
    def __init__(self, translate):
        self.translate = translate
        self.pages: list[list[str]] = [[]]

    def line(self, cells: str) -> None:
        full = len(self.pages[-1]) == LINES - 1  # the last line holds the page number
        if not cells and (full or not self.pages[-1]):
            return  # no blank line at the top of a page
        if full:
            self.pages.append([])
        self.pages[-1].append(cells)

    def add(self, block: Block) -> None:
        if block.box == "open" or block.form in ("centred", "heading"):
            if self.pages[-1] and self.pages[-1][-1]:
                self.line("")
        if block.box == "open":
            self.line(BOX_LINE)
        if block.text:
            cells = (self.translate(block.text, block.lang) if block.lang else self.translate(block.text)
                     ).replace(" ", BLANK)
            first, runover = {"centred": (0, 0), "heading": (4, 4), "paragraph": (2, 0), "line": (0, 0),
                              "item": (0, 2)}[block.form]
            first, runover = first + 2 * block.depth, runover + 2 * block.depth
            for number, text in enumerate(_wrap(cells, CELLS - first, CELLS - runover)):
                if block.form == "centred":
                    text = BLANK * ((CELLS - len(text)) // 2) + text
                self.line(BLANK * (first if number == 0 else runover) + text)
        if block.box == "close":
            self.line(BOX_LINE)

    def brf(self) -> bytes:
        out = []
        for number, page in enumerate(self.pages, 1):
            lines = page + [""] * (LINES - 1 - len(page))
            label = self.translate(str(number)).replace(" ", BLANK)
            lines.append(BLANK * (CELLS - len(label)) + label)
            out.append("\r\n".join(_ascii(line).rstrip() for line in lines) + "\r\n")
        return "\f".join(out).encode("ascii")


def _wrap(cells: str, first_width: int, width: int) -> list[str]:
    """Lines of words (blank cells between), a word longer than a line cut where the line ends."""
    lines, current = [], ""
    for word in cells.split(BLANK):
        if not word:
            continue
        room = first_width if not lines else width
        if current and len(current) + 1 + len(word) <= room:
            current += BLANK + word
            continue
        if current:
            lines.append(current)
            room = width
        while len(word) > room:
            lines.append(word[:room])
            word, room = word[room:], width
        current = word
    if current:
        lines.append(current)
    return lines


def _ascii(cells: str) -> str:
    """Unicode braille to ASCII braille; a cell with dots 7 or 8 cannot be written in BRF."""
    out = []
    for cell in cells:
        value = ord(cell) - 0x2800
        if not 0 <= value < 64:
            raise ValueError(f"not a 6-dot braille cell: {cell!r}")
        out.append(ASCII_BRAILLE[value])
    return "".join(out)


def from_ascii(brf: str) -> str:
    """ASCII braille back to Unicode braille cells (spaces as blank cells)."""
    return "".join(chr(0x2800 + ASCII_BRAILLE.index(char.upper())) for char in brf)
