"""Round trip on every real label in tests/data/labels: import → build → the PDF has every word
of the label's patient text in order, its section titles as headings in order, and passes
both PDF/UA checkers (outloud and pdfua).
"""
from pathlib import Path

import pytest
import yaml
from conftest import findings, outloud_report, run_cli
from label_text import epi_patient_text, spl_patient_text
from pdfread import Leaflet
from test_properties import _assert_words_in_order
from test_schema import VALIDATOR

LABELS = Path(__file__).resolve().parent / "data" / "labels"
FILES = sorted(LABELS.glob("spl/*.xml")) + sorted(LABELS.glob("epi/*.json"))


def _import_and_build(label: Path, tmp_path: Path) -> Path:
    kind = "spl" if label.suffix == ".xml" else "epi"
    content = tmp_path / f"{label.stem}.yaml"
    imported = run_cli("import", kind, label, "-o", content, "--drop-missing-images")
    assert imported.returncode == 0, imported.stderr
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    data["revised"] = str(data["revised"])  # the schema sees JSON: the date as text
    errors = [e.message for e in VALIDATOR.iter_errors(data)]
    assert not errors, errors  # an editor with the shipped schema has nothing to flag either
    pdf = tmp_path / f"{label.stem}.pdf"
    built = run_cli("build", content, "-o", pdf)
    assert built.returncode == 0, built.stderr
    return pdf


@pytest.mark.parametrize("label", FILES, ids=lambda p: p.name)
def test_an_imported_label_builds_with_every_word_and_heading(label, tmp_path):
    pdf_path = _import_and_build(label, tmp_path)
    pdf = Leaflet(pdf_path.read_bytes())
    words, titles = (spl_patient_text if label.suffix == ".xml" else epi_patient_text)(label)
    assert len(words) > 100
    _assert_words_in_order(pdf.reading_text().split(), words)
    headings = [" ".join(e.text.split()) for e in pdf.tree.walk() if e.role[:1] == "H" and e.role[1:].isdigit()]
    position = 0
    for title in titles:
        while position < len(headings) and " ".join(title.split()) not in headings[position]:
            position += 1
        assert position < len(headings), f"section title {title!r} is not a heading (in order): {headings}"
        position += 1
    report = outloud_report(pdf_path)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)
    import pdfua  # the second checker, as for the bundled leaflets (imported here: only these tests need it)

    second = pdfua.validate(str(pdf_path))
    assert not second.findings and not second.skipped, second.to_dict()


@pytest.mark.parametrize("label", [LABELS / "spl" / "humira-adalimumab.xml", LABELS / "epi" / "ibrance-ppi-en.json"],
                         ids=lambda p: p.name)
def test_pictures_kept_for_review_are_refused_by_validate_naming_each(label, tmp_path):
    content = tmp_path / "leaflet.yaml"
    kind = "spl" if label.suffix == ".xml" else "epi"
    imported = run_cli("import", kind, label, "-o", content)
    assert imported.returncode == 0, imported.stderr
    review = [line for line in content.read_text(encoding="utf-8").splitlines() if "# REVIEW:" in line]
    assert review
    checked = run_cli("validate", content)
    assert checked.returncode == 2
    lines = content.read_text(encoding="utf-8").splitlines()
    figures = [n for n, line in enumerate(lines) if line.strip() == "- figure:"]
    assert len(figures) == len(review)
    for start in figures:  # each named at its place: the figure's line, or its image's
        image = next(n for n in range(start, len(lines)) if lines[n].strip().startswith("image:"))
        places = {f"{content}:{n + 1}:" for n in range(start, image + 1)}
        assert any(line.startswith(tuple(places)) for line in checked.stderr.splitlines()), (start + 1, checked.stderr)


def test_pictures_from_a_label_zip_are_built_as_figures_with_their_description(tmp_path):
    from test_import import jpeg, label_zip
    from test_new_elements import _alts

    label = label_zip(tmp_path / "label.zip",
                      "<paragraph>Read this before you use the pen, and every time you get a refill.</paragraph>"
                      "<paragraph>Hold the pen with the grey cap up.</paragraph><renderMultiMedia referencedObject='M1'/>",
                      {"pen.jpg": ("A hand holding the pen, grey cap up", jpeg("white"))})
    content = tmp_path / "out" / "leaflet.yaml"
    content.parent.mkdir()
    assert run_cli("import", "spl", label, "-o", content).returncode == 0
    built = run_cli("build", content, "-o", tmp_path / "leaflet.pdf")
    assert built.returncode == 0, built.stderr
    pdf = Leaflet((tmp_path / "leaflet.pdf").read_bytes())
    assert [str(alt) for alt in _alts(pdf)] == ["A hand holding the pen, grey cap up"]
