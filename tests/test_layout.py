"""Layout and tagging of content written for the purpose: splits, boxes, nesting, scripts."""
import pytest
from conftest import SAMPLE, content
from pdfread import Leaflet

import rxleaflet

SENTENCE = "Take this medicine exactly as your doctor or pharmacist has told you. "


def build(write_content, sections_yaml, **options) -> Leaflet:
    path = write_content(content(sections_yaml))
    return Leaflet(rxleaflet.build(rxleaflet.load(path), **options))


def test_a_paragraph_split_across_pages_is_one_element(write_content):
    long_paragraph = SENTENCE * 60
    leaflet = build(write_content, f"""
  - heading: Long
    content:
      - "{long_paragraph}"
""")
    paragraph = [e for e in leaflet.elements("P") if e.text.startswith("Take this")]
    assert len(paragraph) == 1
    pages = {page for page, _ in paragraph[0].marks()}
    assert len(pages) == 2
    assert " ".join(paragraph[0].text.split()) == long_paragraph.strip()
    # The continuation is an MCR pointing at the second page:
    kids = _raw_element(leaflet, "P", "Take this")["/K"]
    mcrs = [k.get_object() for k in kids if not isinstance(k, int)]
    assert len(mcrs) == 1 and mcrs[0]["/Type"] == "/MCR"


def _raw_element(leaflet, role, text_start):
    nums = leaflet.catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    for page, refs in zip(nums[0::2], nums[1::2]):
        for mcid, ref in enumerate(refs):
            element = ref.get_object()
            if element["/S"] == f"/{role}" and leaflet.mark_texts[(page, mcid)].startswith(text_start):
                return element
    raise AssertionError("not found")


def test_a_long_box_continues_with_its_title_repeated_as_an_artifact(write_content):
    items = "\n".join(f"          - \"Point {n}: {SENTENCE * 3}\"" for n in range(1, 30))
    leaflet = build(write_content, f"""
  - warning:
      title: Before you take it
      content:
        - bullets:
{items}
""")
    assert len(leaflet.reader.pages) >= 3
    continued = [t for _, t in leaflet.artifact_texts() if "(continued)" in t]
    assert continued and all(t.startswith("Warning: Before you take it") for t in continued)
    assert len({p for p, t in leaflet.artifact_texts() if "(continued)" in t}) >= 2
    headings = [e.text for e in leaflet.elements("H2")]
    assert headings == ["Warning: Before you take it"]  # tagged once
    bodies = [" ".join(e.text.split()) for e in leaflet.elements("LBody")]
    assert bodies == [f"Point {n}: {(SENTENCE * 3).strip()}" for n in range(1, 30)]


def test_labels_stay_with_their_text(write_content):
    items = "\n".join(f"          - \"{SENTENCE * 4}\"" for _ in range(30))
    leaflet = build(write_content, f"""
  - heading: Many items
    content:
      - numbered:
{items}
""")
    for item in leaflet.elements("LI"):
        label, body = item.kids
        assert label.marks()[0][0] == body.marks()[0][0]  # first part of the body on the label's page


def test_subsections_nested_lists_and_inline_styles(write_content):
    leaflet = build(write_content, r"""
  - heading: Outer
    content:
      - 'Plain, **bold**, *emphasis* and ***both***; literal \*stars\* and 2 * 3 = 6 & <tags> stay.'
      - heading: Inner
        content:
          - heading: Innermost
            content:
              - bullets:
                  - text: Parent item
                    numbered:
                      - First child
                      - text: Second child
                        bullets: [Grandchild]
                  - Sibling
""")
    headings = [(e.role, e.text.strip()) for e in leaflet.tree.walk() if e.role.startswith("H")]
    assert headings == [("H1", "Test leaflet"), ("H2", "Outer"), ("H3", "Inner"), ("H4", "Innermost")]
    paragraph = " ".join(leaflet.elements("P")[-1].text.split())
    assert paragraph == "Plain, bold, emphasis and both; literal *stars* and 2 * 3 = 6 & <tags> stay."
    outer = leaflet.elements("L")[0]
    parent_body = outer.kids[0].kids[1]
    assert [k.role for k in parent_body.kids if not isinstance(k, tuple)] == ["L"]
    nested = parent_body.kids[-1]
    assert str(nested.attributes["/ListNumbering"]) == "/Decimal"
    assert nested.kids[1].kids[1].kids[-1].role == "L"  # the grandchild list inside the LBody
    fonts = {o.font_name.split("+")[-1] for o in leaflet.objects if o.text.strip()}
    assert {"AtkinsonHyperlegible-Bold", "AtkinsonHyperlegible-Italic", "AtkinsonHyperlegible-BoldItalic"} <= fonts


def test_characters_beyond_latin_fall_back_to_dejavu(write_content):
    text = "Dose → 5 µg; Greek αβγ Δ; Cyrillic Дозировка; Vietnamese Tiếng Việt; “quotes” – ½ °C €"
    leaflet = build(write_content, f"""
  - heading: Scripts
    content:
      - "{text}"
""")
    paragraph = leaflet.elements("P")[-1]
    assert " ".join(paragraph.text.split()) == text
    fonts = {o.font_name.split("+")[-1] for o in leaflet.objects if o.mcid == paragraph.marks()[0][1] and o.page == 0}
    assert any(f.startswith("DejaVuSans") for f in fonts) and any(f.startswith("Atkinson") for f in fonts)
    assert all(o.font_embedded for o in leaflet.objects if o.text)


def test_a_300_character_word_wraps_inside_the_margins(write_content):
    url = "https://example.org/" + "a1b2c3" * 50
    leaflet = build(write_content, f"""
  - heading: Link
    content:
      - "See {url} for more."
""")
    paragraph = leaflet.elements("P")[-1]
    assert paragraph.inline_text.replace(" ", "") == f"See{url}formore."
    assert [kid.role for kid in paragraph.kids if not isinstance(kid, tuple)] == ["Link", "Span"]  # a link now
    width = float(leaflet.reader.pages[0].mediabox[2])
    assert all(o.bounds[2] <= width - 36 for o in leaflet.objects)


def test_letter_paper(write_content):
    leaflet = Leaflet(rxleaflet.build(rxleaflet.load(SAMPLE), paper="letter"))
    assert [float(v) for v in leaflet.reader.pages[0].mediabox] == [0, 0, 612, 792]


def test_unknown_paper_is_refused():
    with pytest.raises(ValueError, match="unknown paper size 'a3'"):
        rxleaflet.build(rxleaflet.load(SAMPLE), paper="a3")


def test_same_input_gives_the_same_bytes(sample_pdf):
    assert rxleaflet.build(rxleaflet.load(SAMPLE)) == sample_pdf


def test_dates_come_from_the_revision_date_or_source_date_epoch(sample, monkeypatch):
    assert sample.reader.metadata["/CreationDate"].startswith("D:20261125000000")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    again = Leaflet(rxleaflet.build(rxleaflet.load(SAMPLE)))
    assert again.reader.metadata["/CreationDate"].startswith("D:20231114221320")
    assert "2023-11-14T22:13:20Z" in again.catalog["/Metadata"].get_object().get_data().decode()


def _lines_per_page(leaflet, element):
    baselines = {}
    for obj in leaflet.objects:
        if (obj.page, obj.mcid) in element.marks() and obj.text.strip():
            baselines.setdefault(obj.page, set()).add(round(obj.baseline, 1))
    return [len(baselines[page]) for page in sorted(baselines)]


def test_a_split_paragraph_leaves_two_lines_on_each_page(write_content):
    splits = 0
    for filler_sentences in range(20, 60, 7):
        leaflet = build(write_content, f"""
  - heading: Filler
    content:
      - "{SENTENCE * filler_sentences}"
      - "Second paragraph. {SENTENCE * 12}"
""")
        for paragraph in leaflet.elements("P"):
            counts = _lines_per_page(leaflet, paragraph)
            if len(counts) > 1:
                splits += 1
                assert min(counts) >= 2, (filler_sentences, counts)
    assert splits >= 4  # the fillers put page breaks inside paragraphs at many points

def test_headings_and_list_introductions_stay_with_what_follows(write_content):
    for filler_sentences in range(0, 44, 3):
        leaflet = build(write_content, f"""
  - heading: Filler
    content:
      - "{SENTENCE * (filler_sentences + 1)}"
  - heading: Side effects
    content:
      - "Common side effects include:"
      - bullets: [Drowsiness, Fatigue, Dizziness]
""")
        heading = [e for e in leaflet.elements("H2") if e.text.strip() == "Side effects"][0]
        intro = [e for e in leaflet.elements("P") if e.text.startswith("Common")][0]
        first_item = leaflet.elements("LBody")[0]
        pages = {heading.marks()[0][0], intro.marks()[0][0], first_item.marks()[0][0]}
        assert len(pages) == 1, filler_sentences
