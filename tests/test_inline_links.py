"""Links in inline text, several strengths and the loader's other issue-13 additions."""
import pypdfium2 as pdfium
import pytest
from conftest import content

import rxleaflet
from rxleaflet import UserError
from rxleaflet.content.inline import parse_inline
from rxleaflet.model import Span


def _links(text):
    return [(span.text, span.link) for span in parse_inline(text) if span.link]


@pytest.mark.parametrize("text, links", [
    ("Report to www.fda.gov/medwatch.", [("www.fda.gov/medwatch", "https://www.fda.gov/medwatch")]),
    ("See https://example.org/a_(b)), then", [("https://example.org/a_(b)", "https://example.org/a_(b)")]),
    ("Mail help@example.org, or", [("help@example.org", "mailto:help@example.org")]),
    ("Call [the line](tel:+44 (0)20 7946 0000) now", [("the line", "tel:+44 (0)20 7946 0000")]),
    ("See [side effects](#side-effects).", [("side effects", "#side-effects")]),
    ("**[bold](https://a.example)**", [("bold", "https://a.example")]),
    ("2 * 3 and 5 mg* and a@b", []),
    (r"a \[b\] [c] [d](e", []),
    ("an empty [](https://x.example) label", [("https://x.example", "https://x.example")]),
])
def test_links_are_found(text, links):
    assert _links(text) == links


def test_link_text_keeps_its_emphasis_and_a_bare_address_its_asterisks():
    assert parse_inline("**see [it](#x)**")[1] == Span("it", bold=True, link="#x")
    assert parse_inline("https://a.example/x*y*z") == (Span("https://a.example/x*y*z", link="https://a.example/x*y*z"),)
    assert "".join(s.text for s in parse_inline(r"a \[b\] c")) == "a [b] c"


def test_several_strengths_match_any_listed_and_refuse_others(write_content, tmp_path):
    head = content("  - Text.\n").replace("medicine: {name: Testamol, strength: 5 mg, form: tablets}",
                                          "medicine: {name: Testamol, strengths: [5 mg, 10 mg], form: tablets, "
                                          "brand_names: [Testa]}")
    leaflet = rxleaflet.load(write_content(head))
    rx = "patient: A\nrx_number: R1\ndispensed: 2026-01-02\nprescriber: B\nmedicine: {m}\ndirections: D\nquantity: Q\nrefills: '0'\n"
    for named, strength in (("TESTAMOL 10MG", "10 mg"), ("Testa 5 mg tablets", "5 mg")):
        path = tmp_path / "rx.yaml"
        path.write_text(rx.format(m=named))
        assert rxleaflet.load_prescription(path, leaflet).strength == strength
    path.write_text(rx.format(m="Testamol 20 mg"))
    with pytest.raises(UserError, match="does not match this leaflet's medicine"):
        rxleaflet.load_prescription(path, leaflet)


def test_a_cross_reference_may_point_forward_and_into_a_table(write_content):
    path = write_content(content("""
  - table:
      rows:
        - [A, B]
        - ["See [later](#later).", x]
  - heading: Later
    id: later
    content: [Text.]
"""))
    leaflet = rxleaflet.load(path)
    assert leaflet.blocks[1].id == "later"


@pytest.mark.parametrize("lang, phrase", [("en-GB", "see page"), ("es", "véase la página"), ("de", "siehe Seite"),
                                          ("pl", "zob. strona")])
@pytest.mark.parametrize("paper, large", [("a4", False), ("a5", True)])
def test_a_cross_reference_never_breaks_inside_its_page_number(write_content, lang, phrase, paper, large):
    """"(see page 3)" is one unit for the line breaker wherever the cross-reference falls on
    a line: with every prefix length from 0 to 60 letters, no line ends inside it."""
    paragraphs = "".join(f'      - "{"x" * n} {"word " * (n % 7)}[the details](#details) and more text."\n'
                         for n in range(61))
    text = content(f"  - heading: Details\n    id: details\n    content:\n{paragraphs}")
    pdf = rxleaflet.build(rxleaflet.load(write_content(text.replace("lang: en-GB", f"lang: {lang}"))),
                          paper=paper, large_print=large)
    lines = [line.strip() for page in pdfium.PdfDocument(pdf) for line in page.get_textpage().get_text_range().splitlines()]
    assert len([line for line in lines if f"({phrase} 1)" in line]) == 61
    assert not [line for line in lines if line.endswith(("(" + phrase.split()[0], phrase))]
