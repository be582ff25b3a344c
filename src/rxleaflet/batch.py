"""A day's dispensing in one run: a leaflet per row of a CSV or JSON Lines file.

Each row names a content file and holds one prescription's dispensing
details.  A bad row is reported by its number (never its patient data) and
skipped; every good row is built.  Rows are built in a process pool when
there are enough of them for the pool to pay off.
"""
from __future__ import annotations

import concurrent.futures
import csv
import multiprocessing
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Union

from . import api, assemble, fonts, model
from .errors import Problem, UserError
from .load import MAX_CONTENT_BYTES, decode_utf8, prescription_row, read_leaflet

# Below this many rows a pool costs more to start than it saves.
POOL_THRESHOLD = 8


@dataclass
class Job:
    row: int
    line: int  # where the row starts in the jobs file
    content: str  # the content file, as resolved from the jobs file's folder
    prescription: model.Prescription

    @property
    def file_name(self) -> str:
        """Named by Rx number, never by patient; only characters safe in any file system."""
        return re.sub(r"[^A-Za-z0-9._-]+", "_", self.prescription.rx_number).strip("._") + ".pdf"


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows that will not be built
    leaflets: dict[str, model.Leaflet] = field(default_factory=dict)
    rows: int = 0


def read_jobs(path, printable=fonts.covers) -> Plan:
    """Every row of a jobs file, validated: jobs to build, and problems."""
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UserError.single(name, 0, 0, "", f"cannot read the file: {err.strerror}")
    if len(data) > 100 * MAX_CONTENT_BYTES:
        raise UserError.single(name, 1, 1, "", f"the file is {len(data):,} bytes; the limit is {100 * MAX_CONTENT_BYTES:,}")
    text = decode_utf8(data, name)
    rows = _jsonl_rows(text, name) if path.suffix.lower() in (".jsonl", ".ndjson") else _csv_rows(text, name)
    plan = Plan()
    leaflet_problems: dict[str, UserError] = {}

    def medicine_of(content: str) -> model.Medicine:
        resolved = str(path.parent / content)
        if resolved not in plan.leaflets and resolved not in leaflet_problems:
            try:
                plan.leaflets[resolved] = read_leaflet(resolved, printable)
            except UserError as err:
                leaflet_problems[resolved] = err
        if resolved in leaflet_problems:
            first = leaflet_problems[resolved].problems[0]
            raise UserError.single(name, 0, 0, "", f"the content file {content} is not valid ({first})")
        return plan.leaflets[resolved].medicine

    seen_rx: dict[str, int] = {}
    for row, line, fields in rows:
        plan.rows += 1
        if isinstance(fields, UserError):  # a row that is not even CSV or JSON: report it, go on
            plan.problems += fields.problems
            continue
        try:
            content, prescription = prescription_row(fields, name, line, row, medicine_of, printable)
        except UserError as err:
            plan.problems += err.problems
            continue
        job = Job(row, line, str(path.parent / content), prescription)
        if job.file_name in seen_rx:
            plan.problems.append(Problem(name, line, 1, f"row {row}.rx_number",
                                         f"the same Rx number as row {seen_rx[job.file_name]}; each row needs its own"))
            continue
        seen_rx[job.file_name] = row
        plan.jobs.append(job)
    if not plan.rows:
        raise UserError.single(name, 1, 1, "", "the file has no rows")
    return plan


def _csv_rows(text: str, name: str):
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

    reader = csv.DictReader(numbered())
    if not reader.fieldnames:
        raise UserError.single(name, 1, 1, "", "the file has no header row naming its columns")
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
    from .load import compose_document

    row = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        row += 1
        try:
            # Newlines before it keep YAML's marks on the line's real number.
            node = compose_document("\n" * (number - 1) + line, name, f"row {row}", "content and dispensing details")
        except UserError as err:
            problem = err.problems[0]  # a mark past the line's end still belongs to this line
            column = problem.column if problem.line == number else len(line) + 1
            node = UserError.single(name, number, column, f"row {row}", problem.message)
        yield row, number, node


def build_all(plan: Plan, pharmacy: Optional[model.Pharmacy], paper: Optional[str], large_print: Optional[bool],
              workers: int, name: str = "", progress=None) -> Iterator[tuple[Job, Union[bytes, Problem]]]:
    """Build every job; yield each (job, PDF) in row order as soon as it is built, so that
    a batch holds one leaflet at a time, not the whole day.  A row that cannot be laid out
    yields (job, Problem) and the batch goes on.  ``progress(done, total)``."""
    tasks = [(job.content, job.prescription) for job in plan.jobs]
    total = len(tasks)
    settings = (plan.leaflets, pharmacy, paper, large_print)
    if workers > 1 and total >= POOL_THRESHOLD:
        with worker_pool(workers, settings) as pool:
            chunk = max(1, min(16, total // (workers * 4)))
            built = zip(plan.jobs, pool.map(build_in_pool_worker, tasks, chunksize=chunk))
            yield from _reported(built, total, name, progress)
    else:
        worker = Worker(*settings)
        built = ((job, worker.build(task)) for job, task in zip(plan.jobs, tasks))
        yield from _reported(built, total, name, progress)


def _reported(built, total: int, name: str, progress):
    for done, (job, result) in enumerate(built, 1):
        if isinstance(result, str):  # the worker's message: a layout this row's details make impossible
            result = Problem(name, job.line, 1, f"row {job.row}", result)
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

    def build(self, task) -> Union[bytes, str]:
        """One row's leaflet, or the message of why it cannot be laid out."""
        content, prescription = task
        try:
            return api.build(self.leaflets[content], paper=self.paper, prescription=prescription,
                             pharmacy=self.pharmacy, large_print=self.large_print)
        except UserError as err:
            return err.problems[0].message  # text only: it crosses process boundaries


def worker_pool(workers: int, settings: tuple) -> concurrent.futures.ProcessPoolExecutor:
    """Processes that build leaflets, each with a Worker made from ``settings``.

    Started by a fork server, not forked from this process: a forked worker
    would carry a copy of this process's memory (the whole day's jobs, every
    patient in them) for as long as it lives.  The fork server imports
    rxleaflet once, so each worker still starts warm.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["rxleaflet.batch", "rxleaflet.write"])
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                  initializer=_start_pool_worker, initargs=settings)


# In a pool's worker process only: that process's Worker, made by its initializer.
_pool_worker: Optional[Worker] = None


def _start_pool_worker(*settings) -> None:
    global _pool_worker
    _pool_worker = Worker(*settings)


def build_in_pool_worker(task) -> Union[bytes, str]:
    """In a worker process of :func:`worker_pool`: one row's leaflet (see :meth:`Worker.build`)."""
    return _pool_worker.build(task)


def combined_job(built: list[tuple[Job, Path]], duplex: bool) -> bytes:
    """All leaflets (already written to files) in one print job, bookmarked by row (never by patient)."""
    parts = (assemble.Part(job.file_name, path.read_bytes(), f"Row {job.row}") for job, path in built)
    return assemble.combine(parts, duplex=duplex, title="Leaflets print job")


class ProgressBar:
    """A one-line progress bar on a terminal; silent anywhere else."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.active = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.active:
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
