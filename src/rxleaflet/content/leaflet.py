"""The leaflet reader: a content file's medicine, sections, boxes, paragraphs, lists, tables and pictures, read into the model.

``read_leaflet`` reads a content file, ``parse_leaflet`` its bytes; the file is
read safely by ``yamlfile``, the nodes by the shared reader in ``nodes``.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path
from typing import Callable, Optional

import yaml

from . import codes
from .. import model
from ..errors import Problem
from .tables import TableReader
from .nodes import CLOSE, STR, NodeReader, flow_hint, has_key, is_plain, join
from .yamlfile import MAX_HEADING_LEVEL, MAX_LIST_DEPTH, compose_file, node_kind, read_content_bytes

_SINGLE_KEY_BLOCKS = ("paragraph", "bullets", "numbered", "table", "figure", "pictograms") + model.BOX_KINDS
_BLOCK_KEYS = ("heading", "content") + _SINGLE_KEY_BLOCKS
_ITEM_KEYS = ("text", "bullets", "numbered", "lang")
_SECTION_ID = re.compile(r"^[a-z0-9-]+$")
_PROFILE_NAME = re.compile(r"^[a-z0-9-]+$")
_WIDTH = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpeg"}


def read_leaflet(path, printable: Optional[Callable[[str], bool]] = None) -> model.Leaflet:
    """Load and validate one content file.

    ``printable`` says whether a character can be drawn; the caller passes the
    font check so that this module stays free of fonts.
    """
    return parse_leaflet(read_content_bytes(path), str(path), printable)


def parse_leaflet(data: bytes, name: str, printable=None) -> model.Leaflet:
    text, root = compose_file(data, name, "a leaflet", "lang, title, medicine, revised, source and sections")
    return LeafletReader(name, text, printable).finish(lambda reader: reader.leaflet(root))


class LeafletReader(TableReader, NodeReader):
    """Reads a leaflet's nodes: sections and boxes in one another, their blocks, the medicine."""

    def __init__(self, name: str, text: str, printable):
        super().__init__(name, text, printable)
        self._section_ids: dict[str, int] = {}  # id -> line of the section that has it
        self.base = Path(name).parent  # images are found relative to the content file
        self._made: list = []  # nodes made here: kept alive so that no id in _seen is reused
        self.places: list[tuple[str, model.Location]] = []  # where the plain string fields are (model.Leaflet.places)

    # -- the leaflet ---------------------------------------------------------
    def leaflet(self, root) -> Optional[model.Leaflet]:
        keys = self.mapping(root, "", ("lang", "title", "medicine", "revised", "source", "sections"),
                            ("lead", "profile"))
        if keys is None:
            return None
        get = lambda key: keys[key][1] if key in keys else None  # noqa: E731
        lang = self.language(get("lang"), "lang") if "lang" in keys else None
        if lang is not None:
            self.warn_without_catalogue(get("lang"), lang)
        title = self.text(get("title"), "title", "the title") if "title" in keys else None
        medicine = self.medicine(get("medicine")) if "medicine" in keys else None
        revised = self.date(get("revised"), "revised") if "revised" in keys else None
        source = self.string(get("source"), "source", "the source") if "source" in keys else None
        if source is not None:
            self.place(get("source"), "source")
        lead = self.text(get("lead"), "lead", "the lead paragraph") if "lead" in keys else None
        profile = self.profile(get("profile")) if "profile" in keys else None
        blocks = self.blocks(get("sections"), "sections", level=2) if "sections" in keys else ()
        if self.problems:
            return None
        leaflet = model.Leaflet(lang, title, medicine, revised, source, lead, blocks, file=self.name,
                                warnings=tuple(self.warnings), profile=profile, places=tuple(self.places))
        self.check_cross_references(leaflet)
        return None if self.problems else leaflet

    def check_cross_references(self, leaflet: model.Leaflet) -> None:
        """Every "#id" link names a section of this leaflet."""
        ids = set(self._section_ids)
        for text in model.iter_texts(leaflet):
            for span in text.spans:
                if span.link and span.link.startswith("#") and span.link[1:] not in ids:
                    where = text.where
                    self.problems.append(Problem(self.name, where.line, where.column, where.path,
                                                 f"no section or box has the id '{span.link[1:]}' (give the "
                                                 f"section 'id: {span.link[1:]}')"))

    def optional_language(self, keys, path) -> Optional[str]:
        """A block's own ``lang``, when it is in another language than the leaflet."""
        return self.language(keys["lang"][1], join(path, "lang")) if "lang" in keys else None

    def medicine(self, node) -> Optional[model.Medicine]:
        keys = self.mapping(node, "medicine", ("name",),
                            ("form", "strength", "strengths", "brand_names", "pronunciation", "codes"),
                            shape="name, strength (or strengths), form")
        if keys is None:
            return None
        fields = {key: self.string(keys[key][1], f"medicine.{key}", f"the medicine's {key}")
                  for key in ("name", "strength", "form", "pronunciation") if key in keys}
        brands = self.string_list(keys, "brand_names", "medicine", "brand names", "a brand name")
        strengths = self.string_list(keys, "strengths", "medicine", "strengths", "a strength")
        if "strength" in keys and "strengths" in keys:
            self.problem(node, "medicine", "give 'strength' (a text) or 'strengths' (a list), not both")
            return None
        self.warn_missing_medicine_fields(node, keys)
        found_codes = self.product_codes(keys["codes"][1], "medicine.codes") if "codes" in keys else ()
        if None in fields.values() or None in brands or None in strengths or found_codes is None:
            return None
        if len(set(strengths)) < len(strengths):
            self.problem(keys["strengths"][1], "medicine.strengths", "a strength is listed twice")
            return None
        for key in fields:
            self.place(keys[key][1], f"medicine.{key}")
        for key in ("brand_names", "strengths"):
            for i, item in enumerate(keys[key][1].value if key in keys else ()):
                self.place(item, f"medicine.{key}[{i}]")
        first = fields.get("strength") or (strengths[0] if strengths else "")
        return model.Medicine(fields["name"], first, fields.get("form", ""), tuple(brands), tuple(strengths),
                              fields.get("pronunciation"), codes=found_codes)

    def warn_missing_medicine_fields(self, node, keys) -> None:
        """A medicine without a strength or a form is printed without it: an imported label that
        does not give one (the import marks it REVIEW). Said, so that an author writes it."""
        missing = [what for what, given in (("strength ('strength' or 'strengths')", "strength" in keys or
                                                                                     "strengths" in keys),
                                            ("form", "form" in keys)) if not given]
        if missing:
            mark = node.start_mark
            self.warnings.append(Problem(self.name, mark.line + 1, mark.column + 1, "medicine",
                                         f"warning: the medicine has no {' and no '.join(missing)}: the leaflet is "
                                         "printed without it; write it from the approved label"))

    def place(self, node, path: str) -> None:
        mark = node.start_mark
        self.places.append((path, model.Location(self.name, mark.line + 1, mark.column + 1, path)))

    def profile(self, node) -> Optional[str]:
        """The name of the rules the leaflet follows (``rxleaflet check`` knows them; any name loads)."""
        value = self.string(node, "profile", "the profile's name")
        if value is not None and not _PROFILE_NAME.match(value):
            self.problem(node, "profile", f"{self.quoted(value)} is not a profile name: a-z, 0-9 and - "
                                          "(such as eu-qrd or fda-medication-guide)")
            return None
        return value

    def string_list(self, keys, key, path, what, each) -> list:
        """An optional list of texts (``None`` in it where one is unusable)."""
        if key not in keys:
            return []
        items = self.sequence(keys[key][1], f"{path}.{key}", what)
        return [self.string(n, f"{path}.{key}[{i}]", each) for i, n in enumerate(items)]

    def product_codes(self, node, path):
        """``{ndc: [...], gtin: [...]}``: each code checked and normalised; None if any is wrong."""
        keys = self.mapping(node, path, (), tuple(codes.NORMALISE))
        if keys is None:
            return None
        if not keys and isinstance(node, yaml.MappingNode) and not node.value:
            self.problem(node, path, f"give at least one of: {', '.join(codes.NORMALISE)}")
        found, ok = [], True
        for kind, (_, value) in keys.items():
            for i, item in enumerate(self.sequence(value, f"{path}.{kind}", f"{kind.upper()}s")):
                code = self.product_code(item, f"{path}.{kind}[{i}]", kind)
                ok = ok and code is not None
                if code is not None and (kind, code) in found:
                    self.problem(item, f"{path}.{kind}[{i}]", f"{kind.upper()} {code} is listed twice")
                found.append((kind, code))
        return tuple(found) if ok else None

    def blocks(self, node, path, level: int) -> tuple:
        items = self.sequence(node, path, "blocks (paragraphs, lists, sections, boxes)")
        blocks = (self.block(item, f"{path}[{i}]", level) for i, item in enumerate(items))
        return tuple(block for block in blocks if block is not None)

    def block(self, node, path, level: int):
        node = self.key_text(node, _BLOCK_KEYS + ("lang",))
        if self.key_without_colon(node, path, _BLOCK_KEYS):
            return None
        if isinstance(node, yaml.ScalarNode):
            self.warn_if_folded(node, path, "paragraph")
            text = self.text(node, path, "the paragraph")
            return model.Paragraph(text) if text else None
        if isinstance(node, yaml.MappingNode) and has_key(node, "heading"):
            return self.section(node, path, level)
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, path, f"expected a paragraph (text) or a block mapping, found {node_kind(node)}{flow_hint(node)}")
            return None
        keys = self.mapping(node, path, (), _BLOCK_KEYS + ("lang",))
        if keys is None:
            return None
        kinds = [key for key in keys if key in _SINGLE_KEY_BLOCKS]
        if len(kinds) != 1 or "content" in keys:
            if len(keys) == len(node.value):  # no unknown key was reported: say what a block is
                found = ", ".join(keys) or "nothing"
                self.problem(node, path, f"a block has exactly one of {', '.join(_SINGLE_KEY_BLOCKS)}, "
                                         f"or heading with content; found {found}")
            return None
        key = kinds[0]
        value = keys[key][1]
        lang = self.optional_language(keys, path)
        inner = f"{path}.{key}"
        if key == "paragraph":
            text = self.text(value, inner, "the paragraph")
            return model.Paragraph(text, lang) if text else None
        if key in ("bullets", "numbered"):
            block = self.list_block(value, inner, ordered=key == "numbered")
        elif key == "table":
            block = self.table(value, inner, level)
        elif key == "figure":
            block = self.figure(value, inner)
        elif key == "pictograms":
            block = self.pictograms(value, inner)
        else:
            block = self.box(value, inner, key, level)
        return dataclasses.replace(block, lang=lang) if block and lang else block

    def section(self, node, path, level: int):
        too_deep = (f"sections nest too deep: this heading would be level {level}; "
                    f"the deepest is {MAX_HEADING_LEVEL} (the title is level 1)")
        parts = self._titled_blocks(node, path, "heading", "the heading", level, too_deep, ("id",))
        return model.Section(*parts) if parts else None

    def section_id(self, node, path) -> Optional[str]:
        value = self.string(node, path, "the section id")
        if value is None:
            return None
        if not _SECTION_ID.match(value):
            self.problem(node, path, f"'{value}' is not a section id: use a-z, 0-9 and - (like side-effects)")
            return None
        if value in self._section_ids:
            self.problem(node, path, f"the id '{value}' is already the id of the section on line {self._section_ids[value]}")
            return None
        self._section_ids[value] = node.start_mark.line + 1
        return value

    def box(self, node, path, kind: str, level: int):
        too_deep = (f"the {kind} box nests too deep: its title would be heading level {level}; "
                    f"the deepest is {MAX_HEADING_LEVEL}")
        parts = self._titled_blocks(node, path, "title", "the box title", level, too_deep, ("id",),
                                    title_optional=kind == "intro")
        return model.Box(kind, *parts) if parts else None

    def _titled_blocks(self, node, path, title_key: str, what: str, level: int, too_deep: str, extra=(),
                       title_optional=False):
        """(title, blocks, lang, id) of a section or box, its title a heading of ``level``."""
        required = ("content",) if title_optional else (title_key, "content")
        keys = self.mapping(node, path, required, ("lang",) + ((title_key,) if title_optional else ()) + extra)
        if keys is None:
            return None
        if level > MAX_HEADING_LEVEL:
            self.problem(node, path, too_deep)
            return None
        title = self.text(keys[title_key][1], f"{path}.{title_key}", what) if title_key in keys else None
        blocks = self.blocks(keys["content"][1], f"{path}.content", level + 1) if "content" in keys else ()
        lang = self.optional_language(keys, path)
        section_id = self.section_id(keys["id"][1], join(path, "id")) if "id" in keys else None
        if not blocks or (title is None and (title_key in keys or not title_optional)) or \
                ("id" in keys and section_id is None):
            return None
        return title, blocks, lang, section_id

    # -- tables and pictures ---------------------------------------------------
    def cell(self, node, path, level: int):
        """A table cell: a text, or a list of texts and lists."""
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, path, "the cell")
            return (model.Paragraph(text),) if text else None
        blocks = self.blocks(node, path, level)
        for i, block in enumerate(blocks):
            if not isinstance(block, (model.Paragraph, model.ListBlock)):
                self.problem(node.value[i], f"{path}[{i}]", "a table cell holds texts and lists only")
                return None
        return blocks or None

    def widths(self, node, path, columns: int):
        """Relative column widths, one per column (False when unusable)."""
        items = self.sequence(node, path, "column widths")
        values = []
        for i, item in enumerate(items):
            value = self.string(item, f"{path}[{i}]", "a column width")
            try:
                number = float(value) if value is not None else None
            except ValueError:
                number = None
            if number is None or not 0 < number < 1e6:
                if value is not None:
                    self.problem(item, f"{path}[{i}]", "a column width is a positive number (widths are relative: [1, 2])")
                return False
            values.append(number)
        if items and columns and len(values) != columns:
            self.problem(node, path, f"{len(values)} widths for {columns} columns")
            return False
        return tuple(values) if values else False

    def figure(self, node, path):
        keys = self.mapping(node, path, ("image",), ("alt", "caption", "width", "decorative"))
        if keys is None:
            return None
        image = self.image(node, keys, path)
        caption = self.text(keys["caption"][1], f"{path}.caption", "the caption") if "caption" in keys else None
        width = 1.0
        if "width" in keys:
            value = self.string(keys["width"][1], f"{path}.width", "the width")
            match = _WIDTH.match(value or "")
            if value is not None and (not match or not 0 < float(match.group(1)) <= 100):
                self.problem(keys["width"][1], f"{path}.width", "the width is a share of the column, like 60% (at most 100%)")
                return None
            width = float(match.group(1)) / 100 if match else 1.0
        if image is None or ("caption" in keys and caption is None):
            return None
        return model.Figure(image, caption, width)

    def pictograms(self, node, path):
        keys = self.mapping(node, path, ("images", "text"))
        if keys is None:
            return None
        images = []
        for i, item in enumerate(self.sequence(keys["images"][1], f"{path}.images", "images") if "images" in keys else []):
            where = f"{path}.images[{i}]"
            item_keys = self.mapping(item, where, ("image",), ("alt", "decorative"))
            images.append(self.image(item, item_keys, where) if item_keys is not None else None)
        text = self.text(keys["text"][1], f"{path}.text", "the text") if "text" in keys else None
        if not images or None in images or text is None:
            return None
        return model.Pictograms(tuple(images), text)

    def image(self, node, keys, path) -> Optional[model.Image]:
        """The image file (checked readable), with its alt text or marked decorative."""
        decorative = self.boolean(keys["decorative"][1], f"{path}.decorative") if "decorative" in keys else False
        alt = self.string(keys["alt"][1], f"{path}.alt", "the alt text") if "alt" in keys else None
        if decorative and "alt" in keys:
            self.problem(keys["alt"][1], f"{path}.alt", "a decorative image has no alt text: remove 'alt', or "
                                                        "'decorative' if the image says something")
            return None
        if not decorative and "alt" not in keys and decorative is not None:
            self.problem(node, path, "missing required key 'alt': say what the image shows (or mark it "
                                     "'decorative: true' if it says nothing)")
            return None
        if "image" not in keys or decorative is None or (alt is None and not decorative):
            return None
        file_node = keys["image"][1]
        name = self.string(file_node, f"{path}.image", "the image file")
        if name is None:
            return None
        found = self.read_image(file_node, f"{path}.image", name)
        if found is None:
            return None
        if alt is not None:
            self.place(keys["alt"][1], f"{path}.alt")
        mark = file_node.start_mark
        return model.Image(found[0], found[1], found[2], alt,
                           model.Location(self.name, mark.line + 1, mark.column + 1, f"{path}.image"))

    def read_image(self, node, path, name: str):
        """(absolute path, "png" or "jpeg", (width, height)) of a readable image, or None."""
        from PIL import Image, UnidentifiedImageError  # only content with pictures pays for the import

        file = (self.base / name).resolve()
        try:
            with Image.open(file) as picture:
                kind = _IMAGE_FORMATS.get(picture.format)
                if kind is None:
                    self.problem(node, path, f"'{name}' is a {picture.format} image; use PNG or JPEG")
                    return None
                picture.load()  # a truncated or damaged file fails here
                return str(file), kind, picture.size
        except FileNotFoundError:
            self.problem(node, path, f"no image file '{name}' (a path relative to the content file)")
        except UnidentifiedImageError:
            self.problem(node, path, f"'{name}' is not an image file rxleaflet can read (PNG or JPEG)")
        except (OSError, SyntaxError, ValueError) as err:
            self.problem(node, path, f"the image '{name}' cannot be read: {getattr(err, 'strerror', None) or err}")
        return None

    def list_block(self, node, path, ordered: bool, depth: int = 1):
        if depth > MAX_LIST_DEPTH:
            self.problem(node, path, f"lists nest too deep: this list would be level {depth}; "
                                     f"the deepest is {MAX_LIST_DEPTH}")
            return None
        items = self.sequence(node, path, "list items")
        parsed = [self.list_item(item, f"{path}[{i}]", depth) for i, item in enumerate(items)]
        if not items or None in parsed:
            return None
        return model.ListBlock(ordered, tuple(parsed))

    def list_item(self, node, path, depth: int):
        node = self.key_text(node, _ITEM_KEYS)
        if not isinstance(node, yaml.MappingNode):
            self.warn_if_folded(node, path)
            text = self.text(node, path, "the list item")
            return model.ListItem(text) if text else None
        if not any(isinstance(key, yaml.ScalarNode) and key.value in _ITEM_KEYS for key, _ in node.value):
            # "- Tiredness: feeling weak": text YAML read as a mapping, not a list item gone wrong.
            self.problem(node, path, "this list item is read as a mapping, as its lines have ': ' in them; "
                                     "if it is text, put it in quotes (or write it after '>-'); a list item "
                                     "with a list in it is written text: … with bullets: or numbered: below")
            return None
        keys = self.mapping(node, path, ("text",), _ITEM_KEYS[1:])
        if keys is None:
            return None
        if "text" in keys:
            self.warn_if_folded(keys["text"][1], f"{path}.text")
        text = self.text(keys["text"][1], f"{path}.text", "the list item") if "text" in keys else None
        nested = [key for key in ("bullets", "numbered") if key in keys]
        if len(nested) > 1:
            self.problem(node, path, "a list item holds one nested list: bullets or numbered, not both")
            return None
        sublist = None
        if nested:
            key = nested[0]
            sublist = self.list_block(keys[key][1], f"{path}.{key}", ordered=key == "numbered", depth=depth + 1)
            if sublist is None:
                return None
        lang = self.optional_language(keys, path)
        return model.ListItem(text, sublist, lang) if text else None

    # -- text that YAML read as something else --------------------------------
    def key_text(self, node, keys):
        """``- Note: take with food`` as the text it is, when "Note" is no key and like none.

        YAML reads it as a one-key mapping.  When the key is plain words on the
        item's line, not one of ``keys`` nor close to one (a misspelt key is
        still reported), and its value is plain text, the item is the text
        exactly as written, colon included.
        """
        if not (isinstance(node, yaml.MappingNode) and len(node.value) == 1 and self.source_text):
            return node
        key, value = node.value[0]
        if not (is_plain(key) and is_plain(value) and key.value and value.value
                and key.start_mark.line == key.end_mark.line
                and not difflib.get_close_matches(key.value.lower(), keys, n=1, cutoff=CLOSE)):
            return node
        text = self.source_text[key.start_mark.index:value.end_mark.index]
        self._made.append(yaml.ScalarNode(STR, text, key.start_mark, value.end_mark, style=value.style))
        return self._made[-1]

    def key_without_colon(self, node, path, keys) -> bool:
        """``- bullets`` with the items below it: YAML reads one text, "bullets - Drowsiness …"."""
        if not (is_plain(node) and self.source_text and node.value.split(" ", 1)[0] in keys):
            return False
        start = node.start_mark.index
        end = self.source_text.find("\n", start)
        first = self.source_text[start:end if end >= 0 else None].split(" #")[0].strip()
        if first not in keys:
            return False
        self.problem(node, path, f"'{first}' has no ':' after it; write {first}:")
        return True

    def warn_without_catalogue(self, node, lang: str) -> None:
        """A language whose words rxleaflet does not print itself: said, never silent English."""
        from ..text.fixed_words import english_notice

        notice = english_notice(lang)
        if notice:
            mark = node.start_mark
            self.warnings.append(Problem(self.name, mark.line + 1, mark.column + 1, "lang", notice))

    def warn_if_folded(self, node, path, what="list item") -> None:
        """A plain text in a list over several lines: often two, the second without its "- "."""
        if is_plain(node) and node.end_mark.line > node.start_mark.line:
            lines = node.end_mark.line - node.start_mark.line + 1
            mark = node.start_mark
            self.warnings.append(Problem(
                self.name, mark.line + 1, mark.column + 1, path,
                f"warning: this {what} runs over {lines} lines and is read as one {what}; if the lines are "
                f"separate, start each with '- '; if it is one {what}, write it after '>-' or in quotes"))
