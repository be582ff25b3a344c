"""The benchmark runs (tiny mode) and prints its table; its numbers are not asserted."""
import subprocess
import sys

from conftest import ROOT


def test_the_benchmark_runs_in_quick_mode():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rxleaflet benchmark: ")
    for measure in ("warm build, tagged hot", "warm build, untagged cold", "whole process: rxleaflet build",
                    "batch of 12, 1 process", "batch memory growth", "sample leaflet size"):
        assert any(line.startswith(measure) for line in lines), measure


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
