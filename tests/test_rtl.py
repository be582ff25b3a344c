"""Right-to-left leaflets: shaped, ordered, right-aligned, mirrored, and read in logical order."""
import unicodedata

import pytest
import yaml
from conftest import ROOT, content, findings, outloud_report
from pdfread import Leaflet

import rxleaflet
from rxleaflet import bidi, model

RTL = ROOT / "tests" / "inputs" / "rtl"


def nfkc(text: str) -> str:
    """Arabic presentation forms folded to letters, as readers extract them."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module", params=["he", "ar"])
def rtl(request):
    leaflet = rxleaflet.load(RTL / f"{request.param}.yaml")
    return request.param, leaflet, Leaflet(rxleaflet.build(leaflet))


def test_rtl_text_is_read_in_logical_order(rtl):
    lang, leaflet, pdf = rtl
    assert pdf.catalog["/Lang"] == lang
    built = [e.text for e in pdf.tree.walk() if e.role in ("P", "LBody") or e.role[:1] == "H" and e.role != "H"]
    built = [built[1]] + built[4:]  # the title, then the body without the title block's fixed lines
    expected = [nfkc(t.plain) for t in model.iter_texts(leaflet)]
    for prefix in ("تحذير: ", "אזהרה: "):
        built = [b[len(prefix):] if b.startswith(prefix) else b for b in built]
    assert [nfkc(b) for b in built] == expected


def test_rtl_lines_are_right_aligned_with_labels_on_the_right(rtl):
    _, _, pdf = rtl
    roles = {mark: e.role for e in pdf.tree.walk() for mark in e.marks()}
    paragraphs = [o for o in pdf.objects if o.mcid >= 0 and roles[(o.page, o.mcid)] == "P" and o.text.strip()]
    right_edge = max(o.bounds[2] for o in paragraphs)
    lefts = [o.bounds[0] for o in paragraphs]
    assert max(lefts) - min(lefts) > 50  # ragged on the left …
    ends = {}
    for o in paragraphs:  # … and each line ends at the right edge
        key = (o.page, round(o.baseline))
        ends[key] = max(ends.get(key, 0), o.bounds[2])
    assert all(abs(end - right_edge) < 15 for end in ends.values())
    for item in pdf.elements("LI"):
        label, body = item.kids
        label_x = min(o.bounds[0] for o in pdf.objects if (o.page, o.mcid) in label.marks())
        body_right = max(o.bounds[2] for o in pdf.objects if (o.page, o.mcid) in body.marks())
        assert label_x > body_right - 1  # the number stands right of the text


def test_rtl_words_are_shaped_and_all_glyphs_real(rtl):
    lang, _, pdf = rtl
    text = "".join(o.text for o in pdf.objects if o.mcid >= 0)
    assert "\x00" not in text and "\ufffd" not in text
    if lang == "ar":  # the joined (contextual) forms are drawn, not the bare letters
        maps = b"".join(font.get_object()["/ToUnicode"].get_data() for page in pdf.reader.pages
                        for font in page["/Resources"]["/Font"].values())
        assert maps.count(b"<FE") > 20
    assert all(o.font_embedded for o in pdf.objects if o.text)


def test_rtl_leaflets_pass_outloud(rtl, tmp_path):

    lang, _, pdf = rtl
    path = tmp_path / f"{lang}.pdf"
    path.write_bytes(pdf.data)
    report = outloud_report(path)
    assert report["counts"]["error"] == 0, findings(report)


def test_a_hebrew_name_in_an_english_leaflet(write_content):
    path = write_content(content("  - heading: Names\n    content: ['Ask for שלום כהן, the pharmacist, at the desk.']\n"))
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    assert pdf.elements("P")[-1].text == "Ask for שלום כהן, the pharmacist, at the desk."


def test_visual_order_of_words():
    assert bidi.visual_order(["שלום", "עולם"], rtl_paragraph=True) == [1, 0]
    assert bidi.visual_order(["Take", "שלום", "כהן", "now"], rtl_paragraph=False) == [0, 2, 1, 3]
    assert bidi.visual_order(["קח", "Diazepam", "2", "mg", "היום"], rtl_paragraph=True) == [4, 1, 2, 3, 0]
    assert bidi.display("(שלום)") == "(םולש)"
    assert bidi.display("ב-25") == "25-ב"


def test_the_rtl_samples_are_valid_yaml_for_the_schema():
    import json

    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "src" / "rxleaflet" / "schema" / "leaflet.schema.json").read_text())
    for path in RTL.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["revised"] = str(document["revised"])
        assert not list(Draft202012Validator(schema).iter_errors(document)), path


def test_bold_survives_in_a_line_with_right_to_left_words(write_content):
    path = write_content(content("  - heading: Mixed\n    content: ['Ask your pharmacist (**never** a friend) about דיאזפאם.']\n"))
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    paragraph = pdf.elements("P")[-1]
    # (Under the line's ActualText PDFium gives the text to the first object only: look at fonts.)
    fonts_used = {o.font_name.split("+")[-1] for o in pdf.objects if (o.page, o.mcid) in paragraph.marks()}
    assert "AtkinsonHyperlegible-Bold" in fonts_used


def test_a_left_to_right_block_in_a_right_to_left_leaflet_runs_left_to_right(write_content):
    head = (RTL / "he.yaml").read_text(encoding="utf-8").split("sections:")[0]
    path = write_content(head + """sections:
  - heading: English
    lang: en
    content:
      - Do not take this with דיאזפאם or alcohol; ask your pharmacist first about it.
  - heading: עברית
    content:
      - paragraph: Ask your pharmacist.
        lang: en-GB
""")
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    english = [e for e in pdf.elements("P") if e.text.startswith("Do not take")][0]
    assert english.text == "Do not take this with דיאזפאם or alcohol; ask your pharmacist first about it."
    objects = [o for o in pdf.objects if (o.page, o.mcid) in english.marks() and o.text.strip()]
    column_left = min(o.bounds[0] for o in pdf.objects if o.mcid >= 0 and o.text.strip())
    assert min(o.bounds[0] for o in objects) - column_left < 2  # starts at the left edge, as English does
    assert [e.lang for e in pdf.elements("Sect")] == ["en", ""]
