"""Content that is valid but hostile to layout builds, with every word present."""
import pytest
from conftest import MINIMAL, content
from pdfread import Leaflet

import rxleaflet

SENTENCE = "Take this medicine exactly as your doctor or pharmacist has told you. "


def build(write_content, text) -> Leaflet:
    return Leaflet(rxleaflet.build(rxleaflet.load(write_content(text))))


def words(text: str) -> list[str]:
    return text.split()


def test_a_paragraph_longer_than_two_pages_is_one_element(write_content):
    paragraph = SENTENCE * 150
    leaflet = build(write_content, content(f"""
  - heading: Very long
    content:
      - "{paragraph}"
"""))
    element = [e for e in leaflet.elements("P") if e.text.startswith("Take")]
    assert len(element) == 1
    assert len({page for page, _ in element[0].marks()}) >= 3
    assert words(element[0].text) == words(paragraph)


def test_a_list_item_longer_than_a_page(write_content):
    item = SENTENCE * 80
    leaflet = build(write_content, content(f"""
  - heading: Long item
    content:
      - numbered:
          - Short first item.
          - "{item}"
          - Short last item.
"""))
    bodies = leaflet.elements("LBody")
    assert [words(b.text) for b in bodies] == [words("Short first item."), words(item), words("Short last item.")]
    assert len({page for page, _ in bodies[1].marks()}) >= 2


def test_a_box_longer_than_two_pages(write_content):
    paragraphs = "\n".join(f'        - "Paragraph {n}. {SENTENCE * 6}"' for n in range(40))
    leaflet = build(write_content, content(f"""
  - warning:
      title: Read all of this
      content:
{paragraphs}
"""))
    continued_pages = {p for p, t in leaflet.artifact_texts() if t.endswith("(continued)")}
    assert len(continued_pages) >= 2
    box = [e for e in leaflet.elements("Sect") if e.title == "Warning"][0]
    assert [k.role for k in box.kids] == ["H2"] + ["P"] * 40
    assert all(words(p.text) == words(f"Paragraph {n}. {SENTENCE * 6}") for n, p in enumerate(box.kids[1:]))


def test_500_sections(write_content):
    sections = "".join(f"  - heading: Section {n}\n    content: [Paragraph {n}.]\n" for n in range(500))
    leaflet = build(write_content, content("\n" + sections))
    headings = [e.text.strip() for e in leaflet.elements("H2")]
    assert headings == [f"Section {n}" for n in range(500)]
    assert [e.text.strip() for e in leaflet.elements("P")][-500:] == [f"Paragraph {n}." for n in range(500)]
    assert len(leaflet.reader.outline[1]) == 500


def test_a_list_of_1000_items(write_content):
    items = "".join(f"          - Item {n}\n" for n in range(1, 1001))
    leaflet = build(write_content, content(f"""
  - heading: Many
    content:
      - numbered:
{items}"""))
    labels = [e.text.strip() for e in leaflet.elements("Lbl")]
    assert labels == [f"{n}." for n in range(1, 1001)]
    assert [e.text.strip() for e in leaflet.elements("LBody")] == [f"Item {n}" for n in range(1, 1001)]
    width = float(leaflet.reader.pages[0].mediabox[2])
    assert all(o.bounds[0] >= 36 and o.bounds[2] <= width - 36 for o in leaflet.objects)


def test_a_200_character_title(write_content):
    title = ("A very long title for a leaflet that goes on and on " * 4)[:200].strip()
    head = MINIMAL.replace("title: Test leaflet", f"title: {title}")
    leaflet = build(write_content, content("\n" + "".join(
        f"  - heading: Part {n}\n    content: ['{SENTENCE * 20}']\n" for n in range(6)), head=head))
    assert leaflet.elements("H1")[0].text.split() == title.split()
    assert leaflet.reader.metadata.title == title
    headers = [t for p, t in leaflet.artifact_texts() if p > 0 and t.startswith("Testamol")]
    assert headers and set(headers) == {"Testamol 5 mg"}  # the running header never holds the title
    width = float(leaflet.reader.pages[0].mediabox[2])
    assert all(o.bounds[2] <= width - 36 for o in leaflet.objects)


def test_boxes_nested_too_tall_for_a_page_are_refused_clearly(write_content):
    title = "Do not take this medicine if any of this applies to you " * 12  # each ~18 lines
    nested = "[Careful.]"
    for depth in range(4):
        nested = f"[{{warning: {{title: '{title}', content: {nested}}}}}]"
    path = write_content(content(f"  - heading: Boxes\n    content: {nested}\n"))
    leaflet = rxleaflet.load(path)
    with pytest.raises(rxleaflet.UserError) as refused:
        rxleaflet.build(leaflet)
    # Named at the outermost box that cannot be placed: its title's line and column.
    assert str(refused.value).startswith(f"{path}:8:33: sections[0].content[0].warning.title: cannot lay this "
                                         "content out on a4 paper: a part that cannot be split is taller than a "
                                         "page (usually boxes nested in boxes")


def test_deeply_nested_lists_stay_inside_the_margins(write_content):
    nested = "[Deepest item with a few words in it.]"
    for depth in range(25):
        nested = f"[{{text: 'Level {depth} item with some words', bullets: {nested}}}]"
    leaflet = build(write_content, content(f"  - heading: Deep\n    content:\n      - bullets: {nested}\n"))
    width = float(leaflet.reader.pages[0].mediabox[2])
    assert all(o.bounds[0] >= 36 and o.bounds[2] <= width - 36 for o in leaflet.objects)
    assert len(leaflet.elements("L")) == 26
    assert leaflet.elements("LBody")[-1].text == "Deepest item with a few words in it."


def test_a_no_break_space_keeps_words_together(write_content):
    text = "Take 2\u00a0mg " + "at night and never more than that " * 4
    leaflet = build(write_content, content(f"  - heading: NBSP\n    content: ['{text}']\n"))
    paragraph = leaflet.elements("P")[-1]
    assert all(not line.rstrip().endswith(" 2") for line in paragraph.raw_text.split("\r\n"))
    assert "2 mg" in paragraph.text
