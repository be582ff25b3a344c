"""The medicine from a label's structured part first: every product's strength, the dose form,
names and units as written, one order for combinations, the label's own title kept; a field
the label does not give is left out (REVIEW), never printed as "not stated"; a prescriber's
document (SmPC) is refused by its type."""
from __future__ import annotations

import json
import re

import pypdf
import pytest
from test_import import imported, spl

from conftest import run_cli

LEAFLET_TYPE = {"coding": [{"system": "https://spor.ema.europa.eu/rmswi/", "code": "100000155538"}],
                "text": "Package Leaflet"}
TEXT = "<p>1. What X is and what it is used for</p><p>Take one a day.</p>"


def bundle(resources: list, title: str = "TEST PURPOSES ONLY", kind=LEAFLET_TYPE, sections=None, lang="en") -> str:
    composition = {"resourceType": "Composition", "language": lang, "date": "2024-01-02", "title": title,
                   "type": kind, "section": sections or [{"title": "Package leaflet", "text": {
                       "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{TEXT}</div>'}}]}
    return json.dumps({"resourceType": "Bundle", "type": "document",
                       "entry": [{"resource": r} for r in [composition] + resources]})


def product(ident: str, name: str, parts=()) -> dict:
    return {"resourceType": "MedicinalProductDefinition", "id": ident, "name": [{"productName": name, "part": [
        {"part": part, "type": {"text": kind}} for part, kind in parts]}]}


def ingredient(target: str, substance: str, value, unit: str, text: str = "") -> dict:
    strength = {"presentationQuantity": {"value": value, "unit": unit}}
    if text:
        strength["textPresentation"] = text
    return {"resourceType": "Ingredient", "for": [{"reference": target}], "role": {"text": "Active"},
            "substance": {"code": {"concept": {"text": substance}}, "strength": [strength]}}


def item(ident: str, form: str) -> dict:
    return {"resourceType": "ManufacturedItemDefinition", "id": ident, "manufacturedDoseForm": {"text": form}}


def medicine_of(tmp_path, text: str):
    data, result = imported(tmp_path, text, kind="epi", name="label.json")
    return data, result


def test_every_product_strength_is_kept(tmp_path):
    data, _ = medicine_of(tmp_path, bundle([
        product("p1", "Sertra 25 mg film-coated tablets"), product("p2", "Sertra 50 mg film-coated tablets"),
        ingredient("MedicinalProductDefinition/p1", "sertraline", 25, "mg"),
        ingredient("MedicinalProductDefinition/p2", "sertraline", 50, "mg")]))
    assert data["medicine"]["strengths"] == ["25 mg", "50 mg"]


def test_several_strengths_in_one_product_name_are_all_kept(tmp_path):
    data, _ = medicine_of(tmp_path, bundle([product("p1", "Sertra 25 mg and 50 mg film-coated tablets")]))
    assert data["medicine"]["strengths"] == ["25 mg", "50 mg"]


def test_combination_strengths_are_in_one_order(tmp_path):
    data, _ = medicine_of(tmp_path, bundle([
        ingredient("ManufacturedItemDefinition/a", "dolutegravir", 50, "mg"),
        ingredient("ManufacturedItemDefinition/a", "lamivudine", 300, "mg"),
        ingredient("ManufacturedItemDefinition/b", "lamivudine", 150, "mg"),
        ingredient("ManufacturedItemDefinition/b", "dolutegravir", 25, "mg"),
        item("a", "Film-coated tablet"), item("b", "Film-coated tablet")]))
    assert data["medicine"]["strengths"] == ["25 mg/150 mg", "50 mg/300 mg"]
    assert data["medicine"]["name"] == "Dolutegravir, lamivudine"


def test_ingredient_names_and_units_are_kept_as_written(tmp_path):
    strain = "A/Victoria/4897/2022 (H1N1)pdm09-like strain (A/Victoria/4897/2022, IVR-238)"
    data, _ = medicine_of(tmp_path, bundle([
        ingredient("ManufacturedItemDefinition/a", strain, 15, "micrograms HA", "15 micrograms HA"),
        ingredient("ManufacturedItemDefinition/b", "Vitamin D3", 1000, "IU"),
        item("a", "Suspension for injection")]))
    assert data["medicine"]["name"].startswith("A/Victoria/4897/2022 (H1N1)pdm09-like strain")
    assert data["medicine"]["strengths"] == ["15 micrograms HA", "1000 IU"]


def test_the_structured_form_wins_over_a_garbled_product_name(tmp_path):
    data, _ = medicine_of(tmp_path, bundle([
        product("p1", "Zolmi 2.5 mg", parts=[("Zolmi", "Invented name part"), ("mg", "Pharmaceutical dose form part")]),
        ingredient("ManufacturedItemDefinition/a", "zolmitriptan", 2.5, "mg"), item("a", "TABLET")]))
    assert data["medicine"]["form"] == "tablets" and data["medicine"]["strength"] == "2.5 mg"


def test_the_labels_own_title_is_kept_when_it_names_the_medicine(tmp_path):
    data, result = medicine_of(tmp_path, bundle([
        product("p1", "Lipitor® 10 mg film-coated tablets", parts=[("Lipitor®", "Invented name part")]),
        ingredient("ManufacturedItemDefinition/a", "ATORVASTATIN CALCIUM", 10, "mg"), item("a", "Film-coated tablet")],
        title="LIPITOR 10 mg film-coated tablets"))
    assert data["title"] == "LIPITOR 10 mg film-coated tablets"
    assert not any("does not name the medicine" in w for w in result.warnings)
    assert data["medicine"]["name"] == "Atorvastatin calcium"


def test_a_medicine_field_the_label_does_not_give_is_left_out_and_never_printed_as_not_stated(tmp_path):
    data, result = medicine_of(tmp_path, bundle([product("p1", "Sertra")], title="Sertra"))
    assert data["medicine"] == {"name": "Sertra"}
    assert "REVIEW: strength" in result.yaml and "REVIEW: form" in result.yaml
    path = tmp_path / "sertra.yaml"
    path.write_text(result.yaml, encoding="utf-8")
    built = run_cli("build", path, "-o", tmp_path / "sertra.pdf")
    assert built.returncode == 0 and "warning: the medicine has no strength" in built.stderr, built.stderr
    pdf = pypdf.PdfReader(tmp_path / "sertra.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "not stated" not in text and "not stated" not in str(pdf.metadata.get("/Subject"))
    assert re.search(r"Sertra\s", text)
    assert run_cli("build", path, "--strict", "-o", tmp_path / "strict.pdf").returncode == 2


@pytest.mark.parametrize("kind, sections", [
    ({"coding": [{"system": "https://www.mhra.gov.uk/", "code": "200000029791"}],
      "text": "SUMMARY OF PRODUCT CHARACTERISTICS"}, None),
    ({"text": "Produktresumé"}, None),
    ({}, [{"title": f"4.{n} Section", "text": {"div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div>'}}
          for n in range(1, 5)]),
])
def test_a_prescribers_document_is_refused_by_its_type(tmp_path, kind, sections):
    path = tmp_path / "smpc.json"
    path.write_text(bundle([], kind=kind, sections=sections), encoding="utf-8")
    result = run_cli("import", "epi", path, "-o", tmp_path / "smpc.yaml")
    assert result.returncode == 2 and "not a patient leaflet" in result.stderr and "for prescribers" in result.stderr
    assert not (tmp_path / "smpc.yaml").exists()


def test_an_unknown_document_type_is_warned_about(tmp_path):
    _, result = medicine_of(tmp_path, bundle([product("p1", "Sertra 25 mg tablets")], kind={"text": "Label text"}))
    assert any("no patient leaflet type rxleaflet knows" in w for w in result.warnings)


def test_spl_combination_strengths_in_one_order(tmp_path):
    label = spl("<paragraph>Take it.</paragraph>")
    second = ("<component><section><code code='48780-1' codeSystem='2.16.840.1.113883.6.1'/><subject>"
              "<manufacturedProduct><manufacturedProduct><name>Testamol</name><formCode displayName='TABLET'/>"
              "<ingredient classCode='ACTIM'><quantity><numerator value='10' unit='mg'/><denominator value='1' "
              "unit='1'/></quantity><ingredientSubstance><name>TESTAMOLOL</name></ingredientSubstance></ingredient>"
              "</manufacturedProduct></manufacturedProduct></subject></section></component>")
    label = label.replace("<component><section><code code=\"42231-1\"", second + "<component><section><code code=\"42231-1\"")
    data, _ = imported(tmp_path, label)
    assert data["medicine"]["strengths"] == ["5 mg", "10 mg"]


def test_one_ingredient_with_a_strength_for_each_product(tmp_path):
    both = ingredient("MedicinalProductDefinition/p1", "sertraline", 25, "mg")
    both["substance"]["strength"].append({"presentationQuantity": {"value": 50, "unit": "mg"}})
    data, _ = medicine_of(tmp_path, bundle([product("p1", "Sertra film-coated tablets"), both]))
    assert data["medicine"]["strengths"] == ["25 mg", "50 mg"]
