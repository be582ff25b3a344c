"""Tables with cells spanning rows and columns, several header rows, and layout tables: the
content format refuses what cannot be a grid, and the PDF tags what it draws (RowSpan, ColSpan,
Headers and ID, PDF/UA-1 7.5), keeping a row-spanned block of rows on one page."""
from __future__ import annotations

import json
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import ROOT, content, run_cli
from pdfread import Leaflet

SCHEMA = Draft202012Validator(json.loads((ROOT / "src/rxleaflet/schema/leaflet.schema.json").read_text("utf-8")))

TITRATION = """\
  - heading: How much to take
    content:
      - table:
          caption: Doses week by week
          header_rows: 2
          header_column: true
          rows:
            - [{cell: Week, rowspan: 2}, {cell: Dose, colspan: 2}]
            - [Morning, Evening]
            - [{cell: Week 1, rowspan: 2}, 5 mg, 5 mg]
            - [10 mg, 5 mg]
            - [Week 3, {cell: 10 mg twice a day, colspan: 2}]
"""


def _build(tmp_path, sections: str, *options) -> Leaflet:
    source = tmp_path / "leaflet.yaml"
    source.write_text(content(sections), encoding="utf-8")
    out = tmp_path / "leaflet.pdf"
    result = run_cli("build", source, "-o", out, *options)
    assert result.returncode == 0, result.stderr
    return Leaflet(out.read_bytes())


def _refused(tmp_path, sections: str) -> str:
    source = tmp_path / "leaflet.yaml"
    source.write_text(content(sections), encoding="utf-8")
    result = run_cli("validate", source)
    assert result.returncode == 2 and not (tmp_path / "leaflet.pdf").exists()
    return result.stderr


def _schema_accepts(sections: str) -> bool:
    document = yaml.safe_load(content(sections))
    document["revised"] = str(document["revised"])
    return SCHEMA.is_valid(document)


def test_the_schema_knows_spans_header_rows_and_layout_tables():
    assert _schema_accepts(TITRATION)
    assert _schema_accepts(_table("        - [a, b]\n", "      layout: true\n"))
    assert not _schema_accepts(_table("        - [a, b]\n        - [c, d]\n", "      header_row: false\n"))
    assert not _schema_accepts(_table("        - [a, b]\n        - [c, d]\n", "      layout: true\n      header_rows: 1\n"))
    assert not _schema_accepts(_table("        - [{cell: a, span: 2}]\n        - [c]\n"))


def _table(rows: str, extra: str = "") -> str:
    return "  - table:\n" + extra + "      rows:\n" + rows


@pytest.mark.parametrize("rows, where, message", [
    ("        - [a, b]\n        - [{cell: c, colspan: 3}]\n", ":10:", "reaches past the table's last column"),
    ("        - [a, b]\n        - [{cell: c, rowspan: 2}, d]\n", ":10:", "reaches past the table's last row"),
    ("        - [a, b, c]\n        - [{cell: d, rowspan: 2}, e, f]\n        - [{cell: g, colspan: 2}, h]\n",
     ":11:", "starts past the table's last column"),
    ("        - [a, b]\n        - [c, {cell: d, rowspan: 2}]\n        - [e]\n        - [f]\n", ":12:",
     "this row covers 1 of the table's 2 columns"),
    ("        - [a, b, c]\n        - [{cell: d, rowspan: 2}, e, f]\n        - [g, {cell: h, colspan: 2}]\n",
     ":11:15:", "rows[2][1]: this cell reaches past the table's last column"),
])
def test_a_span_that_cannot_be_a_grid_is_refused_at_its_cell(tmp_path, rows, where, message):
    err = _refused(tmp_path, _table(rows))
    assert where in err and message in err, err


def test_overlapping_spans_are_refused(tmp_path):
    rows = "        - [a, b, c]\n        - [d, {cell: e, rowspan: 2, colspan: 2}]\n        - [{cell: f, colspan: 2}, g]\n"
    err = _refused(tmp_path, _table(rows, "      header_column: true\n"))
    assert "leaflet.yaml:12:12:" in err and "overlaps the cell at sections[0].table.rows[1][1]" in err, err


def test_a_header_cell_spanning_into_the_body_is_refused(tmp_path):
    rows = "        - [{cell: a, rowspan: 2}, b]\n        - [c]\n        - [d, e]\n"
    err = _refused(tmp_path, _table(rows))
    assert "a header cell spans down into the body rows" in err, err


def test_a_layout_table_has_no_headers(tmp_path):
    err = _refused(tmp_path, _table("        - [a, b]\n        - [c, d]\n", "      layout: true\n      header_row: true\n"))
    assert "a layout table has no header cells" in err, err


def test_spanned_cells_are_tagged_with_their_spans_and_headers(tmp_path):
    pdf = _build(tmp_path, TITRATION)
    ids = {str(key): value.get_object() for key, value in
           zip(*[iter(pdf.catalog["/StructTreeRoot"]["/IDTree"]["/Names"])] * 2)}
    by_id = {str(element["/ID"]): element for element in ids.values()}
    assert set(ids) == set(by_id), "every ID in the IDTree names the element that has it"
    names = {ident: pdf.mark_texts.get((0, element["/K"]), "").strip() for ident, element in by_id.items()}

    table = pdf.elements("Table")[0]
    head, body = [kid for kid in table.kids if kid.role in ("THead", "TBody")]
    cells = [(cell.role, cell.text, cell.attributes) for row in head.kids + body.kids for cell in row.kids]
    spans = {text: (attrs.get("/RowSpan", 1), attrs.get("/ColSpan", 1)) for _, text, attrs in cells}
    assert spans["Week"] == (2, 1) and spans["Dose"] == (1, 2) and spans["Week 1"] == (2, 1)
    assert spans["10 mg twice a day"] == (1, 2) and spans["Morning"] == (1, 1)
    assert [text for _, text, _ in cells] == ["Week", "Dose", "Morning", "Evening", "Week 1", "5 mg", "5 mg",
                                              "10 mg", "5 mg", "Week 3", "10 mg twice a day"]

    def headers(attrs):
        return [names[str(ident)] for ident in attrs.get("/Headers", [])]

    second_row_evening = cells[8]
    assert second_row_evening[1] == "5 mg" and headers(second_row_evening[2]) == ["Dose", "Evening", "Week 1"]
    assert headers(cells[10][2]) == ["Dose", "Morning", "Evening", "Week 3"]
    assert headers(cells[2][2]) == ["Dose"]  # a lower header cell names the one above it
    assert all(role == "TH" for role, text, _ in cells if text in ("Week", "Dose", "Week 1", "Week 3"))


def test_plain_tables_keep_scope_only(tmp_path):
    pdf = _build(tmp_path, _table("        - [Symptom, What to do]\n        - [Headache, Rest]\n"))
    assert "/IDTree" not in pdf.catalog["/StructTreeRoot"]
    assert all("/Headers" not in e.attributes for e in pdf.elements("TD"))


def test_a_layout_table_is_read_as_paragraphs_in_source_order(tmp_path):
    rows = ('        - ["**Belgique** Tél: 1", "**Lietuva** Tel: 2"]\n'
            '        - ["**България** Тел.: 3", [Malta, {bullets: [Tel 4, Fax 5]}]]\n')
    pdf = _build(tmp_path, _table(rows, "      layout: true\n      caption: Local representatives\n"))
    assert not pdf.elements("Table") and not pdf.elements("TD")
    div = pdf.elements("Div")[0]
    assert [kid.role for kid in div.kids] == ["P", "P", "P", "P", "Div"]
    assert pdf.reading_text().endswith("Local representatives Belgique Tél: 1 Lietuva Tel: 2 България Тел.: 3 "
                                       "Malta • Tel 4 • Fax 5")


def test_a_row_spanned_block_is_never_broken_between_pages(tmp_path):
    long_rows = "".join(f"        - [Row {n}, {{cell: 'Shared {n} {'word ' * 30}', rowspan: 3}}, a {n}]\n"
                        f"        - [Row {n}b, b {n}]\n        - [Row {n}c, c {n}]\n" for n in range(12))
    pdf = _build(tmp_path, _table("        - [Name, Shared, Own]\n" + long_rows), "--large-print")
    rows = [row for body in pdf.elements("TBody") for row in body.kids]
    assert len({page for e in pdf.elements("TR") for cell in e.kids for page, _ in cell.marks()}) > 1
    for n in range(12):
        block = rows[3 * n:3 * n + 3]
        pages = {page for row in block for cell in row.kids for page, _ in cell.marks()}
        assert len(pages) == 1, (n, pages)
    assert "Shared 11" in pdf.reading_text()


def test_stacked_tables_with_spans_keep_every_word_in_order(tmp_path):
    sections = TITRATION.replace("header_rows: 2", "header_rows: 2\n          widths: [1, 40, 40]")
    pdf = _build(tmp_path, sections, "--large-print", "--paper", "a5")
    text = pdf.reading_text()
    order = ["Doses week by week", "Week 1", "Dose Morning 5 mg", "Dose Evening 5 mg", "Dose Morning 10 mg",
             "Dose Evening 5 mg", "Week 3", "Dose Morning Evening 10 mg twice a day"]
    at = 0
    for piece in order:
        at = text.index(piece, at) + len(piece)
    artifacts = [text for _, text in pdf.artifact_texts()]
    assert any("Week 1" in text for text in artifacts), "the row-spanning cell is printed again as an artifact"


def test_right_to_left_spans_mirror_the_grid(tmp_path):
    """Right to left, the first column is on the right, and a cell spanning columns covers them."""
    head = (ROOT / "tests/inputs/rtl/he.yaml").read_text("utf-8").split("\nsections:")[0] + "\nsections:\n"
    source = tmp_path / "he.yaml"
    source.write_text(head + TITRATION.replace("Dose", "מינון"), encoding="utf-8")
    result = run_cli("build", source, "-o", tmp_path / "he.pdf")
    assert result.returncode == 0, result.stderr
    pdf = Leaflet((tmp_path / "he.pdf").read_bytes())
    left = {}
    for obj in pdf.objects:
        text = " ".join(sorted(pdf.mark_texts.get((obj.page, obj.mcid), "").split()))  # runs in visual order
        if obj.text.strip() and not obj.is_artifact and text:
            left[text] = min(left.get(text, obj.bounds[0]), obj.bounds[0])
    assert left["Week"] > left["Morning"] > left["Evening"]
    assert left["3 Week"] > left["10 a day mg twice"]
    assert left["1 Week"] > left["10 mg"]


def test_spanned_and_layout_tables_pass_both_checkers(tmp_path):
    """outloud and pdfua find nothing in a leaflet with spanned cells, header rows and a layout
    table, in print and in large print on A5 (stacked)."""
    import pdfua
    from conftest import findings, outloud_reports

    more = "".join(f"            - [Week {n}, {n} mg, {n} mg]\n" for n in range(4, 9))
    layout = _table('        - ["**Belgique** Tél: 1", "**Lietuva** Tel: 2"]\n        - [France, Malta]\n',
                    "      layout: true\n")
    paths = []
    for options in ((), ("--large-print", "--paper", "a5")):
        pdf = tmp_path / f"spans{len(options)}.pdf"
        source = tmp_path / "spans.yaml"
        source.write_text(content(TITRATION + more + layout), encoding="utf-8")
        result = run_cli("build", source, "-o", pdf, *options)
        assert result.returncode == 0, result.stderr
        paths.append(pdf)
    for report in outloud_reports(paths):
        assert not report["findings"], findings(report)
    for path in paths:
        report = pdfua.validate(str(path))
        assert not report.findings and not report.skipped, report.to_dict()


@pytest.mark.needs("browser")
def test_chromium_announces_spanned_cells_with_their_headers(tmp_path):
    """Through pdf.js in Chromium, every cell is read with its headers (the Headers of the PDF
    as aria-describedby, a spanning header for each column under it), and the spans reach the
    browser's table (aria-rowspan, aria-colspan)."""
    from browser_harness import read_pdfs

    source = tmp_path / "spans.yaml"
    source.write_text(content(TITRATION), encoding="utf-8")
    import rxleaflet

    reading = read_pdfs({"spans": rxleaflet.build(rxleaflet.load(source))})["spans"]
    cells = [(node.role, " ".join(node.name.split()), " ".join(node.description.split()))
             for node in reading.tree.walk() if node.role in ("columnheader", "rowheader", "cell")]
    assert cells == [
        ("columnheader", "Week", ""), ("columnheader", "Dose", ""),
        ("columnheader", "Morning", "Dose"), ("columnheader", "Evening", "Dose"),
        ("rowheader", "Week 1", "Week"),
        ("cell", "5 mg", "Dose Morning Week 1 Week"), ("cell", "5 mg", "Dose Evening Week 1 Week"),
        ("cell", "10 mg", "Dose Morning Week 1 Week"), ("cell", "5 mg", "Dose Evening Week 1 Week"),
        ("rowheader", "Week 3", "Week"), ("cell", "10 mg twice a day", "Dose Morning Evening Week 3 Week")]
    assert reading.spans == [["columnheader", "2", None], ["columnheader", None, "2"], ["rowheader", "2", None],
                             ["cell", None, "2"]]


def test_a_block_of_rows_taller_than_a_page_breaks_between_its_rows_and_fills_each_page(tmp_path):
    """The spanning cell goes on in the next part; each part fills its page, so the header row
    is drawn again (an artifact) once at the top of each page the table continues on."""
    long = "word " * 900
    rows = "".join(f"        - [Row {n}, {{cell: 'Shared {n} {long}', rowspan: 3}}, a {n}]\n"
                   f"        - [Row {n}b, b {n}]\n        - [Row {n}c, c {n}]\n" for n in range(2))
    pdf = _build(tmp_path, _table("        - [Name, Shared, Own]\n" + rows), "--large-print")
    pages = len(pdf.reader.pages)
    repeated = [page for page, text in pdf.artifact_texts() if text.strip() == "Shared"]
    assert repeated == list(range(1, pages)), (repeated, pages)
    assert pdf.reading_text().split().count("word") == 1800
    text = pdf.reading_text()
    assert text.index("Row 0b") < text.index("Row 0c") < text.index("Shared 1") < text.index("Row 1c")


@st.composite
def spanned_grids(draw):
    """A valid grid with spans: (rows as written in YAML, the origins' tokens in row order,
    header rows, header column, layout)."""
    columns, height = draw(st.integers(1, 4)), draw(st.integers(2, 7))
    layout = draw(st.integers(0, 4)) == 0
    head = 0 if layout else draw(st.integers(0, min(2, height - 1)))
    header_column = not layout and (head == 0 or draw(st.booleans()))
    taken, written, tokens = set(), [], []
    for r in range(height):
        row = []
        for c in range(columns):
            if (r, c) in taken:
                continue
            wide = 1
            while wide < draw(st.integers(1, 3)) and c + wide < columns and (r, c + wide) not in taken:
                wide += 1
            last = head if r < head else height  # a header cell spans the header rows only
            # the last column never spans down, so that no row is wholly covered (a row lists a cell)
            tall = min(draw(st.integers(1, 3)), last - r) if c + wide < columns else 1
            while tall > 1 and any((r + dr, c + dc) in taken for dr in range(tall) for dc in range(wide)):
                tall -= 1
            taken |= {(r + dr, c + dc) for dr in range(tall) for dc in range(wide)}
            token = f"t{r}x{c}"
            tokens.append((r, c, token))
            spans = (f", rowspan: {tall}" if tall > 1 else "") + (f", colspan: {wide}" if wide > 1 else "")
            row.append(f"{{cell: {token}{spans}}}" if spans else token)
        written.append(row)
    return written, tokens, head, header_column, layout, columns


@settings(max_examples=int(os.environ.get("RXLEAFLET_EXAMPLES", "25")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(grid=spanned_grids(), stacked=st.booleans())
def test_any_valid_grid_of_spans_builds_and_reads_every_cell_in_order(grid, stacked, tmp_path_factory):
    import rxleaflet

    written, tokens, head, header_column, layout, columns = grid
    flags = ("      layout: true\n" if layout else
             (f"      header_rows: {head}\n" if head > 1 else f"      header_row: {str(head == 1).lower()}\n")
             + ("      header_column: true\n" if header_column else ""))
    if stacked:
        flags += f"      widths: [{', '.join(['1'] * (columns - 1) + ['60'])}]\n"  # too narrow: stacked
    rows = "".join(f"        - [{', '.join(row)}]\n" for row in written)
    folder = tmp_path_factory.mktemp("grid")
    path = folder / "grid.yaml"
    path.write_text(content(_table(rows, flags)), encoding="utf-8")
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    text = pdf.reading_text().split()
    body = [token for r, c, token in tokens if r >= head and not (header_column and c == 0)]
    assert [word for word in text if word in set(body)] == body  # each body cell once, in row order
    assert {token for _, _, token in tokens} <= set(text)
    tagged = sum(1 for e in pdf.tree.walk() if "/RowSpan" in e.attributes or "/ColSpan" in e.attributes)
    if not stacked:  # short words on A4: a grid, each spanning cell tagged with its spans
        assert tagged == (0 if layout else sum(1 for row in written for cell in row if "span" in cell))
