"""The shipped JSON Schema agrees with the loader: it accepts the example and
refuses what the loader refuses."""
import datetime
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from rxleaflet.errors import UserError
from rxleaflet.content.leaflet import parse_leaflet

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "src/rxleaflet/schema/leaflet.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

VALID = {
    "lang": "en-GB",
    "title": "Example 5 mg tablets",
    "medicine": {"name": "Example", "strength": "5 mg", "form": "tablets", "brand_names": ["Examplon"]},
    "revised": "2026-01-31",
    "source": "A test",
    "lead": "What *Example* is.",
    "sections": [
        {"heading": "Uses", "content": [
            "Take **one** tablet.",
            {"bullets": ["Headache", {"text": "Fever", "numbered": ["Check", "Rest"]}]},
        ]},
        {"warning": {"title": "Careful", "content": [{"paragraph": "Do not drive."}]}},
    ],
}


def _with(**changes):
    return {**VALID, **changes}


def _in_section(block):
    return _with(sections=[{"heading": "H", "content": [block]}])


INVALID = {
    "missing sections": {k: v for k, v in VALID.items() if k != "sections"},
    "unknown top-level key": _with(author="Me"),
    "bad lang": _with(lang="en_GB"),
    "impossible date": _with(revised="2026-02-30"),
    "blank title": _with(title="   "),
    "empty sections": _with(sections=[]),
    "empty brand_names": _with(medicine={**VALID["medicine"], "brand_names": []}),
    "unknown block key": _in_section({"bulets": ["a"]}),
    "two block keys": _in_section({"paragraph": "a", "bullets": ["b"]}),
    "empty bullets": _in_section({"bullets": []}),
    "section without content": _in_section({"heading": "Only a heading"}),
    "box without title": _in_section({"warning": {"content": ["x"]}}),
    "box with extra key": _in_section({"emergency": {"title": "T", "content": ["x"], "colour": "red"}}),
    "item with bullets and numbered": _in_section({"bullets": [{"text": "a", "bullets": ["b"], "numbered": ["c"]}]}),
    "item without text": _in_section({"numbered": [{"bullets": ["b"]}]}),
}


def _dates_to_iso(value):
    """PyYAML reads an unquoted 2026-11-25 as a date; JSON has only strings."""
    if isinstance(value, dict):
        return {key: _dates_to_iso(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_to_iso(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def test_schema_is_valid():
    Draft202012Validator.check_schema(SCHEMA)


def test_example_content_validates():
    data = yaml.safe_load((ROOT / "content/diazepam-2mg.yaml").read_bytes())
    VALIDATOR.validate(_dates_to_iso(data))


def test_valid_document_passes_schema_and_loader():
    VALIDATOR.validate(VALID)
    parse_leaflet(yaml.safe_dump(VALID, allow_unicode=True).encode("utf-8"), "valid.yaml")


@pytest.mark.parametrize("document", INVALID.values(), ids=INVALID.keys())
def test_invalid_document_refused_by_schema_and_loader(document):
    assert not VALIDATOR.is_valid(document)
    with pytest.raises(UserError):
        parse_leaflet(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"), "invalid.yaml")


def test_the_schema_knows_the_lang_of_blocks():
    document = _in_section({"paragraph": "Texte.", "lang": "fr"})
    document["sections"].append({"heading": "H", "lang": "de", "content": [{"bullets": [{"text": "x", "lang": "es"}]}]})
    assert not list(VALIDATOR.iter_errors(document))
    parse_leaflet(yaml.safe_dump(document).encode(), "lang.yaml")


IMAGES = ROOT / "tests" / "inputs" / "images"
NEW_ELEMENTS = _with(
    medicine={"name": "Example", "strengths": ["5 mg", "10 mg"], "form": "tablets", "brand_names": ["Examplon"],
              "pronunciation": "EX-am-plon"},
    sections=[
        {"intro": {"content": ["Read all of this leaflet carefully."]}},
        {"important": {"title": "What is the most important information?", "content": [
            "See [side effects](#side-effects) or www.example.org."]}},
        {"heading": "Side effects", "id": "side-effects", "content": [
            {"table": {"caption": "Common", "header_column": True, "widths": [1, 2], "rows": [
                ["Symptom", "What to do"], ["Headache", ["Rest", {"bullets": ["Drink water"]}]]]}},
            {"figure": {"image": str(IMAGES / "blister.jpg"), "alt": "The blister pack", "caption": "Figure A",
                        "width": "60%"}},
            {"figure": {"image": str(IMAGES / "blister.jpg"), "decorative": True}},
            {"pictograms": {"images": [{"image": str(IMAGES / "with-water.png"), "alt": "With water"}],
                            "text": "Take with water."}},
        ]},
    ],
)

INVALID_NEW = {
    "strength and strengths": _with(medicine={**VALID["medicine"], "strengths": ["1 mg"]}),
    "bad section id": _with(sections=[{"heading": "H", "id": "Not An Id", "content": ["x"]}]),
    "table without rows": _in_section({"table": {"caption": "C"}}),
    "table without headers": _in_section({"table": {"header_row": False, "rows": [["a", "b"], ["c", "d"]]}}),
    "table with unknown key": _in_section({"table": {"rows": [["a"], ["b"]], "border": 1}}),
    "figure without alt": _in_section({"figure": {"image": str(IMAGES / "blister.jpg")}}),
    "decorative figure with alt": _in_section({"figure": {"image": str(IMAGES / "blister.jpg"), "decorative": True,
                                                          "alt": "x"}}),
    "figure too wide": _in_section({"figure": {"image": str(IMAGES / "blister.jpg"), "alt": "x", "width": "150%"}}),
    "important without title": _in_section({"important": {"content": ["x"]}}),
    "pictograms without text": _in_section({"pictograms": {"images": [{"image": str(IMAGES / "with-water.png"),
                                                                       "alt": "x"}]}}),
}


def test_new_elements_pass_schema_and_loader():
    VALIDATOR.validate(NEW_ELEMENTS)
    leaflet = parse_leaflet(yaml.safe_dump(NEW_ELEMENTS, allow_unicode=True).encode("utf-8"), "new.yaml")
    assert leaflet.medicine.strengths == ("5 mg", "10 mg") and leaflet.medicine.pronunciation == "EX-am-plon"


@pytest.mark.parametrize("document", INVALID_NEW.values(), ids=INVALID_NEW.keys())
def test_new_elements_refused_by_schema_and_loader(document):
    assert not VALIDATOR.is_valid(document)
    with pytest.raises(UserError):
        parse_leaflet(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"), "invalid.yaml")
