"""Every class of bad content: one line FILE:LINE:COL: PATH: message, nothing built."""
import time

import pytest
from conftest import MINIMAL, content

import rxleaflet
from rxleaflet import UserError
from rxleaflet.load import MAX_CONTENT_BYTES

GOOD_SECTION = """
  - heading: Fine
    content:
      - A paragraph.
"""

CASES = [
    # (id, file text, expected "line:col: path: message" fragment)
    ("yaml-syntax", MINIMAL + "  - heading: [unclosed\n", "8:1: YAML syntax error: did not find expected"),
    ("empty-file", "", "1:1: the file is empty"),
    ("list-root", "- one\n- two\n", "1:1: the file holds a list; a leaflet is a mapping"),
    ("scalar-root", "just words\n", "1:1: the file holds a single value"),
    ("missing-key", MINIMAL.replace("source: Written for the tests\n", "") + GOOD_SECTION,
     "1:1: missing required key 'source'"),
    ("unknown-top-key", MINIMAL.replace("lang:", "langauge: x\nlang:") + GOOD_SECTION,
     "1:1: unknown key 'langauge' (did you mean 'lang'? expected one of:"),
    ("unknown-block-key", content("""
  - heading: Side effects
    content:
      - bulets: [Drowsiness]
"""), "10:9: sections[0].content[0]: unknown key 'bulets' (did you mean 'bullets'? expected one of: heading, content, paragraph, bullets, numbered, warning, emergency)"),
    ("wrong-type", content("""
  - heading: Side effects
    content: Drowsiness
"""), "9:14: sections[0].content: expected a list of blocks"),
    ("medicine-not-mapping", MINIMAL.replace("medicine: {name: Testamol, strength: 5 mg, form: tablets}",
                                              "medicine: Testamol") + GOOD_SECTION,
     "3:11: medicine: expected a mapping with name, strength, form, found a single value"),
    ("duplicate-key", MINIMAL.replace("title: Test leaflet\n", "title: Test leaflet\ntitle: Other\n") + GOOD_SECTION,
     "3:1: title: duplicate key 'title' (first given on line 2)"),
    ("alias", content("""
  - heading: &h Side effects
    content:
      - *h
"""), "YAML anchors and aliases (&name, *name) are not supported"),
    ("merge-key", content("""
  - heading: Side effects
    <<: {content: [x]}
    content: [y]
"""), "9:5: sections[0]: YAML merge keys (<<) are not supported"),
    ("empty-list", content("""
  - heading: Side effects
    content:
      - bullets: []
"""), "10:18: sections[0].content[0].bullets: the list is empty; add list items"),
    ("empty-sections", MINIMAL.replace("sections:\n", "sections: []\n"), "6:11: sections: the list is empty"),
    ("blank-heading", content("""
  - heading: "   "
    content: [Text]
"""), "8:14: sections[0].heading: the heading is empty"),
    ("blank-paragraph", content("""
  - heading: Fine
    content:
      - "  \\t "
"""), "10:9: sections[0].content[0]: the paragraph is empty"),
    ("too-deep", content("".join(f"{'  ' * (2 * d + 1)}- heading: Level {d + 2}\n{'  ' * (2 * d + 2)}content:\n"
                                 for d in range(6)) + "  " * 13 + "- Text\n"),
     "sections nest too deep: this heading would be level 7; the deepest is 6"),
    ("control-character", content(GOOD_SECTION.replace("A paragraph.", "A para\x07graph.")),
     "10:15: control character U+0007 is not allowed in content"),
    ("escaped-control-character", content(GOOD_SECTION.replace("A paragraph.", '"A \\x1b paragraph."')),
     "sections[0].content[0]: control character U+001B is not allowed"),
    ("right-to-left", content(GOOD_SECTION.replace("A paragraph.", "'Dose: שלום'")),
     "sections[0].content[0]: right-to-left text is not supported yet: 'ש' (U+05E9 HEBREW LETTER SHIN)"),
    ("no-glyph", content(GOOD_SECTION.replace("A paragraph.", "Take with 水 water.")),
     "10:9: sections[0].content[0]: no bundled font has a glyph for '水' (U+6C34 CJK UNIFIED IDEOGRAPH-6C34) in “Take with 水 water.”"),
    ("bad-date", MINIMAL.replace("2026-01-02", "02/01/2026") + GOOD_SECTION,
     "4:10: revised: '02/01/2026' is not a date; write it as YYYY-MM-DD"),
    ("bad-lang", MINIMAL.replace("lang: en-GB", "lang: English") + GOOD_SECTION,
     "1:7: lang: 'English' is not a BCP 47 language tag"),
    ("both-nested-lists", content("""
  - heading: Fine
    content:
      - bullets:
          - {text: Item, bullets: [a], numbered: [b]}
"""), "sections[0].content[0].bullets[0]: a list item holds one nested list"),
    ("box-without-title", content("""
  - warning:
      content: [Careful.]
"""), "9:7: sections[0].warning: missing required key 'title'"),
]


@pytest.mark.parametrize("case_id, text, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_content_is_reported_with_its_place(write_content, case_id, text, expected):
    path = write_content(text)
    with pytest.raises(UserError) as caught:
        rxleaflet.load(path)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"{path}:") for m in messages), messages
    assert any(expected in m for m in messages), messages


def test_several_problems_are_all_reported(write_content):
    path = write_content(content("""
  - heading: ""
    content:
      - bulets: [x]
      - numbered: []
"""))
    with pytest.raises(UserError) as caught:
        rxleaflet.load(path)
    assert len(caught.value.problems) == 3


def test_not_utf8(write_content):
    raw = (MINIMAL + GOOD_SECTION).replace("A paragraph.", "Caf\u00e9.").encode("latin-1")
    path = write_content(None, raw=raw)
    with pytest.raises(UserError, match=r":10:12: not UTF-8: byte 0xE9 cannot be decoded"):
        rxleaflet.load(path)


def test_a_byte_order_mark_is_accepted(write_content):
    path = write_content(None, raw=b"\xef\xbb\xbf" + (MINIMAL + GOOD_SECTION).encode())
    assert rxleaflet.load(path).title.plain == "Test leaflet"


def test_a_file_over_the_size_limit_is_refused(write_content):
    path = write_content(MINIMAL + GOOD_SECTION + "#" * MAX_CONTENT_BYTES)
    with pytest.raises(UserError, match="the limit is 1,000,000"):
        rxleaflet.load(path)


def test_billion_laughs_is_refused_quickly(write_content):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        previous = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    path = write_content("\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(UserError):
        rxleaflet.load(path)
    assert time.perf_counter() - start < 1.0


def test_a_missing_file(tmp_path):
    with pytest.raises(UserError, match="cannot read the file"):
        rxleaflet.load(tmp_path / "nope.yaml")


def test_plain_scalars_are_kept_as_written(write_content):
    path = write_content(content("""
  - heading: 42
    content:
      - yes
      - 3.50
"""))
    leaflet = rxleaflet.load(path)
    section = leaflet.blocks[0]
    assert section.heading.plain == "42"
    assert [b.text.plain for b in section.blocks] == ["yes", "3.50"]
