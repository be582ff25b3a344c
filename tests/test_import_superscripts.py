"""Superscripts and subscripts from a label: a unit's power as a superscript digit (m²), a formula's count as a subscript digit (H₂O), a footnote mark kept apart from its word."""
import xml.etree.ElementTree as ET

import pytest

from rxleaflet.importers import nodes
from rxleaflet.importers.narrative import Narrative


def paragraph_text(xhtml: str) -> str:
    narrative = Narrative(nodes.Log("label.xml"), lambda href, text: None, lambda element: [])
    blocks = narrative.blocks(ET.fromstring(f"<div>{xhtml}</div>"))
    return " ".join(str(getattr(block, "text", block)) for block in blocks)


@pytest.mark.parametrize("xhtml, wanted, unwanted", [
    ("<p>Pharyngitis<sup>2</sup> and sinusitis<sup>a</sup>.</p>", ["Pharyngitis 2", "sinusitis a"], ["Pharyngitis2"]),
    ("<p>The dose is 75 mg/m<sup>2</sup> once a day.</p>", ["75 mg/m²"], ["m 2", "m2 "]),
    ("<p>A volume of 5 cm<sup>3</sup>.</p>", ["5 cm³"], []),
    ("<p>Water (H<sub>2</sub>O).</p>", ["H₂O"], ["H2O"]),
    ("<p>See note <sup>3</sup> below.</p>", ["note 3 below"], []),
])
def test_a_superscript_is_never_glued_to_its_word(xhtml, wanted, unwanted):
    text = paragraph_text(xhtml)
    for part in wanted:
        assert part in text, text
    for part in unwanted:
        assert part not in text, text
