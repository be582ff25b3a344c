"""Tables, links, cross-references, figures, pictograms, pronunciation, strengths and the two
new boxes, read back from real builds: tags, annotations, pages, and every word in order."""
import re
import unicodedata

import pypdfium2.raw as pdfium_c
import pytest
from conftest import ROOT, content, findings, outloud_report as check
from pdfread import Leaflet

import rxleaflet
from rxleaflet import model
from rxleaflet.layout.theme import STANDARD

SAMPLE = ROOT / "content" / "examples" / "ibrance.yaml"
IMAGES = ROOT / "tests" / "inputs" / "images"
EDITIONS = [("a4", False), ("a5", False), ("a4", True), ("a5", True)]


@pytest.fixture(scope="module", params=EDITIONS, ids=[f"{p}-{'large' if lp else 'standard'}" for p, lp in EDITIONS])
def edition(request, tmp_path_factory):
    paper, large = request.param
    leaflet = rxleaflet.load(SAMPLE)
    data = rxleaflet.build(leaflet, paper=paper, large_print=large)
    path = tmp_path_factory.mktemp("edition") / "ibrance.pdf"
    path.write_bytes(data)
    return leaflet, Leaflet(data), path


def _words(text: str) -> list[str]:
    return " ".join(text.split()).split(" ")


def reading_words(pdf: Leaflet) -> list[str]:
    """The words a screen reader gets, element by element in tree order (a link read in
    its paragraph)."""
    text = " ".join(e.inline_text for e in pdf.tree.walk() if e.role not in ("Link", "Span"))
    # What links add on paper: where a cross-reference goes, the number a phone link dials.
    return _words(re.sub(r" \((see page \d+|1-800-332-1088)\)", "", text))


def test_every_edition_passes_outloud(edition):
    _, _, path = edition
    report = check(path)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)


def test_every_edition_is_tagged_or_artifact(edition):
    _, pdf, _ = edition
    for obj in pdf.objects:
        assert (obj.mcid >= 0) != obj.is_artifact, obj
    drawn = {(o.page, o.mcid) for o in pdf.objects if o.mcid >= 0}
    nums = pdf.catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    mapped = {(p, m) for p, refs in zip(nums[0::2], nums[1::2]) if isinstance(refs, list) for m in range(len(refs))}
    assert drawn == mapped


def test_every_word_of_the_content_is_read_in_order(edition):
    leaflet, pdf, _ = edition
    read = reading_words(pdf)
    position = 0
    for text in model.iter_texts(leaflet):
        for word in _words(text.plain):
            while position < len(read) and read[position] != word:
                position += 1
            assert position < len(read), f"{word!r} of {text.plain[:40]!r} missing or out of order"
            position += 1


def test_bookmarks_include_the_important_box(edition):
    _, pdf, _ = edition
    titles = [entry.title for entry in pdf.reader.outline if not isinstance(entry, list)]
    nested = [e.title for group in pdf.reader.outline if isinstance(group, list) for e in group]
    assert "What is the most important information I should know about IBRANCE?" in titles + nested


# -- tables ---------------------------------------------------------------------------

def _kids(element):
    return [kid.role for kid in element.kids if not isinstance(kid, tuple)]


def test_tables_are_table_thead_tbody_tr_th_td(edition):
    _, pdf, _ = edition
    symptoms, ingredients = pdf.elements("Table")
    assert _kids(symptoms)[0] == "Caption"
    assert symptoms.kids[0].text == "Symptoms of low red blood cell counts and low platelet counts"
    if "THead" in _kids(symptoms):  # the grid
        head, body = symptoms.kids[1:]
        assert [c.role for c in head.kids[0].kids] == ["TH", "TH"]
        assert all(str(c.attributes["/Scope"]) == "/Column" for c in head.kids[0].kids)
        assert [c.role for c in body.kids[0].kids] == ["TD", "TD"]
    else:  # stacked: each cell under its column's label, the row's header
        body = symptoms.kids[1]
        assert [c.role for c in body.kids[0].kids] == ["TH", "TD", "TH", "TD"]
        assert all(str(c.attributes["/Scope"]) == "/Row" for c in body.kids[0].kids if c.role == "TH")
    rows = ingredients.kids[0].kids
    assert [[c.role for c in row.kids] for row in rows] == [["TH", "TD"], ["TH", "TD"]]
    assert rows[1].kids[0].text == "Inactive ingredients"


def _table(rows: int, extra: str = "") -> str:
    lines = [f"            - [\"Symptom {n}\", \"What to do about symptom {n}: talk to your doctor or pharmacist.\"]"
             for n in range(1, rows + 1)]
    return f"""
  - heading: Long
    content:
      - table:{extra}
          rows:
            - [Symptom, What to do]
""" + "\n".join(lines) + "\n"


def test_a_long_table_repeats_its_header_as_an_artifact(write_content):
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(write_content(content(_table(60))))))
    assert len(pdf.reader.pages) >= 2
    artifacts = [(page, text.strip()) for page, text in pdf.artifact_texts()]
    for page in range(1, len(pdf.reader.pages)):
        assert (page, "Symptom") in artifacts and (page, "What to do") in artifacts
    headers = [e.text for e in pdf.elements("TH")]
    assert headers == ["Symptom", "What to do"]  # tagged once, read once
    reading = pdf.reading_text()
    assert reading.count("What to do") == 1 + 60  # the header, and each row's own "What to do about …"
    assert [e.text for e in pdf.elements("TD")][::2] == [f"Symptom {n}" for n in range(1, 61)]


def test_no_table_row_is_cut_through_a_line(write_content):
    """Every line of a cell stands whole on one page: its baseline and its glyphs inside the frame."""
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(write_content(content(_table(60)))), paper="a5", large_print=True))
    height = float(pdf.reader.pages[0].mediabox[3])
    for obj in pdf.objects:
        if obj.text.strip() and obj.mcid >= 0:
            left, bottom, right, top = obj.bounds
            assert bottom >= 25 * 72 / 25.4 - 6 and top <= height - 25 * 72 / 25.4 + 6, obj


def test_a_table_too_wide_for_the_column_is_stacked(write_content):
    wide = """
  - table:
      rows:
        - [Age group, Bodyweight in kilograms, Morning dose, Evening dose, Maximum daily dose]
        - [Children under twelve, 20 to 40 kilograms, half a tablet, half a tablet, one tablet]
"""
    path = write_content(content(wide))
    grid = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    stacked = Leaflet(rxleaflet.build(rxleaflet.load(path), paper="a5", large_print=True))
    assert [k.role for k in grid.elements("TBody")[0].kids[0].kids] == ["TD"] * 5
    row = stacked.elements("TBody")[0].kids[0]
    assert [k.role for k in row.kids] == ["TH", "TD"] * 5
    assert [k.text for k in row.kids[:4]] == ["Age group", "Children under twelve", "Bodyweight in kilograms",
                                              "20 to 40 kilograms"]
    sizes = {round(o.font_size) for o in stacked.objects if o.mcid >= 0 and o.text.strip()}
    assert min(sizes) >= 16  # never shrunk
    width = float(stacked.reader.pages[0].mediabox[2])
    assert all(o.bounds[2] <= width - 36 for o in stacked.objects)


def test_a_right_to_left_table_is_mirrored(write_content):
    table = """
  - table:
      rows:
        - [עמודה ראשונה, עמודה שנייה]
        - [תא ראשון, תא שני]
"""
    head = content("").replace("lang: en-GB", "lang: he")
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(write_content(head + table))))
    cells = pdf.elements("TD")
    x = {cell.text: min(o.bounds[0] for o in pdf.objects if (o.page, o.mcid) in cell.marks()) for cell in cells}
    assert set(x) == {unicodedata.normalize("NFKC", t) for t in ("תא ראשון", "תא שני")}
    first, second = (unicodedata.normalize("NFKC", t) for t in ("תא ראשון", "תא שני"))
    assert x[first] > x[second]  # the first column on the right


# -- links ------------------------------------------------------------------------------

def _annotations(pdf):
    return [(index, a.get_object(), a.idnum) for index, page in enumerate(pdf.reader.pages)
            for a in page.get("/Annots", [])]


def test_links_are_tagged_as_pdf_ua_asks(edition):
    _, pdf, _ = edition
    annotations = _annotations(pdf)
    links = pdf.elements("Link")
    assert len(links) == 6 and annotations  # 3 cross-references, a web address, 2 phone numbers
    owners = {}
    for link in links:
        assert link.annotations and link.text
        for page, number in link.annotations:
            owners[number] = (link, page)
    nums = pdf.catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    tree = dict(zip(nums[0::2], nums[1::2]))
    for page, annotation, number in annotations:
        assert annotation["/Subtype"] == "/Link" and annotation["/Contents"]
        link, link_page = owners[number]  # every annotation has an OBJR in a Link element
        assert link_page == page
        assert tree[annotation["/StructParent"]].get_object()["/S"] == "/Link"
        assert pdf.reader.pages[page]["/Tabs"] == "/S"
    assert pdf.catalog["/StructTreeRoot"]["/ParentTreeNextKey"] == len(pdf.reader.pages) + len(annotations)
    targets = {str(a.get("/A", {}).get("/URI", "")) for _, a, _ in annotations}
    assert {"https://www.IBRANCE.com", "tel:1-800-438-1985", "tel:1-800-332-1088"} <= targets


def test_cross_references_print_the_page_they_point_to(edition):
    _, pdf, _ = edition
    heading = next(e for e in pdf.elements("H2") if e.text == "What are the possible side effects of IBRANCE?")
    target_page = heading.marks()[0][0]
    link = next(e for e in pdf.elements("Link") if e.text.startswith("What are the possible side effects"))
    assert link.text.endswith(f"(see page {target_page + 1})")
    annotation = next(a for _, a, number in _annotations(pdf) if number == link.annotations[0][1])
    assert annotation["/Dest"][0].idnum == pdf.reader.pages[target_page].indirect_reference.idnum


def test_an_address_that_the_text_does_not_show_is_printed_after_it(write_content):
    path = write_content(content('  - "Report to [the FDA](https://www.fda.gov/medwatch) or write to help@example.org."\n'))
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    assert pdf.elements("P")[-1].inline_text == ("Report to the FDA (www.fda.gov/medwatch) or write to "
                                                 "help@example.org.")
    assert [link.text for link in pdf.elements("Link")] == ["the FDA (www.fda.gov/medwatch)", "help@example.org"]


def test_links_in_right_to_left_text_are_printed(write_content):
    head = content("").replace("lang: en-GB", "lang: he")
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(write_content(head + "  - \"פרטים: www.example.org\"\n"))))
    assert "www.example.org" in pdf.reading_text()


# -- figures and pictograms ------------------------------------------------------------------

def _images(pdf):
    return [o for o in pdf.objects if o.kind == pdfium_c.FPDF_PAGEOBJ_IMAGE]


def test_figures_have_alt_text_and_a_bbox_and_scale_with_large_print(edition):
    leaflet, pdf, _ = edition
    figures = pdf.elements("Figure")
    alts = [str(e) for e in _alts(pdf)]
    assert alts == ["One tablet", "A glass of water", "A clock",
                    "A blister pack holding six round tablets in two rows of three"]
    images = _images(pdf)
    assert len(images) == 4 and all(o.mcid >= 0 for o in images)
    for figure in figures:
        (page, mcid), = figure.marks()
        image = next(o for o in images if (o.page, o.mcid) == (page, mcid))
        bbox = [float(v) for v in figure.attributes["/BBox"]]
        assert bbox == pytest.approx(list(image.bounds), abs=0.5)
        assert str(figure.attributes["/O"]) == "/Layout"
    blister = images[-1]
    width = blister.bounds[2] - blister.bounds[0]
    paper, large = _edition_of(pdf)
    assert width == pytest.approx(min(400 / 150 * 72 * (1.5 if large else 1.0), _column(pdf, paper) / 2), rel=0.02)


def _alts(pdf):
    node_alts = []
    stack = [pdf.catalog["/StructTreeRoot"]["/K"][0].get_object()]
    while stack:
        node = stack.pop(0)
        if node.get("/S") == "/Figure":
            node_alts.append(node["/Alt"])
        stack[:0] = _child_elements(node)
    return node_alts


def _child_elements(node):
    kids = node.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    return [k.get_object() for k in kids if not isinstance(k, int) and k.get_object().get("/S") is not None]


def _edition_of(pdf):
    width = float(pdf.reader.pages[0].mediabox[2])
    large = max(o.font_size for o in pdf.objects if o.mcid >= 0) >= 30
    return ("a5" if width < 500 else "a4"), large


def _column(pdf, paper):
    from rxleaflet.layout.theme import LARGE_PRINT, STANDARD, page_size
    _, large = _edition_of(pdf)
    return (LARGE_PRINT if large else STANDARD).text_width(page_size(paper)[0])


def test_a_decorative_image_is_an_artifact_and_a_missing_one_an_error(write_content):
    path = write_content(content(f"""
  - figure: {{image: {IMAGES / 'blister.jpg'}, decorative: true}}
  - Text.
"""))
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    (image,) = _images(pdf)
    assert image.is_artifact and not pdf.elements("Figure")
    missing = write_content(content("  - figure: {image: nowhere.png, alt: Nothing}\n"), name="missing.yaml")
    with pytest.raises(rxleaflet.UserError, match=r"missing.yaml:7:\d+: sections\[0\].figure.image: no image file"):
        rxleaflet.load(missing)


def test_pictograms_stand_beside_their_text(edition):
    _, pdf, _ = edition
    text = next(e for e in pdf.elements("P") if e.text.startswith("Swallow IBRANCE tablets whole."))
    (page, mcid), = text.marks()[:1]
    words = [o for o in pdf.objects if (o.page, o.mcid) == (page, mcid)]
    pictures = _images(pdf)[:3]
    paper, _ = _edition_of(pdf)
    assert all(p.bounds[2] <= min(w.bounds[0] for w in words) for p in pictures)  # left of the text
    assert max(w.bounds[3] for w in words) > min(p.bounds[1] for p in pictures)  # beside, not below
    div = next(e for e in pdf.elements("Div"))
    assert [k.role for k in div.kids] == ["P", "Figure", "Figure", "Figure"]


# -- title block, strengths, boxes --------------------------------------------------------------

def test_the_title_block_lists_every_strength_and_says_the_brand_name(edition):
    _, pdf, _ = edition
    medicine = pdf.elements("P")[1]
    # The strengths joined as CLDR joins an English ("en", American) list: a comma before "and".
    assert medicine.inline_text == ("Palbociclib 75 mg, 100 mg, and 125 mg tablets. Brand name: IBRANCE (EYE-brans)")
    span = next(k for k in medicine.kids if not isinstance(k, tuple) and k.role == "Span")
    raw = _struct_node(pdf, "/Span")
    assert str(raw["/ActualText"]) == " (pronounced eye-brans)" and span.text == "(EYE-brans)"


def _struct_node(pdf, role):
    stack = [pdf.catalog["/StructTreeRoot"]["/K"][0].get_object()]
    while stack:
        node = stack.pop(0)
        if node.get("/S") == role:
            return node
        stack[:0] = _child_elements(node)
    raise AssertionError(role)


def test_important_and_intro_boxes(write_content):
    path = write_content(content("""
  - intro:
      content:
        - Read all of this leaflet carefully before you start taking this medicine.
        - {bullets: [Keep this leaflet. You may need to read it again.]}
  - important:
      title: What is the most important information I should know?
      content: [It may cause serious side effects.]
  - warning: {title: Careful, content: [Text.]}
"""))
    pdf = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    intro, important, warning = [e for e in pdf.elements("Sect")]
    assert (intro.title, important.title, warning.title) == ("About this leaflet", "Most important information",
                                                            "Warning")
    assert _kids(intro) == ["P", "L"]  # no heading of its own
    assert _kids(important) == ["H2", "P"] and important.kids[0].text == \
        "What is the most important information I should know?"  # printed as written, no prefix
    assert warning.kids[0].text == "Warning: Careful"
    # the heavier border: the widest line drawn is the important box's, twice the warning box's
    stream = pdf.reader.pages[0].get_contents().get_data().decode("latin-1")
    widths = {float(w) for w in re.findall(r"([\d.]+) w\b", stream)}
    assert max(widths) == STANDARD.important_border_width == 2 * STANDARD.box_border_width


def test_a_leaflet_for_several_strengths_matches_each_and_prints_the_one_dispensed(tmp_path):
    leaflet = rxleaflet.load(SAMPLE)
    rx = tmp_path / "rx.yaml"
    details = ("patient: A Patient\nrx_number: RX-1\ndispensed: 2026-01-02\nprescriber: Dr B\nmedicine: {}\n"
               "directions: Take one tablet daily.\nquantity: 21 tablets\nrefills: '0'\n")
    rx.write_text(details.format("IBRANCE 100MG"))
    pdf = Leaflet(rxleaflet.build(leaflet, prescription=rxleaflet.load_prescription(rx, leaflet)))
    cells = [e.text for e in pdf.elements("TD")]
    assert "Palbociclib 100 mg tablets" in cells
    rx.write_text(details.format("IBRANCE 150 mg"))
    with pytest.raises(rxleaflet.UserError, match="does not match"):
        rxleaflet.load_prescription(rx, leaflet)


def test_two_layouts_only_when_there_are_cross_references(monkeypatch):
    from rxleaflet.layout import write

    calls = []
    real = write._lay_out
    monkeypatch.setattr(write, "_lay_out", lambda *a, **k: calls.append(1) or real(*a, **k))
    rxleaflet.build(rxleaflet.load(ROOT / "content" / "diazepam-2mg.yaml"))
    assert len(calls) == 1
    rxleaflet.build(rxleaflet.load(SAMPLE))
    assert len(calls) == 3  # one to find the pages, one with them (which settles them, and is the PDF)


# -- right to left ---------------------------------------------------------------------------

@pytest.mark.parametrize("paper, large", [("a4", False), ("a5", True)])
def test_the_new_elements_right_to_left(tmp_path, paper, large):
    leaflet = rxleaflet.load(ROOT / "tests" / "inputs" / "rtl" / "he-elements.yaml")
    path = tmp_path / "he.pdf"
    path.write_bytes(rxleaflet.build(leaflet, paper=paper, large_print=large))
    report = check(path)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)
    pdf = Leaflet(path.read_bytes())
    assert all((o.mcid >= 0) != o.is_artifact for o in pdf.objects)
    (link,) = pdf.elements("Link")  # the address in a right-to-left paragraph is clickable
    assert link.annotations and str(_struct_node(pdf, "/Link")["/Alt"]) == "www.example.org"
    width = float(pdf.reader.pages[0].mediabox[2])
    blister = _images(pdf)[0]
    assert blister.bounds[2] > width / 2 + 50  # a figure narrower than the column stands at the right
    # PDFium guesses the order of the parts of an address and of a punctuation mark beside a
    # link in right-to-left text: words are compared without their punctuation.
    def bare(word):
        return unicodedata.normalize("NFKC", word).strip(":.,()")

    words = {bare(w) for e in pdf.tree.walk() for w in e.inline_text.split()}
    for text in model.iter_texts(leaflet):
        for word in text.plain.split():
            if not re.search(r"[a-z]\.", word):
                assert bare(word) in words, word


@pytest.mark.parametrize("paper, large", [("a4", False), ("a5", True)])
def test_the_intro_box_sample_and_every_page_it_names(tmp_path, paper, large):
    """Monuril (EU): the intro box first, and a contents list of cross-references whose "(see page
    N)" is the page of each section, even where large print moves them."""
    leaflet = rxleaflet.load(ROOT / "content" / "examples" / "monuril-3g.yaml")
    path = tmp_path / "monuril.pdf"
    path.write_bytes(rxleaflet.build(leaflet, paper=paper, large_print=large))
    report = check(path)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)
    pdf = Leaflet(path.read_bytes())
    intro = pdf.elements("Sect")[0]
    assert intro.title == "About this leaflet" and _kids(intro) == ["P", "L"]
    pages = {e.inline_text: e.marks()[0][0] + 1 for e in pdf.elements("H2")}
    contents = pdf.elements("L")[1]
    items = [item.kids[1].inline_text for item in contents.kids]
    assert len(items) == 6
    for item in items:
        title, page = re.fullmatch(r"(.*) \(see page (\d+)\)", item).groups()
        assert pages[next(h for h in pages if h.endswith(title))] == int(page)


def test_a_box_that_opens_with_a_picture_taller_than_its_room_and_holds_a_long_table(write_content, tmp_path):
    """At the top of a page a box leaves less than a page: its picture is made smaller, its
    table breaks between rows inside the box."""
    from PIL import Image

    tall = tmp_path / "tall.png"
    Image.new("RGB", (1200, 1700), "white").save(tall)
    rows = "\n".join(f'              - ["Row {n}", "Some text in row {n}"]' for n in range(40))
    path = write_content(content(f"""
  - warning:
      title: A box with a tall picture
      content:
        - figure: {{image: {tall}, alt: A tall white picture}}
        - table:
            rows:
              - [A, B]
{rows}
"""))
    for paper, large in (("a4", False), ("a5", True)):
        pdf = Leaflet(rxleaflet.build(rxleaflet.load(path), paper=paper, large_print=large))
        assert all((o.mcid >= 0) != o.is_artifact for o in pdf.objects)
        assert [e.text for e in pdf.elements("TD")][::2] == [f"Row {n}" for n in range(40)]
        (image,) = _images(pdf)
        height = float(pdf.reader.pages[0].mediabox[3])
        assert image.bounds[3] - image.bounds[1] < height - 2 * 25 * 72 / 25.4


def hebrew_links(folder, section: str) -> bytes:
    """A Hebrew leaflet of one section, "מידע נוסף", whose rest is ``section``; built."""
    source = folder / "he-links.yaml"
    source.write_text("""\
lang: he
title: קישורים
medicine: {name: דיאזפאם, strength: 2 מ״ג, form: טבליות}
revised: 2026-11-25
source: טקסט לבדיקה
sections:
  - heading: מידע נוסף
""" + section, encoding="utf-8")
    return rxleaflet.build(rxleaflet.load(source))


def test_every_web_mail_and_phone_link_in_right_to_left_text_is_clickable(tmp_path):
    """Right to left, a link whose text is not one left-to-right word (Hebrew words, a
    brand name with its address printed after it) is clickable on the address printed
    with it; a cross-reference prints its page only.  Each annotation covers its address."""
    path = tmp_path / "he-links.pdf"
    path.write_bytes(hebrew_links(tmp_path, """\
    id: more
    content:
      - "[לחצו כאן](https://example.org/info) או [Valium](https://valium.example) או [התקשרו](tel:+972 3 555 0000)."
      - "כתבו [לרוקח](mailto:rx@example.org), וראו [למעלה](#more)."
"""))
    pdf = Leaflet(path.read_bytes())
    targets = {}
    for annotation in pdf.reader.pages[0].get("/Annots", []):
        annotation = annotation.get_object()
        action = annotation["/A"]
        targets[str(action.get("/URI", ""))] = [float(v) for v in annotation["/Rect"]]
    assert set(targets) == {"https://example.org/info", "https://valium.example", "tel:+972 3 555 0000",
                            "mailto:rx@example.org"}
    assert len(pdf.elements("Link")) == 4
    words = {o.text.strip("() "): o.bounds for o in pdf.objects if o.text.strip("() ") in
             ("example.org/info", "valium.example", "rx@example.org")}
    assert "example.org/info" in words
    for uri, rect in targets.items():
        shown = uri.split("://")[-1].split(":")[-1]
        if shown in words:  # the annotation is over the printed address
            left, _, right, _ = words[shown]
            assert rect[0] <= left + 1 and right - 1 <= rect[2], uri


def test_right_to_left_links_sharing_an_address_each_get_their_own_place(tmp_path):
    """Found by whole words, in reading order: a link to example.org is not put over
    example.org/info, and a second link to the same address gets the second place."""
    pdf = Leaflet(hebrew_links(tmp_path, """\
    content:
      - "[מידע](https://example.org/info) וגם [אתר](https://Example.org). [שוב](https://example.org/info)"
"""))
    rects = []
    for annotation in pdf.reader.pages[0]["/Annots"]:
        annotation = annotation.get_object()
        rects.append((str(annotation["/A"]["/URI"]), tuple(round(float(v)) for v in annotation["/Rect"])))
    assert [uri for uri, _ in rects] == ["https://example.org/info", "https://Example.org", "https://example.org/info"]
    assert len({rect for _, rect in rects}) == 3  # three places, none shared
    width = {uri: rect[2] - rect[0] for uri, rect in rects}
    assert width["https://Example.org"] < width["https://example.org/info"]  # the short address, not inside the long
