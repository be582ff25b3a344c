"""Right-to-left text as readers we did not write extract it: poppler's structure text,
pdftotext, PDFium (pdf.js is read in tests/test_browser.py, in a real browser).

Each reader must give every text of the content in logical (reading) order: whole
Hebrew and Arabic leaflets, right-to-left words inside a left-to-right paragraph, and
left-to-right words (a brand name, "2 mg", an Rx number) inside a right-to-left one.
"""
import re
import subprocess
import unicodedata

import pytest
from conftest import ROOT, content
from pdfread import Leaflet

import rxleaflet
from rxleaflet import model

RTL = ROOT / "tests" / "inputs" / "rtl"
needs_poppler = pytest.mark.needs("poppler")

MIXED = content("""\
  - heading: Names
    content:
      - Ask for שלום כהן, the pharmacist, at the desk.
      - "Your pharmacist (רוקח) will explain it: דיאזפאם 2 מ״ג."
""")

HEBREW_WITH_LATIN = """\
lang: he
title: "דיאזפאם 2 mg: מידע"
medicine: {name: דיאזפאם, strength: 2 mg, form: טבליות, brand_names: [Valium]}
revised: 2026-11-25
source: טקסט לבדיקה
sections:
  - heading: מרשם RX-77
    content:
      - השם המסחרי הוא Valium והמינון 2 mg, פעמיים ביום.
      - numbered:
          - "מספר המרשם: RX-77 (לשמור)."
"""


def fold(text: str) -> str:
    """Arabic presentation forms folded to letters, bidi controls dropped, spaces folded."""
    text = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def expected_texts(leaflet: model.Leaflet) -> list[str]:
    return [fold(text.plain) for text in model.iter_texts(leaflet)]


def assert_in_order(found: list[str], expected: list[str], same=lambda a, b: a.endswith(b)):
    """Every expected text is the text of one element (a box heading has its "Warning: "
    prefix), in the order of the content."""
    position = 0
    for text in expected:
        for index in range(position, len(found)):
            if same(found[index], text):
                position = index + 1
                break
        else:
            raise AssertionError(f"not found in order: {text!r}\nread: {found[position:position + 8]!r}")


KINDS = ["he", "ar", "mixed", "hebrew-with-latin"]
MIXED_LINES = ("mixed", "hebrew-with-latin")  # lines that mix directions, with numbers


def load_kind(kind: str, folder) -> model.Leaflet:
    """One of KINDS: the Hebrew or Arabic test leaflet, or one of the mixed ones above."""
    if kind in ("he", "ar"):
        return rxleaflet.load(RTL / f"{kind}.yaml")
    source = folder / f"{kind}.yaml"
    source.write_text(MIXED if kind == "mixed" else HEBREW_WITH_LATIN, encoding="utf-8")
    return rxleaflet.load(source)


def build_kind(kind: str, folder):
    leaflet = load_kind(kind, folder)
    path = folder / f"{kind}.pdf"
    path.write_bytes(rxleaflet.build(leaflet))
    return leaflet, path


@pytest.fixture(scope="module", params=KINDS)
def built(request, tmp_path_factory):
    return build_kind(request.param, tmp_path_factory.mktemp(request.param))




def struct_texts(path) -> list[str]:
    """The text of each element in ``pdfinfo -struct-text`` (poppler), in tree order."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, check=True).stdout
    return [fold(match) for match in re.findall(r'^\s*"(.*)"$', out.decode("utf-8", "replace"), flags=re.M)]


@needs_poppler
@pytest.mark.xfail(strict=True, raises=AssertionError, reason="poppler's structure text applies no bidi: see the README, Accessibility")
def test_poppler_structure_text_is_in_logical_order(built):
    # poppler gives each element's glyphs in content order with no bidi pass and no
    # ActualText; pdf.js takes the same glyphs and reverses each text item.  Both read a
    # right-to-left run in logical order only if every letter is an item of its own, and
    # Chromium then names a heading letter by letter: tests/test_rtl_encodings.py builds
    # and reads each way of writing a line.  Strict: tells us when a reader changes.
    leaflet, path = built
    assert_in_order(struct_texts(path), expected_texts(leaflet))


@needs_poppler
def test_poppler_structure_text_of_the_sample(tmp_path):
    """Left to right, poppler's structure text is the content, in order."""
    leaflet = rxleaflet.load(ROOT / "content" / "diazepam-2mg.yaml")
    path = tmp_path / "sample.pdf"
    path.write_bytes(rxleaflet.build(leaflet))
    assert_in_order(struct_texts(path), expected_texts(leaflet))


@needs_poppler
def test_pdftotext_is_in_logical_order(built, request):
    # pdftotext marks embedded runs with bidi controls and places the punctuation and
    # spaces next to them by those marks: compare letters and digits, in order.
    if request.node.callspec.params["built"] in MIXED_LINES:
        # pdftotext's own reordering takes a number as left to right wherever it stands:
        # "דיאזפאם 2 מ״ג" in an English line, drawn as the bidi algorithm shows it (the
        # Hebrew run, number inside, from right to left), comes out "מ״ג 2 דיאזפאם".
        request.applymarker(pytest.mark.xfail(strict=True, raises=AssertionError, reason="pdftotext's bidi pass and numbers"))
    leaflet, path = built
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    letters = "".join(re.findall(r"\w", fold(text)))
    position = 0
    for expected in expected_texts(leaflet):
        position = letters.find("".join(re.findall(r"\w", expected)), position)
        assert position >= 0, expected


def test_pdfium_text_is_in_logical_order(built, request):
    if request.node.callspec.params["built"] in MIXED_LINES:
        # PDFium orders the glyphs of a line by position, then reverses each run of one
        # direction, keeping the order of runs split by spaces: "2 mg" in a Hebrew line reads
        # "mg 2", two Hebrew words in an English line swap.  How the PDF stores the line
        # cannot change that (an ActualText in logical order is reversed again by the same
        # pass, and pdf.js ignores ActualText).  Strict: tells us when it changes.
        request.applymarker(pytest.mark.xfail(strict=True, raises=AssertionError, reason="PDFium's own bidi pass, per direction run"))
    leaflet, path = built
    pdf = Leaflet(path.read_bytes())
    assert_in_order([fold(e.text) for e in pdf.tree.walk() if e.text], expected_texts(leaflet))


@needs_poppler
def test_poppler_reads_on_past_a_word_cut_over_lines(write_content, tmp_path):
    """A word longer than a line is read as one word through an ActualText; the
    ActualText is a marked-content sequence of the paragraph itself, not one nested in
    it, where poppler's structure text would stop reading the paragraph."""
    url = "example.org/" + "a" * 90 + "/" + "b" * 30  # no scheme, no www: a word, not a link
    path = write_content(content(f"  - heading: Links\n    content: ['Read {url} then stop.']\n"))
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(rxleaflet.build(rxleaflet.load(path)))
    assert " ".join(struct_texts(pdf)).endswith(f"Read {url} then stop.")
    paragraph = Leaflet(pdf.read_bytes()).elements("P")[-1]
    assert paragraph.text == f"Read {url} then stop." and len(paragraph.marks()) == 3  # PDFium too


@needs_poppler
def test_characters_above_u_ffff_reach_every_reader_as_written(tmp_path, write_content):
    """A character outside the Basic Multilingual Plane (Old Italic, an emoji the fallback
    font draws) is mapped to Unicode as its surrogate pair: ReportLab alone wrote its code
    point as five hex digits, which readers took for another character (U+10300 as U+1030)."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    words = "Old Italic \U00010300\U00010301 and \U0001F643 here"
    path = tmp_path / "wide.pdf"
    path.write_bytes(rxleaflet.build(rxleaflet.load(write_content(content(f'  - "{words}"\n')))))
    read = {
        "pdftotext": subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout,
        "pypdf": "".join(page.extract_text() for page in PdfReader(path).pages),
        "pdfium": "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(path)),
    }
    assert {reader: words in " ".join(text.split()) for reader, text in read.items()} == dict.fromkeys(read, True)
