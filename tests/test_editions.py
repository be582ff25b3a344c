"""Editions from the same content: large print, paper sizes, languages."""
from collections import defaultdict

import pytest
from conftest import MINIMAL, ROOT, SAMPLE, content, findings, outloud_report, source_sentences
from pdfread import Leaflet

import rxleaflet
from rxleaflet.text import fixed_words as messages
from rxleaflet import model
from rxleaflet.layout import theme

MM = 72 / 25.4
SPANISH = ROOT / "content" / "es" / "diazepam-2mg.yaml"
RX = ROOT / "content" / "prescriptions" / "example.yaml"
PHARMACY = ROOT / "content" / "pharmacy.yaml"
SIZES = {"a4": (595.28, 841.89), "letter": (612, 792), "legal": (612, 1008), "a5": (419.53, 595.28)}


@pytest.fixture(scope="module", params=list(SIZES))
def large(request):
    leaflet = rxleaflet.load(SAMPLE)
    pdf = rxleaflet.build(leaflet, paper=request.param, large_print=True,
                          prescription=rxleaflet.load_prescription(RX, leaflet),
                          pharmacy=rxleaflet.load_pharmacy(PHARMACY))
    return request.param, Leaflet(pdf)


def _roles(leaflet):
    roles = {}
    for element in leaflet.tree.walk():
        for mark in element.marks():
            roles[mark] = element.role
    return roles


def test_large_print_is_18_pt_with_line_spacing_of_1_4(large):
    paper, leaflet = large
    roles = _roles(leaflet)
    baselines = defaultdict(set)
    for obj in leaflet.objects:
        if obj.mcid >= 0 and obj.text.strip():
            role = roles[(obj.page, obj.mcid)]
            if role not in ("H1", "H2", "Caption"):
                assert obj.font_size >= 16, (role, obj)
            if role == "P" and obj.font_size == 18:
                baselines[(obj.page, obj.mcid)].add(round(obj.baseline, 2))
    gaps = [a - b for marks in baselines.values() for a, b in zip(sorted(marks, reverse=True),
                                                                  sorted(marks, reverse=True)[1:])]
    assert gaps and min(gaps) >= 1.4 * 18 - 0.01


def test_large_print_lines_hold_at_most_60_characters(large):
    _, leaflet = large
    roles = _roles(leaflet)
    lines = defaultdict(str)
    for obj in leaflet.objects:
        if obj.mcid >= 0 and roles[(obj.page, obj.mcid)] in ("P", "LBody"):
            lines[(obj.page, round(obj.baseline, 1))] += obj.text
    assert max(len(text.strip()) for text in lines.values()) <= 60


def test_every_paper_size_keeps_its_margins(large):
    paper, leaflet = large
    width, height = SIZES[paper]
    assert [round(float(v), 2) for v in leaflet.reader.pages[0].mediabox[2:]] == [round(width, 2), round(height, 2)]
    for obj in leaflet.objects:
        left, bottom, right, top = obj.bounds
        assert left >= 12.7 * MM and right <= width - 12.7 * MM and bottom >= 12.7 * MM and top <= height - 12.7 * MM


def test_large_print_loses_no_word_and_stays_tagged(large):
    _, leaflet = large
    reading = leaflet.reading_text()
    position = 0
    for sentence in source_sentences():
        position = reading.index(sentence, position) + len(sentence)
    assert all((o.mcid >= 0) != o.is_artifact for o in leaflet.objects)
    headings = [e.role for e in leaflet.tree.walk() if e.role[:1] == "H" and e.role != "H"]
    assert headings[0] == "H1" and set(headings[1:]) == {"H2"}


def test_large_print_on_a5_passes_outloud(tmp_path):

    leaflet = rxleaflet.load(SAMPLE)  # A5 is the hardest layout: a panel and boxes over several pages
    path = tmp_path / "large.pdf"
    path.write_bytes(rxleaflet.build(leaflet, paper="a5", large_print=True,
                                     prescription=rxleaflet.load_prescription(RX, leaflet)))
    report = outloud_report(path)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)


def test_the_pharmacy_can_make_large_print_its_default(tmp_path):
    settings = tmp_path / "pharmacy.yaml"
    settings.write_text(PHARMACY.read_text() + "large_print: true\n")
    pharmacy = rxleaflet.load_pharmacy(settings)
    leaflet = Leaflet(rxleaflet.build(rxleaflet.load(SAMPLE), pharmacy=pharmacy))
    assert max(o.font_size for o in leaflet.objects if o.mcid >= 0) >= 30  # the large title
    assert min(o.font_size for o in leaflet.objects if o.mcid >= 0 and o.text.strip()) >= 14
    standard = Leaflet(rxleaflet.build(rxleaflet.load(SAMPLE), pharmacy=pharmacy, large_print=False))
    assert min(o.font_size for o in standard.objects if o.mcid >= 0 and o.text.strip()) == 10


def test_paper_names_agree_between_model_and_theme():
    assert tuple(theme.PAPER_SIZES) == model.PAPERS


# -- languages -------------------------------------------------------------------------

def test_the_spanish_sample_builds_in_spanish():
    leaflet = Leaflet(rxleaflet.build(rxleaflet.load(SPANISH)))
    assert leaflet.catalog["/Lang"] == "es"
    assert "<rdf:li>es</rdf:li>" in leaflet.catalog["/Metadata"].get_object().get_data().decode()
    pages = len(leaflet.reader.pages)
    assert (0, f"Página 1 de {pages}") in leaflet.artifact_texts()
    texts = [e.text for e in leaflet.tree.walk() if e.text]
    assert texts[0] == "Prospecto: información para el paciente"
    assert any(t.startswith("Advertencia:") for t in texts) and any(t.startswith("Urgencia:") for t in texts)
    assert any("25 de noviembre de 2026" in t for t in texts)
    english = rxleaflet.load(SAMPLE)
    spanish = rxleaflet.load(SPANISH)
    assert _shape(spanish.blocks) == _shape(english.blocks)  # the same leaflet, translated


def _shape(blocks):
    return [(type(b).__name__, _shape(getattr(b, "blocks", ())),
             [bool(i.sublist) for i in getattr(b, "items", ())]) for b in blocks]


@pytest.mark.parametrize("lang, page, label, date", [
    ("en-GB", "Page 1 of 1", "Patient information leaflet", "2 January 2026"),
    ("es", "Página 1 de 1", "Prospecto: información para el paciente", "2 de enero de 2026"),
    ("fr-FR", "Page 1 sur 1", "Notice : information du patient", "2 janvier 2026"),
    ("de", "Seite 1 von 1", "Gebrauchsinformation: Information für Patienten", "2. Januar 2026"),
    ("pl", "Strona 1 z 1", "Ulotka dołączona do opakowania: informacja dla pacjenta", "2 stycznia 2026"),
])
def test_fixed_words_in_five_languages(write_content, lang, page, label, date):
    head = MINIMAL.replace("lang: en-GB", f"lang: {lang}")
    path = write_content(content("  - warning:\n      title: T\n      content: [Text.]\n", head=head))
    leaflet = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    assert leaflet.catalog["/Lang"] == lang
    assert (0, page) in leaflet.artifact_texts()
    texts = [e.text for e in leaflet.tree.walk() if e.text]
    assert texts[0] == label and date in texts[3]
    words = messages.messages(lang)
    assert texts[4] == words["box_title"].format(label=words["warning"], title="T")  # "Avertissement : T"


def test_every_language_has_every_message():
    """Every catalogue translates every message, in characters a font draws."""
    keys = set(messages.english())
    for lang in messages.catalogue_names():
        words = messages.language(lang)
        assert set(words.words) == keys and not words.untranslated, lang
        assert all(rxleaflet.text.fonts.covers(c) for text in words.words.values() for c in text), lang


def test_a_block_in_another_language_gets_its_own_lang(write_content):
    path = write_content(content("""
  - heading: Mixed
    content:
      - paragraph: Ne pas dépasser la dose prescrite.
        lang: fr
      - bullets: [Nicht mehr als vorgeschrieben einnehmen.]
        lang: de
      - bullets:
          - {text: "No tome más de lo indicado.", lang: es}
  - heading: Auf Deutsch
    lang: de
    content: [Ein Absatz.]
  - warning: {title: Attention, content: [Texte.], lang: fr}
"""))
    leaflet = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    langs = {(e.role, e.text or e.kids[0].text if e.kids and not isinstance(e.kids[0], tuple) else e.text): e.lang
             for e in leaflet.tree.walk() if e.lang}
    assert ("P", "Ne pas dépasser la dose prescrite.") in langs and langs[("P", "Ne pas dépasser la dose prescrite.")] == "fr"
    assert sorted(langs.values()) == ["de", "de", "es", "fr", "fr"]
    assert [e.role for e in leaflet.tree.walk() if e.lang] == ["P", "L", "LI", "Sect", "Sect"]
