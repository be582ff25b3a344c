"""The command line: a thin layer over the Python API.

Exit codes: 0 success, 1 internal failure (a bug: please report it), 2 bad
input (each problem printed as FILE:LINE:COL: PATH: message), 3 a batch in
which some rows failed (the others were built).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path

from .version import __version__
from .errors import Problem, UserError
from .model import PAPERS

EXIT_OK, EXIT_INTERNAL, EXIT_USER, EXIT_SOME_ROWS_FAILED = 0, 1, 2, 3
PHARMACY_VARIABLE = "RXLEAFLET_PHARMACY"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rxleaflet",
        description="Build accessible, printable patient information leaflets (PDF/UA-1) from YAML content.",
    )
    parser.add_argument("--version", action="version", version=f"rxleaflet {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build a leaflet PDF from a content file",
                                description="Build a leaflet PDF from a content file and print where it was written.")
    build.add_argument("content", metavar="CONTENT.yaml", help="the medicine's content file")
    build.add_argument("-o", "--output", metavar="OUT.pdf",
                       help="where to write the PDF; - for standard output (default: the content file's name "
                            "with .pdf, in the current folder)")
    build.add_argument("--paper", choices=PAPERS, help="paper size (default: the pharmacy's, else a4)")
    _add_large_print_option(build)
    _add_dispensing_options(build)
    build.set_defaults(run=_build)

    validate = commands.add_parser("validate", help="check a content file without building",
                                   description="Check a content file (and dispensing details, pharmacy settings): "
                                               "exit 0 if it would build, 2 with one line per problem if not.")
    validate.add_argument("content", metavar="CONTENT.yaml", help="the medicine's content file")
    _add_dispensing_options(validate)
    validate.set_defaults(run=_validate)
    attach = commands.add_parser("attach", help="put a prescription document and a leaflet into one print job",
                                 description="Combine the pharmacy's own document (label sheet, receipt) and a leaflet "
                                             "into one print job, with a bookmark for each; the accessible leaflet "
                                             "travels inside the job as an embedded file.")
    attach.add_argument("prescription", metavar="PRESCRIPTION.pdf", help="the pharmacy's label sheet or receipt")
    attach.add_argument("leaflet", metavar="LEAFLET.pdf", help="a leaflet built by rxleaflet")
    attach.add_argument("-o", "--output", metavar="JOB.pdf", required=True, help="the print job to write; - for standard output")
    attach.add_argument("--leaflet-first", action="store_true", help="put the leaflet before the prescription document")
    attach.add_argument("--duplex", action="store_true",
                        help="pad each part with a blank page to an even page count, so each starts on a fresh sheet")
    attach.set_defaults(run=_attach)

    batch = commands.add_parser("batch", help="build a leaflet for every row of a CSV or JSON Lines file",
                                description="Build one personalised leaflet per row (content file + dispensing "
                                            "details). Bad rows are reported by row number and skipped; exit 3 if any.")
    batch.add_argument("jobs_file", metavar="JOBS.csv|JOBS.jsonl", help="one row per prescription; see the README for the columns")
    batch.add_argument("-o", "--output", metavar="OUTDIR",
                       help="folder for one PDF per row, named by Rx number (created if missing)")
    batch.add_argument("--combine", metavar="JOB.pdf", help="also (or instead) write all leaflets as one print job")
    batch.add_argument("--duplex", action="store_true", help="in the combined job, pad each leaflet to an even page count")
    batch.add_argument("--jobs", dest="workers", type=int, metavar="N", help="processes to build with (default: one per core)")
    batch.add_argument("--paper", choices=PAPERS, help="paper size (default: the pharmacy's, else a4)")
    _add_large_print_option(batch)
    batch.add_argument("--pharmacy", metavar="PHARMACY.yaml",
                       help=f"pharmacy settings (default: ${PHARMACY_VARIABLE}, else "
                            "$XDG_CONFIG_HOME/rxleaflet/pharmacy.yaml if it exists)")
    batch.set_defaults(run=_batch)
    _add_import_command(commands)
    return parser


def _add_import_command(commands) -> None:
    from .importers.spl import SECTION_CHOICES

    importing = commands.add_parser("import", help="turn an official leaflet (FDA SPL, ePI) into a content file",
                                    description="Turn the patient leaflet of an official label into a content file "
                                                "to review, build and edit.")
    kinds = importing.add_subparsers(dest="kind", required=True, metavar="KIND")
    spl = kinds.add_parser("spl", help="an FDA Structured Product Labeling file (XML, or DailyMed's zip with images)",
                           description="Import the patient section of an FDA SPL: the Medication Guide, else the "
                                       "Patient Package Insert, else the Instructions for Use.")
    spl.add_argument("label", metavar="LABEL.xml|LABEL.zip", help="the SPL file, or its zip with the images")
    spl.add_argument("--section", choices=SECTION_CHOICES,
                     help="which patient section: medguide (42231-1), ppi (42230-3) or ifu (59845-8); "
                          "default: the first of these the label has")
    epi = kinds.add_parser("epi", help="an ePI: a FHIR document Bundle (JSON)",
                           description="Import the leaflet of an HL7 ePI document Bundle (FHIR JSON).")
    epi.add_argument("label", metavar="BUNDLE.json", help="the FHIR Bundle")
    for command in (spl, epi):
        command.add_argument("-o", "--output", metavar="OUT.yaml",
                             help="the content file to write (default: the label's name with .yaml, in the current "
                                  "folder); pictures go into images/ beside it")
        command.add_argument("--drop-missing-images", action="store_true",
                             help="leave out pictures whose file or description is missing (a comment marks each) "
                                  "instead of keeping them for an author to complete")
        command.set_defaults(run=_import)


def _add_large_print_option(command) -> None:
    command.add_argument("--large-print", action=argparse.BooleanOptionalAction, default=None,
                         help="18 pt large print (default: the pharmacy's setting, else standard 12 pt print)")


def _add_dispensing_options(command) -> None:
    command.add_argument("--rx", metavar="RX.yaml",
                         help="one prescription's dispensing details (YAML or JSON): printed on page 1")
    command.add_argument("--pharmacy", metavar="PHARMACY.yaml",
                         help=f"pharmacy settings (default: ${PHARMACY_VARIABLE}, else "
                              "$XDG_CONFIG_HOME/rxleaflet/pharmacy.yaml if it exists)")


def pharmacy_settings_path(given):
    """--pharmacy, else $RXLEAFLET_PHARMACY, else the user's config folder, else none."""
    if given:
        return Path(given)
    if os.environ.get(PHARMACY_VARIABLE):
        return Path(os.environ[PHARMACY_VARIABLE])
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    default = config / "rxleaflet" / "pharmacy.yaml"
    return default if default.is_file() else None


def _load_inputs(args):
    """The leaflet, with its prescription and pharmacy if given: everything validated."""
    from . import api

    leaflet = api.load(args.content)
    prescription = api.load_prescription(args.rx, leaflet) if args.rx else None
    settings = pharmacy_settings_path(args.pharmacy)
    pharmacy = api.load_pharmacy(settings) if settings else None
    return leaflet, prescription, pharmacy


def _build(args) -> int:
    from .api import build

    leaflet, prescription, pharmacy = _load_inputs(args)
    pdf = build(leaflet, paper=args.paper, prescription=prescription, pharmacy=pharmacy, large_print=args.large_print)
    # Named after the content, never the patient: file names end up in print queues.
    output = args.output or Path(args.content).stem + ".pdf"
    if output != "-" and Path(output).resolve() == Path(args.content).resolve():
        raise UserError.single(str(output), 0, 0, "", "the output would overwrite the content file")
    _write_output(output, pdf)
    return EXIT_OK


def _write_output(output: str, data: bytes) -> None:
    """To a file (atomically, saying where), or to standard output for a pipe to lp."""
    from .atomic_write import write_atomically

    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomically(Path(output), data)
        print(f"wrote {output}")


def _attach(args) -> int:
    from . import assemble

    documents = {}
    for path in (args.prescription, args.leaflet):
        try:
            documents[path] = Path(path).read_bytes()
        except OSError as err:
            raise UserError.single(path, 0, 0, "", f"cannot read the file: {err.strerror}") from None
    title = assemble.leaflet_title(documents[args.leaflet], args.leaflet)
    prescription = assemble.Part(args.prescription, documents[args.prescription], "Prescription")
    leaflet = assemble.Part(args.leaflet, documents[args.leaflet], f"Patient information leaflet: {title}",
                            attach_as=Path(args.leaflet).name)
    parts = [leaflet, prescription] if args.leaflet_first else [prescription, leaflet]
    _write_output(args.output, assemble.combine(parts, duplex=args.duplex, title=title))
    return EXIT_OK


def _batch(args) -> int:
    from . import batch
    from .api import load_pharmacy
    from .atomic_write import require_folder, write_atomically

    if not args.output and not args.combine:
        raise UserError.single(args.jobs_file, 0, 0, "", "say where to write: -o OUTDIR, --combine JOB.pdf, or both")
    if args.combine:
        require_folder(Path(args.combine))  # before a day's building, not after
    settings = pharmacy_settings_path(args.pharmacy)
    pharmacy = load_pharmacy(settings) if settings else None
    plan = batch.read_jobs(args.jobs_file)
    for problem in plan.problems:
        print(problem, file=sys.stderr)
    workers = args.workers or batch.default_workers()
    built = []  # (job, file): the leaflets are written as they come, never all held at once
    with tempfile.TemporaryDirectory(prefix="rxleaflet-") as spool:
        folder = Path(args.output) if args.output else Path(spool)
        _make_folder(folder)
        for job, result in batch.build_all(plan, pharmacy, args.paper, args.large_print, workers,
                                           name=args.jobs_file, progress=batch.ProgressBar()):
            if isinstance(result, Problem):
                print(result, file=sys.stderr)
                continue
            write_atomically(folder / job.file_name, result)
            built.append((job, folder / job.file_name))
        if args.combine and built:
            write_atomically(Path(args.combine), batch.combined_job(built, args.duplex))
    failed = plan.rows - len(built)
    written = [f"into {args.output}" if args.output else "", f"as {args.combine}" if args.combine and built else ""]
    summary = " ".join(filter(None, [f"built {len(built)} of {plan.rows} leaflets", " and ".join(filter(None, written))]))
    if args.combine and not built:
        summary += f"; no print job written ({args.combine} left as it was)"
    print(summary + (f"; {failed} rows failed (see above)" if failed else ""))
    return EXIT_SOME_ROWS_FAILED if failed else EXIT_OK


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UserError.single(str(folder), 0, 0, "", f"cannot make the output folder: {err.strerror}") from None


def _validate(args) -> int:
    _load_inputs(args)
    checked = [args.content] + [path for path in (args.rx, pharmacy_settings_path(args.pharmacy)) if path]
    for path in checked:
        print(f"{path}: ok")
    return EXIT_OK


def _import(args) -> int:
    from .atomic_write import write_atomically
    from .importers import import_label

    output = Path(args.output or Path(args.label).stem + ".yaml")
    if output.resolve() == Path(args.label).resolve():
        raise UserError.single(str(output), 0, 0, "", "the output would overwrite the label")
    imported = import_label(args.kind, args.label, output.parent, getattr(args, "section", None),
                            args.drop_missing_images)
    for warning in imported.warnings:
        print(f"{args.label}: warning: {warning}", file=sys.stderr)
    write_atomically(output, imported.yaml.encode("utf-8"))
    pictures = imported.pictures.write()
    print(f"wrote {output}" + (f" and {len(pictures)} pictures into {output.parent / 'images'}" if pictures else ""))
    return EXIT_OK


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    # pypdf logs what it finds odd in a PDF; a PDF we cannot use is reported as a user error instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return args.run(args)
    except UserError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        # Every file is written whole or not at all; a batch keeps the leaflets it finished.
        print("rxleaflet: interrupted; no file was left half-written", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not the user's fault: say so briefly
        print(f"rxleaflet: internal error: {type(err).__name__}: {err}", file=sys.stderr)
        print("This is a bug in rxleaflet. Set RXLEAFLET_DEBUG=1 to see the traceback.", file=sys.stderr)
        if os.environ.get("RXLEAFLET_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL
