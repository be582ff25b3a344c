"""Faults and hostile input: nothing replaced that is not ours, nothing left behind, no crash.

Every test runs the command as a user would (a new process) unless it needs to
reach inside; files are checked on disk afterwards.
"""
import contextlib
import errno
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from conftest import MINIMAL, SAMPLE, as_in_a_terminal, content, run_cli

import rxleaflet

RX = Path(__file__).resolve().parents[1] / "content" / "prescriptions" / "example.yaml"
HEADER = "content,patient,rx_number,dispensed,prescriber,medicine,directions,quantity,refills\n"


def jobs_file(folder: Path, rx_numbers, contents=()) -> Path:
    """A CSV jobs file, a row per Rx number; ``contents``: the rows' content files (default: the sample)."""
    path = folder / "jobs.csv"
    contents = list(contents) + [SAMPLE] * (len(rx_numbers) - len(contents))
    rows = [f"{content},Patient Number{n},{rx},2026-11-25,Dr Sample,Diazepam 2 mg,Take one tablet,30,0\n"
            for n, (rx, content) in enumerate(zip(rx_numbers, contents), 1)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    """Temporary files and folders rxleaflet may have made there."""
    return [p.name for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith(("rxleaflet-", ".rx"))]


# -- 1. output paths -------------------------------------------------------------------

def _special_outputs(tmp_path):
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    target = tmp_path / "target.pdf"
    target.write_bytes(b"not ours")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    dangling = tmp_path / "dangling.pdf"
    dangling.symlink_to(tmp_path / "nowhere.pdf")
    return {"a pipe (FIFO)": fifo, "a folder": folder, "a symbolic link": link, "a symbolic link ": dangling,
            "a device": Path("/dev/null"), "a device ": Path("/dev/full")}


def _snapshot(path: Path):
    info = os.lstat(path)
    return stat.S_IFMT(info.st_mode), info.st_ino, os.readlink(path) if path.is_symlink() else None


@pytest.mark.parametrize("command", ["build", "attach", "combine"])
def test_an_output_that_is_not_a_regular_file_is_never_replaced(tmp_path, command, sample_pdf):
    """A device, pipe, folder or symbolic link at the output path: exit 2, one line, left as it was."""
    leaflet = tmp_path / "leaflet.pdf"
    leaflet.write_bytes(sample_pdf)
    for kind, out in _special_outputs(tmp_path).items():
        before = _snapshot(out)
        args = {"build": ["build", SAMPLE, "-o", out],
                "attach": ["attach", leaflet, leaflet, "-o", out],
                "combine": ["batch", jobs_file(tmp_path, ["RX-1"]), "--combine", out]}[command]
        result = run_cli(*args)
        assert result.returncode == 2, (kind, result.stderr)
        assert result.stderr.splitlines() == [f"{out}: cannot write: it is {kind.strip()}" + (
            "; rxleaflet does not write through links: give the file's own path" if "link" in kind
            else "; rxleaflet only replaces regular files")], kind
        assert _snapshot(out) == before, kind
    assert (tmp_path / "target.pdf").read_bytes() == b"not ours" and not (tmp_path / "nowhere.pdf").exists()
    assert leftovers(tmp_path) == []


def test_a_batch_row_whose_file_is_taken_by_a_pipe_or_link_is_that_rows_problem(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "RX-2.pdf")
    (out / "RX-3.pdf").symlink_to(tmp_path / "elsewhere.pdf")
    jobs = jobs_file(tmp_path, ["RX-1", "RX-2", "RX-3", "RX-4"])
    result = run_cli("batch", jobs, "-o", out, "--jobs", "1")
    assert result.returncode == 3, result.stderr
    assert result.stderr.splitlines() == [
        f"{jobs}:3:1: row 2.rx_number: its file in the output folder is a pipe (FIFO); rxleaflet only replaces "
        "regular files",
        f"{jobs}:4:1: row 3.rx_number: its file in the output folder is a symbolic link; rxleaflet does not "
        "write through links: give the file's own path"]
    assert stat.S_ISFIFO(os.lstat(out / "RX-2.pdf").st_mode) and (out / "RX-3.pdf").is_symlink()
    assert not (tmp_path / "elsewhere.pdf").exists()
    assert sorted(p.name for p in out.iterdir()) == ["RX-1.pdf", "RX-2.pdf", "RX-3.pdf", "RX-4.pdf"]


def _limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # a leaflet is about 50 KB: the disk is "full"


@pytest.mark.parametrize("command", ["build", "batch", "combine"])
def test_a_write_that_fails_exits_2_and_leaves_no_temporary_file(tmp_path, command):
    """A real failed write (the process may not write more than 20 KB: EFBIG, as a full disk fails)."""
    good = tmp_path / "good.pdf"
    good.write_bytes(b"%PDF- yesterday's leaflet")
    jobs = jobs_file(tmp_path, ["RX-1", "RX-2"])
    args = {"build": ["build", SAMPLE, "-o", good],
            "batch": ["batch", jobs, "-o", tmp_path / "out", "--jobs", "1"],
            "combine": ["batch", jobs, "--combine", good, "--jobs", "1"]}[command]
    result = subprocess.run([sys.executable, "-m", "rxleaflet", *map(str, args)], capture_output=True, text=True,
                            preexec_fn=_limit_file_size, timeout=120)
    assert result.returncode == 2, result.stderr
    shown = tmp_path / "out" if command == "batch" else good
    assert result.stderr.splitlines()[-1] == f"{shown}: cannot write: File too large"
    assert "Traceback" not in result.stderr and "RX-" not in result.stderr  # the folder is named, not the Rx number
    assert good.read_bytes() == b"%PDF- yesterday's leaflet"
    assert leftovers(tmp_path) == []


def test_a_read_only_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        result = run_cli("build", SAMPLE, "-o", folder / "x.pdf")
        assert list(folder.iterdir()) == []
    assert result.returncode == 2, result.stderr
    reason = os.strerror(errno.EROFS if os.geteuid() == 0 else errno.EACCES)
    assert result.stderr.strip() == f"{folder / 'x.pdf'}: cannot write to the folder {folder}: {reason}"


@contextlib.contextmanager
def read_only(folder: Path):
    """``folder`` read-only for this process: by its mode, or for root (CI), who writes
    whatever the mode says, as a read-only file system mounted on it."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_standard_output_on_a_full_device_is_a_clear_error(tmp_path):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "rxleaflet", "build", str(SAMPLE), "-o", "-"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["standard output: cannot write: No space left on device"]


@pytest.mark.parametrize("option", ["content", "--rx", "--pharmacy", "jobs"])
def test_an_input_that_is_a_pipe_device_or_folder_is_refused_at_once(tmp_path, option):
    """Reading a pipe nobody writes to, or /dev/zero, would never end."""
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for given, kind in ((fifo, "a pipe (FIFO)"), (Path("/dev/zero"), "a device"), (tmp_path, "a folder")):
        args = {"content": ["validate", given], "--rx": ["validate", SAMPLE, "--rx", given],
                "--pharmacy": ["validate", SAMPLE, "--pharmacy", given],
                "jobs": ["batch", given, "-o", tmp_path / "out"]}[option]
        start = time.monotonic()
        result = run_cli(*args)
        assert time.monotonic() - start < 30
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [f"{given}: cannot read the file: it is {kind}, not a regular file"]


def test_attach_refuses_a_pipe_as_input(tmp_path, sample_pdf):
    fifo = tmp_path / "label.pdf"
    os.mkfifo(fifo)
    leaflet = tmp_path / "leaflet.pdf"
    leaflet.write_bytes(sample_pdf)
    result = run_cli("attach", fifo, leaflet, "-o", tmp_path / "job.pdf")
    assert result.returncode == 2
    assert result.stderr.strip() == f"{fifo}: cannot read the file: it is a pipe (FIFO), not a regular file"


# -- 2. signals --------------------------------------------------------------------------

def _processes_in_group(group: int) -> list[int]:
    """Processes whose process group is ``group``, from /proc (no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _no_process_left(group: int) -> bool:
    """True once every process of the group has ended (the pool's fork server follows its parent
    within moments: it stops when the batch's end of its pipe closes)."""
    deadline = time.monotonic() + 10
    while _processes_in_group(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _processes_in_group(group) == []


def _start_batch(tmp_path, rows: int, *options):
    spool = tmp_path / "tmp"
    spool.mkdir()
    jobs = jobs_file(tmp_path, [f"RX-{n:05d}" for n in range(1, rows + 1)])
    process = subprocess.Popen([sys.executable, "-m", "rxleaflet", "batch", str(jobs), "--jobs", "2", *map(str, options)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(spool)}, preexec_fn=as_in_a_terminal)
    return process, jobs, spool


def _wait_for(condition, process, timeout=90.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the batch ended before it was interrupted"
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.02)


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
@pytest.mark.parametrize("to", ["the batch", "its process group"])
def test_a_signal_stops_a_batch_cleanly(tmp_path, signum, status, to):
    """Real signals to a real pool: workers gone, no temporary file, finished leaflets kept whole.
    SIGHUP: the terminal was closed, which signals the whole group."""
    out = tmp_path / "out"
    process, jobs, spool = _start_batch(tmp_path, 400, "-o", out)
    _wait_for(lambda: out.is_dir() and len(list(out.glob("*.pdf"))) >= 3, process)
    workers = [pid for pid in _processes_in_group(process.pid) if pid != process.pid]
    assert len(workers) >= 2  # a real pool
    (os.killpg if to == "its process group" else os.kill)(process.pid, signum)  # a terminal's Ctrl-C: the group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    kept = sorted(out.iterdir())
    assert stderr.splitlines() == [f"rxleaflet: interrupted; kept the {len(kept)} leaflets already finished, in {out}"]
    assert stdout == "" and "Traceback" not in stderr
    assert 3 <= len(kept) < 400
    assert _no_process_left(process.pid)  # no worker left running
    assert leftovers(tmp_path) == [] and list(spool.iterdir()) == []
    assert {p.name for p in kept} <= {f"RX-{n:05d}.pdf" for n in range(1, 401)}
    for path in kept:  # each complete (the workers write in parallel, so not always the first rows)
        assert len(pypdf.PdfReader(path).pages) >= 2
    number = int(kept[0].stem.split("-")[1])
    row = {"patient": f"Patient Number{number}", "rx_number": kept[0].stem, "dispensed": "2026-11-25",
           "prescriber": "Dr Sample", "medicine": "Diazepam 2 mg", "directions": "Take one tablet",
           "quantity": "30", "refills": "0"}
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps(row))
    leaflet = rxleaflet.load(SAMPLE)
    assert kept[0].read_bytes() == rxleaflet.build(leaflet, prescription=rxleaflet.load_prescription(rx, leaflet))


@pytest.mark.parametrize("writes", ["leaflets", "a print job only", "a print job, in one process"])
def test_a_batch_killed_outright_leaves_no_process_and_no_partial_file(tmp_path, writes):
    """SIGKILL (the out-of-memory killer, a service manager's last resort) cannot be
    handled; the workers notice their batch is gone, finish the file in hand and end,
    and so do the fork server and resource tracker that only they kept running.  The
    leaflets finished are kept whole; a print job's leaflets, waiting in the batch's
    temporary folder, are removed with it."""
    out, job = tmp_path / "out", tmp_path / "day.pdf"
    options = {"leaflets": ["-o", out], "a print job only": ["--combine", job],
               "a print job, in one process": ["--combine", job, "--jobs", "1"]}[writes]
    process, jobs, spool = _start_batch(tmp_path, 400, *options)
    if writes == "a print job, in one process":  # the leaflets wait in a file with no name: none to see
        _wait_for(lambda: _catches_sigterm(process.pid), process, timeout=30)
        time.sleep(1.5)
    else:
        written = (lambda: out.glob("*.pdf")) if writes == "leaflets" else (lambda: spool.glob("*/*.pdf"))
        _wait_for(lambda: len(list(written())) >= 3, process)
        assert len(_processes_in_group(process.pid)) >= 4  # the batch, a fork server, two workers (and a tracker)
    assert process.poll() is None
    process.kill()
    process.communicate(timeout=60)
    assert _no_process_left(process.pid)
    assert leftovers(tmp_path) == [] and list(spool.iterdir()) == [] and not job.exists()
    if writes == "leaflets":
        kept = list(out.iterdir())
        assert 3 <= len(kept) < 400 and all(len(pypdf.PdfReader(path).pages) >= 2 for path in kept)


@pytest.mark.parametrize("delay", [0.0, 0.2, 0.5])
def test_a_signal_while_a_combine_only_batch_starts_its_pool_leaves_nothing(tmp_path, delay):
    """Sent while the pool starts (its workers and fork server are being made), or soon after:
    never lost, never left to a worker."""
    job = tmp_path / "day.pdf"
    process, jobs, spool = _start_batch(tmp_path, 400, "--combine", job)
    _wait_for(lambda: any(spool.iterdir()), process)  # the batch's own temporary folder: building starts
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 143
    assert stderr.splitlines() == ["rxleaflet: interrupted; no leaflet kept; no print job written"]
    assert not job.exists() and list(spool.iterdir()) == [] and leftovers(tmp_path) == []
    assert _no_process_left(process.pid)


def _catches_sigterm(pid: int) -> bool:
    """Whether rxleaflet's own code runs yet: it catches SIGTERM from its first line on."""
    try:
        caught = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return False
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3, 0.6])
def test_ctrl_c_while_starting_or_building_gives_130_and_no_traceback(tmp_path, delay):
    """From rxleaflet's first line (imports still to come) to the end of the build.  (Before
    that, for the first few hundredths of a second, Python itself is starting.)"""
    out = tmp_path / "x.pdf"
    process = subprocess.Popen([sys.executable, "-m", "rxleaflet", "build", str(SAMPLE), "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: _catches_sigterm(process.pid), process, timeout=30)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    if process.returncode == 0:  # it had finished: the signal came too late to matter
        assert stdout.strip() == f"wrote {out}"
        return
    assert process.returncode == 130, stderr
    assert stderr.splitlines() == ["rxleaflet: interrupted; no file was left half-written"]
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_signal_the_command_came_ignoring_stays_ignored(tmp_path):
    """A shell starts a background job with Ctrl-C ignored, so that Ctrl-C in the terminal leaves it be."""
    out = tmp_path / "x.pdf"
    process = subprocess.Popen([sys.executable, "-m", "rxleaflet", "build", str(SAMPLE), "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    _wait_for(lambda: _catches_sigterm(process.pid), process, timeout=30)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout.strip(), stderr) == (0, f"wrote {out}", "")


# -- 3. per-row problems stay per row ------------------------------------------------------

UNUSABLE = {".": "no letter A-Z or digit", "..": "no letter A-Z or digit", "...": "no letter A-Z or digit",
            "/": "no letter A-Z or digit", "-_-": "no letter A-Z or digit", "R" * 101: "a file name of 101 characters",
            "CON": "Windows keeps", "nul.txt": "Windows keeps", "Com1": "Windows keeps", "LPT9.x": "Windows keeps"}


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_rx_numbers_that_cannot_name_a_file_fail_their_row_only(tmp_path, suffix):
    numbers = ["RX-1", *UNUSABLE, "RX-1", "rx-1", "RX 2", "RX/2", "../../RX-3", "." * 300 + "RX-4", "RX-5" + "\u00e9" * 300]
    if suffix == ".csv":
        jobs = jobs_file(tmp_path, numbers)
    else:
        jobs = tmp_path / "jobs.jsonl"
        jobs.write_text("".join(json.dumps({"content": str(SAMPLE), "patient": f"Patient Number{n}", "rx_number": rx,
                                            "dispensed": "2026-11-25", "prescriber": "Dr Sample",
                                            "medicine": "Diazepam 2 mg", "directions": "Take one tablet",
                                            "quantity": "30", "refills": "0"}) + "\n"
                            for n, rx in enumerate(numbers, 1)))
    out = tmp_path / "out"
    result = run_cli("batch", jobs, "-o", out, "--jobs", "2")
    assert result.returncode == 3, result.stderr
    lines = result.stderr.splitlines()
    first_line = 2 if suffix == ".csv" else 1
    expected = [(n, reason) for n, reason in enumerate(UNUSABLE.values(), 2)]
    expected += [(12, "the same Rx number as row 1"), (13, "names the same file as row 1's"),
                 (15, "names the same file as row 14's")]
    assert len(lines) == len(expected), lines
    for line, (row, reason) in zip(lines, expected):
        assert line.startswith(f"{jobs}:{row - 1 + first_line}:1: row {row}.rx_number: "), line
        assert reason in line, line
        assert not any(rx in line.split(": ", 2)[2] for rx in ("...", "R" * 101, "nul.txt", "LPT9.x"))
    built = sorted(p.name for p in out.iterdir())
    assert built == sorted(["RX-1.pdf", "RX_2.pdf", "RX-3.pdf", "RX-4.pdf", "RX-5.pdf"])
    assert result.stdout.strip() == f"built 5 of {len(numbers)} leaflets into {out}; {len(numbers) - 5} rows failed (see above)"


def test_a_content_path_that_is_a_folder_fails_its_rows_only(tmp_path):
    jobs = jobs_file(tmp_path, ["RX-1", "RX-2", "RX-3"], contents=[SAMPLE, tmp_path])
    result = run_cli("batch", jobs, "-o", tmp_path / "out", "--jobs", "1")
    assert (result.returncode, result.stderr.splitlines()) == (3, [
        f"{jobs}:3:1: row 2.content: the content file cannot be used: cannot read the file: it is a folder, "
        "not a regular file"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["RX-1.pdf", "RX-3.pdf"]


# -- 4. no patient data in messages (examples; the property test in test_properties.py) -----

def test_a_name_written_as_a_key_or_column_is_never_quoted(tmp_path):
    rx = tmp_path / "rx.yaml"
    rx.write_text(RX.read_text() + "Margaret Example: 1\n")
    result = run_cli("validate", SAMPLE, "--rx", rx)
    assert result.returncode == 2 and "Margaret" not in result.stderr
    line = len(RX.read_text().splitlines()) + 1
    [message] = result.stderr.splitlines()
    assert message.startswith(f"{rx}:{line}:1: unknown key (expected one of: patient, rx_number, dispensed, ")
    jobs = tmp_path / "jobs.csv"
    jobs.write_text(HEADER.replace("patient", "Margaret Example") + f"{SAMPLE},x,RX-1,2026-11-25,Dr S,Diazepam 2 mg,"
                                                                    "Take one,30,0\n")
    result = run_cli("batch", jobs, "-o", tmp_path / "out")  # a column missing: the file is refused
    assert result.returncode == 2 and "Margaret" not in result.stderr + result.stdout
    jsonl = tmp_path / "jobs.jsonl"
    jsonl.write_text(json.dumps({"content": str(SAMPLE), "Margaret Example": "patient"}) + "\n")
    result = run_cli("batch", jsonl, "-o", tmp_path / "out")
    assert result.returncode == 2 and "Margaret" not in result.stderr + result.stdout


def test_a_character_no_font_has_is_named_by_code_point_only(tmp_path):
    rx = tmp_path / "rx.yaml"
    rx.write_text(RX.read_text().replace("patient: Margaret Example", "patient: Margaret \u0d35 Example"),
                  encoding="utf-8")
    result = run_cli("validate", SAMPLE, "--rx", rx)
    assert result.stderr.splitlines() == [f"{rx}:4:10: patient: no font has a glyph for U+0D35 MALAYALAM LETTER VA: "
                                          "it is Malayalam script, which rxleaflet has no font for "
                                          "(docs/languages.md lists the scripts it prints)"]


# -- 5. depth limits --------------------------------------------------------------------------

def test_content_at_every_depth_limit_builds(write_content):
    """Sections and boxes five deep, and in the deepest a list thirty deep: built, every level tagged."""
    nested = "[Deepest]"
    for depth in range(29):
        nested = f"[{{text: Level {depth}, bullets: {nested}}}]"
    blocks = f"[{{bullets: {nested}}}]"
    for level in range(5):  # boxes and sections, alternately: heading levels 2 to 6
        blocks = (f"[{{heading: Level {level}, content: {blocks}}}]" if level % 2
                  else f"[{{warning: {{title: Level {level}, content: {blocks}}}}}]")
    path = write_content(MINIMAL + f"  - {blocks[1:-1]}\n")
    from pdfread import Leaflet

    pdf = Leaflet(rxleaflet.build(rxleaflet.load(path)))
    assert len(pdf.elements("L")) == 30 and pdf.elements("LBody")[-1].text == "Deepest"
    assert pdf.elements("H6")


@pytest.mark.parametrize("where", ["content", "rx", "jsonl"])
def test_nesting_far_too_deep_is_refused_at_its_line_without_a_crash(tmp_path, where):
    deep = "[" * 100_000
    path = tmp_path / {"content": "x.yaml", "rx": "rx.yaml", "jsonl": "jobs.jsonl"}[where]
    path.write_text({"content": content(f"  - {deep}\n"), "rx": f"patient: {deep}\n",
                     "jsonl": f'{{"content": "x.yaml", "patient": {deep}\n'}[where])
    args = {"content": ["validate", path], "rx": ["validate", SAMPLE, "--rx", path],
            "jsonl": ["batch", path, "-o", tmp_path / "out"]}[where]
    result = run_cli(*args)
    assert result.returncode == {"jsonl": 3}.get(where, 2), result.stderr
    line = {"content": 7, "rx": 1, "jsonl": 1}[where]
    assert result.stderr.splitlines()[0].startswith(f"{path}:{line}:")
    assert "nest" in result.stderr and "Recursion" not in result.stderr and "Traceback" not in result.stderr


# -- 8. escapes --------------------------------------------------------------------------------

def test_only_a_backslash_before_an_asterisk_is_an_escape(write_content):
    path = write_content(content("""
  - heading: Paths
    content:
      - Copy it to \\\\server\\share\\leaflets and C:\\Temp\\.
      - 'Single quotes: \\\\server\\share'
      - "Double quotes, YAML's escapes first: \\\\\\\\server\\\\share"
      - A literal \\*asterisk\\* and \\\\*emphasis* after a backslash.
"""))
    paragraphs = [b.text.plain for b in rxleaflet.load(path).blocks[0].blocks]
    assert paragraphs == ["Copy it to \\\\server\\share\\leaflets and C:\\Temp\\.",
                          "Single quotes: \\\\server\\share",
                          "Double quotes, YAML's escapes first: \\\\server\\share",
                          "A literal *asterisk* and \\*emphasis* after a backslash."]
