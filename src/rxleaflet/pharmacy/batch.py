"""A day's dispensing in one run: a leaflet per row of a CSV or JSON Lines file.

Each row names a content file and holds one prescription's dispensing
details.  A bad row is reported by its number (never its patient data) and
skipped; every good row is built.  Rows are built in a process pool when
there are enough of them for the pool to pay off.
"""
from __future__ import annotations

import concurrent.futures
import csv
import difflib
import gc
import multiprocessing
import multiprocessing.util
import os
import re
import select
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Union

import yaml

from .. import api, model
from ..text import fonts
from . import interrupt
from .atomic_write import write_atomically
from ..errors import Problem, UserError
from ..content.dispensing import LOCATOR_KEYS, PRESCRIPTION_KEYS, prescription_row
from ..content.leaflet import read_leaflet
from ..content.yamlfile import MAX_CONTENT_BYTES, decode_utf8, read_input

# Below this many rows a pool costs more to start than it saves.
POOL_THRESHOLD = 8
COLUMNS = ("content",) + PRESCRIPTION_KEYS
# LOCATOR_KEYS (ndc, gtin, lang) are optional columns: with a library, a row names its medicine by them.


def _required(library: bool) -> tuple[str, ...]:
    """The columns every jobs file has: with a library, rows may name their medicine instead of a content file."""
    return PRESCRIPTION_KEYS if library else COLUMNS
MAX_JOBS_BYTES = 100 * MAX_CONTENT_BYTES
MAX_FILE_NAME = 100  # characters of the file name an Rx number makes, before ".pdf"
# Names Windows keeps for devices, with or without an extension ("CON", "nul.txt").
_RESERVED_ON_WINDOWS = re.compile(r"^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.I)


def file_stem(rx_number: str) -> str:
    """The file name (before ".pdf") an Rx number makes, the same wherever rxleaflet names a file by it.

    Letters A–Z, digits, ".", "_" and "-" are kept; every run of anything else
    (slashes, spaces, other scripts) becomes one "_"; dots, underscores and
    hyphens at either end are dropped, so the name is never hidden (".pdf") and
    never looks like an option.
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "_", rx_number).strip("._-")


def file_stem_problem(stem: str) -> Optional[str]:
    """Why an Rx number cannot name a file, or None.  Never quotes the number."""
    if not any(c.isalnum() for c in stem):
        return "the Rx number has no letter A-Z or digit to name its file by"
    if len(stem) > MAX_FILE_NAME:
        return f"the Rx number makes a file name of {len(stem)} characters; the limit is {MAX_FILE_NAME}"
    if _RESERVED_ON_WINDOWS.match(stem):
        return "the Rx number is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1–9, LPT1–9)"
    return None


@dataclass
class Job:
    row: int
    line: int  # where the row starts in the jobs file
    content: str  # the content file, as resolved from the jobs file's folder (or found in the library)
    prescription: model.Prescription
    note: str = ""  # which edition the library chose, when it is not the one asked for

    @property
    def file_name(self) -> str:
        """Named by Rx number, never by patient; only characters safe in any file system."""
        return file_stem(self.prescription.rx_number) + ".pdf"


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows that will not be built
    leaflets: dict[str, model.Leaflet] = field(default_factory=dict)
    rows: int = 0


def read_jobs(path, printable=fonts.covers, strict: bool = False, library=None) -> Plan:
    """Every row of a jobs file, validated: jobs to build, and problems.

    ``strict``: a content file with warnings is not valid (its rows fail).
    With a ``library``, a row may name its medicine (``ndc``, ``gtin`` or
    ``medicine``, and the patient's ``lang``) instead of a content file.
    """
    path = Path(path)
    name = str(path)
    data = read_input(path, MAX_JOBS_BYTES)
    if path.suffix.lower() in (".yaml", ".yml"):
        raise UserError.single(name, 0, 0, "", "this is a YAML file, not a jobs file: batch reads CSV (.csv) or "
                               "JSON Lines (.jsonl), one row per prescription; to build one leaflet, use rxleaflet build")
    text = decode_utf8(data, name)
    if not text.strip():
        raise UserError.single(name, 0, 0, "", "the file is empty; a jobs file has a header row and one row per "
                               f"prescription (columns: {', '.join(COLUMNS)})")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        rows = list(_jsonl_rows(text, name))
        _check_keys([keys for keys in (_keys_of(fields) for _, _, fields in rows) if keys is not None], name,
                    library is not None)
    else:
        rows = _csv_rows(text, name, library is not None)
    plan = Plan()
    leaflet_problems: dict[str, UserError] = {}

    def medicine_of(content: str) -> model.Medicine:
        resolved = str(path.parent / content)
        if resolved not in plan.leaflets and resolved not in leaflet_problems:
            try:
                plan.leaflets[resolved] = read_leaflet(resolved, printable)
                if strict and plan.leaflets[resolved].warnings:
                    raise UserError(plan.leaflets.pop(resolved).warnings)
            except UserError as err:
                leaflet_problems[resolved] = err
        if resolved in leaflet_problems:
            first = leaflet_problems[resolved].problems[0]
            # The path is not quoted: a row with its columns mixed up may hold a patient's name there.
            where = f" (its line {first.line}, column {first.column})" if first.line else ""
            raise UserError.single(name, 0, 0, "", f"the content file cannot be used{where}: {first.message}")
        return plan.leaflets[resolved].medicine

    seen_rx: dict[str, Job] = {}  # by file name, as a file system that ignores case sees it
    for row, line, fields in rows:
        plan.rows += 1
        if isinstance(fields, UserError):  # a row that is not even CSV or JSON: report it, go on
            plan.problems += fields.problems
            continue
        try:
            content, prescription, choice = prescription_row(fields, name, line, row, medicine_of, printable,
                                                             library.find if library else None)
        except UserError as err:
            plan.problems += err.problems
            continue
        if choice is None:
            job = Job(row, line, str(path.parent / content), prescription)
        elif strict and choice.leaflet.warnings:
            plan.problems.append(Problem(name, line, 1, f"row {row}", f"the content file {choice.entry.name} is not "
                                                                    f"valid ({choice.leaflet.warnings[0]})"))
            continue
        else:
            plan.leaflets[choice.path] = choice.leaflet
            job = Job(row, line, choice.path, prescription, choice.note if choice.fallback else "")
        unusable = file_stem_problem(file_stem(prescription.rx_number))
        first = seen_rx.get(job.file_name.casefold())
        if first is not None:
            same = first.prescription.rx_number == prescription.rx_number
            unusable = (f"the same Rx number as row {first.row}; each row needs its own" if same else
                        f"the Rx number names the same file as row {first.row}'s (file names keep only letters, "
                        "digits, '.', '_' and '-', and ignore case)")
        if unusable:
            plan.problems.append(Problem(name, line, 1, f"row {row}.rx_number", unusable))
            continue
        seen_rx[job.file_name.casefold()] = job
        plan.jobs.append(job)
    if not plan.rows:
        raise UserError.single(name, 1, 1, "", "the file has no rows")
    return plan


def _csv_rows(text: str, name: str, library: bool = False):
    """(row number, first line, {column: text} or UserError) for each CSV row.

    Row 1 is the first after the header; blank lines are skipped but counted,
    so that a message names the line an editor shows.
    """
    lines = text.splitlines(keepends=True)
    read: list[int] = []  # the numbers of the lines the reader has taken

    def numbered():
        for number, line in enumerate(lines, 1):
            read.append(number)
            yield line

    # A cell may be as long as the file may be (csv's own limit, 131,072 characters, would end
    # the batch with csv.Error); how long a field may be is the loader's to say.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_JOBS_BYTES))
    reader = csv.DictReader(numbered())
    if not reader.fieldnames:
        raise UserError.single(name, 1, 1, "", "the file has no header row naming its columns")
    _check_columns(reader.fieldnames, name, library)
    taken = len(read)
    for row, record in enumerate(reader, 1):
        start = next((n for n in read[taken:] if lines[n - 1].strip()), read[-1])
        taken = len(read)
        if None in record:  # more cells than columns
            yield row, start, UserError.single(name, start, 1, f"row {row}",
                                               "the row has more cells than the header has columns")
        else:
            yield row, start, record


def _jsonl_rows(text: str, name: str):
    """(row number, line, composed mapping or UserError) for each non-blank line of JSON."""
    from ..content.yamlfile import compose_document

    row = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        row += 1
        try:
            # Newlines before it keep YAML's marks on the line's real number.
            node = compose_document("\n" * (number - 1) + line, name, f"row {row}", "content and dispensing details",
                                    private=True)
        except UserError as err:
            problem = err.problems[0]  # a mark past the line's end still belongs to this line
            column = problem.column if problem.line == number else len(line) + 1
            node = UserError.single(name, number, column, f"row {row}", problem.message)
        yield row, number, node


def _check_columns(header: list[str], name: str, library: bool = False) -> None:
    """Every column the rows need, and no other: one message for the file, not one per row.

    A column's name is never quoted back (a file without a header row has a
    patient's name there): an unknown column is named by its position.
    """
    names = [column.strip() for column in header]
    if not set(names) & set(COLUMNS):
        raise UserError.single(name, 1, 1, "", "the first row is not a header row naming the columns; add one: "
                               + ",".join(COLUMNS))
    missing = [column for column in _required(library) if column not in names]
    unknown = [f"column {place} is not one rxleaflet reads{_did_you_mean(column, missing)}"
               for place, column in enumerate(names, 1) if column not in COLUMNS + LOCATOR_KEYS]
    _refuse_header(name, "the header row has no", missing, unknown, "column")


def _check_keys(rows: list[set], name: str, library: bool = False) -> None:
    """A JSON Lines file whose every row lacks a key (or has the same unknown one): one message."""
    if not rows:
        return
    missing = [key for key in _required(library) if not any(key in keys for keys in rows)]
    common = set.intersection(*rows) - set(COLUMNS + LOCATOR_KEYS)
    unknown = [f"every row has a key rxleaflet does not read{_did_you_mean(key, missing)}" for key in sorted(common)]
    _refuse_header(name, "no row has the", missing, unknown, "key")


def _refuse_header(name: str, lacking: str, missing: list[str], unknown: list[str], what: str) -> None:
    if not missing and not unknown:
        return
    found = [f"{lacking} {what}{'s' if len(missing) > 1 else ''} {', '.join(missing)}"] if missing else []
    raise UserError.single(name, 1, 1, "", "; ".join(found + unknown) + f" (the {what}s are: {', '.join(COLUMNS)}); "
                           "nothing was built")


def _did_you_mean(written: str, missing: list[str]) -> str:
    close = difflib.get_close_matches(written.lower(), missing, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _keys_of(node) -> Optional[set]:
    if not isinstance(node, yaml.MappingNode):
        return None
    return {key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def build_all(plan: Plan, pharmacy: Optional[model.Pharmacy], paper: Optional[str], large_print: Optional[bool],
              workers: int, name: str = "", progress=None, folder: Optional[Path] = None,
              scratch: bool = False) -> Iterator[tuple[Job, Union[bytes, Path, Problem]]]:
    """Build every job; yield each (job, PDF) in row order as soon as it is built, so that
    a batch holds one leaflet at a time, not the whole day.  A row that cannot be laid out
    yields (job, Problem) and the batch goes on.  ``progress(done, total)``.

    With ``folder``, the process that builds a leaflet also writes it there (atomically,
    named by :attr:`Job.file_name`) and (job, path) is yielded: in a pool, the workers
    write in parallel and no PDF passes between processes.  ``scratch``: the folder is
    the batch's own, temporary; if the batch is killed outright, its workers remove it."""
    tasks = [(job.content, job.prescription, None, None, str(folder / job.file_name) if folder else None)
             for job in plan.jobs]
    total = len(tasks)
    settings = (plan.leaflets, pharmacy, paper, large_print)
    if uses_pool(workers, total):
        pool, done = None, False
        interrupt.start_resource_tracker()
        try:
            with interrupt.children_ignore_signals():  # the parent alone stops the pool
                pool = worker_pool(workers, settings, scratch=folder if scratch else None)
                chunk = max(1, min(16, total // (workers * 4)))
                results = pool.map(build_in_pool_worker, tasks, chunksize=chunk)
            yield from _reported(zip(plan.jobs, results), total, name, progress)
            done = True
        finally:
            # Interrupted, or the caller stopped: rows not started are dropped and the workers
            # end once the leaflet in hand is done.  Not killed: a worker killed while it
            # sends a result would leave the pool waiting for the rest of it for ever.
            if pool is not None:
                with interrupt.deferred():
                    if not done:
                        pool.stopping.set()  # each worker skips what it has left
                    pool.shutdown(wait=True, cancel_futures=not done)
    else:
        worker = Worker(*settings)
        built = ((job, worker.build(task)) for job, task in zip(plan.jobs, tasks))
        yield from _reported(built, total, name, progress)


def uses_pool(workers: int, rows: int) -> bool:
    """Whether :func:`build_all` builds in a pool of processes, or in this one (a small
    batch, where starting a pool would not pay off)."""
    return workers > 1 and rows >= POOL_THRESHOLD


class Spill:
    """The leaflets of a print job built in this process, kept until it is made in one
    temporary file that has no name (``tempfile.TemporaryFile``): however the batch
    ends, killed outright too, nothing of them is left on disk."""

    def __init__(self):
        import tempfile

        try:
            self.file = tempfile.TemporaryFile(prefix="rxleaflet-")
        except OSError as err:
            raise UserError.single(tempfile.gettempdir(), 0, 0, "", f"cannot make a temporary file: {err.strerror} "
                                                                   "(set TMPDIR to a folder that can be written)") from None

    def keep(self, pdf: bytes) -> "Kept":
        try:
            offset = self.file.seek(0, os.SEEK_END)
            self.file.write(pdf)
            self.file.flush()
        except OSError as err:  # a full disk: the print job cannot be made
            raise UserError.single("the temporary folder", 0, 0, "", f"cannot write: {err.strerror}") from None
        return Kept(self.file, offset, len(pdf))

    def close(self) -> None:
        self.file.close()


@dataclass(frozen=True)
class Kept:
    """One leaflet in a :class:`Spill`; read back as a file's bytes are."""

    file: object
    offset: int
    size: int

    def read_bytes(self) -> bytes:
        self.file.seek(self.offset)
        return self.file.read(self.size)


def _reported(built, total: int, name: str, progress):
    for done, (job, result) in enumerate(built, 1):
        if isinstance(result, str):  # the worker's message: a layout this row's details make impossible
            result = Problem(name, job.line, 1, f"row {job.row}", result)
        elif isinstance(result, tuple):  # the leaflet written, or the file that could not be
            path, problem = result
            if problem is not None:
                raise UserError([problem])
            result = Path(path)
        yield job, result
        if progress:
            progress(done, total)


class Worker:
    """What every leaflet of one batch shares: the content and the edition settings."""

    def __init__(self, leaflets: dict[str, model.Leaflet], pharmacy: Optional[model.Pharmacy],
                 paper: Optional[str], large_print: Optional[bool]):
        self.leaflets = leaflets
        self.pharmacy = pharmacy
        self.paper = paper
        self.large_print = large_print

    def build(self, task) -> Union[bytes, str, tuple]:
        """One row's leaflet, or the message of why it cannot be laid out.

        ``task`` is (content, prescription), optionally followed by paper and
        large_print for a leaflet in another edition than the worker's (None:
        the worker's), and by a file to write the leaflet to: then the result is
        (path, None), or (path, Problem) if the file cannot be written.
        """
        content, prescription, *rest = task
        paper, large_print, path = (*rest, None, None, None)[:3]
        try:
            pdf = api.build(self.leaflets[content], paper=paper or self.paper, prescription=prescription,
                            pharmacy=self.pharmacy, large_print=self.large_print if large_print is None else large_print)
        except UserError as err:  # text only: it crosses process boundaries
            problem = err.problems[0]  # a layout failure names the content's block that cannot be laid out
            where = f" (the block at {problem.file}:{problem.line}:{problem.column}: {problem.path})" if problem.line else ""
            return problem.message + where
        if path is None:
            return pdf
        try:  # a failure names the folder, not the file: its name is the Rx number
            with _WRITING:
                write_atomically(Path(path), pdf, shown=str(Path(path).parent), private=True)
        except UserError as err:
            return path, err.problems[0]
        return path, None

    def attach(self, task) -> Union[bytes, str]:
        """A print job: (build task, the pharmacy's document, its name, leaflet first, duplex)
        → the document and the task's leaflet in one PDF, or the message of why not."""
        from ..pdf import assemble  # pypdf: only print jobs need it

        build_task, document, name, leaflet_first, duplex = task
        leaflet = self.build(build_task)
        if isinstance(leaflet, str):
            return leaflet
        try:
            return assemble.attach(document, name, leaflet, Path(build_task[0]).stem + ".pdf", leaflet_first, duplex)
        except UserError as err:
            return err.problems[0].message


def worker_pool(workers: int, settings: tuple, scratch: Optional[Path] = None) -> concurrent.futures.ProcessPoolExecutor:
    """Processes that build leaflets, each with a Worker made from ``settings``.
    Each ends by itself once this process is gone (see :func:`_end_with`), removing
    ``scratch``, a temporary folder they write leaflets to, if given.

    Started by a fork server, not forked from this process: a forked worker
    would carry a copy of this process's memory (the whole day's jobs, every
    patient in them) for as long as it lives.  The fork server imports
    rxleaflet once, so each worker still starts warm.
    """
    context = _fork_server()
    stopping = context.Event()  # set: the batch was interrupted, build nothing more
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                  initializer=_start_pool_worker,
                                                  initargs=(stopping, os.getpid(), _left_if_killed(scratch), *settings))
    pool.stopping = stopping
    return pool


def _left_if_killed(scratch: Optional[Path]) -> tuple[str, ...]:
    """The temporary folders this process would leave if killed outright: ``scratch``
    and multiprocessing's own (the fork server's socket is in it; this process removes it
    as it exits, which a killed process cannot)."""
    return tuple(str(folder) for folder in (scratch, multiprocessing.util.get_temp_dir()) if folder)


def _fork_server():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["rxleaflet.pharmacy.batch", "rxleaflet.layout.write"])
    return context


def start_fork_server(jobs_file, workers: int) -> None:
    """Start the pool's fork server now, if the batch will want a pool: it imports
    rxleaflet (half a second) while this process reads the jobs, and it starts
    before any patient's details are in memory here."""
    if workers <= 1:
        return
    try:  # never open() a pipe here: it would wait for a writer for ever
        rows = sum(1 for line in read_input(jobs_file, MAX_JOBS_BYTES).splitlines() if line.strip())
    except UserError:
        return  # read_jobs says what is wrong with the file
    if rows > POOL_THRESHOLD:  # the header row of a CSV file counted too: at worst a server unused
        import multiprocessing.forkserver

        _fork_server()
        interrupt.start_resource_tracker()
        with interrupt.children_ignore_signals():  # the fork server and its workers: the parent stops them
            multiprocessing.forkserver.ensure_running()


# In a pool's worker process only: that process's Worker, made by its initializer,
# and the pool's stop sign.
_pool_worker: Optional[Worker] = None
_stopping = None


def _start_pool_worker(stopping, parent: int, scratch: tuple[str, ...], *settings) -> None:
    global _pool_worker, _stopping
    interrupt.in_worker()
    _pool_worker, _stopping = Worker(*settings), stopping
    threading.Thread(target=_end_with, args=(parent, scratch), name="rxleaflet-parent-watch", daemon=True).start()


# Held while a worker writes a leaflet: a worker never ends in the middle of a file.
_WRITING = threading.Lock()


def _end_with(parent: int, scratch: tuple[str, ...]) -> None:
    """In a pool worker: end this process once the process that started the pool is gone.

    A batch or server killed outright (SIGKILL, the out-of-memory killer) cannot stop
    its workers, and they would wait for work for ever, with the fork server that
    started them (they hold its pipe open).  A leaflet being written is finished first;
    one being built is dropped, as its batch is gone.  The temporary folders it would
    have removed (``scratch``: a print job's leaflets, patients' details) go too; every
    worker removes them, so that none is left whichever writes last."""
    _wait_for_exit(parent)
    _WRITING.acquire()
    for folder in scratch:
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(1)


def _wait_for_exit(pid: int) -> None:
    try:
        handle = os.pidfd_open(pid)  # Linux 5.3: readable once the process has ended
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])
        return
    while True:  # elsewhere, ask every second
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            pass
        time.sleep(1.0)


def build_in_pool_worker(task) -> Union[bytes, str, None]:
    """In a worker process of :func:`worker_pool`: one row's leaflet (see :meth:`Worker.build`),
    or None once the batch is stopping."""
    return None if _stopping.is_set() else _pool_worker.build(task)


def attach_in_pool_worker(task) -> Union[bytes, str]:
    """In a worker process of :func:`worker_pool`: a print job (see :meth:`Worker.attach`)."""
    try:
        return _pool_worker.attach(task)
    finally:
        # pypdf's reader and writer refer to each other: freed now, with the label's bytes (up to
        # 20 MB), not whenever the next collection comes, which an idle worker never reaches.
        gc.collect()


def combined_job(built: list[tuple[Job, Union[Path, Kept]]], duplex: bool) -> bytes:
    """All leaflets (already written to files, or kept in a Spill) in one print job,
    bookmarked by row (never by patient)."""
    from ..pdf import assemble  # pypdf: only a batch with --combine needs it

    parts = (assemble.Part(job.file_name, path.read_bytes(), f"Row {job.row}") for job, path in built)
    return assemble.combine(parts, duplex=duplex, title="Leaflets print job")


class ProgressBar:
    """A one-line progress bar on a terminal; silent anywhere else."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.active = self.stream.isatty()
        self.drawn = False  # the bar is on the screen, the cursor at its end

    def __call__(self, done: int, total: int) -> None:
        if not self.active:
            return
        width = 30
        filled = width * done // total
        self.drawn = True  # before the write: on a terminal "\r" flushes, and Ctrl-C may follow at once
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\n")
            self.drawn = False
        self.stream.flush()

    def end_line(self) -> None:
        """Before any message: end the bar's line, so the message starts on a fresh one."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
