"""The HTML edition (rxleaflet build --format html): the PDF's words and structure as one web page,
checked with axe-core in a real Chromium (tests/browser_harness.py) and read back with a parser."""
import base64
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, content, run_cli
from page_text import heard_words, parse
from pdfread import Leaflet
from test_table_spans import TITRATION

import rxleaflet
from rxleaflet import model
from rxleaflet.editions.html import html_edition, message_page
from rxleaflet.editions.words import edition_words

RX = ROOT / "content" / "prescriptions" / "example.yaml"
PHARMACY = ROOT / "content" / "pharmacy.yaml"
EXAMPLES = {"sample": SAMPLE, "monuril": ROOT / "content" / "examples" / "monuril-3g.yaml",
            "ibrance": ROOT / "content" / "examples" / "ibrance.yaml"}
RTL = ROOT / "tests" / "inputs" / "rtl"

IN_OTHER_LANGUAGES = content("""\
  - heading: Before you take it
    content:
      - Read all of this leaflet.
      - paragraph: Ne pas dépasser la dose prescrite.
        lang: fr
      - paragraph: لا تتجاوز الجرعة الموصوفة.
        lang: ar
      - bullets:
          - Keep it cool.
          - {text: Manténgase fuera del alcance de los niños., lang: es}
  - heading: Hinweise auf Deutsch
    lang: de
    content:
      - Nicht über 25 °C lagern.
  - heading: Links
    content:
      - "Call [the helpline](tel:+44 1632 960 000) or see [the first section](#first) & <b>this</b>."
""").replace("  - heading: Before you take it\n", "  - heading: Before you take it\n    id: first\n")


# The issue-22 table (two header rows, cells spanning rows and columns) and a layout table.
TABLES = content(TITRATION + """\
      - table:
          layout: true
          rows:
            - ["**België** Tél: +32 2 000 00 00", "**Lietuva** Tel: +370 5 000 0000"]
            - ["**France** Tél: +33 1 00 00 00 00", "**Malta** Tel: +356 2000 0000"]
""")


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def leaflets(folder) -> dict:
    """name -> (leaflet, prescription, pharmacy, large print): the kinds the issue names."""
    sample = rxleaflet.load(SAMPLE)
    mixed = folder / "mixed.yaml"
    mixed.write_text(IN_OTHER_LANGUAGES, encoding="utf-8")
    tables = folder / "tables.yaml"
    tables.write_text(TABLES, encoding="utf-8")
    pharmacy = rxleaflet.load_pharmacy(PHARMACY)
    return {
        "sample": (sample, None, None, False),
        "personalised": (sample, rxleaflet.load_prescription(RX, sample), pharmacy, True),
        "monuril": (rxleaflet.load(EXAMPLES["monuril"]), None, pharmacy, False),
        "es": (rxleaflet.load(ROOT / "content" / "es" / "diazepam-2mg.yaml"), None, pharmacy, False),
        "ibrance": (rxleaflet.load(EXAMPLES["ibrance"]), None, None, False),
        "he-elements": (rxleaflet.load(RTL / "he-elements.yaml"), None, None, False),
        "ar": (rxleaflet.load(RTL / "ar.yaml"), None, pharmacy, False),
        "mixed": (rxleaflet.load(mixed), None, None, False),
        "tables": (rxleaflet.load(tables), None, None, False),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return {name: (parts, html_edition(*parts)) for name, parts in leaflets(tmp_path_factory.mktemp("html")).items()}


@pytest.mark.needs("browser")
def test_axe_core_in_chromium_finds_no_violation_at_320_px_200_percent_and_desktop(built):
    from browser_harness import axe_ready, check_pages

    assert axe_ready() is None, axe_ready()
    control = (b'<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="x.png">'
               b'<p style="color:#aaa">faint</p><h3>skipped levels</h3></main></body></html>')
    pages = {name: page for name, (_, page) in built.items()}
    words = edition_words("he")  # the service's page for an unknown code, right to left
    not_found = message_page("he", words["not_found"], words["not_found_text"].format(code="00999-0002-01"))
    checks = check_pages({**pages, "control": control, "not-found": not_found}, widths=(320, 640, 1280))
    # The control proves axe-core ran: a picture with no alt and faint text are found.
    found = {violation["id"] for violation in checks.pop("control")[0].violations}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found
    assert all(check.violations == [] and check.scroll_width <= check.width for check in checks.pop("not-found"))
    for name, at_widths in checks.items():
        leaflet = built[name][0][0]
        for check in at_widths:
            assert check.violations == [], (name, check.width, check.violations)
            assert check.scroll_width <= check.width, (name, check.width, "scrolls sideways")
            assert check.anchors_found, name
            # The headings a screen reader lists: the title and the content's, at the PDF's levels.
            levels = [level for level, _ in check.headings]
            assert levels.count(1) == 1 and levels[0] == 1, (name, check.headings)
            assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, check.headings)
            assert fold(check.headings[0][1]) == fold(leaflet.title.plain)


def pdf_words(leaflet, prescription, pharmacy, large_print) -> list[str]:
    """The PDF's tagged words in reading order, without what only paper needs: list labels
    (an HTML list numbers itself) and "(see page N)" (a link goes there)."""
    pdf = Leaflet(rxleaflet.build(leaflet, prescription=prescription, pharmacy=pharmacy, large_print=large_print))
    words = []
    for element in pdf.tree.walk():
        if element.text and element.role != "Lbl":
            words.append(element.text)
    text = re.sub(r" ?\(see page \d+\)", "", " ".join(words))
    pronunciation = leaflet.medicine.pronunciation
    if pronunciation:  # the PDF's ActualText is read as the HTML's hidden words are
        text = text.replace(f"({pronunciation})", f"(pronounced {pronunciation.lower()})")
    return words_of(text)


def words_of(text: str) -> str:
    """The letters, spaces left out: the PDF's elements are joined with spaces where the
    page's inline elements run on ("section 6" + ")." and "(section 6)." read the same)."""
    return "".join(fold(text).split())


@pytest.mark.parametrize("name", ["sample", "personalised", "monuril", "ibrance", "mixed", "es", "tables"])
def test_the_words_are_the_pdfs_words_in_the_same_order(built, name):
    parts, page = built[name]
    assert words_of(" ".join(heard_words(page))) == pdf_words(*parts)


@pytest.mark.parametrize("name", ["he-elements", "ar"])
def test_a_right_to_left_leaflet_has_every_text_in_order(built, name):
    (leaflet, *_), page = built[name]
    heard = fold(" ".join(heard_words(page)))
    position = 0
    for text in model.iter_texts(leaflet):
        at = heard.find(fold(text.plain), position)
        assert at >= 0, (text.plain, heard[position:position + 80])
        position = at
    root = parse(page).find_all("html")[0]
    assert root.attrs["dir"] == "rtl" and root.attrs["lang"] == leaflet.lang


def test_structure_as_in_the_pdf(built):
    (leaflet, *_), page = built["he-elements"]
    document = parse(page)
    assert len(document.find_all("h1")) == 1
    table = document.find_all("table")[0]
    assert fold(table.find_all("caption")[0].text) == "תופעות שכיחות"
    assert [th.attrs.get("scope") for th in table.find_all("th")] == ["col", "col"]
    assert len(table.find_all("tbody")[0].find_all("tr")) == 2
    figure = document.find_all("figure")[0]
    assert figure.find_all("img")[0].attrs["alt"] == "מגשית עם שש טבליות"
    assert fold(figure.find_all("figcaption")[0].text) == "המגשית המקורית."
    # boxes are regions named by their heading (or by their kind when untitled)
    regions = [node for node in document.walk() if "box" in node.attrs.get("class", "").split()]
    assert [r.attrs.get("aria-label") for r in regions] == ["על העלון", None]
    named = regions[1].attrs["aria-labelledby"]
    assert fold(next(n for n in document.walk() if n.attrs.get("id") == named).text) == "המידע החשוב ביותר"


def test_pictures_are_data_uris_of_the_files_and_decorative_ones_have_empty_alt(built):
    (leaflet, *_), page = built["ibrance"]
    images = parse(page).find_all("img")
    assert images
    for img in images:
        kind, data = re.fullmatch(r"data:image/(png|jpeg);base64,(.*)", img.attrs["src"]).groups()
        assert any(Path(image.path).read_bytes() == base64.b64decode(data) for image in _images(leaflet.blocks))
    decorative = [f for f in _figures(leaflet.blocks) if f.decorative]
    assert sum(img.attrs["alt"] == "" for img in images) >= len(decorative)


def _figures(blocks):
    for block in blocks:
        if isinstance(block, model.Figure):
            yield block
        elif isinstance(block, (model.Section, model.Box)):
            yield from _figures(block.blocks)


def _images(blocks):
    for block in blocks:
        if isinstance(block, model.Figure):
            yield block.image
        elif isinstance(block, model.Pictograms):
            yield from block.images
        elif isinstance(block, (model.Section, model.Box)):
            yield from _images(block.blocks)


def test_spanning_cells_and_several_header_rows_and_a_layout_table(built):
    _, page = built["tables"]
    first, layout = parse(page).find_all("table")
    heads = first.find_all("thead")[0].find_all("th")
    assert [(" ".join(th.text.split()), th.attrs.get("scope"), th.attrs.get("rowspan"), th.attrs.get("colspan"))
            for th in heads] == [("Week", "col", "2", None), ("Dose", "colgroup", None, "2"),
                                 ("Morning", "col", None, None), ("Evening", "col", None, None)]
    body = first.find_all("tbody")[0].find_all("tr")
    assert [len([n for n in tr.children if not isinstance(n, str)]) for tr in body] == [3, 2, 2]
    assert body[0].find_all("th")[0].attrs == {"scope": "rowgroup", "rowspan": "2"}
    assert body[2].find_all("td")[0].attrs == {"colspan": "2"}
    assert layout.attrs["role"] == "presentation" and not layout.find_all("th") and not layout.find_all("caption")


def test_passages_in_another_language_say_so_with_their_direction(built):
    _, page = built["mixed"]
    document = parse(page)
    by_text = {fold(node.text): node for node in document.walk() if node.tag in ("p", "li", "section")}
    assert by_text["Ne pas dépasser la dose prescrite."].attrs == {"lang": "fr"}
    assert by_text["لا تتجاوز الجرعة الموصوفة."].attrs == {"lang": "ar", "dir": "rtl"}
    assert by_text["Manténgase fuera del alcance de los niños."].attrs == {"lang": "es"}
    german = next(node for node in document.find_all("section") if node.attrs.get("lang") == "de")
    assert german.find_all("p")[0].lang_in_effect() == "de"


def test_content_is_escaped_and_links_work(built):
    _, page = built["mixed"]
    assert b"&amp; &lt;b&gt;this&lt;/b&gt;" in page and b"<b>" not in page
    document = parse(page)
    links = {fold(a.text): a.attrs["href"] for a in document.find_all("a")}
    assert links["the helpline (+44 1632 960 000)"] == "tel:+441632960000"
    assert links["the first section"] == "#first"
    assert any(node.attrs.get("id") == "first" for node in document.walk())


def test_the_public_edition_has_nothing_of_a_patient_and_the_personal_one_has_their_panel(built):
    (sample, prescription, pharmacy, _), personal = built["personalised"]
    public = html_edition(sample, None, pharmacy)
    for value in (prescription.patient, prescription.rx_number, prescription.prescriber, prescription.directions):
        assert value.encode() not in public
        assert value.encode() in personal
    table = parse(personal).find_all("table")[0]
    assert fold(table.find_all("caption")[0].text) == "Your prescription"
    assert all(th.attrs["scope"] == "row" for th in table.find_all("th"))
    assert b"font-size: 150%" in personal and b"font-size: 112.5%" in public


def test_the_same_input_gives_the_same_bytes(built):
    parts, page = built["ibrance"]
    assert html_edition(*parts) == page


def test_the_command_writes_the_html_edition(tmp_path):
    result = run_cli("build", SAMPLE, "--format", "html", "-o", tmp_path / "leaflet.html")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "leaflet.html").read_bytes() == html_edition(rxleaflet.load(SAMPLE))
    result = run_cli("build", SAMPLE, "--format", "html", "--rx", RX, "--pharmacy", PHARMACY, "-o", "-")
    assert result.returncode == 0 and "Margaret Example" in result.stdout
    result = run_cli("build", SAMPLE, "--format", "html", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "diazepam-2mg.html").is_file()
    result = run_cli("build", SAMPLE, "--format", "html", cwd=tmp_path)  # not replaced by a default name
    assert result.returncode == 2 and "--force" in result.stderr
    result = run_cli("build", SAMPLE, "--format", "html", "--paper", "a5", "-o", tmp_path / "x.html")
    assert result.returncode == 2 and "--paper" in result.stderr and not (tmp_path / "x.html").exists()
