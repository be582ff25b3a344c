"""The sample leaflet says everything the source article says, legibly."""
from collections import defaultdict

import pytest
from conftest import source_sentences

from rxleaflet.layout import theme
from rxleaflet.text import linebreak

MM = 72 / 25.4


def test_every_sentence_of_the_article_is_read_in_order(sample):
    reading = sample.reading_text()
    position = 0
    sentences = source_sentences()
    assert len(sentences) > 60
    for sentence in sentences:
        found = reading.find(sentence, position)
        assert found >= 0, f"missing or out of order: {sentence!r}"
        position = found + len(sentence)


def test_the_spam_artefact_is_gone(sample):
    assert "pil name" not in sample.reading_text()
    assert "commonly recognized by its brand name Valium" in sample.reading_text()


def test_page_one_opens_with_the_title_block(sample):
    first_texts = [e.text.strip() for e in sample.tree.walk() if e.text][:3]
    assert first_texts == ["Patient information leaflet",
                           "Diazepam 2mg Pill: Uses, Benefits, and Important Information",
                           "Diazepam 2 mg tablets. Brand name: Valium"]
    page_one_headers = [t for p, t in sample.artifact_texts() if p == 0 and t == "Diazepam 2 mg"]
    assert page_one_headers == []


def _body_objects(sample):
    roles = {}
    for element in sample.tree.walk():
        for mark in element.marks():
            roles[mark] = element.role
    return [(roles[(o.page, o.mcid)], o) for o in sample.objects if o.mcid >= 0 and o.text.strip()]


def test_body_text_is_at_least_12_pt_and_headings_larger(sample):
    sizes = defaultdict(set)
    for role, obj in _body_objects(sample):
        sizes[role].add(round(obj.font_size, 2))
    assert min(sizes["LBody"] | sizes["Lbl"]) >= 12
    paragraph_sizes = sorted(sizes["P"])
    assert paragraph_sizes[0] >= 10  # the revision line is the only smaller print
    assert paragraph_sizes[-1] == 12
    assert min(sizes["H2"]) >= 1.4 * 12 and min(sizes["H1"]) > min(sizes["H2"])


def test_line_spacing_is_at_least_1_3_times_the_size(sample):
    baselines = defaultdict(list)
    for role, obj in _body_objects(sample):
        if role in ("P", "LBody") and obj.font_size == 12:
            baselines[(obj.page, obj.mcid)].append(round(obj.baseline, 2))
    gaps = [a - b for marks in baselines.values() for a, b in zip(sorted(set(marks), reverse=True),
                                                                  sorted(set(marks), reverse=True)[1:])]
    assert gaps and min(gaps) >= 1.3 * 12 - 0.01


def test_lines_hold_at_most_75_characters(sample):
    lines = defaultdict(str)
    for role, obj in _body_objects(sample):
        lines[(obj.page, round(obj.baseline, 1))] += obj.text
    longest = max(len(text.strip()) for text in lines.values())
    assert 55 <= longest <= 75


def test_everything_stays_inside_margins_of_half_an_inch(sample):
    width, height = (float(v) for v in sample.reader.pages[0].mediabox[2:])
    margin = 12.7 * MM
    for obj in sample.objects:
        left, bottom, right, top = obj.bounds
        assert left >= margin and right <= width - margin, obj
        assert bottom >= margin and top <= height - margin, obj


def test_text_is_ragged_right_not_justified(sample):
    for page in sample.reader.pages:
        content = page.get_contents().get_data()
        assert b" Tw" not in content and b" Tc" not in content  # no word or letter spacing
    right_edges = defaultdict(set)
    for role, obj in _body_objects(sample):
        if role == "P":
            right_edges[(obj.page, obj.mcid)].add(round(obj.bounds[2]))
    assert max(len(edges) for edges in right_edges.values()) >= 4


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("background", ["#FFFFFF", theme.STANDARD.warning.tint, theme.STANDARD.emergency.tint])
def test_text_contrast_is_at_least_7_to_1(background):
    assert _contrast(theme.STANDARD.text_colour, background) >= 7


def test_box_borders_stand_out_from_the_page():
    for kind in ("warning", "emergency"):
        assert _contrast(theme.STANDARD.box_colours(kind).border, "#FFFFFF") >= 4.5


def test_boxes_print_their_kind_in_words(sample):
    headings = [e.text for e in sample.elements("H2")]
    assert any(h.startswith("Warning:") for h in headings)
    assert any(h.startswith("Emergency:") for h in headings)


def test_no_heading_ends_a_page(sample):
    last_role_on_page = {}
    for element in sample.tree.walk():
        for page, mcid in element.marks():
            if mcid >= last_role_on_page.get(page, (-1, ""))[0]:
                last_role_on_page[page] = (mcid, element.role)
    assert all(not role.startswith("H") for _, role in last_role_on_page.values())


def test_the_line_breaker_never_exceeds_the_measure():
    style = linebreak.TextStyle(12, 16.2)
    from rxleaflet.model import Span

    words = "pneumonoultramicroscopicsilicovolcanoconiosis " * 5 + "x" * 300
    lines = linebreak.break_lines((Span(words),), style, 200)
    assert all(line.width <= 200 + 1e-6 for line in lines)
    assert "".join(line.text for line in lines).replace(" ", "") == words.replace(" ", "")
