"""The EPUB 3 edition (rxleaflet build --format epub): checked by EPUBCheck (Debian's, the W3C's
validator), its navigation and accessibility metadata read back from the zip."""
import io
import json
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest
from conftest import EPUBCHECK, ROOT, SAMPLE, run_cli
from page_text import heard_words, parse
from test_html_edition import leaflets

import rxleaflet
from rxleaflet.editions.epub import CONFORMS_TO, epub_edition
from rxleaflet.editions.html import html_edition

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return {name: (parts, epub_edition(*parts)) for name, parts in leaflets(tmp_path_factory.mktemp("epub")).items()}


def epubcheck(books: dict, folder) -> dict:
    """EPUBCheck's JSON report on each book: name -> (fatal, error, warning counts, messages)."""
    reports = {}
    for name, data in books.items():
        (folder / f"{name}.epub").write_bytes(data)
        result = subprocess.run(["java", "-jar", str(EPUBCHECK), str(folder / f"{name}.epub"), "--json",
                                 str(folder / f"{name}.json")], capture_output=True, text=True, timeout=300)
        report = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        checker = report["checker"]
        reports[name] = (checker["nFatal"], checker["nError"], checker["nWarning"],
                         [(m["severity"], m["ID"], m["message"]) for m in report["messages"]], result.returncode)
    return reports


@pytest.mark.needs("epubcheck")
def test_epubcheck_finds_no_error_and_no_warning(built, tmp_path):
    books = {name: data for name, (_, data) in built.items()}
    broken = io.BytesIO()  # the control: a book whose page is missing from the zip
    with zipfile.ZipFile(io.BytesIO(built["sample"][1])) as good, zipfile.ZipFile(broken, "w") as bad:
        for item in good.infolist():
            if item.filename != "EPUB/leaflet.xhtml":
                bad.writestr(item, good.read(item))
    reports = epubcheck({**books, "control": broken.getvalue()}, tmp_path)
    assert reports.pop("control")[1] > 0
    for name, (fatal, errors, warnings, messages, status) in reports.items():
        assert (fatal, errors, warnings, status) == (0, 0, 0, 0), (name, messages)


def package(data: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return ET.fromstring(book.read("EPUB/package.opf"))


def test_the_accessibility_metadata_of_epub_accessibility_1_1(built):
    metadata = package(built["ibrance"][1]).find(f"{OPF}metadata")
    properties = {}
    for meta in metadata.iter(f"{OPF}meta"):
        properties.setdefault(meta.get("property"), []).append(meta.text)
    assert properties["dcterms:conformsTo"] == [CONFORMS_TO] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert properties["schema:accessMode"] == ["textual", "visual"]
    assert properties["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "alternativeText", "readingOrder"} <= \
        set(properties["schema:accessibilityFeature"])
    assert properties["schema:accessibilityHazard"] == ["none"]
    assert properties["schema:accessibilitySummary"][0].strip()
    leaflet = built["ibrance"][0][0]
    assert metadata.find(f"{DC}language").text == leaflet.lang
    assert metadata.find(f"{DC}title").text == leaflet.title.plain


@pytest.mark.parametrize("name", ["monuril", "he-elements"])
def test_the_navigation_document_lists_the_headings_and_each_link_lands(built, name):
    parts, data = built[name]
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert book.infolist()[0].filename == "mimetype" and book.infolist()[0].compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        page = parse(book.read("EPUB/leaflet.xhtml"))
        nav = parse(book.read("EPUB/nav.xhtml"))
    toc = nav.find_all("nav")[0]
    assert toc.attrs["epub:type"] == "toc"
    ids = {node.attrs.get("id"): node for node in page.walk()}
    entries = [(a.attrs["href"].split("#")[1], " ".join(a.text.split())) for a in toc.find_all("a")]
    headings = [node for node in page.walk() if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert [(h.attrs["id"], " ".join(h.text.split())) for h in headings] == entries
    assert all(target in ids for target, _ in entries)
    # nested as the headings are: each h3 entry sits in the list of the h2 before it
    depth = {a.attrs["href"].split("#")[1]: sum(1 for n in _ancestors(a) if n.tag == "ol") for a in toc.find_all("a")}
    assert [depth[h.attrs["id"]] for h in headings] == [int(h.tag[1]) for h in headings]


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


@pytest.mark.parametrize("name", ["personalised", "ibrance", "ar"])
def test_the_book_says_the_html_editions_words(built, name):
    parts, data = built[name]
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        page = book.read("EPUB/leaflet.xhtml")
        root = ET.fromstring(page)  # well-formed XML
        pictures = [name for name in book.namelist() if name.startswith("EPUB/images/")]
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == parts[0].lang
    assert heard_words(page) == heard_words(html_edition(*parts))
    sources = {img.attrs["src"] for img in parse(page).find_all("img")}
    assert {f"EPUB/{src}" for src in sources} == set(pictures)


def test_the_same_input_gives_the_same_bytes(built, monkeypatch):
    parts, data = built["ibrance"]
    assert epub_edition(*parts) == data
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    with zipfile.ZipFile(io.BytesIO(epub_edition(*parts))) as book:
        assert book.infolist()[0].date_time == (2026, 1, 1, 0, 0, 0)
        assert b"2026-01-01T00:00:00Z" in book.read("EPUB/package.opf")


def test_the_command_writes_the_epub_edition(tmp_path):
    result = run_cli("build", SAMPLE, "--format", "epub", "-o", tmp_path / "leaflet.epub")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "leaflet.epub").read_bytes() == epub_edition(rxleaflet.load(SAMPLE))
