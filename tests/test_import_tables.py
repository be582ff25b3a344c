"""Build never refuses what import wrote: every label in tests/, and generated XHTML and SPL tables
(spans, nesting, missing cells, bold first rows, header cells or none), import and build; the
import says in a REVIEW line what it decided for a table without header cells."""
from __future__ import annotations

import io
import json
import os

import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import import LABELS, _plain, _texts, imported, spl
from test_properties import _assert_words_in_order

import rxleaflet
from rxleaflet.importers import import_label

EXAMPLES = int(os.environ.get("RXLEAFLET_EXAMPLES", "40"))
WORDS = ["dose", "Week", "tablets", "2", "mg", "once", "twice", "daily", "é", "Ω", "ж", "(may", "affect)", "x:"]
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)


def _build(folder, yaml_text: str, **options) -> bytes:
    path = folder / "leaflet.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    return rxleaflet.build(rxleaflet.load(path), **options)


@pytest.mark.parametrize("label", sorted(LABELS.glob("*/*.xml")) + sorted(LABELS.glob("*/*.json")), ids=lambda p: p.name)
def test_every_label_in_the_tests_imports_and_builds(label, tmp_path):
    result = import_label("spl" if label.suffix == ".xml" else "epi", label, tmp_path, drop_missing_images=True)
    pdf = pypdf.PdfReader(io.BytesIO(_build(tmp_path, result.yaml)))
    assert len(pdf.pages) >= 1


@st.composite
def cell(draw, markup: str):
    """A td or th, maybe spanning, maybe bold, maybe holding a list or a table."""
    name = draw(st.sampled_from(["td", "td", "td", "th"]))
    attributes = ""
    if draw(st.integers(0, 3)) == 0:
        attributes += f' colspan="{draw(st.integers(1, 4))}"'
    if draw(st.integers(0, 3)) == 0:
        attributes += f' rowspan="{draw(st.integers(1, 4))}"'
    bold = ("<content styleCode='bold'>{}</content>" if markup == "spl" else "<b>{}</b>")
    shape = draw(st.sampled_from(["text", "text", "bold", "empty", "list"]))
    if shape == "text":
        inner = draw(words)
    elif shape == "bold":
        inner = bold.format(draw(words))
    elif shape == "list":
        item, lst = ("item", "list") if markup == "spl" else ("li", "ul")
        inner = f"<{lst}>" + "".join(f"<{item}>{draw(words)}</{item}>" for _ in range(draw(st.integers(1, 3)))) + f"</{lst}>"
    else:
        inner = ""
    return f"<{name}{attributes}>{inner}</{name}>"


@st.composite
def table(draw, markup: str, depth: int = 0):
    """A table as labels write them: rows of any length, spans, a thead or none, a bold first row,
    a caption, a row spanning the table, a table inside a cell."""
    columns = draw(st.integers(1, 4))
    bold = ("<content styleCode='bold'>{}</content>" if markup == "spl" else "<b>{}</b>")
    rows = []
    if draw(st.integers(0, 3)) == 0:  # a bold first row, no header cells
        rows.append("".join(f"<td>{bold.format(draw(words))}</td>" for _ in range(columns)))
    if draw(st.integers(0, 4)) == 0:  # a title row across the table
        rows.append(f'<td colspan="{columns}">{draw(words)}</td>')
    for _ in range(draw(st.integers(1, 12))):
        cells = [draw(cell(markup)) for _ in range(draw(st.integers(1, columns + 1)))]
        if depth == 0 and draw(st.integers(0, 8)) == 0:
            cells.append(f"<td>{draw(table(markup, depth + 1))}</td>")
        if draw(st.integers(0, 6)) == 0:
            cells = []  # an empty row (covered by the spans above it, or not)
        rows.append("".join(cells))
    head = ""
    if draw(st.integers(0, 3)) == 0:
        head = "<thead><tr>" + "".join(f"<th>{draw(words)}</th>" for _ in range(columns)) + "</tr></thead>"
    caption = f"<caption>{draw(words)}</caption>" if draw(st.integers(0, 3)) == 0 else ""
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return f"<table>{caption}{head}<tbody>{body}</tbody></table>"


def _epi(div: str) -> str:
    return json.dumps({"resourceType": "Bundle", "type": "document", "entry": [{"resource": {
        "resourceType": "Composition", "language": "en", "date": "2024-01-02", "title": "Testamol 5 mg tablets",
        "section": [{"title": "Doses", "text": {"div": f'<div xmlns="http://www.w3.org/1999/xhtml">{div}</div>'}}]}}]})


def _comments(yaml_text: str) -> str:
    """The file's comments as one text (a long one is wrapped over lines)."""
    return " ".join(line.strip()[1:].strip() for line in yaml_text.splitlines() if line.strip().startswith("#"))


def _source_words(markup_text: str) -> list[str]:
    import re
    text = re.sub(r"<[^>]+>", " ", markup_text)
    return [w for w in text.split() if w not in ("•",)]


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(markup=st.sampled_from(["xhtml", "spl"]), data=st.data())
def test_generated_tables_import_and_build(markup, data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    tables = data.draw(st.lists(table(markup), min_size=1, max_size=3))
    narrative = "<paragraph>Take it like this.</paragraph>" if markup == "spl" else "<p>Take it like this.</p>"
    narrative += "".join(tables)
    if markup == "spl":
        label, kind = folder / "label.xml", "spl"
        label.write_text(spl(narrative), encoding="utf-8")
    else:
        label, kind = folder / "label.json", "epi"
        label.write_text(_epi(narrative), encoding="utf-8")
    result = import_label(kind, label, folder, drop_missing_images=True)
    content = yaml.safe_load(result.yaml)
    words = [w for t in _texts(content["sections"]) for w in _plain(t).split() if w != "–"]
    source = _source_words(narrative)
    if not any("columns of bullets" in line for line in result.yaml.splitlines()):
        _assert_words_in_order(words, source)
    for options in ({}, {"paper": "a5", "large_print": True}):  # a grid, or stacked
        assert _build(folder, result.yaml, **options).startswith(b"%PDF")
    for line in result.yaml.splitlines():  # a table without header cells says what the import decided
        if "layout: true" in line:
            assert "REVIEW: this table has no header cells" in _comments(result.yaml)


def test_a_bold_first_row_becomes_column_headers_with_a_review_line(tmp_path):
    data, result = imported(tmp_path, spl(
        "<table><tbody><tr><td><content styleCode='bold'>Week</content></td><td><content styleCode='bold'>Dose"
        "</content></td></tr><tr><td>1</td><td>5 mg</td></tr><tr><td>2</td><td>10 mg</td></tr></tbody></table>"))
    table = data["sections"][0]["table"]
    assert table["header_row"] is True and table["rows"][:2] == [["Week", "Dose"], ["1", "5 mg"]]
    assert "REVIEW: this table has no header cells: its first row, in bold, is written as column headers" \
        in _comments(result.yaml)
    assert result.warnings == ["a table without header cells has its bold first row as column headers (marked REVIEW)"]
    _build(tmp_path, result.yaml)


def test_a_table_without_header_cells_is_a_layout_table_read_in_source_order(tmp_path):
    contacts = ("<table><tr><td><b>België</b> Tél: 1</td><td><b>Lietuva</b> Tel: 2</td></tr>"
                "<tr><td><b>България</b> Тел.: 3</td><td><b>Luxembourg</b> Tél: 4</td></tr></table>")
    data, result = imported(tmp_path, _epi(contacts), kind="epi", name="label.json")
    table = data["sections"][0]["content"][0]["table"] if "content" in data["sections"][0] else \
        data["sections"][0]["table"]
    assert table["layout"] is True and "header_row" not in table
    assert "REVIEW: this table has no header cells: written as a layout table" in _comments(result.yaml)
    pdf = pypdf.PdfReader(io.BytesIO(_build(tmp_path, result.yaml)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert text.index("België") < text.index("Lietuva") < text.index("България") < text.index("Luxembourg")


def test_spans_from_the_label_are_kept(tmp_path):
    data, result = imported(tmp_path, spl(
        "<table><thead><tr><th rowspan='2'>Week</th><th colspan='2'>Dose</th></tr>"
        "<tr><th>Morning</th><th>Evening</th></tr></thead><tbody>"
        "<tr><th rowspan='2'>Week 1</th><td>5 mg</td><td>5 mg</td></tr><tr><td>10 mg</td><td>5 mg</td></tr>"
        "<tr><th>Week 3</th><td colspan='2'>10 mg twice a day</td></tr></tbody></table>"))
    table = data["sections"][0]["table"]
    assert table["header_rows"] == 2 and table["header_column"] is True
    assert table["rows"] == [[{"cell": "Week", "rowspan": 2}, {"cell": "Dose", "colspan": 2}], ["Morning", "Evening"],
                             [{"cell": "Week 1", "rowspan": 2}, "5 mg", "5 mg"], ["10 mg", "5 mg"],
                             ["Week 3", {"cell": "10 mg twice a day", "colspan": 2}]]
    assert "REVIEW" not in result.yaml.split("sections:")[1]
    _build(tmp_path, result.yaml)


def test_a_page_laid_out_as_one_table_is_read_as_its_blocks(tmp_path):
    page = ("<table><tr><td><paragraph><content styleCode='bold'>What is Testamol?</content></paragraph>"
            "<paragraph>Testamol is a medicine.</paragraph></td>"
            "<td><renderMultiMedia referencedObject='nowhere'/></td></tr>"
            "<tr><td><paragraph><content styleCode='bold'>How should I take Testamol?</content></paragraph>"
            "<paragraph>Once a day.</paragraph></td><td/></tr></table>")
    data, result = imported(tmp_path, spl(page), drop_missing_images=True)
    assert "table" not in result.yaml.split("sections:")[1]
    headings = [block["heading"] for block in data["sections"] if isinstance(block, dict) and "heading" in block]
    assert headings == ["What is Testamol?", "How should I take Testamol?"]


def test_an_spl_insert_laid_out_as_one_table_keeps_its_title_lines_and_headings(tmp_path):
    page = ("<table width='100%'><col/><col/><tbody>"
            "<tr><td colspan='2'><content styleCode='bold'>PATIENT INFORMATION</content></td></tr>"
            "<tr><td colspan='2'><content styleCode='bold'>TESTAMOL® (TEST-a-mol)</content></td></tr>"
            "<tr><td colspan='2'>(testamolol)</td></tr><tr><td colspan='2'>tablets</td></tr>"
            "<tr><td colspan='2'><paragraph><content styleCode='bold'>What is TESTAMOL?</content></paragraph>"
            "<paragraph>TESTAMOL is a medicine used to lower cholesterol.</paragraph></td></tr>"
            "<tr><td colspan='2'><paragraph><content styleCode='bold'>Who should not take TESTAMOL?</content>"
            "</paragraph><paragraph>Do not take it if you are allergic.</paragraph></td></tr></tbody></table>")
    data, result = imported(tmp_path, spl(page, code="42230-3"))
    assert data["title"] == "PATIENT INFORMATION TESTAMOL® (TEST-a-mol) (testamolol) tablets"
    assert data["medicine"]["pronunciation"] == "TEST-a-mol"
    assert [s["heading"] for s in data["sections"]] == ["What is TESTAMOL?", "Who should not take TESTAMOL?"]
    _build(tmp_path, result.yaml)


def test_a_row_that_spans_cover_wholly_is_left_out_and_the_spans_shrink(tmp_path):
    data, result = imported(tmp_path, spl(
        "<table><thead><tr><th>When</th><th>Dose</th></tr></thead><tbody>"
        "<tr><td rowspan='3'>Week 1</td><td rowspan='2'>5 mg</td></tr><tr></tr>"
        "<tr><td>10 mg</td></tr></tbody></table>"))
    assert data["sections"][0]["table"]["rows"][1:] == [[{"cell": "Week 1", "rowspan": 2}, "5 mg"], ["10 mg"]]
    _build(tmp_path, result.yaml)
