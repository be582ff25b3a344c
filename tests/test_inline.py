"""The inline markup, as a table: what an author writes → the styled spans printed.

One row per rule of the syntax (README, "Inline text"): ``**bold**``,
``*emphasis*``, an asterisk that opens or closes nothing printed as written,
``\\*`` a literal asterisk, nothing else markup, white space folded.
"""
import pytest

from rxleaflet.content.inline import parse_inline
from rxleaflet.model import Span

R = lambda text: Span(text)  # noqa: E731  (regular)
B = lambda text: Span(text, bold=True)  # noqa: E731
I = lambda text: Span(text, italic=True)  # noqa: E731,E741
BI = lambda text: Span(text, bold=True, italic=True)  # noqa: E731

CASES = [
    # plain text, and white space folding
    ("Take one tablet.", [R("Take one tablet.")]),
    ("Take  one\ntablet\t daily.", [R("Take one tablet daily.")]),
    ("  padded  ", [R("padded")]),
    ("2\u00a0mg stays together", [R("2\u00a0mg stays together")]),
    # bold and emphasis
    ("Do **not** drive.", [R("Do "), B("not"), R(" drive.")]),
    ("Read *all* of it.", [R("Read "), I("all"), R(" of it.")]),
    ("**Warning:** see below", [B("Warning:"), R(" see below")]),
    ("***both***", [BI("both")]),
    ("**bold *and emphasis* inside**", [B("bold "), BI("and emphasis"), B(" inside")]),
    ("*emphasis **and bold** inside*", [I("emphasis "), BI("and bold"), I(" inside")]),
    # asterisks that open or close nothing print as written
    ("2 * 3 = 6", [R("2 * 3 = 6")]),
    ("5 mg*", [R("5 mg*")]),
    ("*footnote", [R("*footnote")]),
    ("**unclosed bold", [R("**unclosed bold")]),
    ("a ** b", [R("a ** b")]),
    ("****", [R("****")]),
    ("*one **two*", [I("one **two")]),
    # escapes
    (r"\*not emphasis\*", [R("*not emphasis*")]),
    (r"5 \* 2", [R("5 * 2")]),
    # nothing else is markup
    ("<b>tags</b> & entities &amp; print as written", [R("<b>tags</b> & entities &amp; print as written")]),
    ("_underscores_ and `code` too", [R("_underscores_ and `code` too")]),
]


@pytest.mark.parametrize("source, spans", CASES, ids=[source for source, _ in CASES])
def test_inline_markup(source, spans):
    assert list(parse_inline(source)) == spans
