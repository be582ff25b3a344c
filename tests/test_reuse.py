"""What a build reuses from earlier builds in the process, and that reuse never changes a byte."""
import subprocess
import sys

import rxleaflet
from rxleaflet import api

from conftest import ROOT, SAMPLE

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
