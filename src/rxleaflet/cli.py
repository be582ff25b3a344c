"""The command line: a thin layer over the Python API.

Exit codes: 0 success, 1 internal failure (a bug: please report it; for
``check``, also: findings), 2 bad
input (each problem printed as FILE:LINE:COL: PATH: message), 3 a batch in
which some rows failed (the others were built), 141 the program reading our
standard output closed it (as a tool killed by SIGPIPE reports it).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .version import __version__
from .errors import UserError
from .model import PAPERS

EDITIONS = ("pdf", "html", "epub", "brf")  # api.EDITIONS (written out: building the parser imports no ReportLab)

EXIT_OK, EXIT_INTERNAL, EXIT_USER, EXIT_SOME_ROWS_FAILED = 0, 1, 2, 3
EXIT_OUTPUT_CLOSED = 128 + 13  # what a shell reports for a tool that SIGPIPE stopped
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
    build.add_argument("content", metavar="CONTENT.yaml", nargs="?",
                       help="the medicine's content file (or find it in a library: --library, and --rx or --ndc, "
                            "--gtin, --medicine)")
    build.add_argument("-o", "--output", metavar="OUT.pdf", type=_file_name,
                       help="where to write the PDF; - for standard output (default: the content file's name "
                            "with .pdf, in the current folder)")
    _add_paper_option(build)
    build.add_argument("--format", choices=EDITIONS, default="pdf", type=str.lower,
                       help="the edition: pdf (default), html (one accessible web page), epub (EPUB 3) or brf "
                            "(braille, 40 cells by 25 lines; needs liblouis)")
    build.add_argument("--force", action="store_true",
                       help="replace the file at the default output name even if it holds another leaflet")
    _add_large_print_option(build)
    _add_dispensing_options(build)
    _add_strict_option(build)
    build.set_defaults(run=_build)

    validate = commands.add_parser("validate", help="check content files without building",
                                   description="Check content files (and dispensing details, pharmacy settings): "
                                               "exit 0 if they would build, 2 with one line per problem if not.")
    validate.add_argument("content", metavar="CONTENT.yaml", nargs="*",
                          help="the medicines' content files (or find one in a library, as for build)")
    _add_dispensing_options(validate)
    _add_strict_option(validate)
    validate.set_defaults(run=_validate)
    attach = commands.add_parser("attach", help="put a prescription document and a leaflet into one print job",
                                 description="Combine the pharmacy's own document (label sheet, receipt) and a leaflet "
                                             "into one print job, with a bookmark for each; the accessible leaflet "
                                             "travels inside the job as an embedded file.")
    attach.add_argument("prescription", metavar="PRESCRIPTION.pdf", help="the pharmacy's label sheet or receipt")
    attach.add_argument("leaflet", metavar="LEAFLET.pdf", help="a leaflet built by rxleaflet")
    attach.add_argument("-o", "--output", metavar="JOB.pdf", required=True, type=_file_name, help="the print job to write; - for standard output")
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
    batch.add_argument("--combine", metavar="JOB.pdf", type=_file_name_not_standard_output, help="also (or instead) write all leaflets as one print job")
    batch.add_argument("--duplex", action="store_true", help="in the combined job, pad each leaflet to an even page count")
    batch.add_argument("--jobs", dest="workers", type=int, metavar="N", help="processes to build with (default: one per core)")
    _add_paper_option(batch)
    _add_large_print_option(batch)
    _add_strict_option(batch)
    batch.add_argument("--pharmacy", metavar="PHARMACY.yaml",
                       help=f"pharmacy settings (default: ${PHARMACY_VARIABLE}, else "
                            "$XDG_CONFIG_HOME/rxleaflet/pharmacy.yaml if it exists)")
    _add_library_option(batch)
    batch.set_defaults(run=_batch)

    library = commands.add_parser("library", help="check a content library",
                                  description="A content library is a folder of content files that prescriptions "
                                              "find by product code or medicine name (see the README).")
    library_commands = library.add_subparsers(dest="library_command", required=True, metavar="COMMAND")
    check = library_commands.add_parser("check", help="validate every file; report duplicate codes and ambiguous "
                                                      "medicines", description="Validate every content file of a "
                                                      "library and report product codes on two leaflets and medicine "
                                                      "names that fit more than one: exit 0 if none, 2 if any.")
    check.add_argument("folder", metavar="DIR", nargs="?", help="the library (default: the pharmacy's library)")
    check.add_argument("--pharmacy", metavar="PHARMACY.yaml", help="pharmacy settings (for their library: key)")
    check.set_defaults(run=_library_check)

    _add_check_command(commands)
    serve = commands.add_parser("serve", help="a local HTTP service that builds leaflets for a pharmacy system",
                                description="Serve leaflets over HTTP (JSON API; see the README, 'Pharmacy systems').")
    _add_library_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; any other "
                                                           "needs --token-file)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    serve.add_argument("--workers", type=int, metavar="N", help="build processes (default: one per core)")
    serve.add_argument("--queue", type=int, metavar="N",
                       help="builds that may wait or run at once; past that, 503 (default: 64)")
    serve.add_argument("--build-seconds", type=_positive_seconds, metavar="S",
                       help="how long one build may take before its request is answered 504 (default: 30)")
    serve.add_argument("--token-file", metavar="FILE", help="a file holding the bearer token every request must carry")
    serve.add_argument("--header-seconds", type=_positive_seconds, metavar="S",
                       help="from a connection's opening to the end of its request's headers; past that, 408 and "
                            "closed (default: 10)")
    serve.add_argument("--most-waiting", type=_positive_count, metavar="N",
                       help="connections that may wait for their headers at once; one more closes the one that "
                            "waited longest (default: 64)")
    serve.add_argument("--log-format", choices=("text", "json"), default="text",
                       help="the log on stderr: text lines (default) or one JSON object a line")
    serve.add_argument("--pharmacy", metavar="PHARMACY.yaml",
                       help=f"pharmacy settings (default: ${PHARMACY_VARIABLE}, else "
                            "$XDG_CONFIG_HOME/rxleaflet/pharmacy.yaml if it exists)")
    serve.set_defaults(run=_serve)
    _add_import_command(commands)
    return parser


def _add_check_command(commands) -> None:
    check = commands.add_parser("check", help="say whether leaflets are good: safe dose notation, plain language, "
                                               "complete sections", description="Check content files (or the "
                                "leaflets of library folders): error-prone dose notation, sentence length, reading "
                                "level, jargon, and the sections their profile requires. Exit 0 if clean (findings "
                                "accepted by a '# check: accept RULE - why' comment do not count), 1 if there are "
                                "findings, 2 if a file does not load.")
    check.add_argument("content", metavar="CONTENT.yaml|DIR", nargs="+", help="content files, or library folders")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                       help="text (default), json (one object per finding) or sarif (SARIF 2.1.0)")
    check.add_argument("--profile", metavar="NAME", help="check the sections against this profile (eu-qrd, "
                                                         "fda-medication-guide, usp-1265) instead of the file's own")
    check.set_defaults(run=_check)


def _check(args) -> int:
    from . import api
    from .check import command

    return command.run(args.content, api.load, args.format, args.profile)


def _add_library_option(command) -> None:
    command.add_argument("--library", metavar="DIR",
                         help="a folder of content files to find medicines in (default: the pharmacy's library)")


def _add_paper_option(command) -> None:
    # A4 or a4: the name is the same paper either way.
    command.add_argument("--paper", choices=PAPERS, type=str.lower, metavar="{" + ",".join(PAPERS) + "}",
                         help="paper size, in any case (default: the pharmacy's, else a4)")


def _add_strict_option(command) -> None:
    command.add_argument("--strict", action="store_true",
                         help="treat warnings about the content (such as list items folded together) as errors")


# The patient sections `import spl --section` chooses from (importers.spl.PATIENT_SECTIONS; written
# out here so that building the parser does not import the importers).
SECTION_CHOICES = ("medguide", "ppi", "ifu", "42231-1", "42230-3", "59845-8")


def _add_import_command(commands) -> None:
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
        command.add_argument("-o", "--output", metavar="OUT.yaml", type=_file_name_not_standard_output,
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
    _add_library_option(command)
    for option, what in (("--ndc", "an NDC"), ("--gtin", "a GTIN"), ("--medicine", "a medicine's name and strength")):
        command.add_argument(option, metavar="CODE" if option != "--medicine" else "TEXT",
                             help=f"without a content file or --rx: the library's leaflet for {what}")
    command.add_argument("--lang", metavar="TAG", help="with a library: the patient's language, if it has that edition")
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
    """The leaflet, with its prescription and pharmacy if given: everything validated; and the
    library's choice when the leaflet was found in a library (else None)."""
    from . import api

    settings = pharmacy_settings_path(args.pharmacy)
    pharmacy = api.load_pharmacy(settings) if settings else None
    named = {"ndc": args.ndc, "gtin": args.gtin, "medicine": args.medicine, "lang": args.lang}
    options = [f"--{key}" for key, value in named.items() if value is not None]
    if args.content:
        if options:
            raise UserError.single(args.content, 0, 0, "", f"{', '.join(options)}: only without a content file "
                                                           "(to find one in a library)")
        leaflet = api.load(args.content)
        report_warnings(leaflet.warnings, args.strict)
        _refuse_check_errors(leaflet, args.strict)
        prescription = api.load_prescription(args.rx, leaflet) if args.rx else None
        return leaflet, prescription, pharmacy, None
    library = api.open_library(args.library, pharmacy)
    if library is None or not (args.rx or options):
        raise UserError.single(f"rxleaflet {args.command}", 0, 0, "", "give a content file, or a library (--library "
                               "DIR, or library: in the pharmacy settings) and --rx, --ndc, --gtin or --medicine")
    if args.rx:
        if options:
            raise UserError.single(args.rx, 0, 0, "", f"{', '.join(options)}: not with --rx (the dispensing "
                                                      "details name the medicine: ndc, gtin or medicine, and lang)")
        choice, prescription = api.load_located_prescription(args.rx, library)
    else:
        choice, prescription = api.find_in_library(library, **named), None
    report_warnings(choice.leaflet.warnings, args.strict)
    _refuse_check_errors(choice.leaflet, args.strict)
    # Which file and edition: says nothing about the patient, and goes to stderr (stdout may be the PDF).
    print(f"leaflet: {choice.note}", file=sys.stderr)
    return choice.leaflet, prescription, pharmacy, choice


def report_warnings(warnings, strict: bool) -> None:
    """Print each warning; with --strict they are errors (exit 2) instead."""
    if strict and warnings:
        raise UserError(warnings)
    for warning in warnings:
        print(warning, file=sys.stderr)


def _refuse_check_errors(leaflet, strict: bool) -> None:
    """With --strict, what `rxleaflet check` finds of error severity (and not accepted) is refused too."""
    if strict:
        from .check.command import strict_problems

        problems = strict_problems(leaflet)
        if problems:
            raise UserError(problems)


def _positive_count(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"{text}: give a whole number above 0")
    return int(text)


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 86400:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{text}: give a number of seconds above 0 (a day at most)")
    return seconds


def _file_name(text: str) -> str:
    """An output option that names a file (or is - for standard output): a name that
    names a folder ("out/", "out/.", "..") is refused, as it would otherwise be written
    as a file of another name (``-o out/`` writing ``out``)."""
    if text == "-":
        return text
    last = text.replace(os.sep, "/").rstrip("/").rsplit("/", 1)[-1]
    if text.endswith(("/", os.sep)) or last in (".", "..", ""):
        raise argparse.ArgumentTypeError(f"{text} names a folder; give the file's name too "
                                         f"(for example {os.path.join(text, 'leaflet.pdf')})")
    return text


def _file_name_not_standard_output(text: str) -> str:
    """As :func:`_file_name`, for an option that writes files only: "-" is not standard output there."""
    if text == "-":
        raise argparse.ArgumentTypeError("- is not standard output here; give a file's name")
    return _file_name(text)


def _build(args) -> int:
    from .api import build

    if args.format != "pdf" and args.paper:
        raise UserError.single("rxleaflet build", 0, 0, "", f"--paper: for the PDF only, not --format {args.format}")
    leaflet, prescription, pharmacy, choice = _load_inputs(args)
    if args.format == "pdf" and pharmacy is not None and pharmacy.edition_url:
        _warn_of_a_missing_edition_code(leaflet, pharmacy, choice.path if choice else args.content, args.strict)
    if args.format == "pdf":
        pdf = build(leaflet, paper=args.paper, prescription=prescription, pharmacy=pharmacy,
                    large_print=args.large_print)
    else:
        from .api import build_edition

        pdf = build_edition(leaflet, args.format, prescription, pharmacy, args.large_print)
    content = choice.path if choice else args.content
    # Named after the content, never the patient: file names end up in print queues.
    output = args.output or Path(content).stem + "." + args.format
    _refuse_writing_onto_an_input(output, {"the content file": content, "the dispensing details": args.rx,
                                           "the pharmacy settings": pharmacy_settings_path(args.pharmacy)})
    if not args.output and not args.force:
        _refuse_to_replace_another_leaflet(Path(output), leaflet, args.format)
    _write_output(output, pdf, private=prescription is not None)
    return EXIT_OK


def _warn_of_a_missing_edition_code(leaflet, pharmacy, content, strict: bool) -> None:
    """The pharmacy prints a QR code to the electronic edition, but this medicine lacks the code its address needs."""
    from .editions.address import missing_code
    from .errors import Problem

    message = missing_code(pharmacy.edition_url, leaflet)
    if message:
        report_warnings([Problem(str(content), 0, 0, "", f"warning: {message}")], strict)


def _refuse_to_replace_another_leaflet(output: Path, leaflet, format: str = "pdf") -> None:
    """A default output name replaces only an earlier build of the same leaflet.

    Two content files can share a name (content/diazepam-2mg.yaml and
    content/es/diazepam-2mg.yaml): the second build must not silently replace
    the first one's PDF.  "The same leaflet" is a PDF rxleaflet wrote for the
    same medicine in the same language, read from its own metadata.
    """
    from .pdf.assemble import leaflet_identity
    from .layout.write import document_info

    if not output.is_file():
        return
    if format != "pdf":  # only a PDF says which leaflet it holds
        raise UserError.single(str(output), 0, 0, "", "not replaced: the file exists; name the output with -o, "
                                                      "or add --force to replace it")
    try:
        data = output.read_bytes()
    except OSError:
        return  # writing it will say what is wrong
    info = document_info(leaflet)
    found = leaflet_identity(data)
    if found == (info.lang, info.subject):
        return
    what = f"the {found[0]} leaflet \"{found[1]}\"" if found else "a file rxleaflet did not write"
    raise UserError.single(str(output), 0, 0, "", f"not replaced: it holds {what}, built from another content file; "
                           "name the output with -o, or add --force to replace it")


def _write_output(output: str, data: bytes, private: bool) -> None:
    """To a file (atomically, saying where), or to standard output for a pipe to lp.
    ``private``: it holds a patient's details, so the file is the owner's only."""
    from .pharmacy.atomic_write import write_atomically

    if output == "-":
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise  # the reader stopped: see _output_closed
        except OSError as err:  # a full disk, /dev/full
            _stdout_to_nowhere()
            raise UserError.single("standard output", 0, 0, "", f"cannot write: {err.strerror}") from None
    else:
        write_atomically(Path(output), data, private=private)
        print(f"wrote {output}")


def _attach(args) -> int:
    from .pdf import assemble
    from .content.yamlfile import read_input

    documents = {}
    _refuse_writing_onto_an_input(args.output, {"the prescription document": args.prescription,
                                                "the leaflet": args.leaflet})
    for path in (args.prescription, args.leaflet):
        documents[path] = read_input(path, None)
    job = assemble.attach(documents[args.prescription], args.prescription, documents[args.leaflet], args.leaflet,
                          leaflet_first=args.leaflet_first, duplex=args.duplex)
    _write_output(args.output, job, private=True)  # a prescription document is a patient's
    return EXIT_OK


def _refuse_writing_onto_an_input(output: str, inputs: dict) -> None:
    """``inputs``: what each file read is ({"the content file": path, …}; None: not given)."""
    from .pharmacy.atomic_write import same_file

    for what, path in inputs.items():
        if output != "-" and path and same_file(output, path):
            raise UserError.single(output, 0, 0, "", f"the output would overwrite {what}")


def _batch(args) -> int:
    from .pharmacy import batch_command

    failed = batch_command.run(args, pharmacy_settings_path(args.pharmacy))
    return EXIT_SOME_ROWS_FAILED if failed else EXIT_OK


def _library_check(args) -> int:
    from . import api

    settings = pharmacy_settings_path(args.pharmacy)
    library = api.open_library(args.folder, api.load_pharmacy(settings) if settings else None)
    if library is None:
        raise UserError.single("rxleaflet library check", 0, 0, "", "give the library folder (DIR), or set "
                                                                   "library: in the pharmacy settings")
    problems = library.check()
    for problem in library.skipped + problems + [w for entry in library.entries for w in entry.leaflet.warnings]:
        print(problem, file=sys.stderr)
    from .check.command import summaries

    for line in summaries(entry.leaflet for entry in library.entries):  # what `rxleaflet check` finds
        print(line, file=sys.stderr)
    counted = f"{len(library.entries)} leaflets" + (f", {len(library.skipped)} files skipped" if library.skipped else "")
    print(f"{library.folder}: {counted}, {len(problems)} problems" if problems else f"{library.folder}: ok ({counted})")
    return EXIT_USER if problems else EXIT_OK


def _serve(args) -> int:
    from . import api
    from .pharmacy import server

    settings = pharmacy_settings_path(args.pharmacy)
    pharmacy = api.load_pharmacy(settings) if settings else None
    library = api.open_library(args.library, pharmacy)
    if library is None:
        raise UserError.single("rxleaflet serve", 0, 0, "", "give the library folder (--library DIR), or set "
                                                           "library: in the pharmacy settings")
    from .pharmacy import batch

    try:
        server.serve(library, pharmacy, host=args.host, port=args.port,
                     workers=args.workers or batch.default_workers(), token_file=args.token_file, queue=args.queue,
                     build_seconds=args.build_seconds, log_format=args.log_format,
                     slow_clients=(args.header_seconds, args.most_waiting))
    except KeyboardInterrupt as stop:  # a service writes no files: it says what became of its requests
        stop.report = server.stopped_report(args.log_format)
        raise
    return EXIT_OK


def _validate(args) -> int:
    """Every content file given (or the library's choice), each reported: "FILE: ok" or its problems."""
    contents = args.content or [None]
    found_by = [option for option in ("rx", "ndc", "gtin", "medicine") if getattr(args, option)]
    if len(contents) > 1 and found_by:
        raise UserError.single(f"rxleaflet {args.command}", 0, 0, "", f"--{found_by[0]}: with one content file "
                               "only (it is checked against that file's medicine)")
    problems = []
    for content in contents:
        try:
            _, _, _, choice = _load_inputs(argparse.Namespace(**{**vars(args), "content": content}))
        except UserError as err:
            problems += [problem for problem in err.problems if problem not in problems]
            continue
        print(f"{choice.path if choice else content}: ok")
    if problems:
        raise UserError(problems)
    for path in (args.rx, pharmacy_settings_path(args.pharmacy)):
        if path:
            print(f"{path}: ok")
    return EXIT_OK


def _import(args) -> int:
    from .pharmacy.atomic_write import write_atomically
    from .importers import import_label

    output = Path(args.output or Path(args.label).stem + ".yaml")
    if output.resolve() == Path(args.label).resolve():
        raise UserError.single(str(output), 0, 0, "", "the output would overwrite the label")
    if not args.output and output.exists():  # an author's edits are never replaced by a default name
        raise UserError.single(str(output), 0, 0, "", "not replaced: the file exists; name the output with -o")
    imported = import_label(args.kind, args.label, output.parent, getattr(args, "section", None),
                            args.drop_missing_images)
    for warning in imported.warnings:
        print(f"{args.label}: warning: {warning}", file=sys.stderr)
    write_atomically(output, imported.yaml.encode("utf-8"))
    pictures = imported.pictures.write()
    print(f"wrote {output}" + (f" and {len(pictures)} pictures into {output.parent / 'images'}" if pictures else ""))
    return EXIT_OK


def main(argv=None) -> int:
    from .pharmacy import interrupt

    try:
        with interrupt.handled():
            args = _parser().parse_args(argv)
            code = args.run(args)
            sys.stdout.flush()  # a closed pipe shows here, not at exit
            return code
    except UserError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return EXIT_USER
    except BrokenPipeError:
        return _output_closed()
    except KeyboardInterrupt as err:
        # Every file is written whole or not at all; a batch keeps the leaflets it finished.
        print(getattr(err, "report", interrupt.REPORT), file=sys.stderr)
        return getattr(err, "exit_status", 130)
    except RecursionError:  # the loader's depth limits should make this impossible: a bug
        return _internal_error("nesting too deep to handle")
    except Exception as err:  # a bug, not the user's fault: say so briefly
        return _internal_error(type(err).__name__)


def _internal_error(what: str) -> int:
    # The exception's own text is not printed: it might quote patient data.
    import traceback

    where = _innermost_place_in_package(traceback.extract_tb(sys.exc_info()[2]))
    print(f"rxleaflet: internal error: {what}{where}", file=sys.stderr)
    print("This is a bug in rxleaflet. Set RXLEAFLET_DEBUG=1 to see the traceback.", file=sys.stderr)
    if os.environ.get("RXLEAFLET_DEBUG"):
        traceback.print_exc()
    return EXIT_INTERNAL


def _innermost_place_in_package(frames) -> str:
    """The place of the innermost frame in rxleaflet's own files (" in layout/write.py:120"), or "".

    By location, not by name: a clone or a virtual environment under a folder called
    rxleaflet holds ReportLab's files and the tests too."""
    package = Path(__file__).resolve().parent
    for frame in reversed(frames):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(package):
            return f" in {path.relative_to(package).as_posix()}:{frame.lineno}"
    return ""


def _stdout_to_nowhere() -> None:
    """Whatever is still buffered for an output that failed would fail again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _output_closed() -> int:
    """The program reading our output (lp, head) stopped: not a bug, say so in one line."""
    _stdout_to_nowhere()
    try:
        print("rxleaflet: stopped: the program reading the output closed it before the end", file=sys.stderr)
    except OSError:
        pass  # standard error is closed too: the exit status says it
    return EXIT_OUTPUT_CLOSED
