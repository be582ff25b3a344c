"""rxleaflet check: each kind of finding planted in clean content is reported at its line and column with its rule;
clean content reports nothing; accept comments, profiles, reports and exit statuses work as documented."""
from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import rxleaflet
from conftest import ROOT, SAMPLE, SAMPLE_ES, run_cli
from rxleaflet.check.run import check_leaflet

CLEAN = """\
lang: {lang}
title: Testamol 5 mg tablets
medicine:
  name: Testamol
  strength: 5 mg
  form: tablets
  brand_names: [Testa]
revised: 2026-01-02
source: Written for the tests
lead: Read this before you take the tablets.
sections:
  - heading: How to take it
    content:
      - >-
        Take one tablet each morning with a glass of water.
        Do not take more than two tablets in a day.
      - bullets:
          - Take it with food.
          - Keep it out of the sight and reach of children.
      - table:
          rows:
            - [When, How many]
            - [Morning, One tablet]
  - warning:
      title: Do not drive
      content:
        - It can make you sleepy.
  - heading: If you forget a dose
    content:
      - Take the next dose at the usual time. Do not take two doses at once.
"""

# Where a planted phrase goes: (what the clean content holds there, the text that replaces it).
FIELDS = {
    "title": "Testamol 5 mg tablets\nmedicine",
    "medicine.strength": "strength: 5 mg",
    "brand name": "[Testa]",
    "source": "Written for the tests",
    "lead": "Read this before you take the tablets.",
    "heading": "How to take it",
    "folded paragraph, second line": "Do not take more than two tablets in a day.",
    "list item": "Take it with food.",
    "table cell": "One tablet]",
    "box title": "Do not drive",
    "paragraph": "Take the next dose at the usual time.",
}


def planted(field: str, phrase: str, lang: str = "en-GB") -> str:
    text = CLEAN.format(lang=lang)
    old = FIELDS[field]
    new = {"title": f"{phrase}\nmedicine", "medicine.strength": f"strength: {phrase}", "brand name": f"[{phrase}]",
           "table cell": f"{phrase}]"}.get(field, phrase)
    assert text.count(old) == 1
    return text.replace(old, new)


def place_of(text: str, token: str, after: str) -> tuple[int, int]:
    """The line and column (1-based) of ``token`` in the file: its first place in the planted phrase."""
    start = text.index(after) + after.index(token)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def findings_of(path: Path, profile=None):
    return check_leaflet(rxleaflet.load(path), profile).findings


@pytest.mark.parametrize("lang", ["en-GB", "en-US"])
def test_clean_content_reports_nothing(write_content, lang):
    assert findings_of(write_content(CLEAN.format(lang=lang))) == []


# (rule, phrase, the token reported). Each is planted in every text field.
NOTATION = [
    ("trailing-zero", "Take 1.0 mg daily", "1.0"),
    ("trailing-zero", "Use 2.50 mL twice", "2.50"),
    ("naked-decimal", "Take .5 mg daily", ".5"),
    ("unit-abbreviation", "Inject 10 U daily", "U"),
    ("unit-abbreviation", "Vitamin D 400 IU", "IU"),
    ("error-prone-abbreviation", "One tablet QD", "QD"),
    ("error-prone-abbreviation", "One tablet q.o.d.", "q.o.d."),
    ("error-prone-abbreviation", "Inject it SC", "SC"),
    ("error-prone-abbreviation", "Take 5 cc", "cc"),
    ("error-prone-abbreviation", "One drop in OS", "OS"),
    ("error-prone-abbreviation", "Take it at HS", "HS"),
    ("microgram-symbol", "Take 50 µg daily", "µg"),
    ("microgram-symbol", "Take 50 ug daily", "ug"),
    ("comparison-sign", "Not for children < 12 years", "<"),
    ("comparison-sign", "Adults >65 years", ">"),
    ("error-prone-symbol", "With food & water", "&"),
    ("error-prone-symbol", "Take it @ 8 pm", "@"),
    ("error-prone-symbol", "Paracetamol+codeine", "+"),
    ("error-prone-symbol", "Take 25 units/10 units", "units/"),
    ("glued-unit", "Take 2mg daily", "2mg"),
    ("glued-unit", "Take 5ml daily", "5ml"),
    ("dose-split", "Take 1/2 tablet daily", "1/2"),
    ("dose-split", "Take ½ tablet daily", "½"),
]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("rule, phrase, token", NOTATION, ids=lambda v: v if isinstance(v, str) else None)
def test_error_prone_notation_is_found_in_every_text_field(write_content, field, rule, phrase, token):
    text = planted(field, phrase)
    found = [(f.rule, f.line, f.column) for f in findings_of(write_content(text)) if f.rule == rule]
    assert found == [(rule, *place_of(text, token, phrase))]


def test_a_folded_paragraph_reports_the_line_the_token_is_on(write_content):
    text = CLEAN.format(lang="en-GB").replace("with a glass of water.", "with a glass of water.\n        Then take\n"
                                              "        **1.0 mg** more, and [see here](https://example.org) 2mg.")
    found = {f.rule: (f.line, f.column) for f in findings_of(write_content(text))}
    assert found["trailing-zero"] == place_of(text, "1.0", "**1.0 mg**")
    assert found["glued-unit"] == place_of(text, "2mg", ") 2mg")


# The same classes in the other languages: their decimal mark, their units, their fixes.
LANGUAGES = [
    ("es", "trailing-zero", "Tome 1,0 mg al día", "1,0", "'1'"),
    ("es", "naked-decimal", "Tome ,5 mg al día", ",5", "'0,5'"),
    ("es", "naked-decimal", "Tome .5 mg al día", ".5", "'0.5'"),
    ("es", "unit-abbreviation", "Inyecte 10 UI al día", "UI", "unidades"),
    ("es", "error-prone-abbreviation", "Un comprimido QD", "QD", "cada día"),
    ("es", "glued-unit", "Tome 2mg al día", "2mg", "2\u00a0mg"),
    ("fr", "trailing-zero", "Prenez 2,50 ml", "2,50", "'2,5'"),
    ("fr", "microgram-symbol", "Prenez 50 µg", "µg", "microgrammes"),
    ("de", "trailing-zero", "Nehmen Sie 1,0 mg", "1,0", "'1'"),
    ("de", "unit-abbreviation", "Spritzen Sie 10 I.E.", "I.E.", "Einheiten"),
    ("de", "error-prone-abbreviation", "Spritzen Sie es s.c.", "s.c.", "unter die Haut"),
    ("de", "comparison-sign", "Kinder < 12 Jahre", "<", "weniger als"),
    ("it", "unit-abbreviation", "Inietti 10 UI", "UI", "unità"),
    ("pl", "trailing-zero", "Przyjmować 1,0 mg", "1,0", "'1'"),
    ("ar", "trailing-zero", "1.0 mg", "1.0", "'1'"),
    ("sv", "glued-unit", "Ta 2mg", "2mg", "2\u00a0mg"),
]


@pytest.mark.parametrize("lang, rule, phrase, token, fix", LANGUAGES)
def test_error_prone_notation_is_found_in_every_language(write_content, lang, rule, phrase, token, fix):
    text = planted("paragraph", phrase, lang)
    found = [f for f in findings_of(write_content(text)) if f.rule == rule]
    assert [(f.line, f.column) for f in found] == [place_of(text, token, phrase)]
    assert fix in found[0].suggestion


@pytest.mark.parametrize("lang, phrase", [("en-GB", "Take 1,000 mg"), ("de", "Nehmen Sie 1.000 mg"),
                                          ("en-GB", "Take 0.5 mg"), ("es", "Tome 0,5 mg"),
                                          ("en-GB", "Take 2\u00a0mg"), ("en-GB", "Call +44 20 7946 0000"),
                                          ("en-GB", "TAKE IT AS NEEDED"), ("en-GB", "Write to info@example.org"),
                                          ("en-GB", "It holds FD&C Blue #2"), ("es", "Tome 7 u 8 gotas"),
                                          ("en-GB", "Inject 40 mg/0.8 mL"),
                                          ("en-GB", "For ankylosing spondylitis (AS) in adults")])
def test_correct_notation_is_not_reported(write_content, lang, phrase):
    assert findings_of(write_content(planted("paragraph", phrase, lang))) == []


def test_long_sentences_jargon_and_reading_level(write_content):
    long = " ".join(["Take the tablet"] * 9) + "."
    hard = ("Concomitant administration of antihypertensive pharmaceutical preparations necessitates "
            "comprehensive cardiovascular monitoring. ") * 4
    text = planted("paragraph", long).replace("It can make you sleepy.", hard.strip())
    found = findings_of(write_content(text))
    rules = [(f.rule, f.line, f.column) for f in found]
    assert ("long-sentence", *place_of(text, "Take the tablet", long)) in rules
    assert ("jargon", *place_of(text, "Concomitant", hard.strip())) in rules
    warning_line = text[:text.index("title: Do not drive")].count("\n") + 1
    assert ("reading-level", warning_line, 14) in rules  # the box's title: the section the level is of
    [jargon] = [f for f in found if f.rule == "jargon"][:1]
    assert "taken at the same time" in jargon.suggestion


def test_accept_comments(write_content):
    text = planted("paragraph", "Take 2mg daily")
    same_line = text.replace("Take 2mg daily", "Take 2mg daily  # check: accept glued-unit — as the label prints it")
    above = text.replace("      - Take 2mg daily", "      # check: accept glued-unit: as the label prints it\n"
                                                  "      - Take 2mg daily")
    whole_file = "# check: accept glued-unit - a quoted label\n" + text
    for accepted in (same_line, above, whole_file):
        found = findings_of(write_content(accepted))
        assert [(f.rule, f.accepted is not None) for f in found] == [("glued-unit", True)]
    elsewhere = text.replace("Take it with food.", "Take it with food.  # check: accept glued-unit — not here")
    assert [f.accepted for f in findings_of(write_content(elsewhere))] == [None]
    no_reason = text.replace("Take 2mg daily", "Take 2mg daily  # check: accept glued-unit")
    assert sorted(f.rule for f in findings_of(write_content(no_reason)) if f.accepted is None) == \
        ["bad-accept", "glued-unit"]
    unknown = "# check: accept glued-units — typo\n" + CLEAN.format(lang="en-GB")
    assert [(f.rule, f.line) for f in findings_of(write_content(unknown))] == [("bad-accept", 1)]


QRD = """\
lang: en-GB
title: Package leaflet
profile: eu-qrd
medicine: {name: Testamol, strength: 5 mg, form: tablets, brand_names: [Testa]}
revised: 2026-01-02
source: Written for the tests
sections:
  - heading: 1. What Testa is and what it is used for
    content: [Testa treats pain.]
  - heading: 2. What you need to know before you take Testa
    content:
      - {heading: Do not take Testa, content: [If you are allergic to it.]}
      - {heading: Warnings and precautions, content: [Talk to your doctor.]}
      - {heading: Other medicines and Testa, content: [Tell your doctor.]}
      - {heading: Pregnancy and breast-feeding, content: [Ask your doctor.]}
      - {heading: Driving and using machines, content: [It does not make you sleepy.]}
  - heading: 3. How to take Testa
    content:
      - {heading: If you take more Testa than you should, content: [Call your doctor.]}
      - {heading: If you forget to take Testa, content: [Take the next dose as usual.]}
      - {heading: If you stop taking Testa, content: [Your pain may come back.]}
  - heading: 4. Possible side effects
    content:
      - {heading: Reporting of side effects, content: [Tell your doctor.]}
  - heading: 5. How to store Testa
    content: [Keep it out of the sight and reach of children.]
  - heading: 6. Contents of the pack and other information
    content:
      - {heading: What Testa contains, content: [Testamol.]}
      - {heading: What Testa looks like and contents of the pack, content: [White tablets.]}
      - {heading: Marketing Authorisation Holder and Manufacturer, content: [Test Ltd.]}
"""


def test_a_complete_eu_leaflet_has_no_completeness_findings(write_content):
    assert findings_of(write_content(QRD)) == []


def test_a_missing_sub_heading_is_reported_at_its_section(write_content):
    text = QRD.replace("      - {heading: If you forget to take Testa, content: [Take the next dose as usual.]}\n", "")
    [found] = findings_of(write_content(text))
    assert (found.rule, found.line, found.column) == ("missing-section", *place_of(text, "3.", "3. How to take"))
    assert "If you forget to take Testa" in found.suggestion


def test_sections_out_of_order_and_the_profile_option(write_content):
    lines = QRD.splitlines(keepends=True)
    five = lines.index("  - heading: 5. How to store Testa\n")
    swapped = "".join(lines[:7] + lines[five:five + 2] + lines[7:five] + lines[five + 2:])
    found = findings_of(write_content(swapped))
    assert [f.rule for f in found] == ["section-order"]
    assert found[0].line == swapped[:swapped.index("  - heading: 5.")].count("\n") + 1  # the section moved
    without = QRD.replace("profile: eu-qrd\n", "")
    assert findings_of(write_content(without)) == []
    assert {f.rule for f in findings_of(write_content(without), "fda-medication-guide")} == {"missing-section"}
    assert [f.rule for f in findings_of(write_content(without), "no-such")] == ["unknown-profile"]


def test_the_eu_profile_reads_spanish_headings(write_content):
    spanish = """\
lang: es
title: Prospecto
profile: eu-qrd
medicine: {name: Testamol, strength: 5 mg, form: comprimidos}
revised: 2026-01-02
source: Escrito para las pruebas
sections:
  - {heading: 1. Qué es Testamol y para qué se utiliza, content: [Trata el dolor.]}
  - {heading: 2. Qué necesita saber antes de empezar a tomar Testamol, content: [Lea esto.]}
  - heading: 3. Cómo tomar Testamol
    content:
      - {heading: Si toma más Testamol del que debe, content: [Llame a su médico.]}
      - {heading: Si interrumpe el tratamiento con Testamol, content: [Hable con su médico.]}
"""
    found = findings_of(write_content(spanish))
    missing = [f.suggestion for f in found if f.rule == "missing-section"]
    assert "add the sub-heading 'Si olvidó tomar Testamol' here" in missing
    assert "add the section 'Posibles efectos adversos'" in missing


# ---- the command --------------------------------------------------------------------------

def test_exit_statuses_and_the_text_report(write_content, tmp_path):
    clean = write_content(CLEAN.format(lang="en-GB"), "clean.yaml")
    dirty = write_content(planted("paragraph", "Take 1.0 mg daily"), "dirty.yaml")
    broken = write_content("lang: en\n", "broken.yaml")
    result = run_cli("check", clean)
    assert result.returncode == 0
    assert re.fullmatch(rf"{re.escape(str(clean))}: ok; Flesch–Kincaid grade \d+\.\d \(target 6, at most 8\)\n",
                        result.stdout)
    result = run_cli("check", clean, dirty)
    line, column = place_of(dirty.read_text(), "1.0", "Take 1.0")
    assert result.returncode == 1
    assert f"{dirty}:{line}:{column}: error: trailing-zero: " in result.stdout
    assert f"{dirty}: 1 errors, 0 warnings" in result.stdout
    result = run_cli("check", clean, broken)
    assert result.returncode == 2 and f"{broken}:" in result.stderr and f"{clean}: ok" in result.stdout


def test_json_and_sarif_reports(write_content):
    text = planted("list item", "Take 2mg QD  # check: accept glued-unit — as quoted")
    path = write_content(text)
    result = run_cli("check", "--format", "json", path)
    assert result.returncode == 1
    objects = json.loads(result.stdout)
    assert {(o["rule"], o["severity"], o["accepted"]) for o in objects} == \
        {("glued-unit", "error", "as quoted"), ("error-prone-abbreviation", "error", None)}
    assert set(objects[0]) >= {"file", "line", "column", "rule", "severity", "message", "suggestion"}
    sarif = json.loads(run_cli("check", "--format", "sarif", path).stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    tokens = {"glued-unit": "2mg", "error-prone-abbreviation": "QD"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == place_of(text, tokens[result["ruleId"]], "Take 2mg QD")
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(path)
        accepted = result["ruleId"] == "glued-unit"
        assert result.get("suppressions") == ([{"kind": "inSource", "justification": "as quoted"}] if accepted else None)


def test_a_library_folder_is_checked_and_build_strict_refuses_errors(write_content, tmp_path):
    dirty = write_content(planted("paragraph", "Take .5 mg daily"), "dirty.yaml")
    result = run_cli("check", tmp_path)
    assert result.returncode == 1 and "naked-decimal" in result.stdout
    library = run_cli("library", "check", tmp_path)
    assert library.returncode == 0 and f"{dirty}: 1 errors" in library.stderr
    refused = run_cli("build", dirty, "--strict", "-o", tmp_path / "out.pdf")
    assert refused.returncode == 2 and "naked-decimal" in refused.stderr
    assert not (tmp_path / "out.pdf").exists()
    built = run_cli("build", dirty, "-o", tmp_path / "out.pdf")
    assert built.returncode == 0 and (tmp_path / "out.pdf").exists()


def test_the_sample_leaflets_pass_and_quickly():
    result = run_cli("check", SAMPLE, SAMPLE_ES)
    assert result.returncode == 0, result.stdout
    assert re.findall(r": ok \((\d+) accepted\)", result.stdout)
    seconds = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "rxleaflet", "check", str(SAMPLE)], check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert min(seconds) < 0.5, seconds  # processor time of the whole command, start-up included


def test_importers_set_the_profile_and_check_reads_it(tmp_path):
    labels = ROOT / "tests" / "data" / "labels"
    made = {}
    for kind, label in (("epi", "epi/monuril-pl-en.json"), ("epi", "epi/ibrance-ppi-en.json"),
                        ("spl", "spl/humira-adalimumab.xml")):
        output = tmp_path / (Path(label).stem + ".yaml")
        assert run_cli("import", kind, labels / label, "-o", output, "--drop-missing-images").returncode == 0
        made[Path(label).stem] = output
    profiles = {name: re.findall(r"^profile: (.*)$", path.read_text(), flags=re.M) for name, path in made.items()}
    assert profiles == {"monuril-pl-en": ["eu-qrd"], "ibrance-ppi-en": [], "humira-adalimumab": ["fda-medication-guide"]}
    monuril = made["monuril-pl-en"]
    missing = [f for f in findings_of(monuril) if f.rule == "missing-section"]
    text = monuril.read_text()
    section_3 = re.search(r"^  - heading: 3\. How to take Monuril$", text, flags=re.M)
    assert {(f.line, f.suggestion) for f in missing} >= {
        (text.count("\n", 0, section_3.start()) + 1, "add the sub-heading 'If you forget to take Monuril' here")}
    assert not [f for f in findings_of(made["humira-adalimumab"]) if f.rule in ("missing-section", "section-order")]


def test_dose_split_finds_what_the_layout_splits(write_content):
    """In a built leaflet, "1/2 tablet" and "½ tablet" with an ordinary space are split at line ends, "2 mg" and
    "1/2 tablet" with a no-break space never are; check reports the first two and not the others."""
    import io

    import pypdf

    phrase = "then 1/2 tablet, and 2 mg, and 1/4\u00a0tablet again, with ½ tablet too."
    lines = "".join(f"  - Take {'x' * width} {phrase}\n" for width in range(30, 80))
    path = write_content(CLEAN.format(lang="en-GB").split("sections:")[0] + "sections:\n" + lines)
    leaflet = rxleaflet.load(path)
    text = [line.rstrip() for page in pypdf.PdfReader(io.BytesIO(rxleaflet.build(leaflet))).pages
            for line in page.extract_text().splitlines()]
    ends = {(first.split()[-1], second.split()[0]) for first, second in zip(text, text[1:]) if first and second}
    assert ("1/2", "tablet,") in ends and ("½", "tablet") in ends
    assert not [pair for pair in ends if pair[0] in ("2", "1/4") and pair[1].startswith(("mg", "tablet"))]
    found = {(f.rule, leaflet_text) for f in check_leaflet(leaflet).findings
             for leaflet_text in [path.read_text().splitlines()[f.line - 1][f.column - 1:f.column + 2]]}
    assert {token for rule, token in found if rule == "dose-split"} == {"1/2", "½ t"}


@pytest.mark.parametrize("rule, phrase, token", NOTATION[::3], ids=lambda v: v if isinstance(v, str) else None)
def test_error_prone_notation_is_found_in_alt_texts(write_content, tmp_path, rule, phrase, token):
    """A screen reader says a picture's alt text: it is checked as the text on the page is."""
    (tmp_path / "images").mkdir(exist_ok=True)
    for name in ("with-water.png", "blister-pack.jpg"):
        (tmp_path / "images" / name).write_bytes((ROOT / "content" / "examples" / "images" / name).read_bytes())
    blocks = (f"  - figure: {{image: images/blister-pack.jpg, alt: \"{phrase} (figure)\"}}\n"
              f"  - pictograms:\n      images:\n        - {{image: images/with-water.png, alt: \"{phrase} (icon)\"}}\n"
              "      text: Swallow it with water.\n")
    text = CLEAN.format(lang="en-GB") + blocks
    found = [(f.line, f.column) for f in findings_of(write_content(text)) if f.rule == rule]
    assert found == [place_of(text, token, f"{phrase} (figure)"), place_of(text, token, f"{phrase} (icon)")]
