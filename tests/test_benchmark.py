"""The benchmark runs (quick mode) and prints its table, Typst's column included when the
bench extra is installed; its numbers are not asserted."""
import importlib.util
import subprocess
import sys

from conftest import ROOT

MEASURES = ("warm build, same leaflet again", "cold-cache build", "layout and write, tagged",
            "whole process: one leaflet", "batch of 12 personalised, 2 processes", "batch of 12 personalised, 1 process",
            "batch memory growth", "sample leaflet size", "cold-cache build, Chinese leaflet",
            "whole process: one Chinese leaflet", "Chinese leaflet size")


def test_the_benchmark_runs_in_quick_mode():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rxleaflet benchmark: ")
    with_typst = importlib.util.find_spec("typst") is not None
    assert ("Typst (typst " in lines[0]) == with_typst
    for measure in MEASURES + ("personalised leaflet, next patient",):
        line = next((line for line in lines if line.startswith(measure)), None)
        assert line is not None, measure
        cells = line[52:].split()
        float(cells[0])  # rxleaflet's figure
        if with_typst and measure in ("warm build, same leaflet again", "whole process: one leaflet",
                                      "personalised leaflet, next patient",
                                      "batch of 12 personalised, 2 processes", "sample leaflet size"):
            float(cells[1])
            assert cells[2].endswith("×"), line  # the ratio, printed: "0.20× Typst's time …"


def test_the_service_load_test_runs_in_quick_mode_without_errors():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "serve_load.py"), "--quick"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rxleaflet serve load test: 60 requests, 16 at a time")
    assert "errors                         0" in lines
    for measure in ("requests/s", "latency p50 (ms)", "latency p99 (ms)", "server memory start (MB)",
                    "server memory end (MB)"):
        assert any(line.startswith(measure) for line in lines), measure
