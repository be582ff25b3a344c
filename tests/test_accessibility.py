"""The sample leaflet, read back: PDF/UA-1 catalog, structure tree, marked content, fonts."""
import re

import pypdf.generic as g
import pypdfium2.raw as pdfium_c
import pytest

EXPECTED_HEADINGS = [
    ("H1", "Diazepam 2mg Pill: Uses, Benefits, and Important Information"),
    ("H2", "What Is Diazepam?"),
    ("H2", "Common Uses of Diazepam 2mg"),
    ("H2", "How Diazepam 2mg Works"),
    ("H2", "Dosage and Administration"),
    ("H2", "Side Effects of Diazepam 2mg"),
    ("H2", "Warning: Precautions and Warnings"),
    ("H2", "Emergency: Overdose and Emergency Measures"),
    ("H2", "Conclusion"),
]


def test_header_is_pdf_1_7(sample_pdf):
    assert sample_pdf.startswith(b"%PDF-1.7")


def test_catalog_has_what_pdf_ua_asks(sample):
    catalog = sample.catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == g.BooleanObject(True)
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == g.BooleanObject(True)
    assert catalog["/StructTreeRoot"]["/Type"] == "/StructTreeRoot"
    assert catalog["/PageMode"] == "/UseOutlines"


def test_xmp_declares_pdf_ua_1_and_the_title(sample):
    metadata = sample.catalog["/Metadata"].get_object()
    assert metadata["/Type"] == "/Metadata" and metadata["/Subtype"] == "/XML"
    xmp = metadata.get_data().decode("utf-8")
    assert 'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' in xmp
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    title = sample.reader.metadata.title
    assert title == "Diazepam 2mg Pill: Uses, Benefits, and Important Information"
    assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in xmp
    assert "<rdf:li>en-GB</rdf:li>" in xmp


def test_every_page_names_its_parent_tree_entry_and_tab_order(sample):
    parent_tree = sample.catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    keys = parent_tree[0::2]
    for index, page in enumerate(sample.reader.pages):
        assert page["/StructParents"] == index
        assert page["/Tabs"] == "/S"
    assert list(keys) == list(range(len(sample.reader.pages)))
    assert sample.catalog["/StructTreeRoot"]["/ParentTreeNextKey"] == len(sample.reader.pages)


def test_parent_tree_maps_every_mcid_back_to_its_element(sample):
    """Chrome and Firefox build their accessibility view from the ParentTree."""
    nums = sample.catalog["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    for page_index, refs in zip(nums[0::2], nums[1::2]):
        for mcid, ref in enumerate(refs):
            element = ref.get_object()
            marks = _marks_of(sample, element)
            assert (page_index, mcid) in marks, (page_index, mcid, element["/S"])
    drawn = {(o.page, o.mcid) for o in sample.objects if o.mcid >= 0}
    mapped = {(p, m) for p, refs in zip(nums[0::2], nums[1::2]) for m in range(len(refs))}
    assert drawn == mapped


def _kids(element) -> list:
    """An element's /K: an array, or one kid on its own (a single MCID)."""
    kids = element["/K"]
    return list(kids) if isinstance(kids, g.ArrayObject) else [kids]


def _marks_of(sample, element):
    home = sample._page_of(element.raw_get("/Pg")) if "/Pg" in element else None
    marks = set()
    for kid in _kids(element):
        if isinstance(kid, int):
            marks.add((home, kid))
        elif kid.get_object().get("/Type") == "/MCR":
            marks.add((sample._page_of(kid.get_object().raw_get("/Pg")), kid.get_object()["/MCID"]))
    return marks


def test_every_element_has_a_parent(sample):
    root = sample.catalog["/StructTreeRoot"]
    document = root["/K"][0].get_object()
    assert document["/S"] == "/Document"
    stack = [document]
    while stack:
        node = stack.pop()
        assert "/P" in node
        for kid in _kids(node):
            if isinstance(kid, g.IndirectObject) and kid.get_object().get("/Type") == "/StructElem":
                assert kid.get_object().raw_get("/P").idnum == node.indirect_reference.idnum
                stack.append(kid.get_object())


def test_headings_in_order_without_skipped_levels(sample):
    headings = [(e.role, e.text.strip()) for e in sample.tree.walk() if re.fullmatch(r"H\d?", e.role)]
    assert headings == EXPECTED_HEADINGS
    assert not any(role == "H" for role, _ in headings)
    levels = [int(role[1]) for role, _ in headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_lists_are_l_li_lbl_lbody_with_numbering(sample):
    lists = sample.elements("L")
    numbering = [str(lst.attributes["/ListNumbering"]) for lst in lists]
    assert numbering == ["/Decimal", "/Disc", "/Disc", "/Decimal", "/Disc"]
    for lst in lists:
        assert str(lst.attributes["/O"]) == "/List"
        for position, item in enumerate(lst.kids, 1):
            assert item.role == "LI"
            assert [k.role for k in item.kids] == ["Lbl", "LBody"]
            label = item.kids[0].text.strip()
            assert label == (f"{position}." if numbering[lists.index(lst)] == "/Decimal" else "•")
    first_item = " ".join(lists[0].kids[0].kids[1].text.split())
    assert first_item.startswith("Anxiety Disorders: Diazepam is frequently prescribed")


def test_boxes_are_sections_with_their_own_heading(sample):
    boxes = [e for e in sample.elements("Sect") if e.title]
    assert [b.title for b in boxes] == ["Warning", "Emergency"]
    warning, emergency = boxes
    assert [k.role for k in warning.kids] == ["H2", "L"]
    assert [k.role for k in emergency.kids] == ["H2", "P", "L", "P"]


def test_all_content_is_tagged_or_an_artifact(sample):
    for obj in sample.objects:
        tagged = obj.mcid >= 0
        assert tagged != obj.is_artifact, obj
        if tagged:
            assert "Artifact" not in obj.marks


def test_header_footer_and_decoration_are_artifacts(sample):
    artifacts = sample.artifact_texts()
    pages = len(sample.reader.pages)
    for number in range(1, pages + 1):
        assert (number - 1, f"Page {number} of {pages}") in artifacts
    for page in range(1, pages):
        assert (page, "Diazepam 2 mg") in artifacts  # the running header: medicine and strength
    paths = [o for o in sample.objects if o.kind == pdfium_c.FPDF_PAGEOBJ_PATH]
    assert paths and all(o.is_artifact for o in paths)


def test_fonts_are_embedded_with_unicode_maps(sample):
    fonts = set()
    for page in sample.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"]
            assert "/ToUnicode" in font
    assert fonts and all("AtkinsonHyperlegible" in f for f in fonts)
    for obj in sample.objects:
        if obj.text:
            assert obj.font_embedded
            assert "\x00" not in obj.text and "\ufffd" not in obj.text


def test_bookmarks_follow_the_headings(sample):
    def titles(outline, depth=0):
        for entry in outline:
            if isinstance(entry, list):
                yield from titles(entry, depth + 1)
            else:
                yield depth, entry.title

    outline = list(titles(sample.reader.outline))
    assert outline[0] == (0, EXPECTED_HEADINGS[0][1])
    assert [t for _, t in outline[1:]] == [t for _, t in EXPECTED_HEADINGS[1:]]
    assert all(depth == 1 for depth, _ in outline[1:])


def test_line_ends_keep_the_space_between_words(sample):
    """Each line of a paragraph ends in a real space, not only in a reader's guessed line break."""
    line_ends = 0
    for element in sample.elements("P") + sample.elements("LBody"):
        for line in element.raw_text.rstrip().split("\r\n")[:-1]:
            assert line.endswith(" "), line
            line_ends += 1
    assert line_ends > 50


def test_a_table_with_a_header_row_has_a_thead_before_its_tbody():
    """The shared table structure (tag.Table): caption first, THead › TR › TH with Scope
    Column, then TBody › TR › TH with Scope Row + TD; written into the PDF as such."""
    from rxleaflet.pdf import tag

    document = tag.Element("Document", None)
    table = tag.Table(document)
    table.caption()
    head = table.header_row()
    head.header(), head.header()
    row = table.row()
    row.header(), row.cell()
    assert [kid.role for kid in table.element.kids] == ["Caption", "THead", "TBody"]
    assert [e.role for e in table.element.walk()] == ["Table", "Caption", "THead", "TR", "TH", "TH",
                                                      "TBody", "TR", "TH", "TD"]
    scopes = [e.attributes[1]["Scope"] for e in table.element.walk() if e.role == "TH"]
    assert scopes == ["Column", "Column", "Row"]
    with pytest.raises(ValueError):
        table.header_row()  # header rows come first
    with pytest.raises(ValueError):
        table.caption()  # and so does the caption
