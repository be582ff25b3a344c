"""HL7 ePI: a FHIR document Bundle (Composition with nested XHTML sections) to an imported leaflet."""
from __future__ import annotations

import base64
import binascii
import re
from html.entities import name2codepoint
from pathlib import Path
from typing import Optional

from . import medicine as facts
from . import doctype, nodes, outline
from .images import Pictures
from .language import language_problem
from .markup import escape
from .epi_product import Products, brand_of, sane_form, strengths_from_names
from .epi_product import json_dict as _dict, json_list as _list, json_text as _texts
from .narrative import Narrative
from .source import parse_json, parse_xml, read_bytes, refuse
from .spl import web_target

_TITLE_LABELS = re.compile(r"^(patient information|medication guide|instructions for use|package leaflet.*|"
                           r"information for the (?:user|patient))$", re.I)


def read(path, pictures: Pictures, log: nodes.Log) -> nodes.Leaflet:
    name = str(path)
    bundle = parse_json(read_bytes(path), name)
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        refuse(name, "not an ePI: expected a FHIR Bundle (resourceType \"Bundle\")")
    if bundle.get("type") != "document":
        refuse(name, f"not an ePI: the Bundle's type is {bundle.get('type')!r}, not \"document\"")
    entries = [_dict(e).get("resource") for e in _list(bundle.get("entry"))]
    entries = [r for r in entries if isinstance(r, dict)]
    if not entries or entries[0].get("resourceType") != "Composition":
        refuse(name, "not an ePI: a document Bundle's first entry is its Composition, and this one has none")
    prescriber = doctype.prescriber_document(entries[0])
    if prescriber:
        refuse(name, f"not a patient leaflet: {prescriber}, a document for prescribers (a Summary of Product "
                     "Characteristics or prescribing information); import the package leaflet instead")
    unknown = doctype.unknown_type(entries[0])
    if unknown:
        log.warn(f"the Composition's type {unknown} is no patient leaflet type rxleaflet knows: check that this "
                 "is patient information")
    return Document(bundle, entries, name, pictures, log).leaflet()


class Document:
    def __init__(self, bundle: dict, entries: list, name: str, pictures: Pictures, log: nodes.Log):
        self.bundle, self.entries, self.name, self.pictures, self.log = bundle, entries, name, pictures, log
        self.composition = entries[0]
        self.ids: dict[str, str] = {}  # source section id -> our section id (when linked to)
        self.sections_by_id: dict[str, dict] = {}
        self.built: dict[str, nodes.Section] = {}
        self.taken: set = set()
        self.first_blocks: Optional[list] = None  # the first section's narrative, for its title lines
        self.review: dict = {}
        self.narrative = Narrative(log, self._link, self._figure)

    def by_type(self, kind: str) -> list:
        return [r for r in self.entries if r.get("resourceType") == kind]

    def leaflet(self) -> nodes.Leaflet:
        composition = self.composition
        sections = _list(composition.get("section"))
        if not sections:
            refuse(self.name, "the Composition has no sections: there is no leaflet text in this ePI")
        self._index(sections)
        texts: list[str] = []
        blocks = self._sections(sections, "Composition.section", texts, 1)
        for source_id, our_id in self.ids.items():
            if source_id in self.built:
                self.built[source_id].id = our_id
        if not any(not isinstance(b, nodes.Note) for b in blocks):
            refuse(self.name, "the Composition's sections hold no text")
        lang = _texts(composition.get("language") or self.bundle.get("language"))
        if not lang:
            lang = "en"
            self.log.warn("the Composition has no language: written as en; set lang if that is wrong")
        problem = language_problem(lang, " ".join(texts))
        if problem:
            self.log.warn(problem)
        medicine = self._medicine(texts)
        title = self._title(medicine, blocks)
        date = _texts(composition.get("date"))[:10]
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            refuse(self.name, "the Composition has no date (YYYY-MM-DD): the leaflet's revision date")
        identifier = _dict(self.bundle.get("identifier"))
        kind = _texts(_dict(composition.get("type")).get("text")) or "electronic product information"
        source = f"ePI (HL7 FHIR) {kind}, Bundle {_texts(identifier.get('value') or self.bundle.get('id')) or 'without id'}"
        leaflet = nodes.Leaflet(lang, escape(title), medicine, date, source, outline.clamp(blocks, 1))
        leaflet.comments = [f"Imported by rxleaflet from {Path(self.name).name}: an ePI document Bundle ({kind}).",
                            "Check it against the approved product information before giving it to patients."]
        leaflet.review = self.review
        # An EU package leaflet follows the QRD template (a US insert carried as an ePI does not).
        leaflet.profile = "eu-qrd" if kind.strip().lower() == "package leaflet" else None
        return leaflet

    # -- sections ------------------------------------------------------------------
    def _index(self, sections) -> None:
        for section in sections:
            if isinstance(section, dict):
                if section.get("id"):
                    self.sections_by_id[str(section["id"])] = section
                self._index(_list(section.get("section")))

    def _sections(self, sections, path: str, texts: list, depth: int) -> list:
        out = []
        for index, section in enumerate(sections):
            if not isinstance(section, dict):
                continue
            where = f"{path}[{index}]"
            title = _texts(section.get("title"))
            div = _texts_raw(_dict(section.get("text")).get("div"))
            blocks = []
            if div.strip():
                root = parse_xml(_named_entities(div).encode("utf-8"), f"{self.name}: {where}.text.div", "XHTML")
                texts.append(" ".join("".join(root.itertext()).split()))
                blocks = self.narrative.blocks(root)
            if depth == 1 and self.first_blocks is None:
                self.first_blocks = list(blocks)
            if title:
                blocks = outline.drop_repeated_title(blocks, title)
                if facts.placeholder(title):
                    self.log.warn(f"{where}: the section title “{title}” looks like a placeholder")
            content = outline.outline(blocks) + self._sections(_list(section.get("section")),
                                                                          f"{where}.section", texts, depth + 1)
            if not any(not isinstance(b, nodes.Note) for b in content):
                self.log.warn(f"{where}: empty section “{title or 'untitled'}” left out")
                out.append(nodes.Note(f"empty section “{title or 'untitled'}” left out ({where})"))
            elif title:
                built = outline.section(escape(title), content)
                if section.get("id") and isinstance(built, nodes.Section):
                    self.built[str(section["id"])] = built
                out.append(built)
            else:
                out.extend(content)
        return out

    def _link(self, href: str, text: str) -> Optional[str]:
        href = (href or "").strip()
        key = href[1:] if href.startswith("#") else href
        target = self.sections_by_id.get(key)
        if target is not None and _has_text(target) and not outline.is_important(_texts(target.get("title"))):
            if key not in self.ids:
                self.ids[key] = outline.slug(_texts(target.get("title")) or key, self.taken)
            return f"#{self.ids[key]}"
        found = web_target(href, text)
        if found is None and href and href != text.strip():
            self.log.note("links whose target is empty or leads nowhere are written as their text")
        return found

    def _figure(self, img):
        source = (img.get("src") or "").strip()
        data = self._binary(source)
        return [self.pictures.figure(source.lstrip("#").rsplit("/", 1)[-1] or "picture", img.get("alt") or "", data)]

    def _binary(self, source: str) -> Optional[bytes]:
        if source.startswith("data:image/") and ";base64," in source:
            encoded = source.split(";base64,", 1)[1]
        else:
            key = source.lstrip("#").rsplit("/", 1)[-1]
            binary = next((r for r in self.by_type("Binary") if r.get("id") == key), None)
            if binary is None:
                return None
            encoded = _texts_raw(binary.get("data"))
        try:
            return base64.b64decode(encoded, validate=False)
        except (binascii.Error, ValueError):
            return None

    # -- the medicine and the title --------------------------------------------------
    def _medicine(self, texts: list) -> nodes.Medicine:
        """The structured part first (products, ingredients, dose forms), then the title lines, the
        EU "1. What X is" heading and the text; a field found nowhere is left out, marked REVIEW."""
        self.review = {}
        products = Products(self.entries)
        names = products.names()
        brand = brand_of(names) or ""
        form = products.form()
        strengths = products.strengths() or strengths_from_names(names)
        generic = ", ".join(products.ingredient_names())
        head = self._title_lines()
        titles = [_texts(_dict(s).get("title")) for s in _list(self.composition.get("section"))]
        qrd = next(filter(None, map(facts.name_from_qrd, titles)), None)
        if not brand and head:
            brand = next((re.split(r"[®™]", line)[0].strip() for line in head if re.search(r"[®™]", line)), "")
            generic = generic or next((line.strip("() ") for line in head
                                       if line.startswith("(") and line.endswith(")") and "-" not in line), "")
            form = form or sane_form(head[-1] if head[-1] not in (brand, f"({generic})")
                                     and not re.search(r"[®™(]", head[-1]) else "")
        brand = brand or qrd or ""
        title = facts.without_placeholder(_texts(self.composition.get("title")))
        named = facts.names_the_medicine(title, [n for n in (brand, generic) if n])
        for text in ([title] if named else []) + [" ".join(texts)]:  # the title says it best, when it names it
            if not strengths and brand:
                strengths = facts.strengths_near(text, brand, form)
            if not form and brand and strengths:
                form = sane_form(facts.form_after(text, brand, strengths[0]))
        name = generic[:1].upper() + generic[1:] if generic else brand
        if not name:
            name = title or "the medicine"
            self.review["name"] = "not found in the ePI: the title is written here; write the medicine's name"
            self.log.warn("the medicine's name is not in the ePI: the title is written in its place, marked REVIEW")
        for key, value in (("strength", strengths), ("form", form)):
            if not value:
                self.review[key] = "not in the ePI: left out; write it from the approved product information"
                self.log.warn(f"the medicine's {key} is not in the ePI: left out, marked REVIEW")
        lang = _texts(self.composition.get("language") or self.bundle.get("language"))
        if form and (lang.startswith("en") or form.isupper()):
            form = facts.readable_form(form).lower()
        return nodes.Medicine(name, strengths, form,
                              [brand] if brand and brand.casefold() != name.casefold() else [],
                              facts.pronunciation(head))

    def _title_lines(self) -> list[str]:
        blocks = self.first_blocks or []
        return [b.plain for b in blocks[:facts.title_lines(blocks)] if not _TITLE_LABELS.match(b.plain)]

    def _title(self, medicine: nodes.Medicine, blocks: list) -> str:
        title = _texts(self.composition.get("title"))
        marker = facts.placeholder(title)
        if marker:
            self.log.warn(f"the Composition title “{title}” holds a placeholder (“{marker}”): left out of the title")
            title = facts.without_placeholder(title)
        names = [n for n in [medicine.name, *medicine.brand_names] if n and "name" not in self.review]
        if title and names and not facts.names_the_medicine(title, names):
            self.log.warn(f"the Composition title “{title}” does not name the medicine ({', '.join(names)}): "
                          "the leaflet title is made from the medicine instead; check it")
            title = ""
        if not title:
            brand = f"{medicine.brand_names[0]} ({medicine.name})" if medicine.brand_names else medicine.name
            title = f"{brand} {medicine.form}".strip()
        return title


def _named_entities(div: str) -> str:
    """HTML's named characters (``&nbsp;``, ``&eacute;``), which real narratives use though XHTML has
    none of them, as numeric references; entity declarations are still refused by the parser."""
    def numeric(match):
        code = name2codepoint.get(match.group(1))
        return f"&#{code};" if code and match.group(1) not in ("amp", "lt", "gt", "quot", "apos") else match.group()

    return re.sub(r"&([A-Za-z][A-Za-z0-9]*);", numeric, div)


def _texts_raw(value) -> str:
    return value if isinstance(value, str) else ""


def _has_text(section: dict) -> bool:
    div = _texts_raw(_dict(section.get("text")).get("div"))
    return bool(re.sub(r"<[^>]*>", "", div).strip()) or any(
        _has_text(s) for s in _list(section.get("section")) if isinstance(s, dict))
