"""Start-up: each command imports only what it needs (the whole process of one build is mostly imports)."""
import subprocess
import sys

import pytest

from conftest import SAMPLE

PROBE = """
import sys
from rxleaflet import cli
try:
    cli.main(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)))
"""


def imported_by(*argv, cwd) -> set:
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=cwd)
    return set(result.stdout.split("\n")[-2].split())


@pytest.mark.parametrize("argv, absent", [
    (["--version"], {"yaml", "reportlab", "pypdf", "arabic_reshaper", "bidi"}),
    (["validate", str(SAMPLE)], {"pypdf", "arabic_reshaper", "bidi"}),
    # reportlab.platypus: its paragraphs compile a regular expression over most of Unicode
    # at import, a quarter of a one-leaflet process; rxleaflet fills pages itself (pagefill.py).
    (["build", str(SAMPLE), "-o", "out.pdf"], {"pypdf", "arabic_reshaper", "bidi", "xml", "reportlab.platypus"}),
])
def test_a_command_imports_only_what_it_needs(argv, absent, tmp_path):
    modules = imported_by(*argv, cwd=tmp_path)
    assert "rxleaflet" in modules
    assert not modules & absent


def test_the_package_api_is_there_when_asked_for():
    result = subprocess.run([sys.executable, "-c",
                             "import rxleaflet, rxleaflet.content.leaflet, sys\n"
                             "from rxleaflet.content.leaflet import parse_leaflet\n"
                             "print(callable(rxleaflet.load), rxleaflet.load.__module__, callable(rxleaflet.build), "
                             "sys.modules['rxleaflet.content.leaflet'].parse_leaflet is parse_leaflet)"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "rxleaflet.api", "True", "True"]
