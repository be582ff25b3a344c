"""What a screen reader is given in a real browser: leaflets opened in headless Chromium
through pdf.js's viewer component, the accessibility tree read over the DevTools Protocol
(tests/browser_harness.py).  A transcript of each (role, level, name, in order) is written
for a person to read: to $RXLEAFLET_TRANSCRIPTS if set, else to the test's temporary folder.

Needs Chromium and pdf.js (.ci/run installs both): without them each test fails saying
what to install, or is skipped where RXLEAFLET_SKIP_MISSING_READERS is set.
"""
import io
import os
import re
import unicodedata
from pathlib import Path

import pytest
from browser_harness import HARNESS, read_pdfs, transcript
from conftest import ROOT, SAMPLE, content
from pdfread import Leaflet
from test_readers import assert_in_order, load_kind, needs_poppler, struct_texts

import rxleaflet
from rxleaflet import model
from rxleaflet.text.fixed_words import messages

pytestmark = pytest.mark.needs("browser")

NESTED_IN_BOXES = content("""\
  - heading: Before you take it
    content:
      - Read all of this leaflet.
      - warning:
          title: Do not take Testamol
          content:
            - "If any of these apply:"
            - bullets:
                - text: you are allergic to it
                  bullets: [to the medicine itself, to any other ingredient]
                - you are pregnant
      - emergency:
          title: If you take too much
          content:
            - numbered:
                - text: Call for help
                  numbered: [Dial the emergency number, Say what you took]
                - Take the pack with you
""")

# The examples carry tables, figures, pictograms, links and cross-references (issue 13).
EXAMPLES = {"ibrance": ROOT / "content" / "examples" / "ibrance.yaml",
            "monuril": ROOT / "content" / "examples" / "monuril-3g.yaml"}
LEAFLETS = ["sample", "personalised", "large-print", "he", "ar", "mixed", "hebrew-with-latin", "nested-in-boxes",
            *EXAMPLES, "untagged"]
RIGHT_TO_LEFT = ["he", "ar", "mixed", "hebrew-with-latin"]


def untagged_pdf() -> bytes:
    """The control: a heading-like line and bullets drawn by ReportLab with no tags."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont("Helvetica-Bold", 22)
    canvas.drawString(72, 760, "What this medicine is for")
    canvas.setFont("Helvetica", 12)
    for number, line in enumerate(["• first point", "• second point"]):
        canvas.drawString(90, 720 - 18 * number, line)
    canvas.save()
    return out.getvalue()


def source(name: str, folder):
    if name == "nested-in-boxes":
        path = folder / "nested.yaml"
        path.write_text(NESTED_IN_BOXES, encoding="utf-8")
        return rxleaflet.load(path)
    if name in RIGHT_TO_LEFT:
        return load_kind(name, folder)
    return rxleaflet.load(EXAMPLES.get(name, SAMPLE))


@pytest.fixture(scope="module")
def leaflets(tmp_path_factory):
    """Every leaflet, built and read once in one browser: {name: (model, pdf bytes, reading)}."""
    folder = tmp_path_factory.mktemp("browser")
    built = {}
    for name in LEAFLETS:
        if name == "untagged":
            built[name] = (None, untagged_pdf())
            continue
        leaflet = source(name, folder)
        options = {"large_print": True} if name == "large-print" else {}
        if name == "personalised":
            options["pharmacy"] = rxleaflet.load_pharmacy(ROOT / "content" / "pharmacy.yaml")
            options["prescription"] = rxleaflet.load_prescription(ROOT / "content" / "prescriptions" / "example.yaml",
                                                                  leaflet)
        built[name] = (leaflet, rxleaflet.build(leaflet, **options))
    readings = read_pdfs({name: data for name, (_, data) in built.items()})
    transcripts = Path(os.environ.get("RXLEAFLET_TRANSCRIPTS") or folder / "transcripts")
    transcripts.mkdir(parents=True, exist_ok=True)
    for name, reading in readings.items():
        (transcripts / f"{name}.txt").write_text("\n".join(transcript(reading.tree)) + "\n", encoding="utf-8")
    return {name: (leaflet, data, readings[name]) for name, (leaflet, data) in built.items()}


def fold(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def spoken(tree) -> list[str]:
    """The text a screen reader reads, piece by piece, in order."""
    return [node.name for node in tree.walk() if node.role == "StaticText" and node.name.strip()]


def read_out(tree) -> str:
    """All of it as one text, the pieces run on."""
    return fold("".join(node.name for node in tree.walk() if node.role == "StaticText"))


TAGGED = [name for name in LEAFLETS if name != "untagged"]


@pytest.mark.parametrize("name", TAGGED)
def test_headings_are_announced_with_their_tagged_levels(leaflets, name):
    _, data, reading = leaflets[name]
    pdf = Leaflet(data)
    tagged = [(int(e.role[1]), fold(e.text)) for e in pdf.tree.walk() if re.fullmatch(r"H[1-6]", e.role)]
    announced = [(node.level, fold(node.name)) for node in reading.tree.walk() if node.role == "heading"]
    assert [level for level, _ in announced] == [level for level, _ in tagged]
    assert all(name for _, name in announced), "a heading announced without its text"
    if name not in RIGHT_TO_LEFT:  # PDFium's text of a right-to-left heading is not the reference
        assert announced == tagged


@pytest.mark.parametrize("name", TAGGED)
def test_lists_are_announced_with_their_items(leaflets, name):
    _, data, reading = leaflets[name]
    pdf = Leaflet(data)
    lists = [node for node in reading.tree.walk() if node.role == "list"]
    labelled = 0
    for node in lists:
        items = [item for item in node.children if item.role == "listitem"
                 and any(n.role == "StaticText" and n.name.strip() for n in item.walk())]
        for position, item in enumerate(items):
            texts = [n.name.strip() for n in item.walk() if n.role == "StaticText" and n.name.strip()]
            if re.fullmatch(r"•|\d+\.", texts[0]):  # the label, then the text
                labelled += 1
            else:  # the rest of an item cut by a page break: it opens the list on the next page
                assert position == 0, texts
    assert labelled == len(pdf.elements("LI"))
    if name == "nested-in-boxes":
        assert any(inner.role == "list" for node in lists for inner in list(node.walk())[1:])


def test_the_prescription_panel_is_a_table_with_row_headers(leaflets):
    leaflet, _, reading = leaflets["personalised"]
    tables = [node for node in reading.tree.walk() if node.role == "table"]
    assert len(tables) == 1
    table = tables[0]
    # The caption comes first, as a caption; Chromium names a table only from an HTML
    # <caption>, so through pdf.js the table itself has no name.
    caption = next(node for node in table.children if node.role not in ("generic", "none"))
    assert caption.role == "caption" and read_out(caption) == "Your prescription"
    rows = [node for node in table.walk() if node.role == "row"]
    assert rows and not any(node.role == "columnheader" for node in table.walk())
    labels = []
    for row in rows:
        cells = [node for node in row.children if node.role in ("rowheader", "cell")]
        assert [node.role for node in cells] == ["rowheader", "cell"]
        labels.append(fold(cells[0].name))
    assert labels[:3] == ["Patient", "Medicine", "Directions"]


@needs_poppler
@pytest.mark.parametrize("name", TAGGED)
def test_no_running_header_footer_or_page_number_is_announced(leaflets, name, tmp_path):
    leaflet, data, reading = leaflets[name]
    said = squeeze(read_out(reading.tree))
    pages = len(Leaflet(data).reader.pages)
    footer = messages(leaflet.lang)["page"].format(number=pages, count=pages)
    assert squeeze(footer) not in said
    # The running header (from page 2) is read exactly as often as the tagged text
    # holds its words (poppler's structure text): never from the header itself.
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(data)
    header = squeeze(f"{leaflet.medicine.name} {leaflet.medicine.strength}")
    assert pages == 1 or said.count(header) == squeeze("".join(struct_texts(path))).count(header)


def squeeze(text: str) -> str:
    """Letters and digits only: a screen reader's pauses between the pieces of a line
    are not in the accessibility tree, so words are compared without the spaces."""
    return "".join(re.findall(r"\w", fold(text)))


@pytest.mark.parametrize("name", TAGGED)
def test_everything_is_read_once_in_the_order_of_the_content(leaflets, name):
    """What is read out is the tagged content as pdf.js reads it from the structure tree
    (getStructTree + getTextContent), exactly: nothing twice, nothing left out, no
    artifact; and the content's texts come in their order, right to left too."""
    leaflet, _, reading = leaflets[name]
    said = squeeze(read_out(reading.tree))
    assert said == squeeze("".join(text for role, text in reading.struct_text if role != "(untagged)"))
    position = 0
    for expected in pieces_in_order(leaflet):
        found = said.find(expected, position)
        assert found >= 0, f"{expected!r} not read in order after: {said[max(0, position - 80):position]!r}"
        position = found + len(expected)


def pieces_in_order(leaflet) -> list[str]:
    """The content's texts, squeezed; a text with links in pieces, since the page adds
    where a link goes after its text (" (see page 3)", a printed web address)."""
    pieces = []
    for text in model.iter_texts(leaflet):
        if not any(span.link for span in text.spans):
            pieces.append(squeeze(text.plain))
            continue
        pieces += [squeeze(span.text) for span in text.spans if squeeze(span.text)]
    return pieces


@pytest.mark.parametrize("name", RIGHT_TO_LEFT)
def test_pdfjs_reads_each_element_in_logical_order(leaflets, name):
    """pdf.js's own reading, right to left: each element's letters and digits in logical
    order.  (pdf.js drops a space where a line changes font, a bold word, and does not
    mirror brackets back: compared without spaces and signs.)"""
    leaflet, _, reading = leaflets[name]
    assert not any(role == "(untagged)" for role, _ in reading.struct_text)
    texts = [squeeze(text) for _, text in reading.struct_text]
    assert_in_order(texts, [squeeze(t.plain) for t in model.iter_texts(leaflet)])


def test_an_untagged_pdf_gets_no_heading_or_list_roles(leaflets):
    """The control: the harness does not invent structure."""
    _, _, reading = leaflets["untagged"]
    roles = {node.role for node in reading.tree.walk()}
    assert not roles & {"heading", "list", "listitem", "table"}
    assert "What this medicine is for" in read_out(reading.tree)


def test_the_harness_style_override_is_in_place():
    """Without it Chromium drops the text that pdf.js's structure layer owns (see viewer.html)."""
    assert ".textLayer .markedContent { display: inline; }" in (HARNESS / "viewer.html").read_text()
