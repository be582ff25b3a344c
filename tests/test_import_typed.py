"""What a label types as text instead of marking it up: bullets typed as characters become
nested list items, a pronunciation with its stress marked by a quote is found, and text that
only says it is missing ("unavailable", "no text alternative" in the label's language) is
flagged for review."""
from __future__ import annotations

import pytest
from test_import import imported, media, spl
from test_import_products import bundle

from conftest import run_cli

NBSP = "\u00a0"


def test_word_bullets_typed_in_an_item_become_its_nested_items(tmp_path):
    data, _ = imported(tmp_path, spl(
        f"<list><item>Increased risk of a heart attack or stroke that can lead to death. This risk may happen:"
        f"<paragraph>o{NBSP}{NBSP} early in treatment and may increase</paragraph>"
        f"<paragraph>o{NBSP}{NBSP} with increasing doses of NSAIDs</paragraph></item>"
        f"<item>Stomach bleeding</item></list>"))
    first, second = data["sections"][0]["bullets"]
    assert first["bullets"] == ["early in treatment and may increase", "with increasing doses of NSAIDs"]
    assert second == "Stomach bleeding"


def test_typed_bullets_after_a_list_nest_under_its_last_item_by_their_sign(tmp_path):
    data, _ = imported(tmp_path, spl(
        "<paragraph>Call your doctor if you have:</paragraph>"
        "<paragraph>• fever</paragraph><paragraph>o\tabove 38 °C</paragraph>"
        f"<paragraph>{NBSP}{NBSP}▪ for more than a day</paragraph><paragraph>• rash</paragraph>"
        "<list><item>chest pain</item></list><paragraph>o  that spreads to your arm</paragraph>"
        "<paragraph>Stop taking it.</paragraph>"))
    assert data["sections"][1] == {"bullets": [
        {"text": "fever", "bullets": [{"text": "above 38 °C", "bullets": ["for more than a day"]}]},
        "rash", {"text": "chest pain", "bullets": ["that spreads to your arm"]}]}
    assert data["sections"][2] == "Stop taking it."


def test_a_lone_o_in_prose_is_a_word(tmp_path):
    data, _ = imported(tmp_path, spl("<paragraph>o bien una vez al día.</paragraph>"))
    assert data["sections"] == ["o bien una vez al día."]


@pytest.mark.parametrize("line, said", [
    ("XELJANZ (zel'-jans)", "zel'-jans"),
    ("SEROQUEL (SER’-oh-kwel)", "SER’-oh-kwel"),
    ("LYRICA (LEER' i kah)", "LEER' i kah"),
    ("HUMIRA® (Hu-MARE-ah)", "Hu-MARE-ah"),
])
def test_pronunciations_with_the_stress_marked_by_a_quote(tmp_path, line, said):
    data, result = imported(tmp_path, spl(f"<paragraph>MEDICATION GUIDE</paragraph><paragraph>{line}</paragraph>"
                                          "<paragraph>(testamolol)</paragraph><paragraph>Read this before you take "
                                          "it, every time.</paragraph>"))
    assert data["medicine"]["pronunciation"] == said
    path = tmp_path / "leaflet.yaml"
    path.write_text(result.yaml, encoding="utf-8")
    assert run_cli("build", path, "-o", tmp_path / "leaflet.pdf").returncode == 0


def test_words_in_parentheses_are_no_pronunciation(tmp_path):
    data, _ = imported(tmp_path, spl("<paragraph>TESTAMOL (don't crush)</paragraph><paragraph>(HIV positive)"
                                     "</paragraph><paragraph>Read this before you take it, every time.</paragraph>"))
    assert "pronunciation" not in data["medicine"]


@pytest.mark.parametrize("text", ["unavailable", "Not available.", "ikke tilgængelig", "Ei saatavilla",
                                  "No disponible", "Não disponível", "Μη διαθέσιμο",
                                  "This section is intentionally left blank"])
def test_a_paragraph_that_only_says_it_is_missing_is_kept_and_flagged(tmp_path, text):
    data, result = imported(tmp_path, spl(f"<paragraph>Read this first.</paragraph><paragraph>{text}</paragraph>"))
    assert data["sections"] == ["Read this first.", text]
    comments = " ".join(line.strip() for line in result.yaml.splitlines() if line.strip().startswith("#"))
    assert "REVIEW: this paragraph only says its text is missing" in comments
    assert any(text in w and "REVIEW" in w for w in result.warnings)


@pytest.mark.parametrize("alt", ["No text alternative", "Ingen tekstalternativ", "Sin texto alternativo",
                                 "Χωρίς εναλλακτικό κείμενο", "Kein Alternativtext", "Image", "unavailable"])
def test_a_placeholder_alt_text_is_flagged_not_used(tmp_path, alt):
    narrative = "<paragraph>How to hold the pen, every time.</paragraph><renderMultiMedia referencedObject='M1'/>"
    data, result = imported(tmp_path, spl(narrative, media("M1", alt, "pen.jpg")))
    figure = data["sections"][1]["figure"]
    assert "alt" not in figure
    assert any("placeholder" in w or "no description" in w for w in result.warnings), result.warnings


def test_an_epi_picture_with_a_placeholder_alt_in_its_language_is_flagged(tmp_path):
    text = bundle([], lang="da").replace("Take one a day.", 'Tag en om dagen.<img src=\\"#x\\" alt=\\"Ingen tekstalternativ\\"/>')
    data, result = imported(tmp_path, text, kind="epi", name="label.json")
    assert "Ingen tekstalternativ" not in str(data)
    assert any("Ingen tekstalternativ" in w and "placeholder" in w for w in result.warnings), result.warnings
