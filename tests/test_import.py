"""rxleaflet import: real SPL and ePI labels and small made-up ones to content files (no build here)."""
import io
import json
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
import yaml
from conftest import run_cli
from label_text import epi_patient_text, spl_patient_text
from test_properties import _assert_words_in_order

from rxleaflet.errors import UserError
from rxleaflet.importers import import_label
from rxleaflet.importers.source import MAX_INPUT_BYTES

LABELS = Path(__file__).resolve().parent / "data" / "labels"
LIPITOR = LABELS / "spl" / "lipitor-atorvastatin.xml"
HUMIRA = LABELS / "spl" / "humira-adalimumab.xml"
IBRANCE = LABELS / "epi" / "ibrance-ppi-en.json"
MONURIL = LABELS / "epi" / "monuril-pl-en.json"
DOVATO = LABELS / "epi" / "dovato-pl-en.json"


def spl(narrative: str, more: str = "", code: str = "42231-1", title: str = "") -> str:
    """A small SPL document: product data, and one patient section with this narrative."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="urn:hl7-org:v3">
  <code code="34391-3" codeSystem="2.16.840.1.113883.6.1"/>
  <effectiveTime value="20240102"/><setId root="11111111-2222-3333-4444-555555555555"/><versionNumber value="3"/>
  <component><structuredBody>
    <component><section><code code="48780-1" codeSystem="2.16.840.1.113883.6.1"/>
      <subject><manufacturedProduct><manufacturedProduct>
        <name>Testamol</name><formCode displayName="TABLET"/>
        <asEntityWithGeneric><genericMedicine><name>testamolol</name></genericMedicine></asEntityWithGeneric>
        <ingredient classCode="ACTIM"><quantity><numerator value="5" unit="mg"/><denominator value="1" unit="1"/></quantity>
        </ingredient></manufacturedProduct></manufacturedProduct></subject></section></component>
    <component><section><code code="{code}" codeSystem="2.16.840.1.113883.6.1"/>{f"<title>{title}</title>" if title else ""}
      <text>{narrative}</text>{more}</section></component>
  </structuredBody></component>
</document>"""


def imported(tmp_path, text: str, kind="spl", name="label.xml", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = import_label(kind, path, tmp_path, **options)
    return yaml.safe_load(result.yaml), result


def _texts(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("image", "alt", "id", "header_row", "header_column"):
                yield from _texts(value)


def _plain(text: str) -> str:
    """The text an inline markup string prints (the writer escapes every literal "*", "\\" and bracket)."""
    out, i = [], 0
    while i < len(text):
        link = re.match(r"\[((?:\\.|[^\]\\])*)\]\([^)]*\)", text[i:])
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        elif link:
            out.append(_plain(link.group(1)))
            i += link.end()
        else:
            out.append("" if text[i] == "*" else text[i])
            i += 1
    return "".join(out)


def _headings(blocks):
    for block in blocks:
        if isinstance(block, dict):
            if "heading" in block:
                yield block["heading"]
                yield from _headings(block["content"])
            for box in ("important", "intro", "warning"):
                if box in block:
                    if block[box].get("title"):
                        yield block[box]["title"]
                    yield from _headings(block[box]["content"])


# -- real labels --------------------------------------------------------------------------------
@pytest.mark.parametrize("label", sorted(LABELS.glob("*/*.xml")) + sorted(LABELS.glob("*/*.json")), ids=lambda p: p.name)
def test_every_word_of_a_real_label_is_in_the_content_in_order(label, tmp_path):
    result = import_label("spl" if label.suffix == ".xml" else "epi", label, tmp_path, drop_missing_images=True)
    data = yaml.safe_load(result.yaml)
    words = data["title"].split() + [w for t in _texts(data["sections"]) for w in _plain(t).split()]
    source, titles = (spl_patient_text if label.suffix == ".xml" else epi_patient_text)(label)
    _assert_words_in_order(words, source)
    headings = list(_headings(data["sections"]))
    position = 0
    for title in titles:  # every section title of the source, in order (the first may be in the title)
        while position < len(headings) and title not in headings[position]:
            position += 1
        assert position < len(headings) or title in data["title"], title
        position += 1 if position < len(headings) else 0


def test_lipitor_medicine_dates_and_source_from_the_spl(tmp_path):
    data = yaml.safe_load(import_label("spl", LIPITOR, tmp_path).yaml)
    assert data["medicine"] == {"name": "Atorvastatin calcium", "strengths": ["10 mg", "20 mg", "40 mg", "80 mg"],
                                "form": "film-coated tablets", "brand_names": ["Lipitor"], "pronunciation": "LIP-ih-tore"}
    assert str(data["revised"]) == "2012-10-31"  # the patient section's effectiveTime
    assert "c6e131fe-e7df-4876-83f7-9156fc4e8228" in data["source"] and "version 11" in data["source"]
    assert data["title"] == "PATIENT INFORMATION — LIPITOR® atorvastatin calcium tablets (LIP-ih-tore)"
    assert data["lang"] == "en-US"
    headings = list(_headings(data["sections"]))
    assert headings[:3] == ["What is LIPITOR?", "What is Cholesterol?", "Who Should Not Take LIPITOR?"]
    # bold lines ending in ":" introduce a list and stay paragraphs; so do sentences
    assert "Call your doctor right away if you have:" not in headings


def test_humira_layout_tables_of_bullets_become_lists_read_by_column(tmp_path):
    result = import_label("spl", HUMIRA, tmp_path, drop_missing_images=True)
    assert "table:" not in result.yaml
    data = yaml.safe_load(result.yaml)
    important = next(b["important"] for b in data["sections"] if isinstance(b, dict) and "important" in b)
    assert important["title"] == "What is the most important information I should know about HUMIRA?"
    items = next(b["bullets"] for b in important["content"] if isinstance(b, dict) and "bullets" in b
                 and isinstance(b["bullets"][0], dict))
    assert items[0]["text"] == "think you have an infection or have symptoms of infection such as:"
    assert items[0]["bullets"] == ["fever, sweats, or chills", "muscle aches", "cough", "shortness of breath",
                                   "blood in phlegm", "weight loss", "warm, red, or painful skin or sores on your body",
                                   "diarrhea or stomach pain", "burning when you urinate or urinate more often than normal",
                                   "feel very tired"]
    assert "clay-colored bowel movements" in result.yaml and "• " not in result.yaml
    assert data["medicine"]["strengths"] == ["20 mg/0.4 mL", "40 mg/0.8 mL"]
    assert data["medicine"]["pronunciation"] == "Hu-MARE-ah"


def test_pictures_without_files_are_kept_for_review_or_dropped_with_a_comment(tmp_path):
    kept = import_label("spl", HUMIRA, tmp_path)
    figures = [f for f in _walk(yaml.safe_load(kept.yaml)) if isinstance(f, dict) and "figure" in f]
    review = re.findall(r"# REVIEW: (\S+)", kept.yaml)
    assert len(figures) == len(review) == 25
    # no file here: each points where its file would go (validate refuses the missing file), and
    # those with only a file label for a description have no alt (validate refuses that too)
    assert all(f["figure"]["image"].startswith("images/") and not (tmp_path / f["figure"]["image"]).exists()
               for f in figures)
    no_description = sum("no description" in w for w in kept.warnings)
    assert sum("alt" not in f["figure"] for f in figures) == no_description == 11
    assert "# REVIEW: HumiraPenFigA-PenImageB.jpg (“fig-a-pen-image”)" in kept.yaml
    dropped = import_label("spl", HUMIRA, tmp_path, drop_missing_images=True)
    assert "figure:" not in dropped.yaml
    assert len(re.findall(r"^\s+# picture \S+", dropped.yaml, re.M)) == 25
    assert sum("left out" in w for w in dropped.warnings) == 25


def _walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def jpeg(colour: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def media(ident: str, text: str, file_name: str) -> str:
    """An SPL observationMedia: a picture's file name and its text."""
    return (f"<component><observationMedia ID='{ident}'><text>{text}</text><value mediaType='image/jpeg'>"
            f"<reference value='{file_name}'/></value></observationMedia></component>")


def label_zip(path: Path, narrative: str, pictures: dict) -> Path:
    """A DailyMed-like zip: the SPL (with a medium M1, M2 … for each picture) and the picture files."""
    described = "".join(media(f"M{n}", text, name) for n, (name, (text, _)) in enumerate(pictures.items(), 1))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("label/spl.xml", spl(narrative, described))
        for name, (_, data) in pictures.items():
            archive.writestr(f"label/{name}", data)
    return path


def test_a_label_zip_brings_its_pictures_beside_the_content_file(tmp_path):
    label = label_zip(tmp_path / "label.zip",
                      "<paragraph>Hold the pen like this.</paragraph><renderMultiMedia referencedObject='M1'/>"
                      "<paragraph>Then this.</paragraph><renderMultiMedia referencedObject='M2'/>",
                      {"pen.jpg": ("A hand holding the pen, cap up", jpeg("red")), "fig-b.jpg": ("fig-b-pen", jpeg("blue"))})
    out = tmp_path / "out"
    out.mkdir()
    (out / "images").mkdir()
    (out / "images" / "pen.jpg").write_bytes(b"someone else's picture")
    done = run_cli("import", "spl", label, "-o", out / "leaflet.yaml")
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((out / "leaflet.yaml").read_text(encoding="utf-8"))
    figures = [f["figure"] for f in _walk(data) if isinstance(f, dict) and "figure" in f]
    assert figures[0] == {"image": "images/pen-2.jpg", "alt": "A hand holding the pen, cap up"}
    assert (out / "images" / "pen.jpg").read_bytes() == b"someone else's picture"  # never replaced
    assert (out / "images" / "pen-2.jpg").read_bytes() == jpeg("red")
    assert figures[1] == {"image": "images/fig-b.jpg"}  # the file came, but no description: for review
    assert "fig-b-pen" in done.stderr and "REVIEW" in (out / "leaflet.yaml").read_text(encoding="utf-8")
    again = run_cli("import", "spl", label, "-o", out / "leaflet.yaml")  # the same pictures are reused
    assert again.returncode == 0 and sorted(p.name for p in (out / "images").iterdir()) == ["fig-b.jpg", "pen-2.jpg", "pen.jpg"]


def test_ibrance_epi_nested_lists_links_and_placeholder_title(tmp_path):
    done = run_cli("import", "epi", IBRANCE, "-o", tmp_path / "ibrance.yaml")
    assert done.returncode == 0, done.stderr
    assert "TEST PURPOSES ONLY" in done.stderr and "placeholder" in done.stderr
    assert "does not name the medicine" in done.stderr
    text = (tmp_path / "ibrance.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["title"] == "IBRANCE (Palbociclib) tablets" and "Aromasin" not in data["title"]
    assert data["lang"] == "en" and str(data["revised"]) == "2002-08-01"
    assert data["medicine"]["brand_names"] == ["IBRANCE"] and data["medicine"]["pronunciation"] == "EYE-brans"
    # ul directly in li: nested under the item before
    pregnant = next(i for i in _walk(data) if isinstance(i, dict) and str(i.get("text", "")).startswith("are pregnant"))
    assert len(pregnant["bullets"]) == 4
    # cross-references: to a section id that exists; the "most important" box is not a section, so plain text
    ids = {s["id"] for s in _walk(data) if isinstance(s, dict) and "id" in s and "heading" in s}
    targets = set(re.findall(r"\]\(#([a-z0-9-]+)\)", text))
    assert targets and targets <= ids
    assert any(isinstance(b, dict) and "important" in b for b in _walk(data))


def test_monuril_loose_text_intro_box_and_links(tmp_path):
    data = yaml.safe_load(import_label("epi", MONURIL, tmp_path).yaml)
    first = data["sections"][0]
    assert first["heading"] == "B. Package Leaflet"
    intro = first["content"][1]["intro"]["content"]
    assert intro[0].startswith("Read all of this leaflet carefully") and len(intro[1]["bullets"]) == 4
    section2 = data["sections"][3]
    assert [s["heading"] for s in section2["content"] if isinstance(s, dict) and "heading" in s][:2] == [
        "Warnings and precautions", "Conditions you need to look out for"]
    text = yaml.safe_dump(data)
    assert "mailto:info.profilepharma@zambongroup.com" in text
    assert "1. What Monuril is and what it is used for Monuril contains" not in text  # the repeat dropped
    assert data["medicine"] == {"name": "Monuril", "strength": "3 g", "form": "granules for oral solution"}


def test_dovato_medicine_from_the_product_resources(tmp_path):
    data = yaml.safe_load(import_label("epi", DOVATO, tmp_path).yaml)
    assert data["medicine"]["strength"] == "50 mg/300 mg"
    assert data["medicine"]["form"] == "film-coated tablets"
    assert data["medicine"]["brand_names"] == ["Dovato"]
    assert data["title"] == "Dovato 50 mg/300 mg film-coated tablets"


# -- mess into structure --------------------------------------------------------------------------
def test_text_bullets_nested_lists_and_bold_lines(tmp_path):
    data, result = imported(tmp_path, spl(
        "<paragraph><content styleCode='bold'>What is Testamol?</content></paragraph>"
        "<paragraph>Testamol treats tests.</paragraph>"
        "<paragraph><content styleCode='bold'>Tell your doctor if you:</content></paragraph>"
        "<paragraph>• have a rash<br/>• feel dizzy</paragraph>"
        "<paragraph>- are pregnant</paragraph>"
        "<list><item>one</item><list><item>one a</item></list><item>two</item></list>"
        "<paragraph><content styleCode='bold'>Keep it cold.</content></paragraph>"))
    body = data["sections"]
    assert body[0]["heading"] == "What is Testamol?"
    assert body[0]["content"] == [
        "Testamol treats tests.",
        "**Tell your doctor if you:**",
        {"bullets": ["have a rash", "feel dizzy", "are pregnant", {"text": "one", "bullets": ["one a"]}, "two"]},
        "**Keep it cold.**",
    ]


def test_yaml_traps_are_quoted_and_read_back_exactly(tmp_path):
    tricky = ["* not a list", "Note: a colon", "yes", "123", "2024-01-02", "#hash", "-1 degree", "a # b", "[x](y) z",
              "{braces}", "'quoted'", '"double"', "back\\slash", "@at", "% percent", "`tick`", "! bang", "| pipe",
              "> gt", "null", "~", "a *star* b", "x: y: z"]
    narrative = "<paragraph>A sentence first, so that what follows is not read as title lines.</paragraph>"
    narrative += "".join(f"<paragraph>{t}</paragraph>" for t in tricky)
    data, result = imported(tmp_path, spl(narrative.replace("&", "&amp;")))
    plain = [_plain(t) for t in data["sections"][1:]]
    assert plain == tricky
    assert data["sections"][1] == "\\* not a list"
    for line in result.yaml.splitlines():
        assert not re.match(r"\s*- [{\[]", line), line  # block style, never flow


def test_long_paragraphs_are_folded_and_short_ones_plain(tmp_path):
    long = "Take this medicine exactly as your doctor has told you. " * 6
    data, result = imported(tmp_path, spl(f"<paragraph>{long}</paragraph><paragraph>Short one.</paragraph>"))
    assert "  - >-\n    Take this medicine" in result.yaml and "  - Short one.\n" in result.yaml
    assert data["sections"][0] == long.strip()
    assert max(len(line) for line in result.yaml.splitlines() if not line.lstrip().startswith("#")) <= 92


def test_real_tables_keep_their_header_row(tmp_path):
    data, _ = imported(tmp_path, spl(
        "<table><thead><tr><th>Symptom</th><th>What to do</th></tr></thead><tbody>"
        "<tr><td>Headache</td><td>Take <content styleCode='bold'>rest</content></td></tr>"
        "<tr><td>Rash</td><td/></tr></tbody></table>"))
    assert data["sections"] == [{"table": {"header_row": True, "rows": [
        ["Symptom", "What to do"], ["Headache", "Take **rest**"], ["Rash", "–"]]}}]


def test_empty_sections_are_dropped_with_a_note_and_a_warning(tmp_path):
    empty = ("<component><section><code code='42229-5' codeSystem='2.16.840.1.113883.6.1'/><title>Nothing here</title>"
             "<text><paragraph/></text></section></component>")
    data, result = imported(tmp_path, spl("<paragraph>Some text.</paragraph>", empty))
    assert data["sections"] == ["Some text."]
    assert "# empty section “Nothing here” left out" in result.yaml
    assert any("Nothing here" in w for w in result.warnings)


def test_links_with_empty_or_dangling_targets_print_as_text(tmp_path):
    data, _ = imported(tmp_path, spl(
        "<paragraph>See <linkHtml href=''>the leaflet</linkHtml>, <linkHtml href='#nowhere'>section 4</linkHtml>, "
        "<linkHtml href='https://example.org/a'>our site</linkHtml> and "
        "<linkHtml href='#http://www.fda.gov/x'>http://www.fda.gov/x</linkHtml>.</paragraph>"))
    assert data["sections"] == ["See the leaflet, section 4, [our site](https://example.org/a) and "
                                "http://www.fda.gov/x."]


def test_epi_lang_that_plainly_disagrees_with_the_text_is_warned(tmp_path):
    bundle = json.loads(MONURIL.read_text(encoding="utf-8"))
    bundle["entry"][0]["resource"]["language"] = "de"
    _, result = imported(tmp_path, json.dumps(bundle), "epi", "bundle.json")
    assert any("reads as English" in w for w in result.warnings)
    _, fine = imported(tmp_path, MONURIL.read_text(encoding="utf-8"), "epi", "bundle.json")
    assert not any("language is" in w for w in fine.warnings)


def test_section_choice(tmp_path):
    refused = run_cli("import", "spl", HUMIRA, "--section", "ppi", "-o", tmp_path / "x.yaml")
    assert refused.returncode == 2
    assert "no Patient Package Insert (42230-3)" in refused.stderr and "medguide (42231-1)" in refused.stderr
    chosen = run_cli("import", "spl", LIPITOR, "--section", "42230-3", "-o", tmp_path / "x.yaml", "--drop-missing-images")
    assert chosen.returncode == 0, chosen.stderr


# -- hostile and wrong files --------------------------------------------------------------------------
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<document xmlns="urn:hl7-org:v3"><title>&lol3;</title></document>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<document xmlns="urn:hl7-org:v3"><title>&secret;</title></document>"""


@pytest.mark.parametrize("name, text, kind, expected", [
    ("bomb.xml", BOMB, "spl", "declares a DTD or entities"),
    ("xxe.xml", XXE, "spl", "declares a DTD or entities"),
    ("broken.xml", "<document xmlns='urn:hl7-org:v3'>\n<title>open\n</document>", "spl", ":3:3: not well-formed XML"),
    ("other.xml", "<html><body>hi</body></html>", "spl", "not an SPL document"),
    ("pi-only.xml", spl("<paragraph>x</paragraph>", code="34067-9"), "spl", "no patient section"),
    ("broken.json", '{"resourceType": "Bundle",\n "type": }', "epi", ":2:10: not valid JSON"),
    ("patient.json", '{"resourceType": "Patient"}', "epi", "expected a FHIR Bundle"),
    ("collection.json", '{"resourceType": "Bundle", "type": "collection", "entry": []}', "epi", "not \"document\""),
    ("nocomposition.json", '{"resourceType": "Bundle", "type": "document", "entry": [{"resource": {"resourceType": "Patient"}}]}',
     "epi", "has none"),
    ("badxhtml.json", json.dumps({"resourceType": "Bundle", "type": "document", "entry": [{"resource": {
        "resourceType": "Composition", "language": "en", "date": "2024-01-01", "title": "T",
        "section": [{"title": "A", "text": {"div": "<div><p>unclosed</div>"}}]}}]}), "epi", "section[0].text.div"),
])
def test_bad_files_are_refused_with_exit_2_naming_the_file(tmp_path, name, text, kind, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = run_cli("import", kind, path, "-o", tmp_path / "out.yaml")
    assert done.returncode == 2, done.stderr
    assert str(path) in done.stderr and expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out.yaml").exists()


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as stream:
        stream.truncate(MAX_INPUT_BYTES + 1)
    done = run_cli("import", "spl", path, "-o", tmp_path / "out.yaml")
    assert done.returncode == 2 and f"the limit is {MAX_INPUT_BYTES:,}" in done.stderr


def test_the_api_raises_user_errors(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(UserError):
        import_label("epi", path, tmp_path)


def epi(sections, title="Testamol 5 mg tablets", language="en") -> str:
    """A small ePI document Bundle with these Composition sections (title, div, subsections)."""
    def section(entry):
        title, div, *inner = entry
        found = {"title": title, "text": {"status": "additional", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{div}</div>'}}
        if inner:
            found["section"] = [section(s) for s in inner[0]]
        return found

    return json.dumps({"resourceType": "Bundle", "id": "b1", "type": "document", "entry": [{"resource": {
        "resourceType": "Composition", "language": language, "date": "2024-03-04", "title": title,
        "section": [section(s) for s in sections]}}]})


def test_epi_mess_loose_text_ul_in_ul_empty_sections_and_placeholders(tmp_path):
    data, result = imported(tmp_path, epi([
        ("1. What Testamol is and what it is used for",
         "<b>1. What Testamol is and what it is used for</b> Testamol 5 mg tablets treat tests."
         "<ul><li>first</li><ul><li>under first</li></ul><li>second</li></ul>Loose text after the list."
         "<p>A <a href=''>link without target</a> and <a href='#missing'>a dangling one</a>.</p>"),
        ("TEST PURPOSES ONLY", "<p>Placeholder-titled text.</p>"),
        ("2. Empty", "", [("2.1 Also empty", "<p> </p>")]),
    ]), "epi", "bundle.json")
    first = data["sections"][0]
    assert first["heading"] == "1. What Testamol is and what it is used for"
    assert first["content"] == ["Testamol 5 mg tablets treat tests.",
                                {"bullets": [{"text": "first", "bullets": ["under first"]}, "second"]},
                                "Loose text after the list.",
                                "A link without target and a dangling one."]
    assert data["medicine"] == {"name": "Testamol", "strength": "5 mg", "form": "tablets"}
    assert any("“TEST PURPOSES ONLY” looks like a placeholder" in w for w in result.warnings)
    assert any("empty section “2. Empty” left out" in w for w in result.warnings)
    assert "# empty section “2. Empty” left out" in result.yaml
    assert [s.get("heading") for s in data["sections"]] == ["1. What Testamol is and what it is used for",
                                                            "TEST PURPOSES ONLY"]


def test_spl_product_without_a_generic_name_uses_the_active_moiety(tmp_path):
    label = spl("<paragraph>Read this before you take it, every time.</paragraph>").replace(
        "<asEntityWithGeneric><genericMedicine><name>testamolol</name></genericMedicine></asEntityWithGeneric>", "").replace(
        "<denominator value=\"1\" unit=\"1\"/></quantity>",
        "<denominator value=\"1\" unit=\"1\"/></quantity><ingredientSubstance><name>TESTAMOLOL SUCCINATE</name>"
        "<activeMoiety><activeMoiety><name>TESTAMOLOL</name></activeMoiety></activeMoiety></ingredientSubstance>")
    data, _ = imported(tmp_path, label)
    assert data["medicine"]["name"] == "Testamolol" and data["medicine"]["brand_names"] == ["Testamol"]


def test_captions_of_lists_and_pictures_are_kept(tmp_path):
    pen = media("M1", "pen-image", "pen.jpg")
    narrative = ("<paragraph>Read this before you take it, every time you take it.</paragraph>"
                 "<list><caption>Things to bring</caption><item>the pen</item><item>a swab</item></list>"
                 "<renderMultiMedia referencedObject='M1'><caption>Figure A: the pen</caption></renderMultiMedia>")
    kept, _ = imported(tmp_path, spl(narrative, pen))
    assert kept["sections"][1:] == ["Things to bring", {"bullets": ["the pen", "a swab"]},
                                    {"figure": {"image": "images/pen.jpg", "caption": "Figure A: the pen"}}]
    dropped, _ = imported(tmp_path, spl(narrative, pen), drop_missing_images=True)
    assert dropped["sections"][-1] == "Figure A: the pen"


def test_an_spl_without_product_data_marks_the_medicine_for_review(tmp_path):
    label = re.sub(r"<subject>.*</subject>", "", spl("<paragraph>Read this before you take it, every time.</paragraph>"),
                   flags=re.S)
    data, result = imported(tmp_path, label)
    assert data["medicine"] == {"name": "Medication Guide"}  # no strength or form: left out, never "not stated"
    assert result.yaml.count("# REVIEW: ") == 3
    assert sum("not in the SPL's product data" in w for w in result.warnings) == 3
    path = tmp_path / "leaflet.yaml"
    path.write_text(result.yaml, encoding="utf-8")
    built = run_cli("build", path, "-o", tmp_path / "leaflet.pdf")
    assert built.returncode == 0 and "the medicine has no strength ('strength' or 'strengths') and no form" \
        in built.stderr, built.stderr
    pdf = pypdf.PdfReader(tmp_path / "leaflet.pdf")
    assert "not stated" not in "".join(page.extract_text() for page in pdf.pages)
    assert "not stated" not in str(pdf.metadata.get("/Subject"))


def test_the_default_output_never_replaces_a_file(tmp_path):
    first = run_cli("import", "epi", MONURIL, cwd=tmp_path)
    assert first.returncode == 0 and (tmp_path / "monuril-pl-en.yaml").is_file(), first.stderr
    (tmp_path / "monuril-pl-en.yaml").write_text("# edited by an author\n", encoding="utf-8")
    again = run_cli("import", "epi", MONURIL, cwd=tmp_path)
    assert again.returncode == 2 and "name the output with -o" in again.stderr
    assert (tmp_path / "monuril-pl-en.yaml").read_text(encoding="utf-8") == "# edited by an author\n"
    chosen = run_cli("import", "epi", MONURIL, "-o", "monuril-pl-en.yaml", cwd=tmp_path)
    assert chosen.returncode == 0 and "lang: en" in (tmp_path / "monuril-pl-en.yaml").read_text(encoding="utf-8")


def test_zips_over_the_limits_or_broken_are_refused(tmp_path):
    from rxleaflet.importers.source import MAX_ZIP_MEMBERS

    crowded = tmp_path / "crowded.zip"
    with zipfile.ZipFile(crowded, "w") as archive:
        for n in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"f{n}.txt", "")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "no label here")
    for label, expected in ((crowded, "the limit is 2,000"), (broken, "not a usable zip archive"),
                            (empty, "no SPL document in the archive (it holds no XML file)")):
        done = run_cli("import", "spl", label, "-o", tmp_path / "out.yaml")
        assert done.returncode == 2 and str(label) in done.stderr and expected in done.stderr, done.stderr


def test_html_named_characters_in_an_epi_narrative_are_read(tmp_path):
    data, _ = imported(tmp_path, epi([("1. Use", "<p>Take 2&nbsp;mg &ndash; not more &amp; not less, caf&eacute;.</p>")]),
                       "epi", "bundle.json")
    assert data["sections"][0]["content"] == ["Take 2\u00a0mg – not more & not less, café."]


def test_a_bold_question_opening_a_paragraph_is_a_heading(tmp_path):
    data, _ = imported(tmp_path, spl(
        "<paragraph>Read this before you take it, and every time you get a refill.</paragraph>"
        "<paragraph><content styleCode='bold'>What is Testamol?</content> Testamol is a medicine.</paragraph>"
        "<paragraph><content styleCode='bold'>Tell your doctor, including </content>about vitamins.</paragraph>"))
    assert data["sections"][1] == {"heading": "What is Testamol?", "content": [
        "Testamol is a medicine.", "**Tell your doctor, including** about vitamins."]}


def test_the_command_line_offers_the_sections_the_importer_knows():
    from rxleaflet import cli
    from rxleaflet.importers import spl as spl_module

    assert cli.SECTION_CHOICES == tuple(spl_module.SECTION_CHOICES)
