"""rxleaflet's benchmark: one run, one machine, one table; numbers compared only as ratios.

    python benchmarks/bench.py            # the full run (about a minute on 2 cores)
    python benchmarks/bench.py --quick    # a smoke run: few repetitions, a small batch

Standard library and rxleaflet's own dependencies only.  What it measures:

* warm in-process build of the sample (imports and fonts loaded): the tagged
  build, and the same layout untagged as the baseline (tagged / untagged is
  the cost of tagging); each with the line-breaking cache kept ("hot", as for
  every build after the first of a leaflet) and emptied before each build
  ("cold", as for the first build of a leaflet in a process);
* the whole process of `rxleaflet build content/diazepam-2mg.yaml`, against
  the bare Python interpreter starting up;
* a batch of personalised leaflets of the sample medicine (a different
  patient on every row), on all cores and on one, against the rate of full
  single builds;
* the batch's peak memory, and its growth from leaflet 100 to the last;
* the size of the sample PDF.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "diazepam-2mg.yaml"
PHARMACY = ROOT / "content" / "pharmacy.yaml"
sys.path.insert(0, str(ROOT / "src"))


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> tuple[float, float, float]:
    return statistics.median(times), min(times), max(times)


def warm_builds(repeats: int) -> dict:
    import rxleaflet
    from rxleaflet import fonts, textset
    from rxleaflet.write import render

    leaflet = rxleaflet.load(SAMPLE)
    render(leaflet)  # the first build loads fonts and fills the caches

    def cold(tagged):
        textset.break_lines.cache_clear()
        fonts.string_width.cache_clear()
        render(leaflet, tagged=tagged)

    results = {}
    for tagged in (True, False):
        label = "tagged" if tagged else "untagged"
        render(leaflet, tagged=tagged)
        results[f"{label} hot"] = summary(timed(lambda: render(leaflet, tagged=tagged), repeats))
        results[f"{label} cold"] = summary(timed(lambda: cold(tagged), repeats))
    results["size"] = len(render(leaflet))
    return results


def whole_process(repeats: int, folder: Path) -> dict:
    out = folder / "sample.pdf"
    command = [sys.executable, "-m", "rxleaflet", "build", str(SAMPLE), "-o", str(out)]
    bare = [sys.executable, "-c", "pass"]
    subprocess.run(command, check=True, capture_output=True)  # warm the file cache
    return {"rxleaflet build": summary(timed(lambda: subprocess.run(command, check=True, capture_output=True), repeats)),
            "python -c pass": summary(timed(lambda: subprocess.run(bare, check=True), repeats))}


def write_jobs(folder: Path, rows: int) -> Path:
    """A day of invented patients, all on the sample medicine, directions of varied length."""
    directions = ["Take ONE tablet three times a day.",
                  "Take ONE tablet at night when needed for muscle spasm.",
                  "Take ONE or TWO tablets twice a day as directed by your doctor. Do not take more than four "
                  "tablets in 24 hours."]
    path = folder / "jobs.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for n in range(rows):
            stream.write(json.dumps({
                "content": str(SAMPLE), "patient": f"Patient {n:04d} Example", "rx_number": f"RX-{n:06d}",
                "dispensed": "2026-11-25", "prescriber": "Dr Alan Sample", "medicine": "Diazepam 2 mg tablets",
                "directions": directions[n % 3], "quantity": f"{10 + n % 20} tablets", "refills": str(n % 3)}) + "\n")
    return path


def batch(rows: int, folder: Path) -> dict:
    jobs = write_jobs(folder, rows)
    results = {}
    for workers in (os.cpu_count() or 1, 1):
        out = folder / f"out-{workers}"
        command = [sys.executable, "-m", "rxleaflet", "batch", str(jobs), "-o", str(out), "--jobs", str(workers),
                   "--pharmacy", str(PHARMACY)]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        results[workers] = rows / (time.perf_counter() - start)
    return results


_MEMORY_PROBE = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[3])
from rxleaflet import batch
plan = batch.read_jobs(sys.argv[1])
import rxleaflet
pharmacy = rxleaflet.load_pharmacy(sys.argv[2])
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
marks = {}
def progress(done, total):
    if done in (100, total):
        marks[done] = rss()
for job, pdf in batch.build_all(plan, pharmacy, None, None, 1, progress=progress):
    pass  # as the batch command does: each leaflet is written out and let go
print(json.dumps({"at100": marks.get(100), "at_end": marks[len(plan.jobs)],
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def batch_memory(rows: int, folder: Path) -> dict:
    jobs = write_jobs(folder, rows)
    result = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(jobs), str(PHARMACY), str(ROOT / "src")],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def machine() -> str:
    import reportlab

    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from reportlab.lib import rl_accel
        accel = "on" if rl_accel._c_funcs else "off"
    except (ImportError, AttributeError):
        accel = "?"
    return (f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; ReportLab {reportlab.Version} "
            f"(rl_accel {accel})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few repetitions, a small batch")
    args = parser.parse_args()
    repeats, processes, rows = (3, 2, 12) if args.quick else (40, 9, 1000)

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        warm = warm_builds(repeats)
        process = whole_process(processes, folder)
        rates = batch(rows, folder)
        memory = batch_memory(rows if not args.quick else 120, folder)

    ms = lambda t: f"{t * 1000:7.2f}"  # noqa: E731
    print(f"rxleaflet benchmark: {machine()}")
    print(f"{'measure':<48} {'median':>9} {'min':>9} {'max':>9}   ratio")
    base = warm["untagged hot"][0]
    for key in ("untagged hot", "tagged hot", "untagged cold", "tagged cold"):
        median, low, high = warm[key]
        reference = warm["untagged hot" if "hot" in key else "untagged cold"][0]
        print(f"{'warm build, ' + key + ' (ms)':<48} {ms(median)} {ms(low)} {ms(high)}   {median / reference:.2f}× untagged")
    for key in ("python -c pass", "rxleaflet build"):
        median, low, high = process[key]
        print(f"{'whole process: ' + key + ' (ms)':<48} {ms(median)} {ms(low)} {ms(high)}   "
              f"{median / process['python -c pass'][0]:.2f}× bare Python")
    single_rate = 1 / warm["tagged cold"][0]
    command_rate = 1 / process["rxleaflet build"][0]
    print(f"{'full single builds, warm, cold cache (leaflets/s)':<48} {single_rate:9.1f}")
    print(f"{'full single builds, one command each (leaflets/s)':<48} {command_rate:9.1f}")
    for workers, rate in rates.items():
        label = f"batch of {rows}, {workers} process{'es' if workers > 1 else ''} (leaflets/s)"
        print(f"{label:<48} {rate:9.1f} {'':>9} {'':>9}   {rate / single_rate:.2f}× warm single builds, "
              f"{rate / command_rate:.1f}× commands")
    growth = (memory["at_end"] - memory["at100"]) / memory["at100"]
    print(f"{'batch peak memory, one process (MB)':<48} {memory['peak'] / 1e6:9.1f}")
    print(f"{'batch memory growth, leaflet 100 to last':<48} {growth * 100:8.1f}%")
    print(f"{'sample leaflet size (KB)':<48} {warm['size'] / 1000:9.1f}")
    print(f"(untagged hot build: {ms(base).strip()} ms; {repeats} builds, {processes} processes, {rows} rows)")


if __name__ == "__main__":
    main()
