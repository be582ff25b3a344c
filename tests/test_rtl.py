"""Right-to-left leaflets: shaped, right-aligned, mirrored (reading order: test_readers.py)."""
import re

import pytest
import yaml
from conftest import ROOT, content, findings, outloud_report
from pdfread import Leaflet

import rxleaflet
from rxleaflet.text import bidi

RTL = ROOT / "tests" / "inputs" / "rtl"


@pytest.fixture(scope="module", params=["he", "ar"])
def rtl(request):
    leaflet = rxleaflet.load(RTL / f"{request.param}.yaml")
    return request.param, leaflet, Leaflet(rxleaflet.build(leaflet))


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
    maps = b"".join(font.get_object()["/ToUnicode"].get_data() for page in pdf.reader.pages
                    for font in page["/Resources"]["/Font"].values())
    pairs = b"".join(part.split(b"endbfchar")[0] for part in maps.split(b"beginbfchar")[1:])
    targets = re.findall(rb"<[0-9A-F]{2}> <([0-9A-F]+)>", pairs)
    # The text layer holds the author's letters, never presentation forms or private use.
    assert not [t for t in targets if t[:2] in (b"FB", b"FC", b"FD", b"FE") or t[:1] == b"E"]
    if lang == "ar":  # the joined (contextual) forms are drawn: one letter, several glyphs
        letters = [bytes.fromhex(t.decode()).decode("utf-16-be") for t in targets]
        assert max(letters.count(letter) for letter in set(letters) if "\u0621" <= letter <= "\u064a") >= 3
    assert all(o.font_embedded for o in pdf.objects if o.text)


def test_rtl_leaflets_pass_outloud(rtl, tmp_path):

    lang, _, pdf = rtl
    path = tmp_path / f"{lang}.pdf"
    path.write_bytes(pdf.data)
    report = outloud_report(path)
    assert report["counts"]["error"] == 0, findings(report)


def test_levels_and_visual_order_of_words():
    def order(items, rtl):
        return bidi.reorder(bidi.levels(items, rtl))

    assert order(["שלום", "עולם"], True) == [1, 0]
    assert order(["Take", "שלום", "כהן", "now"], False) == [0, 2, 1, 3]
    assert order(["קח", "Diazepam", "2", "mg", "היום"], True) == [4, 1, 2, 3, 0]
    assert bidi.levels(["ב", "-", "2", "5"], True) == [1, 1, 2, 2]  # a number after Hebrew: left to right
    assert bidi.levels(["Take", " ", "2"], False) == [0, 0, 0]  # after English, a number is English (W7)


def drawn(text: str, rtl: bool) -> str:
    """One set line's glyphs, left to right as drawn."""
    from rxleaflet.model import Span
    from rxleaflet.text.linebreak import UNLIMITED, TextStyle, break_lines

    line = break_lines((Span(text),), TextStyle(12.0, 16.0, rtl=rtl), UNLIMITED)[0]
    return "".join(run.text for run in sorted(line.runs, key=lambda run: run.x))


def test_every_right_to_left_word_is_drawn_as_python_bidi_shows_it():
    """python-bidi (the Unicode algorithm, in Rust) is the reference: every right-to-left
    word of the Hebrew test leaflet, and numbers, brackets and signs, as one line of a
    right-to-left paragraph.  We mirror brackets; python-bidi leaves them."""
    from bidi import get_display

    words = {word for word in (RTL / "he.yaml").read_text(encoding="utf-8").split() if bidi.has_rtl(word)}
    words |= {"(שלום)", "ב-25", "ב-25%", "א(ב)ג", "2.5-ב", "RX-77:ב", "«ב»"}
    for word in words:
        assert drawn(word, rtl=True) == bidi.mirrored(get_display(word, base_dir="R")), word


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


@pytest.mark.parametrize("sentence, rtl", [
    ("Ask for שלום כהן, the pharmacist, at the desk.", False),
    ("Your pharmacist (רוקח) will explain it: דיאזפאם 2 מ״ג.", False),
    ("Take דיאזפאם 2 מ״ג twice a day", False),
    ("השם המסחרי הוא Valium והמינון 2 mg, פעמיים ביום.", True),
    ("מספר המרשם: RX-77 (לשמור).", True),
    ("המינון 2.5 מ״ג, עד 25% יותר; 10-20 טבליות.", True),
    ("דיאזפאם 2 mg: מידע", True),
])
def test_a_line_is_drawn_in_the_order_python_bidi_gives(sentence, rtl):
    """The glyphs of a set line, left to right as drawn, are the Unicode bidi algorithm's
    visual order (python-bidi), brackets aside (we mirror them, python-bidi does not)."""
    from bidi import get_display

    brackets = str.maketrans("()", "||")
    expected = get_display(sentence, base_dir="R" if rtl else "L")
    assert drawn(sentence, rtl).translate(brackets) == expected.translate(brackets)
