"""The batch command: a day's jobs file built into an output folder, one print job, or both, and what is said when it stops.

The command line parses the options; this module runs them: it reads the jobs,
makes the output folder, refuses rows whose file cannot be written, builds in the
pool, writes the combined print job, and counts what a Ctrl-C left finished.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path
from typing import Optional

from .. import api
from ..errors import Problem, UserError
from . import batch, interrupt
from .atomic_write import check_output, require_folder, same_file, write_atomically


def run(args, settings: Optional[Path]) -> int:
    """Build every row of ``args.jobs_file`` as the command line asked; the number of rows that failed.

    ``settings``: the pharmacy settings file, or None."""
    if not args.output and not args.combine:
        raise UserError.single(args.jobs_file, 0, 0, "", "say where to write: -o OUTDIR, --combine JOB.pdf, or both")
    if args.combine:
        require_folder(Path(args.combine))  # before a day's building, not after
        check_output(args.combine)
    spool, spill, before, built = None, None, {}, []  # before: which file each row's name held when building began
    try:
        workers = args.workers or batch.default_workers()
        batch.start_fork_server(args.jobs_file, workers)
        pharmacy = api.load_pharmacy(settings) if settings else None
        plan = batch.read_jobs(args.jobs_file, strict=args.strict, library=api.open_library(args.library, pharmacy))
        for problem in [w for leaflet in plan.leaflets.values() for w in leaflet.warnings] + plan.problems:
            print(problem, file=sys.stderr)
        for job in plan.jobs:
            if job.note:
                print(f"{args.jobs_file}:{job.line}:1: row {job.row}: {job.note}", file=sys.stderr)
        # built: (job, file), the leaflets written as they come, never all held at once
        progress = batch.ProgressBar()
        # A print job only: a pool's workers write the leaflets into a folder of the batch's
        # own (they remove it if the batch is killed); built here, they wait in a Spill.
        if not args.output and batch.uses_pool(workers, len(plan.jobs)):
            with interrupt.deferred():
                spool = _temporary_folder()
        folder = Path(args.output) if args.output else Path(spool) if spool else None
        if args.combine:
            _refuse_combining_onto_an_input(args, settings, folder, plan.jobs)
        made = folder is not None and not folder.exists()
        if folder is not None:
            _make_folder(folder)
            for job in list(plan.jobs):  # a row whose file a pipe, folder or link holds: that row's problem
                problem = _unwritable(folder / job.file_name, job, args)
                if problem:
                    print(problem, file=sys.stderr)
                    plan.jobs.remove(job)
            before = {job.file_name: _identity(folder / job.file_name) for job in plan.jobs}
        else:
            spill = batch.Spill()
        results = batch.build_all(plan, pharmacy, args.paper, args.large_print, workers,
                                  name=args.jobs_file, progress=progress, folder=folder, scratch=bool(spool))
        try:
            with contextlib.closing(results):
                for job, result in results:
                    if isinstance(result, Problem):
                        progress.end_line()
                        print(result, file=sys.stderr)
                        continue
                    # written by the process that built it, or kept here
                    built.append((job, spill.keep(result) if isinstance(result, bytes) else result))
        except UserError as err:  # a leaflet could not be written: only the print job, not the spool, is the user's
            progress.end_line()
            if args.output:
                raise
            raise UserError([Problem(args.combine, 0, 0, "", p.message) for p in err.problems]) from None
        except BaseException:
            progress.end_line()  # the message that follows starts on its own line
            raise
        if args.combine and built:
            write_atomically(Path(args.combine), batch.combined_job(built, args.duplex), private=True)
        if made and not built:
            folder.rmdir()  # no empty folder left behind when nothing was built
    except KeyboardInterrupt as stop:
        # Workers write what they build: count the files this batch wrote, finished or not yet reported.
        written = sum(_identity(folder / name) not in (None, old) for name, old in before.items()) if args.output else 0
        kept = f"kept the {written} leaflets already finished, in {args.output}" if written else "no leaflet kept"
        stop.report = f"rxleaflet: interrupted; {kept}" + ("; no print job written" if args.combine else "")
        raise
    finally:
        if spill:
            spill.close()
        if spool:
            with interrupt.deferred():
                shutil.rmtree(spool, ignore_errors=True)
    failed = plan.rows - len(built)
    written = [f"into {args.output}" if args.output else "", f"as {args.combine}" if args.combine and built else ""]
    summary = " ".join(filter(None, [f"built {len(built)} of {plan.rows} leaflets", " and ".join(filter(None, written))]))
    if args.combine and not built:
        summary += f"; no print job written ({args.combine} left as it was)"
    print(summary + (f"; {failed} rows failed (see above)" if failed else ""))
    return failed


def _identity(path: Path):
    """Which file is at ``path`` (a new one, renamed into place, has a new inode); None if none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


def _temporary_folder() -> str:
    import tempfile

    try:
        return tempfile.mkdtemp(prefix="rxleaflet-")
    except OSError as err:
        raise UserError.single(tempfile.gettempdir(), 0, 0, "", f"cannot make a temporary folder: {err.strerror} "
                                                               "(set TMPDIR to a folder that can be written)") from None


def _refuse_combining_onto_an_input(args, settings, folder: Optional[Path], jobs) -> None:
    """``--combine`` must name a file of its own: not the jobs file or the pharmacy
    settings it was made from, nor a row's leaflet in the output folder, which one
    would overwrite the other (names compared as batch rows are: ignoring case)."""
    if same_file(args.combine, args.jobs_file) or (settings and same_file(args.combine, settings)):
        raise UserError.single(args.combine, 0, 0, "", "cannot write the print job there: it is a file this "
                                                       "batch reads; choose another name")
    combine = Path(args.combine)
    if folder is None or not same_file(combine.parent, folder):
        return
    for job in jobs:
        if combine.name.casefold() == job.file_name.casefold():  # the message names the row, not the file
            raise UserError.single("--combine", 0, 0, "", f"cannot write the print job there: it is the file "
                                                          f"of row {job.row} in the output folder; choose another name")


def _unwritable(path: Path, job, args) -> Optional[Problem]:
    """A row whose file cannot be written (a folder, pipe or link is already there): that row's problem."""
    try:
        check_output(path)
    except UserError as err:
        message = err.problems[0].message
        said = message.replace("cannot write: it is ", "is ", 1) if message.startswith("cannot write: it is ") \
            else f"cannot be written: {message.removeprefix('cannot write: ')}"
        return Problem(args.jobs_file, job.line, 1, f"row {job.row}.rx_number", f"its file in the output folder {said}")
    return None


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file, device or broken link is there
        raise UserError.single(str(folder), 0, 0, "", "cannot make the output folder: something that is not "
                                                      "a folder is already there") from None
    except OSError as err:
        raise UserError.single(str(folder), 0, 0, "", f"cannot make the output folder: {err.strerror}") from None
