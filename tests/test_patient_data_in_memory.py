"""After a personalised leaflet is built, nothing in the process still holds the patient's details.

Line-breaking and string-width caches live as long as the process (a batch
worker, a service), so they must only ever hold what leaflets share.  Each
case runs in a fresh process (tests/probes/patient_data_probe.py) that builds,
drops the result, collects garbage and searches every string reachable from
any live object, the caches' keys included.
"""
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).parent / "probes" / "patient_data_probe.py"
# The patient's surname, a word of the directions, the Rx number: passed as hex, so
# that neither this process nor the probe holds them as strings of its own.
MARKERS = ("Zorblewick", "kumquatish", "RXQZ99")


def probe(mode: str, folder: Path) -> str:
    markers = ",".join(marker.encode().hex() for marker in MARKERS)
    result = subprocess.run([sys.executable, str(PROBE), mode, str(folder), markers],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("mode", ["build", "batch", "batch-pool", "pool-worker", "service"])
def test_no_patient_detail_outlives_its_leaflet(mode, tmp_path):
    assert probe(mode, tmp_path) == "clean"


def test_the_search_finds_a_prescription_that_is_still_alive(tmp_path):
    found = probe("control", tmp_path).splitlines()
    assert any("Zorblewick" in line for line in found)
    assert any("kumquatish" in line for line in found)
    assert any("RXQZ99" in line for line in found)
