"""No label of the prescription panel is ever cut inside a word, in any language rxleaflet has words for.

Each language's leaflet is built personalised, in large print on A5 (the narrowest panel),
and its panel's text read back with pdftotext, cropped to the panel (whose place PDFium
gives): every word of every label must be there whole.  ``rxleaflet.text.fixed_words`` says
which languages there are, so a language added there is tested here too.  The column rule
itself (the widest label word, or labels stacked above values) is checked for every
language, paper and print size, and for words longer than any catalogue has.
"""
import re
import subprocess
import unicodedata

import pytest

from conftest import ROOT, SAMPLE, require_reader
from pdfread import Leaflet

import rxleaflet
from rxleaflet import model
from rxleaflet.layout.flowables import TextBlock
from rxleaflet.layout.panel import STACKED, PanelBlock, PanelRow, label_column
from rxleaflet.layout.theme import LARGE_PRINT, PAPER_SIZES, STANDARD
from rxleaflet.text import fixed_words
from rxleaflet.text.linebreak import TextStyle, one_line_width

RX = ROOT / "content" / "prescriptions" / "example.yaml"
PHARMACY = ROOT / "content" / "pharmacy.yaml"
LABELS = ("patient", "medicine", "directions", "quantity", "refills", "prescriber", "dispensed", "rx_number",
          "pharmacy")


def languages() -> list[str]:
    """Every language ``fixed_words`` has a catalogue for, by its public names."""
    if hasattr(fixed_words, "catalogue_names"):
        return sorted(name.replace("_", "-") for name in fixed_words.catalogue_names())  # tags, as content writes them
    return sorted(fixed_words.CATALOGUE)


def label_words(lang: str) -> list[str]:
    words = fixed_words.messages(lang)
    return [word for key in LABELS for word in words[key].split()]


@pytest.fixture(scope="module")
def prescription():
    return rxleaflet.load_prescription(RX, rxleaflet.load(SAMPLE))


@pytest.mark.parametrize("lang", languages())
def test_every_label_word_is_whole_in_a5_large_print(tmp_path, lang, prescription):
    require_reader("poppler")
    source = SAMPLE.read_text(encoding="utf-8").replace("lang: en-GB", f"lang: {lang}", 1)
    content = tmp_path / "leaflet.yaml"
    content.write_text(source, encoding="utf-8")
    leaflet = rxleaflet.load(content)
    pdf = rxleaflet.build(leaflet, paper="a5", large_print=True, prescription=prescription,
                          pharmacy=rxleaflet.load_pharmacy(PHARMACY))
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(pdf)
    text = panel_text(path, Leaflet(pdf))
    for word in label_words(lang):
        word = unicodedata.normalize("NFKC", word)
        assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), (lang, word, text)


def panel_text(path, read: Leaflet) -> str:
    """pdftotext's text of the panel (the first Table), page by page, cropped to the panel's
    text as PDFium places it; bidi marks pdftotext adds are dropped."""
    panel = read.elements("Table")[0]
    marks = {mark for element in panel.walk() for mark in element.marks()}
    texts = []
    for page in sorted({page for page, _ in marks}):
        boxes = [o.bounds for o in read.objects if o.page == page and (page, o.mcid) in marks and o.text.strip()]
        left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
        height = float(read.reader.pages[page].mediabox.height)
        crop = ["-x", str(int(left) - 1), "-y", str(int(height - top) - 1), "-W", str(int(right - left) + 3),
                "-H", str(int(top - bottom) + 3)]
        run = subprocess.run(["pdftotext", "-r", "72", "-f", str(page + 1), "-l", str(page + 1), *crop,
                              str(path), "-"], capture_output=True, check=True)
        texts.append(run.stdout.decode("utf-8"))
    # Arabic is drawn in its joined forms (presentation forms): compared as the letters they are.
    return unicodedata.normalize("NFKC", "".join(c for c in "\n".join(texts) if unicodedata.category(c) != "Cf"))


@pytest.mark.parametrize("lang", languages())
def test_the_label_column_holds_the_widest_word_on_every_paper_and_print(lang):
    labels = [fixed_words.messages(lang)[key] for key in LABELS]
    for paper in model.PAPERS:
        for theme in (STANDARD, LARGE_PRINT):
            inner = theme.text_width(PAPER_SIZES[paper][0]) - 2 * theme.box_padding
            style = TextStyle(theme.body_size, theme.leading(theme.body_size))
            column = label_column(labels, style, inner)
            room = inner if column == STACKED else column - style.size
            widest = max(one_line_width(word, style) for word in label_words(lang))
            assert widest <= room, (lang, paper, theme.body_size)
            assert column == STACKED or inner - column >= inner * 0.55


def test_labels_too_long_to_sit_beside_their_values_stand_above_them():
    """A word no catalogue has yet (a German compound in 18 pt on A5): the labels are stacked,
    each on its own lines across the panel, its value below it; no word is cut."""
    theme = LARGE_PRINT
    style = TextStyle(theme.body_size, theme.leading(theme.body_size))
    inner = theme.text_width(PAPER_SIZES["a5"][0]) - 2 * theme.box_padding
    long_label = "Arzneimittelverschreibungsnummer"
    assert label_column([long_label, "Patient"], style, inner) == STACKED
    assert label_column(["Patient", "Medicine"], style, inner) != STACKED
    rows = [PanelRow((model.Span(label),), (model.Span(value),), None, None, style)
            for label, value in ((long_label, "RX-0042137"), ("Patient", "Margaret Example"))]
    caption = TextBlock((model.Span("Your prescription"),), style, None)
    panel = PanelBlock(caption, rows, style, theme)
    width = inner + 2 * theme.box_padding
    laid_out = panel._layout(width)
    for (labels, values, height), row in zip(laid_out, rows):
        assert [line.text.strip() for line in labels] == [row.label[0].text]  # whole, on a line of its own
        assert height == len(labels) * style.leading + len(values) * style.leading  # the value below it
    assert panel.wrap(width, 1e9)[1] > sum(h for _, _, h in laid_out)


def test_words_held_by_a_no_break_space_are_measured_as_one():
    theme = STANDARD
    style = TextStyle(theme.body_size, theme.leading(theme.body_size))
    inner = theme.text_width(PAPER_SIZES["a5"][0]) - 2 * theme.box_padding
    held = "Numéro\u00a0d'ordonnance"
    column = label_column(["Patient", held], style, inner)
    assert column == STACKED or column - style.size >= one_line_width(held, style)
