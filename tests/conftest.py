import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "diazepam-2mg.yaml"
SAMPLE_ES = ROOT / "content" / "es" / "diazepam-2mg.yaml"
SOURCE_ARTICLE = ROOT / "tests" / "data" / "diazepam-2mg-source.txt"

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Readers we did not write, which some tests check our output with. A test that needs
# one that is missing fails, saying what to install; with this variable set it is skipped.
SKIP_MISSING_READERS = "RXLEAFLET_SKIP_MISSING_READERS"
# Debian's EPUBCheck (the W3C's validator), run with java -jar: its /usr/bin/epubcheck is the jar itself.
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def missing_reader(name: str) -> str | None:
    """What to install for the reader a test needs ("poppler", "browser"), or None when it is here."""
    if name == "poppler":
        if shutil.which("pdfinfo") and shutil.which("pdftotext"):
            return None
        return "poppler-utils is not installed (apt-get install poppler-utils)"
    if name == "browser":
        from browser_harness import ready

        return ready()
    if name == "espeak":
        return None if shutil.which("espeak-ng") else "eSpeak NG is not installed (apt-get install espeak-ng)"
    if name == "epubcheck":
        return None if EPUBCHECK.is_file() and shutil.which("java") else "EPUBCheck is not installed (apt-get install epubcheck)"
    raise ValueError(f"unknown reader {name!r}")


def require_reader(name: str) -> None:
    """Go on only where the reader is installed: fail saying what to install, or skip if asked to."""
    missing = missing_reader(name)
    if missing is None:
        return
    if os.environ.get(SKIP_MISSING_READERS):
        pytest.skip(missing)
    pytest.fail(f"{missing}; .ci/run installs it (set {SKIP_MISSING_READERS}=1 to skip such tests instead)",
                pytrace=False)


def pytest_configure(config):
    config.addinivalue_line("markers", "needs(reader): the test reads our output with poppler, the browser, EPUBCheck …")


def pytest_runtest_setup(item):
    for marker in item.iter_markers("needs"):
        require_reader(*marker.args)


def source_sentences() -> list[str]:
    """The article's sentences and headings, in order, with its one spam artefact fixed."""
    text = SOURCE_ARTICLE.read_text(encoding="utf-8")
    text = text.replace("its Diazepam 2mg pil name Valium", "its brand name Valium")
    sentences = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(\d+\.|•)\s+", "", line).strip()
        if line:
            sentences += re.split(r"(?<=[.!?:])\s+", line)
    return sentences


OUTLOUD = Path(sys.executable).parent / "outloud"


def outloud_report(pdf_path) -> dict:
    """The PDF/UA-1 checker outloud's report on one PDF."""
    result = subprocess.run([str(OUTLOUD), "--json", "-", "--fail-on", "never", str(pdf_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["results"][0]


def outloud_reports(pdf_paths) -> list[dict]:
    """outloud's reports on several PDFs, from one run."""
    result = subprocess.run([str(OUTLOUD), "--json", "-", "--fail-on", "never", *map(str, pdf_paths)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["results"]


def findings(report) -> list[str]:
    """An outloud report's findings, one line each, for an assertion message."""
    return [f"{f['rule']} {f.get('severity')}: {f.get('message')}" for f in report["findings"]]


@pytest.fixture(scope="session")
def sample_pdf() -> bytes:
    import rxleaflet

    return rxleaflet.build(rxleaflet.load(SAMPLE))


@pytest.fixture(scope="session")
def sample(sample_pdf):
    from pdfread import Leaflet

    return Leaflet(sample_pdf)


def run_cli(*args, cwd=None, env=None):
    """Run the command as a user would: a new process, text output."""
    return subprocess.run([sys.executable, "-m", "rxleaflet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=120)


MINIMAL = """\
lang: en-GB
title: Test leaflet
medicine: {name: Testamol, strength: 5 mg, form: tablets}
revised: 2026-01-02
source: Written for the tests
sections:
"""


def leaflet_yaml(name="Testamol", strength="5 mg", form="tablets", lang="en-GB", codes=None, brands=None):
    """A small complete content file about one medicine: a library's entry in the tests."""
    medicine = {"name": name, "strength": strength, "form": form}
    if brands:
        medicine["brand_names"] = brands
    if codes is not None:
        medicine["codes"] = codes
    return (f"lang: {lang}\ntitle: {name} {strength} {form}\nmedicine: {json.dumps(medicine)}\n"
            "revised: 2026-01-02\nsource: Written for the tests\nsections:\n  - Take it as your doctor says.\n")


def content(sections_yaml: str, head: str = MINIMAL) -> str:
    """A complete content file with the given YAML under ``sections:``."""
    return head + sections_yaml


@pytest.fixture
def write_content(tmp_path):
    def write(text, name="leaflet.yaml", raw: bytes = None):
        path = tmp_path / name
        if raw is not None:
            path.write_bytes(raw)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


# `pytest --hypothesis-profile=dev` replays and generates without shrinking (fast triage).
from hypothesis import Phase, settings  # noqa: E402

settings.register_profile("dev", phases=[Phase.explicit, Phase.reuse, Phase.generate])


def as_in_a_terminal() -> None:
    """In the child, before the command: Ctrl-C and SIGTERM as a command in a terminal has
    them, whatever the test run inherited (a shell runs a background job, `pytest &` or a
    CI step, with SIGINT ignored, which rxleaflet rightly keeps)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
