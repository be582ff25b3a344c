"""What a build reuses from earlier builds in the process, and that reuse never changes a byte."""
import json
import subprocess
import sys

import pytest

import rxleaflet
from rxleaflet import api
from rxleaflet.layout import write

from conftest import ROOT, SAMPLE, run_cli
from pdfread import Leaflet

PHARMACY = ROOT / "content" / "pharmacy.yaml"
RX = ROOT / "content" / "prescriptions" / "example.yaml"


def fresh_process_build(*args) -> bytes:
    """The PDF one `rxleaflet build` makes in a process of its own."""
    return subprocess.run([sys.executable, "-m", "rxleaflet", "build", str(SAMPLE), "-o", "-", *map(str, args)],
                          capture_output=True, check=True).stdout


def test_a_repeated_build_of_a_leaflet_is_the_same_pdf_as_a_fresh_one():
    leaflet = rxleaflet.load(SAMPLE)
    first = rxleaflet.build(leaflet, paper="letter")
    again = rxleaflet.build(rxleaflet.load(SAMPLE), paper="letter")  # an equal model, loaded again
    assert again == first == fresh_process_build("--paper", "letter")


def test_what_decides_the_bytes_decides_what_is_reused(monkeypatch):
    leaflet = rxleaflet.load(SAMPLE)
    a4 = rxleaflet.build(leaflet)
    assert rxleaflet.build(leaflet, paper="a5") != a4
    assert rxleaflet.build(leaflet, large_print=True) != a4
    assert rxleaflet.build(leaflet, pharmacy=rxleaflet.load_pharmacy(PHARMACY)) != a4
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert rxleaflet.build(leaflet) != a4


def test_a_patients_leaflet_is_never_kept():
    leaflet = rxleaflet.load(SAMPLE)
    prescription = rxleaflet.load_prescription(RX, leaflet)
    api.forget_built()
    first = rxleaflet.build(leaflet, prescription=prescription)
    assert not api._BUILT
    assert rxleaflet.build(leaflet, prescription=prescription) == first == fresh_process_build("--rx", RX)


# -- personalised leaflets: the body laid out once per panel height -------------------

HEBREW = ROOT / "tests" / "inputs" / "rtl" / "he.yaml"
LONG = ("Take ONE tablet three times a day when needed for anxiety. Do not take more than three tablets in "
        "24 hours. Do not drive or operate machinery if the tablets make you drowsy. ")
PATIENTS = {  # name: (patient, directions): panels of several heights and alphabets
    SAMPLE: [("Ann Example", "Take ONE tablet at night."),
             ("Zoë Façade-Example", LONG),  # Latin-1, and a taller panel
             ("Łucja Żółć", LONG + LONG),  # Latin Extended-A, taller still
             ("Νίκος Example", "Take ONE tablet at night."),  # Greek: no tier holds it, laid out whole
             ("Bob Example", "Take ONE tablet at night.")],  # Ann's panel height again
    HEBREW: [("שרה כהן", "טבליה אחת בלילה."),
             ("דוד לוי", "טבליה אחת שלוש פעמים ביום. " * 6),
             ("Ann Example", "טבליה אחת בלילה.")],
}


def rows(content, tmp_path):
    leaflet = rxleaflet.load(content)
    medicine = f"{leaflet.medicine.name} {leaflet.medicine.strength}"
    for n, (patient, directions) in enumerate(PATIENTS[content]):
        path = tmp_path / f"rx{n}.json"
        path.write_text(json.dumps({"patient": patient, "rx_number": f"RX-{n:04d}", "dispensed": "2026-11-25",
                                    "prescriber": "Dr Alan Sample", "medicine": medicine, "directions": directions,
                                    "quantity": "30 tablets", "refills": str(n)}), encoding="utf-8")
        yield path


@pytest.mark.parametrize("content", [SAMPLE, HEBREW], ids=["en", "he"])
def test_a_personalised_leaflet_is_the_same_whichever_patient_its_layout_was_made_for(content, tmp_path):
    leaflet = rxleaflet.load(content)
    pharmacy = rxleaflet.load_pharmacy(PHARMACY)
    prescriptions = [rxleaflet.load_prescription(path, leaflet) for path in rows(content, tmp_path)]
    write.forget_templates()
    in_turn = [rxleaflet.build(leaflet, prescription=rx, pharmacy=pharmacy) for rx in prescriptions]
    templates = len(write._TEMPLATES)
    assert 2 <= templates < len(prescriptions)  # several panel heights, and a layout used again
    for rx, pdf in zip(prescriptions, in_turn):
        write.forget_templates()  # the layout made for this very patient
        assert rxleaflet.build(leaflet, prescription=rx, pharmacy=pharmacy) == pdf
    names = [Leaflet(pdf).elements("TD")[0].text.strip() for pdf in in_turn]
    assert names == [patient for patient, _ in PATIENTS[content]]


@pytest.mark.parametrize("content", [SAMPLE, HEBREW], ids=["en", "he"])
def test_a_batch_in_one_process_is_byte_for_byte_the_single_builds(content, tmp_path):
    jobs = tmp_path / "jobs.jsonl"
    paths = list(rows(content, tmp_path))
    jobs.write_text("".join(json.dumps({"content": str(content), **json.loads(path.read_text(encoding="utf-8"))},
                                       ensure_ascii=False) + "\n" for path in paths), encoding="utf-8")
    result = run_cli("batch", jobs, "-o", tmp_path / "out", "--jobs", "1", "--pharmacy", PHARMACY)
    assert result.returncode == 0, result.stderr
    for n, path in enumerate(paths):
        single = subprocess.run([sys.executable, "-m", "rxleaflet", "build", str(content), "--rx", str(path),
                                 "--pharmacy", str(PHARMACY), "-o", "-"], capture_output=True, check=True).stdout
        assert (tmp_path / "out" / f"RX-{n:04d}.pdf").read_bytes() == single, f"row {n + 1}"
