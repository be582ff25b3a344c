"""rxleaflet's benchmark, side by side with Typst in the same run: one machine, one table, ratios.

    python benchmarks/bench.py            # the full run (a few minutes on 2 shared cores)
    python benchmarks/bench.py --quick    # a smoke run: few repetitions, a small batch

Typst comes from the ``bench`` extra (``pip install -e '.[bench]'``: the
``typst`` package, Typst's Python bindings); without it the script prints
rxleaflet's own figures and "-" for Typst.  Typst builds the same content
file through benchmarks/leaflet.typ (which reads our YAML, and the dispensing
details from ``sys.inputs``), with the same fonts, as PDF/UA-1.

What it measures, each as the median of repeated runs (the machine may be
shared: compare the ratios within a run, not figures across runs):

* warm build of the same leaflet again, in one process (imports and fonts
  loaded): rxleaflet's ``build()`` and Typst's ``Compiler.compile`` both
  memoise a repeated build (rxleaflet never for a patient's leaflet);
* a cold-cache build: rxleaflet with its stores emptied (built leaflets, set
  lines, string widths); Typst with a changed input each time, which
  invalidates its memoised evaluation;
* rxleaflet tagged against the same layout untagged (the cost of tagging);
* the whole process of one leaflet: ``rxleaflet build`` against
  ``python -c "import typst; typst.compile(...)"`` (and bare Python);
* the pharmacy batch: N personalised leaflets of the sample medicine (a
  different patient on every row) with ``rxleaflet batch`` on all cores,
  against Typst compiling the same N rows in as many processes;
* the batch's peak memory and its growth from leaflet 100 to the last;
* the size of the sample PDF;
* a Chinese leaflet (tests/inputs/scripts/zh-Hans.yaml, Noto Sans CJK found on the
  computer): its cold-cache build against the English sample's, interleaved, its whole
  process, and its size.

Child processes run without PYTHONDONTWRITEBYTECODE, as an installed tool
does (compiled modules cached), after one untimed run.
"""
from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
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
CHINESE = ROOT / "tests" / "inputs" / "scripts" / "zh-Hans.yaml"  # the script samples' Chinese leaflet
PHARMACY = ROOT / "content" / "pharmacy.yaml"
TEMPLATE = ROOT / "benchmarks" / "leaflet.typ"
sys.path.insert(0, str(ROOT / "src"))
CHILD_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
DIRECTIONS = ["Take ONE tablet three times a day.",
              "Take ONE tablet at night when needed for muscle spasm.",
              "Take ONE or TWO tablets twice a day as directed by your doctor. Do not take more than four "
              "tablets in 24 hours."]


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def median(times: list[float]) -> float:
    return statistics.median(times)


def rows(count: int) -> list[dict]:
    """A day of invented patients, all on the sample medicine, directions of varied length."""
    return [{"patient": f"Patient {n:04d} Example", "rx_number": f"RX-{n:06d}", "dispensed": "2026-11-25",
             "prescriber": "Dr Alan Sample", "medicine": "Diazepam 2 mg tablets", "directions": DIRECTIONS[n % 3],
             "quantity": f"{10 + n % 20} tablets", "refills": str(n % 3)} for n in range(count)]


# -- rxleaflet -----------------------------------------------------------------

def rxleaflet_builds(repeats: int) -> dict:
    import rxleaflet
    from rxleaflet import api
    from rxleaflet.text import fonts
    from rxleaflet.text import linebreak
    from rxleaflet.layout.write import render

    leaflet = rxleaflet.load(SAMPLE)
    rxleaflet.build(leaflet)  # the first build loads fonts

    def forget():
        api.forget_built()
        linebreak.break_lines.cache_clear()
        fonts.string_width.cache_clear()
        fonts.visual_width.cache_clear()

    def cold():
        forget()
        rxleaflet.build(leaflet)

    results = {"warm": timed(lambda: rxleaflet.build(leaflet), repeats * 5), "cold": timed(cold, repeats)}
    chinese = rxleaflet.load(CHINESE)
    rxleaflet.build(chinese)  # the first build finds and loads Noto Sans CJK
    results["cold english"], results["cold chinese"] = [], []
    for _ in range(repeats):  # interleaved, so that a busy moment of the machine hits both alike
        results["cold english"] += timed(cold, 1)
        results["cold chinese"] += timed(lambda: (forget(), rxleaflet.build(chinese)), 1)
    results["chinese size"] = len(rxleaflet.build(chinese))
    results["tagged"], results["untagged"] = [], []
    for _ in range(repeats):  # interleaved, so that a busy moment of the machine hits both alike
        for tagged in (True, False):
            results["tagged" if tagged else "untagged"] += timed(lambda: render(leaflet, tagged=tagged), 1)
    results["size"] = len(rxleaflet.build(leaflet))
    pharmacy = rxleaflet.load_pharmacy(PHARMACY)
    prescriptions = iter([_prescription(leaflet, row) for row in rows(repeats * 5 + 3)])
    for _ in range(3):  # the panel heights' layouts made, as in a batch
        rxleaflet.build(leaflet, prescription=next(prescriptions), pharmacy=pharmacy)
    results["personalised"] = timed(lambda: rxleaflet.build(leaflet, prescription=next(prescriptions),
                                                            pharmacy=pharmacy), repeats * 5)
    return results


def _prescription(leaflet, row: dict):
    from rxleaflet import model

    return model.Prescription(**{key: value for key, value in row.items() if key != "dispensed"},
                              dispensed=datetime.date.fromisoformat(row["dispensed"]))


def rxleaflet_batch(count: int, folder: Path, workers: int) -> float:
    jobs = folder / "jobs.jsonl"
    with jobs.open("w", encoding="utf-8") as stream:
        for row in rows(count):
            stream.write(json.dumps({"content": str(SAMPLE), **row}) + "\n")
    out = folder / f"out-{workers}"
    command = [sys.executable, "-m", "rxleaflet", "batch", str(jobs), "-o", str(out), "--jobs", str(workers),
               "--pharmacy", str(PHARMACY)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=CHILD_ENV)
    return count / (time.perf_counter() - start)


_MEMORY_PROBE = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[3])
from rxleaflet.pharmacy import batch
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


def rxleaflet_memory(count: int, folder: Path) -> dict:
    jobs = folder / "memory.jsonl"
    with jobs.open("w", encoding="utf-8") as stream:
        for row in rows(count):
            stream.write(json.dumps({"content": str(SAMPLE), **row}) + "\n")
    result = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(jobs), str(PHARMACY), str(ROOT / "src")],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


# -- Typst -----------------------------------------------------------------------

def typst_version():
    try:
        import typst
    except ImportError:
        return None
    return getattr(typst, "__version__", "?")


def _typst_compiler():
    import typst

    return typst.Compiler(root=str(ROOT), font_paths=[str(ROOT / "fonts")], ignore_system_fonts=True)


def _typst_inputs(**extra) -> dict:
    return {"content": "/" + SAMPLE.relative_to(ROOT).as_posix(), **extra}


def _typst_compile(compiler, inputs: dict) -> bytes:
    return compiler.compile(input=str(TEMPLATE), pdf_standards=["ua-1"], sys_inputs=inputs)


def typst_builds(repeats: int) -> dict:
    compiler = _typst_compiler()
    inputs = _typst_inputs()
    _typst_compile(compiler, inputs)
    nonce = iter(range(10**9))
    pharmacy = "/" + PHARMACY.relative_to(ROOT).as_posix()
    patients = iter([_typst_inputs(pharmacy=pharmacy, **row) for row in rows(repeats * 5 + 3)])
    for _ in range(3):
        _typst_compile(compiler, next(patients))
    return {"warm": timed(lambda: _typst_compile(compiler, inputs), repeats * 5),
            "cold": timed(lambda: _typst_compile(compiler, _typst_inputs(run=str(next(nonce)))), repeats),
            "personalised": timed(lambda: _typst_compile(compiler, next(patients)), repeats * 5),
            "size": len(_typst_compile(compiler, inputs))}


_typst_worker = None


def _typst_start_worker():
    global _typst_worker
    _typst_worker = _typst_compiler()


def _typst_build_row(task) -> int:
    row, out = task
    pdf = _typst_compile(_typst_worker, _typst_inputs(pharmacy="/" + PHARMACY.relative_to(ROOT).as_posix(), **row))
    Path(out).write_bytes(pdf)
    return len(pdf)


def typst_batch(count: int, folder: Path, workers: int) -> float:
    """N personalised leaflets in ``workers`` processes, each writing its PDFs, as the batch command does."""
    out = folder / "typst"
    out.mkdir(exist_ok=True)
    tasks = [(row, str(out / f"{row['rx_number']}.pdf")) for row in rows(count)]
    start = time.perf_counter()
    with multiprocessing.get_context("forkserver").Pool(workers, initializer=_typst_start_worker) as pool:
        for _ in pool.imap(_typst_build_row, tasks, chunksize=max(1, min(16, count // (workers * 4)))):
            pass
    return count / (time.perf_counter() - start)


# -- whole processes -----------------------------------------------------------------

def whole_process(repeats: int, folder: Path, with_typst: bool) -> dict:
    commands = {"python": [sys.executable, "-c", "pass"],
                "rxleaflet": [sys.executable, "-m", "rxleaflet", "build", str(SAMPLE), "-o", str(folder / "s.pdf")],
                "chinese": [sys.executable, "-m", "rxleaflet", "build", str(CHINESE), "-o", str(folder / "zh.pdf")]}
    if with_typst:
        commands["typst"] = [sys.executable, "-c",
                             f"import typst; typst.compile({str(TEMPLATE)!r}, output={str(folder / 't.pdf')!r}, "
                             f"root={str(ROOT)!r}, font_paths=[{str(ROOT / 'fonts')!r}], ignore_system_fonts=True, "
                             f"sys_inputs={_typst_inputs()!r}, pdf_standards=['ua-1'])"]
    times = {name: [] for name in commands}
    for command in commands.values():  # untimed: the file cache, compiled modules
        subprocess.run(command, check=True, capture_output=True, env=CHILD_ENV)
    for _ in range(repeats):  # interleaved, so that a busy moment of the machine hits all alike
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=CHILD_ENV)
            times[name].append(time.perf_counter() - start)
    return times


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
    version = typst_version()
    return (f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; ReportLab {reportlab.Version} "
            f"(rl_accel {accel}); " + (f"Typst (typst {version}, PDF/UA-1)" if version else "Typst not installed"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few repetitions, a small batch")
    args = parser.parse_args()
    repeats, processes, count, rounds, memory_rows = (3, 2, 12, 1, 120) if args.quick else (40, 11, 1000, 3, 10000)
    workers = os.cpu_count() or 1
    with_typst = typst_version() is not None

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        ours = rxleaflet_builds(repeats)
        theirs = typst_builds(repeats) if with_typst else None
        process = whole_process(processes, folder, with_typst)
        batch = {"rxleaflet": [], "rxleaflet 1": [], "typst": []}
        for _ in range(rounds):  # interleaved, so that a busy moment of the machine hits all alike
            batch["rxleaflet"].append(rxleaflet_batch(count, folder, workers))
            if with_typst:
                batch["typst"].append(typst_batch(count, folder, workers))
            batch["rxleaflet 1"].append(rxleaflet_batch(count, folder, 1))
        batch = {key: median(rates) if rates else None for key, rates in batch.items()}
        memory = rxleaflet_memory(memory_rows, folder)

    print(f"rxleaflet benchmark: {machine()}")
    print(f"{'measure':<52} {'rxleaflet':>10} {'Typst':>10}   rxleaflet against Typst")

    def row(label, mine, other=None, unit_format="{:10.2f}", note=None, rate=False):
        """A line of the table; beside a Typst figure, how rxleaflet compares (a rate: higher is better)."""
        theirs_text = unit_format.format(other) if other is not None else f"{'-':>10}"
        if note is None and other:
            ratio = mine / other
            if rate:
                note = f"{ratio:.2f}× Typst's rate"
            elif "KB" in label:
                note = f"{ratio:.2f}× Typst's size"
            else:
                note = f"{ratio:.2f}× Typst's time ({1 / ratio:.1f}× faster)" if ratio < 1 else \
                    f"{ratio:.2f}× Typst's time ({ratio:.1f}× slower)"
        print(f"{label:<52} {unit_format.format(mine)} {theirs_text}   {note or ''}".rstrip())

    ms = 1000
    row("warm build, same leaflet again (ms)", median(ours["warm"]) * ms,
        median(theirs["warm"]) * ms if theirs else None, "{:10.3f}")
    row("cold-cache build (ms)", median(ours["cold"]) * ms, median(theirs["cold"]) * ms if theirs else None)
    row("personalised leaflet, next patient, in process (ms)", median(ours["personalised"]) * ms,
        median(theirs["personalised"]) * ms if theirs else None)
    tagging = median(ours["tagged"]) / median(ours["untagged"])
    row("layout and write, untagged (ms)", median(ours["untagged"]) * ms)
    row("layout and write, tagged (ms)", median(ours["tagged"]) * ms, note=f"({tagging:.2f}× untagged)")
    row("whole process: python -c pass (ms)", median(process["python"]) * ms)
    row("whole process: one leaflet (ms)", median(process["rxleaflet"]) * ms,
        median(process["typst"]) * ms if with_typst else None, "{:10.1f}")
    row(f"batch of {count} personalised, {workers} processes (leaflets/s)", batch["rxleaflet"],
        batch["typst"], "{:10.1f}", rate=True)
    row(f"batch of {count} personalised, 1 process (leaflets/s)", batch["rxleaflet 1"], None, "{:10.1f}")
    growth = (memory["at_end"] - memory["at100"]) / memory["at100"]
    row("batch peak memory, one process (MB)", memory["peak"] / 1e6, None, "{:10.1f}")
    row(f"batch memory growth, leaflet 100 to {memory_rows} (%)", growth * 100, None, "{:10.1f}")
    row("sample leaflet size (KB)", ours["size"] / 1000, theirs["size"] / 1000 if theirs else None, "{:10.1f}")
    chinese = median(ours["cold chinese"]) / median(ours["cold english"])
    row("cold-cache build, Chinese leaflet (ms)", median(ours["cold chinese"]) * ms,
        note=f"({chinese:.2f}× the English sample's, in the same run; the goal: at most 2×)")
    whole = median(process["chinese"]) / median(process["rxleaflet"])
    row("whole process: one Chinese leaflet (ms)", median(process["chinese"]) * ms, None, "{:10.1f}",
        note=f"({whole:.2f}× one English leaflet)")
    row("Chinese leaflet size, fonts subset (KB)", ours["chinese size"] / 1000, None, "{:10.1f}",
        note="(the goal: under 400 KB)")
    spread = max(process["rxleaflet"]) / min(process["rxleaflet"])
    print(f"(medians: {repeats * 5} warm and personalised builds, {repeats} of the others, {processes} processes of "
          f"each kind and {rounds} batches of each kind, interleaved; whole-process spread max/min {spread:.1f}×)")


if __name__ == "__main__":
    main()
