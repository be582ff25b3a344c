"""The texts of a leaflet as a check reads them: each with its language, its kind and the top-level section it is in."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .. import model

# Kinds of text that are prose (read as sentences); the others are headings, titles and names.
PROSE = {"lead", "paragraph", "item", "cell", "caption", "pictograms"}


@dataclass(frozen=True)
class Piece:
    """One text of the leaflet: a paragraph, a list item, a heading, a field such as the medicine's strength."""

    plain: str
    where: Optional[model.Location]
    lang: str  # the primary language subtag: "en", "es" …
    kind: str  # "title", "lead", "heading", "paragraph", "item", "cell", "caption", "pictograms", "alt", "field"
    part: Optional[model.Text]  # the heading (or box title) of the top-level section it is in; None: outside any
    part_index: int = -1  # which top-level block that section is
    links: tuple = ()  # (start, end) of the link texts in ``plain``
    bold: bool = False  # every character of it is bold (a paragraph used as a sub-heading)

    @property
    def prose(self) -> bool:
        return self.kind in PROSE


def primary(tag: str) -> str:
    return re.split(r"[-_]", tag or "en")[0].lower()


def pieces(leaflet: model.Leaflet) -> list[Piece]:
    """Every text of the leaflet in reading order, then its plain string fields (source, medicine)."""
    lang = primary(leaflet.lang)
    alts = {where.path: where for path, where in leaflet.places if path.endswith(".alt")}
    found = [_piece(leaflet.title, lang, "title", None)]
    if leaflet.lead is not None:
        found.append(_piece(leaflet.lead, lang, "lead", None))
    for index, block in enumerate(leaflet.blocks):
        part = block.heading if isinstance(block, model.Section) else block.title if isinstance(block, model.Box) else None
        found += _blocks((block,), lang, part, index, alts)
    found += [Piece(value, where, lang, "field", None) for value, where in _fields(leaflet)]
    return found


def _piece(text: model.Text, lang: str, kind: str, part, index: int = -1) -> Piece:
    links, at = [], 0
    for span in text.spans:
        if span.link:
            links.append((at, at + len(span.text)))
        at += len(span.text)
    bold = all(span.bold for span in text.spans if span.text.strip())
    return Piece(text.plain, text.where, lang, kind, part, index, tuple(links), bold)


def _blocks(blocks, lang: str, part, index: int, alts: dict) -> list[Piece]:
    """``alts``: where each image's alt text is, by its path ("sections[2].figure.alt")."""
    found = []
    for block in blocks:
        own = primary(block.lang) if getattr(block, "lang", None) else lang
        if isinstance(block, model.Paragraph):
            found.append(_piece(block.text, own, "paragraph", part, index))
        elif isinstance(block, model.ListBlock):
            found += _items(block, own, part, index)
        elif isinstance(block, (model.Section, model.Box)):
            title = block.heading if isinstance(block, model.Section) else block.title
            if title is not None:
                found.append(_piece(title, own, "heading", part, index))
            found += _blocks(block.blocks, own, part, index, alts)
        elif isinstance(block, model.Table):
            if block.caption is not None:
                found.append(_piece(block.caption, own, "caption", part, index))
            for row in block.rows:
                for cell in row:
                    found += [p if p.kind != "paragraph" else _as_cell(p)
                              for p in _blocks(cell, own, part, index, alts)]
        elif isinstance(block, model.Figure):
            if block.caption is not None:
                found.append(_piece(block.caption, own, "caption", part, index))
            found += _alt_texts((block.image,), own, part, index, alts)
        elif isinstance(block, model.Pictograms):
            found.append(_piece(block.text, own, "pictograms", part, index))
            found += _alt_texts(block.images, own, part, index, alts)
    return found


def _alt_texts(images, lang: str, part, index: int, alts: dict) -> list[Piece]:
    """What a screen reader says for each picture: its alt text, where the loader said it is."""
    return [Piece(image.alt, alts.get(image.where.path.removesuffix(".image") + ".alt"), lang, "alt", part, index)
            for image in images if image.alt and image.where is not None]


def _as_cell(piece: Piece) -> Piece:
    return Piece(piece.plain, piece.where, piece.lang, "cell", piece.part, piece.part_index, piece.links, piece.bold)


def _items(block: model.ListBlock, lang: str, part, index: int) -> list[Piece]:
    found = []
    for item in block.items:
        own = primary(item.lang) if item.lang else lang
        found.append(_piece(item.text, own, "item", part, index))
        if item.sublist is not None:
            found += _items(item.sublist, primary(item.sublist.lang) if item.sublist.lang else own, part, index)
    return found


def _fields(leaflet: model.Leaflet):
    """(value, place) of each plain string field the loader said the place of."""
    medicine = leaflet.medicine
    for path, where in leaflet.places:
        if path == "source":
            yield leaflet.source, where
            continue
        if not path.startswith("medicine."):
            continue  # alt texts: read with their pictures
        name, _, index = path.removeprefix("medicine.").partition("[")
        value = getattr(medicine, name, None)
        if index:
            value = value[int(index.rstrip("]"))]
        if isinstance(value, str):
            yield value, where
