"""FDA Structured Product Labeling (HL7 v3 XML, or DailyMed's zip) to an imported leaflet.

The patient section (Medication Guide 42231-1, Patient Package Insert 42230-3 or
Instructions for Use 59845-8) becomes the body; the product data gives the medicine; the
document's set id and version the source.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Optional

from . import medicine as facts
from . import nodes, outline
from .images import Pictures
from .epi_product import as_written
from .markup import escape
from .narrative import Narrative, tag
from .source import Archive, parse_xml, read_bytes, refuse

NS = "{urn:hl7-org:v3}"
LOINC = "2.16.840.1.113883.6.1"
PATIENT_SECTIONS = {  # in the order the default looks for them
    "42231-1": ("medguide", "Medication Guide"),
    "42230-3": ("ppi", "Patient Package Insert"),
    "59845-8": ("ifu", "Instructions for Use"),
}
SECTION_CHOICES = tuple(name for name, _ in PATIENT_SECTIONS.values()) + tuple(PATIENT_SECTIONS)
PROFILES = {"42231-1": "fda-medication-guide"}  # the rules a section follows (21 CFR 208.20), for `rxleaflet check`
_ACTIVE = {"ACTIM", "ACTIB", "ACTIR"}


def read(path, section: Optional[str], pictures: Pictures, log: nodes.Log) -> nodes.Leaflet:
    name = str(path)
    data = read_bytes(path)
    archive = None
    if data[:4] == b"PK\x03\x04":
        archive = Archive(data, name)
        root = _document_in(archive, name)
    else:
        root = parse_xml(data, name)
        if tag(root) != "document" or not root.tag.startswith(NS):
            refuse(name, f"not an SPL document: the root element is <{tag(root)}>, not HL7 v3 <document>")
    return Label(root, name, archive, pictures, log).leaflet(section)


def _document_in(archive: Archive, name: str):
    candidates = archive.names(".xml")
    for member in candidates:
        root = parse_xml(archive.read(member), f"{name}:{member}")
        if tag(root) == "document" and root.tag.startswith(NS):
            return root
    refuse(name, "no SPL document in the archive" + (f" (its XML files: {', '.join(candidates)})" if candidates else
                                                     " (it holds no XML file)"))


def _code(section) -> Optional[str]:
    code = section.find(f"{NS}code")
    return code.get("code") if code is not None else None


def _text_of(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


class Label:
    def __init__(self, root, name: str, archive: Optional[Archive], pictures: Pictures, log: nodes.Log):
        self.root, self.name, self.archive, self.pictures, self.log = root, name, archive, pictures, log
        self.media = {m.get("ID"): m for m in root.iter(f"{NS}observationMedia") if m.get("ID")}
        self.narrative = Narrative(log, self._link, self._figure)

    def patient_section(self, choice: Optional[str]):
        found = {}
        for section in self.root.iter(f"{NS}section"):
            code = _code(section)
            if code in PATIENT_SECTIONS and code not in found:
                found[code] = section
        if not found:
            refuse(self.name, "this SPL has no patient section (Medication Guide 42231-1, Patient Package Insert "
                              "42230-3 or Instructions for Use 59845-8): only prescribing information for professionals")
        if choice:
            wanted = next(code for code, (short, _) in PATIENT_SECTIONS.items() if choice in (code, short))
            if wanted not in found:
                have = ", ".join(f"{PATIENT_SECTIONS[c][0]} ({c})" for c in found)
                refuse(self.name, f"this SPL has no {PATIENT_SECTIONS[wanted][1]} ({wanted}); it has: {have}")
            return wanted, found[wanted]
        code = next(code for code in PATIENT_SECTIONS if code in found)
        return code, found[code]

    def leaflet(self, choice: Optional[str]) -> nodes.Leaflet:
        code, section = self.patient_section(choice)
        kind = PATIENT_SECTIONS[code][1]
        title = _text_of(section.find(f"{NS}title"))
        blocks = self._section_blocks(section)
        subsections = self._subsections(section)
        lines = facts.title_lines(blocks)
        if lines == len(blocks) and not any(not isinstance(b, nodes.Note) for b in subsections):
            lines = 0  # nothing but short lines: they are the text, not its title
        head = [b.plain for b in blocks[:lines]]
        blocks = outline.clamp(outline.outline(blocks[lines:]) + subsections, 1)
        if not any(not isinstance(b, nodes.Note) for b in blocks):
            refuse(self.name, f"the {kind} ({code}) has no text")
        medicine = self._medicine(head)
        if title and head:
            leaflet_title = f"{title} — {' '.join(head)}"
        else:
            leaflet_title = title or " ".join(head) or kind
        set_id = self.root.find(f"{NS}setId")
        version = self.root.find(f"{NS}versionNumber")
        source = (f"FDA Structured Product Labeling, {kind} (LOINC {code}), set id "
                  f"{set_id.get('root') if set_id is not None else 'not given'}"
                  + (f", version {version.get('value')}" if version is not None and version.get("value") else ""))
        revised = self._revised(section)
        leaflet = nodes.Leaflet("en-US", escape(leaflet_title), medicine, revised, source, blocks)
        leaflet.profile = PROFILES.get(code)
        missing = [key for key, value in (("name", medicine.name), ("strength", medicine.strengths),
                                           ("form", medicine.form)) if not value]
        if not medicine.name:
            medicine.name = facts.without_placeholder(title) or kind
        leaflet.review = {key: "not in the SPL's product data: " + ("the section title is written here; " if key == "name"
                                                                    else "left out; ") + "write it from the label"
                          for key in missing}
        for key in missing:
            self.log.warn(f"the medicine's {key} is not in the SPL's product data: marked REVIEW")
        leaflet.comments = [f"Imported by rxleaflet from {Path(self.name).name}: the {kind} (LOINC {code}) of an FDA SPL.",
                            "Check it against the official label before giving it to patients."]
        if facts.placeholder(leaflet_title):
            self.log.warn(f"the title looks like a placeholder (“{facts.placeholder(leaflet_title)}”): write the real one")
        return leaflet

    def _revised(self, section) -> str:
        for element in (section.find(f"{NS}effectiveTime"), self.root.find(f"{NS}effectiveTime")):
            value = element.get("value", "") if element is not None else ""
            if re.match(r"^\d{8}", value):
                return f"{value[:4]}-{value[4:6]}-{value[6:8]}"
        refuse(self.name, "the SPL has no effectiveTime (the date of this version of the label)")

    # -- the narrative -------------------------------------------------------------
    def _section_blocks(self, section) -> list:
        text = section.find(f"{NS}text")
        if text is None:
            return []
        return self.narrative.blocks(to_xhtml(text, self.media))

    def _subsections(self, section) -> list:
        out = []
        for component in section.findall(f"{NS}component"):
            for sub in component.findall(f"{NS}section"):
                title = _text_of(sub.find(f"{NS}title"))
                blocks = self._section_blocks(sub)
                if title:
                    blocks = outline.drop_repeated_title(blocks, title)
                content = outline.outline(blocks) + self._subsections(sub)
                if not any(not isinstance(b, nodes.Note) for b in content):
                    self.log.warn(f"empty section “{title or 'untitled'}” left out")
                    out.append(nodes.Note(f"empty section “{title or 'untitled'}” left out"))
                elif title:
                    out.append(outline.section(escape(title), content))
                else:
                    out.extend(content)
        return out

    def _link(self, href: str, text: str) -> Optional[str]:
        return web_target(href, text)

    def _figure(self, img) -> list:
        source_name = img.get("src") or ""
        caption = img.get("title") or ""
        if not source_name:
            self.log.warn("a picture refers to media the SPL does not have: left out")
            shown = [nodes.Note("a picture whose media the SPL does not have was left out")]
        else:
            data = self.archive.read(source_name) if self.archive else None
            shown = [self.pictures.figure(source_name, img.get("alt") or "", data)]
        if caption and isinstance(shown[0], nodes.Figure):
            shown[0].caption = escape(caption)
        elif caption:  # the picture is left out, its caption's words are not
            shown.append(nodes.Paragraph(escape(caption), caption))
        return shown

    # -- the medicine --------------------------------------------------------------
    def _medicine(self, head: list[str]) -> nodes.Medicine:
        products = [p for p in self.root.iter() if tag(p) in ("manufacturedproduct", "partproduct")
                    and p.find(f"{NS}name") is not None]
        brands, generics, forms, amounts_of = [], [], [], []
        for product in products:
            brand = _text_of(product.find(f"{NS}name"))
            active = [(as_written(_first_text(i, "ingredientSubstance/activeMoiety/activeMoiety/name",
                                              "ingredientSubstance/name")), _amount(i.find(f"{NS}quantity")))
                      for i in product.findall(f"{NS}ingredient") if i.get("classCode") in _ACTIVE]
            generic = _text_of(product.find(f"{NS}asEntityWithGeneric/{NS}genericMedicine/{NS}name")) or ", ".join(
                name for name, _ in active if name)
            form = product.find(f"{NS}formCode")
            if not any(amount for _, amount in active):
                continue  # a kit's outer product, or one without active ingredients
            for value, bucket in ((brand, brands), (generic, generics)):
                if value and value.casefold() not in (v.casefold() for v in bucket):
                    bucket.append(value)
            if form is not None and form.get("displayName"):
                forms.append(facts.readable_form(form.get("displayName")))
            amounts_of.append(active)
        # a combination's strengths in one order of substances, the first product's, for every product
        order = list(dict.fromkeys(name for active in amounts_of for name, amount in active if amount))
        strengths = ["/".join(amount for name in order for n, amount in active if n == name and amount)
                     for active in amounts_of]
        generic = generics[0] if generics else (brands[0] if brands else "")
        brand_names = [b for b in brands if b.casefold() != generic.casefold()]
        form = max(set(forms), key=lambda f: (forms.count(f), -forms.index(f))) if forms else ""
        if not generic:
            generic = next((line.strip("() ") for line in head if line.startswith("(") and line.endswith(")")), "")
        return nodes.Medicine(generic[:1].upper() + generic[1:], facts.sort_strengths([s for s in strengths if s]),
                              form, brand_names, facts.pronunciation(head))


def _first_text(element, *paths) -> str:
    for path in paths:
        found = element.find("/".join(NS + step for step in path.split("/")))
        if found is not None and _text_of(found):
            return _text_of(found)
    return ""


def _amount(quantity) -> str:
    if quantity is None:
        return ""
    numerator = quantity.find(f"{NS}numerator")
    denominator = quantity.find(f"{NS}denominator")
    if numerator is None or not numerator.get("value"):
        return ""
    text = f"{_number(numerator.get('value'))} {numerator.get('unit', '')}".strip()
    if denominator is not None and denominator.get("unit") not in (None, "", "1"):
        per = _number(denominator.get("value", "1"))
        text += f"/{'' if per == '1' else per + ' '}{denominator.get('unit')}"
    return text


def _number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else f"{number:g}"


def web_target(href: str, text: str) -> Optional[str]:
    """A usable link target for an external href, or None: print the text as it is."""
    href = (href or "").strip()
    if not href or href == text.strip():
        return None
    lowered = href.casefold()
    if lowered.startswith(("https://", "http://", "mailto:")) and " " not in href:
        return href
    if lowered.startswith("www.") and " " not in href:
        return "https://" + href
    if lowered.startswith("tel:") and re.fullmatch(r"tel:[0-9+\-() ]*[0-9][0-9+\-() ]*", href, re.I):
        return href
    return None


# -- SPL narrative names to XHTML names --------------------------------------------
_RENAME = {"paragraph": "p", "item": "li", "linkhtml": "a", "footnote": "span", "caption": "caption",
           "table": "table", "thead": "thead", "tbody": "tbody", "tfoot": "tfoot", "tr": "tr", "th": "th",
           "td": "td", "col": "col", "colgroup": "colgroup", "sub": "sub", "sup": "sup", "br": "br", "text": "div"}
_STYLES = {"bold": "b", "italics": "i", "italic": "i", "emphasis": "i", "underline": "u"}


def to_xhtml(element, media: dict):
    """An SPL narrative (``<text>``) as the XHTML vocabulary the narrative reader knows."""
    name = tag(element)
    attributes = {}
    if name == "list":
        new = "ol" if element.get("listType") == "ordered" else "ul"
    elif name == "content":
        styles = [_STYLES[s.lower()] for s in (element.get("styleCode") or "").split() if s.lower() in _STYLES]
        new = "span"
        if styles:
            outer = ET.Element(styles[0])
            inner = outer
            for style in styles[1:]:
                inner = ET.SubElement(inner, style)
            _copy_children(element, inner, media)
            outer.tail = element.tail
            return outer
    elif name == "rendermultimedia":
        observation = media.get(element.get("referencedObject"))
        new = "img"
        if observation is not None:
            reference = observation.find(f"{NS}value/{NS}reference")
            attributes = {"src": reference.get("value", "") if reference is not None else "",
                          "alt": _text_of(observation.find(f"{NS}text"))}
        caption = element.find(f"{NS}caption")
        if caption is not None:  # printed text under the picture: kept, as its caption
            attributes["title"] = _text_of(caption)
        result = ET.Element(new, attributes)
        result.tail = element.tail
        return result
    elif name == "linkhtml":
        new, attributes = "a", {"href": element.get("href", "")}
    elif name in ("td", "th"):
        new = name
        attributes = {k: v for k, v in element.attrib.items() if k in ("colspan", "rowspan")}
    else:
        new = _RENAME.get(name, "span")
    result = ET.Element(new, attributes)
    _copy_children(element, result, media)
    result.tail = element.tail
    return result


def _copy_children(source, target, media) -> None:
    target.text = source.text
    for child in source:
        target.append(to_xhtml(child, media))
