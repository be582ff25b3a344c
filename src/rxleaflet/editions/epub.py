"""The EPUB 3 edition: the HTML edition's page as reflowable XHTML, with a navigation document from its headings and the EPUB Accessibility 1.1 metadata.

The zip is written here with the standard library (the ``mimetype`` entry first and
stored, every entry dated the leaflet's revision or SOURCE_DATE_EPOCH), so the same
input gives the same bytes.  EPUB libraries were not used: ebooklib is AGPL.
"""
from __future__ import annotations

import datetime
import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from typing import Optional

from .. import model
from ..text.bidi import is_rtl_language
from . import html
from .dates import document_date
from .words import edition_words

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EXTENSIONS = {"png": "png", "jpeg": "jpg"}
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"

_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def epub_edition(leaflet: model.Leaflet, prescription: Optional[model.Prescription] = None,
                 pharmacy: Optional[model.Pharmacy] = None, large_print: bool = False) -> bytes:
    pictures: dict[str, tuple[str, model.Image]] = {}  # file path -> (name in the book, image)

    def picture(image: model.Image) -> str:
        if image.path not in pictures:
            pictures[image.path] = (f"images/picture-{len(pictures) + 1}.{EXTENSIONS[image.kind]}", image)
        return pictures[image.path][0]

    page = html.page_tree(leaflet, prescription, pharmacy, large_print, picture)
    modified = document_date(leaflet.revised)
    files = [("EPUB/leaflet.xhtml", _xhtml(page.root, leaflet.lang)),
             ("EPUB/nav.xhtml", _navigation(leaflet, page.headings))]
    files += [(f"EPUB/{name}", _read(image)) for name, image in pictures.values()]
    files.append(("EPUB/package.opf", _package(leaflet, [name for name, _ in pictures.values()],
                                               list(pictures.values()), modified)))
    out = io.BytesIO()
    stamp = (modified.year, modified.month, modified.day, modified.hour, modified.minute, modified.second)
    with zipfile.ZipFile(out, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", stamp), "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr(zipfile.ZipInfo("META-INF/container.xml", stamp), _CONTAINER, zipfile.ZIP_DEFLATED)
        for name, data in files:
            book.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _read(image: model.Image) -> bytes:
    with open(image.path, "rb") as file:
        return file.read()


def _xhtml(root: ET.Element, lang: str) -> bytes:
    """The page as XHTML: the namespaces declared, xml:lang beside lang."""
    root.set("xmlns", XHTML)
    root.set("xmlns:epub", OPS)
    root.set("xml:lang", lang)
    for element in root.iter():
        if "lang" in element.attrib and element is not root:
            element.set("xml:lang", element.get("lang"))
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            + ET.tostring(root, encoding="unicode", method="xml").encode("utf-8") + b"\n")


def _navigation(leaflet: model.Leaflet, headings: list) -> bytes:
    """The table of contents: every heading under the title, nested by level."""
    words = edition_words(leaflet.lang)
    root = ET.Element("html", {"lang": leaflet.lang, "dir": "rtl" if is_rtl_language(leaflet.lang) else "ltr"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "title").text = words["contents"]
    nav = ET.SubElement(ET.SubElement(root, "body"), "nav", {"epub:type": "toc", "id": "toc"})
    ET.SubElement(nav, "h1").text = words["contents"]
    title = headings[0]
    top = ET.SubElement(ET.SubElement(nav, "ol"), "li")
    ET.SubElement(top, "a", href=f"leaflet.xhtml#{title.id}").text = title.text
    open_items = [(1, top)]  # (level, li) from the outermost
    for heading in headings[1:]:
        while open_items[-1][0] >= heading.level:
            open_items.pop()
        parent = open_items[-1][1]
        lists = [child for child in parent if child.tag == "ol"]
        entry = ET.SubElement(lists[0] if lists else ET.SubElement(parent, "ol"), "li")
        ET.SubElement(entry, "a", href=f"leaflet.xhtml#{heading.id}").text = heading.text
        open_items.append((heading.level, entry))
    return _xhtml(root, leaflet.lang)


def _package(leaflet: model.Leaflet, picture_names: list, pictures: list, modified: datetime.datetime) -> bytes:
    medicine = leaflet.medicine
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"rxleaflet:{leaflet.lang}:{medicine.label}:{leaflet.revised}")
    package = ET.Element("package", {"xmlns": "http://www.idpf.org/2007/opf", "version": "3.0",
                                     "unique-identifier": "id", "xml:lang": leaflet.lang,
                                     "dir": "rtl" if is_rtl_language(leaflet.lang) else "ltr"})
    metadata = ET.SubElement(package, "metadata", {"xmlns:dc": "http://purl.org/dc/elements/1.1/"})
    ET.SubElement(metadata, "dc:identifier", id="id").text = f"urn:uuid:{identifier}"
    ET.SubElement(metadata, "dc:title").text = leaflet.title.plain
    ET.SubElement(metadata, "dc:language").text = leaflet.lang
    ET.SubElement(metadata, "dc:subject").text = html.subject(leaflet)
    ET.SubElement(metadata, "dc:creator").text = "rxleaflet"
    ET.SubElement(metadata, "dc:source").text = leaflet.source
    ET.SubElement(metadata, "meta", property="dcterms:modified").text = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    for prop, value in _accessibility(leaflet, [image for _, image in pictures]):
        ET.SubElement(metadata, "meta", property=prop).text = value
    manifest = ET.SubElement(package, "manifest")
    ET.SubElement(manifest, "item", {"id": "nav", "href": "nav.xhtml", "media-type": "application/xhtml+xml",
                                     "properties": "nav"})
    ET.SubElement(manifest, "item", {"id": "leaflet", "href": "leaflet.xhtml",
                                     "media-type": "application/xhtml+xml"})
    for number, (name, (_, image)) in enumerate(zip(picture_names, pictures), 1):
        ET.SubElement(manifest, "item", {"id": f"picture-{number}", "href": name,
                                         "media-type": html.MEDIA_TYPES[image.kind]})
    spine = ET.SubElement(package, "spine", {"page-progression-direction":
                                             "rtl" if is_rtl_language(leaflet.lang) else "ltr"})
    ET.SubElement(spine, "itemref", idref="leaflet")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(package, encoding="unicode").encode("utf-8")


def _accessibility(leaflet: model.Leaflet, images: list) -> list[tuple[str, str]]:
    """EPUB Accessibility 1.1 (schema.org) metadata: what the book holds and how it can be read."""
    described = any(image.alt for image in images)
    modes = [("schema:accessMode", "textual")] + ([("schema:accessMode", "visual")] if images else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    features += ["alternativeText"] if described else []
    if _has_tables(leaflet.blocks):
        features.append("table")
    summary = ("A reflowable leaflet with its text in reading order, headings, lists and tables marked up, "
               "a table of contents" + (", and a text alternative for every picture that is not decoration"
                                        if described else "") +
               ". Black text on white or pale tints (contrast of at least 4.5:1); no sound, no movement.")
    return modes + [("schema:accessModeSufficient", "textual")] + \
        [("schema:accessibilityFeature", feature) for feature in features] + \
        [("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", summary),
         ("dcterms:conformsTo", CONFORMS_TO)]


def _has_tables(blocks) -> bool:
    return any(isinstance(block, model.Table) or isinstance(block, (model.Section, model.Box))
               and _has_tables(block.blocks) for block in blocks)
