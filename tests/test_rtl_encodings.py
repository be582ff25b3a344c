"""Why right-to-left lines are written as they are: the two other ways a PDF can give
reading order inside a line, built and read with the same readers, each losing a reader
that the written form keeps.

The written form (``linebreak._make_visual_line``): each line's glyphs left to right as
shown, cut into runs whose letters are neighbours in reading order, the runs written in
reading order.  pdf.js and PDFium read it in logical order; poppler's structure text
reads each right-to-left run's letters reversed (tests/test_readers.py, strict xfail).

The alternatives:

* **letters**: every right-to-left letter a run of its own, written in logical order,
  each placed where it shows.  poppler's structure text concatenates glyphs in content
  order (``MarkedContentOutputDev::drawChar``, no bidi pass), so it now reads logical
  order.  But pdf.js starts a new text item whenever a glyph stands left of the one
  before (``compareWithLastPosition``: an advance below -0.2 em), so every letter becomes
  a text-layer element of its own, and Chromium names a heading letter by letter.
* **ActualText**: the written form, each right-to-left run inside a marked-content
  sequence whose ActualText is the run in logical order, as the PDF specification
  (14.9.4) intends.  poppler's structure text and pdf.js's text content ignore
  ActualText; PDFium takes it (``CPDF_TextPage::ProcessMarkedContent``) and then runs its
  own bidi pass over the whole line (``CloseTempLine``), which reverses the already
  logical text a second time.

So poppler's structure text and pdf.js cannot both read a run of two or more
right-to-left letters in logical order: both take the glyphs in content order, poppler
as they come, pdf.js reversed by its bidi pass; they agree only on runs of one letter,
and pdf.js shows each such run as an element of its own.  These tests fail when a reader
changes that, and the choice should be looked at again.
"""
import subprocess
import unicodedata

import pytest
from browser_harness import read_pdfs
from conftest import require_reader
from pdfread import Leaflet
from test_readers import assert_in_order, expected_texts, fold, load_kind, needs_poppler, struct_texts

import rxleaflet
from rxleaflet import api
from rxleaflet.text import fonts
from rxleaflet.text import linebreak
from rxleaflet.text.linebreak import END_ACTUAL_TEXT, ActualText, Line, Placed

WRITTEN = linebreak._make_visual_line


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def letters_in_logical_order(words, style, measure, trailing_space) -> Line:
    """The line's glyphs where the written form puts them, every right-to-left letter a
    run of its own, the runs in logical order."""
    glyphs = list(linebreak._visual_glyphs(linebreak._line_tokens(words, trailing_space), style.rtl))
    runs: list[list] = []  # [font, text, x, width, first character, last character]
    x = 0.0
    for font, char, here in glyphs:
        width = measure(char, font, style.size)
        run = runs[-1] if runs else None
        if run and run[0] == font and not _is_rtl(char) and not _is_rtl(run[1][-1]) and here == run[5] + 1:
            run[1] += char
            run[3] += width
            run[5] = here
        else:
            runs.append([font, char, x, width, here, here])
        x += width
    if trailing_space and not style.rtl and glyphs[-1][2] == len(glyphs) - 1:
        x -= measure(" ", glyphs[-1][0], style.size)
    return Line(tuple(Placed(*run[:4]) for run in sorted(runs, key=lambda run: run[4])), x)


def runs_with_actual_text(words, style, measure, trailing_space) -> Line:
    """The written form, each run of right-to-left letters read through an ActualText
    that gives it in logical order."""
    line = WRITTEN(words, style, measure, trailing_space)
    runs = []
    for run in line.runs:
        if len(run.text) > 1 and any(_is_rtl(char) for char in run.text):
            runs += [ActualText(run.text[::-1]), run, END_ACTUAL_TEXT]
        else:
            runs.append(run)
    return Line(tuple(runs), line.width)


ENCODINGS = {"written": WRITTEN, "letters": letters_in_logical_order, "actual-text": runs_with_actual_text}
KINDS = ("he", "mixed")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """{(encoding, kind): (model, path)}: the Hebrew leaflet and the mixed-direction one,
    built with each encoding (set lines and built leaflets are cached: emptied around each)."""
    folder = tmp_path_factory.mktemp("encodings")
    result = {}
    with pytest.MonkeyPatch.context() as patch:
        for encoding, make_line in ENCODINGS.items():
            patch.setattr(linebreak, "_make_visual_line", make_line)
            forget()
            for kind in KINDS:
                leaflet = load_kind(kind, folder)
                path = folder / f"{encoding}-{kind}.pdf"
                path.write_bytes(rxleaflet.build(leaflet))
                result[encoding, kind] = leaflet, path
    forget()
    return result


def forget() -> None:
    linebreak.break_lines.cache_clear()
    api.forget_built()


def reads_in_order(found: list[str], leaflet) -> bool:
    try:
        assert_in_order(found, expected_texts(leaflet))
    except AssertionError:
        return False
    return True


def pdfium_texts(path) -> list[str]:
    return [fold(element.text) for element in Leaflet(path.read_bytes()).tree.walk() if element.text]


@needs_poppler
def test_the_alternatives_draw_the_same_page(built):
    """The encodings differ in what is read, never in what is shown (a glyph placed by its
    own run rather than by the advance of the one before may shift an anti-aliased pixel)."""
    import io

    from PIL import Image, ImageChops

    pictures = {}
    for (encoding, kind), (_, path) in built.items():
        out = subprocess.run(["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", str(path)],
                             capture_output=True, check=True).stdout
        pictures.setdefault(kind, []).append(Image.open(io.BytesIO(out)).convert("L"))
    for shown in pictures.values():
        for other in shown[1:]:
            difference = ImageChops.difference(shown[0], other).point(lambda value: 255 if value > 64 else 0)
            assert sum(1 for value in difference.getdata() if value) <= 3


@needs_poppler
def test_letters_in_logical_order_are_what_poppler_needs(built):
    """poppler's structure text applies no bidi: with the letters written in logical
    order, the mixed-direction leaflet reads right; written as visual runs, it does not."""
    leaflet, letters = built["letters", "mixed"]
    assert reads_in_order(struct_texts(letters), leaflet)
    assert not reads_in_order(struct_texts(built["written", "mixed"][1]), leaflet)


@pytest.mark.needs("browser")
def test_letters_in_logical_order_are_named_letter_by_letter_in_chromium(built):
    """pdf.js makes each such letter a text-layer element, and Chromium names the
    heading from them one by one; written as visual runs, the heading is one name."""
    leaflet, _ = built["written", "he"]
    title = fold(leaflet.title.plain)
    readings = read_pdfs({encoding: built[encoding, "he"][1].read_bytes() for encoding in ("written", "letters")})
    names = {encoding: fold(next(node.name for node in reading.tree.walk() if node.role == "heading"))
             for encoding, reading in readings.items()}
    assert names["written"] == title
    assert names["letters"] != title and names["letters"].replace(" ", "") == title.replace(" ", "")
    assert " ".join(title.split()[0]) in names["letters"]  # "ד י א ז פ א ם"


def test_pdfium_reverses_an_actual_text_in_logical_order(built):
    """PDFium reads the written form of a Hebrew leaflet in logical order, and the
    ActualText form reversed: its line pass reorders the ActualText a second time."""
    leaflet, written = built["written", "he"]
    assert reads_in_order(pdfium_texts(written), leaflet)
    heading = fold(leaflet.title.plain)
    read = pdfium_texts(built["actual-text", "he"][1])
    assert heading not in read
    assert any(set(text.split()) & {word[::-1] for word in heading.split() if len(word) > 2} for text in read)


@needs_poppler
def test_poppler_and_pdfjs_ignore_an_actual_text(built):
    """The ActualText form reads exactly as the written form in poppler's structure text
    and in pdf.js: neither takes the ActualText of a marked-content sequence."""
    assert "".join(struct_texts(built["actual-text", "he"][1])).replace(" ", "") == \
        "".join(struct_texts(built["written", "he"][1])).replace(" ", "")
    require_reader("browser")
    readings = read_pdfs({encoding: built[encoding, "he"][1].read_bytes() for encoding in ("written", "actual-text")})
    def read(encoding):
        return " ".join(text for _, text in readings[encoding].struct_text)
    assert read("written") == read("actual-text")

