"""Random label narratives (nested lists, layout tables, loose text, bullets, markup characters):
the import never loses or reorders a word, and writes a content file the loader accepts."""
import json
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from label_text import epi_patient_text
from test_import import _headings, _plain, _texts
from test_properties import _assert_words_in_order

import rxleaflet
from rxleaflet.errors import UserError
from rxleaflet.importers import import_label

EXAMPLES = int(os.environ.get("RXLEAFLET_EXAMPLES", "60"))
WORDS = ["dose", "Take", "tablets", "2", "mg", "*", "**", "a*b", "x:", "y:z", "#", "#tag", "[see", "here](x)", "\\",
         "'q'", '"q"', "—", "yes", "null", "-", "@", "%", "&amp;", "&lt;b&gt;", "é", "Ω", "ж", "(may", "affect)", "?"]

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)


@st.composite
def inline(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["text", "text", "b", "i", "u", "sup", "a", "br"] if depth < 2 else ["text"]))
        if kind == "text":
            parts.append(draw(words))
        elif kind == "br":
            parts.append("<br/>")
        elif kind == "a":
            href = draw(st.sampled_from(["", "#nowhere", "https://example.org/x", "www.example.org", "mailto:a@b.org"]))
            parts.append(f'<a href="{href}">{draw(words)}</a>')
        else:
            parts.append(f"<{kind}>{draw(inline(depth + 1))}</{kind}>")
    return draw(st.sampled_from([" ", ""])).join(parts)


@st.composite
def a_list(draw, depth=0):
    tag = draw(st.sampled_from(["ul", "ol"]))
    items = []
    shapes = {
        "plain": lambda: f"<li>{draw(inline())}</li>",
        "nested": lambda: f"<li>{draw(inline())}{draw(a_list(depth + 1))}</li>",
        "ul-in-ul": lambda: draw(a_list(depth + 1)),
        "with-p": lambda: f"<li>{draw(inline())}<p>{draw(inline())}</p></li>",
    }
    for _ in range(draw(st.integers(1, 4))):
        items.append(shapes[draw(st.sampled_from(["plain", "plain", "nested", "ul-in-ul", "with-p"] if depth < 2
                                                 else ["plain"]))]())
    return f"<{tag}>{''.join(items)}</{tag}>"


@st.composite
def bullet_table(draw):
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        cells = [f"<td>• {draw(words)}</td>" if draw(st.booleans()) else "<td/>" for _ in range(2)]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    rows.append(f"<tr><td>• {draw(words)}</td><td>• {draw(words)}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


@st.composite
def narrative(draw):
    kinds = {
        "p": lambda: f"<p>{draw(inline())}</p>",
        "loose": lambda: draw(inline()),
        "bold": lambda: f"<p><b>{draw(words)}{draw(st.sampled_from(['', ':', '?', '.']))}</b></p>",
        "list": lambda: draw(a_list()),
        "table": lambda: draw(bullet_table()),
        "bullets": lambda: f"<p>• {draw(words)}<br/>- {draw(words)}</p>",
        "data": lambda: (f"<table><tr><th>{draw(words)}</th><th>{draw(words)}</th></tr>"
                         f"<tr><td>{draw(inline())}</td><td>{draw(words)}</td></tr></table>"),
    }
    blocks = [kinds[draw(st.sampled_from(["p", "p", "loose", "bold", "list", "table", "bullets", "data"]))]()
              for _ in range(draw(st.integers(1, 6)))]
    return "".join(blocks)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 60,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(sections=st.lists(st.tuples(words, narrative()), min_size=1, max_size=4))
def test_random_narratives_keep_every_word_in_order_and_load(sections, tmp_path_factory):
    folder = tmp_path_factory.mktemp("imp")
    bundle = {"resourceType": "Bundle", "type": "document", "entry": [{"resource": {
        "resourceType": "Composition", "language": "en", "date": "2024-01-02", "title": "Testamol 5 mg tablets",
        "section": [{"title": title, "text": {"div": f'<div xmlns="http://www.w3.org/1999/xhtml">{div}</div>'}}
                    for title, div in sections]}}]}
    label = folder / "bundle.json"
    label.write_text(json.dumps(bundle), encoding="utf-8")
    source, titles = epi_patient_text(label)
    try:
        result = import_label("epi", label, folder, drop_missing_images=True)
    except UserError as refused:  # only when no section has text (bullet marks are not text)
        assert not source and "hold no text" in str(refused)
        return
    data = yaml.safe_load(result.yaml)
    content_words = [w for t in _texts(data["sections"]) for w in _plain(t).split()]
    _assert_words_in_order(content_words, source)
    headings = [_plain(h) for h in _headings(data["sections"])]
    assert [t for t in titles if t in headings] == titles
    path = folder / "leaflet.yaml"
    path.write_text(result.yaml, encoding="utf-8")
    rxleaflet.load(path)  # the loader takes it as it is (needs issue 13's format)
