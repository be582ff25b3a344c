"""The command line: a thin layer over the Python API.

Exit codes: 0 success, 1 internal failure (a bug: please report it), 2 bad
input (each problem printed as FILE:LINE:COL: PATH: message).
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import UserError

EXIT_OK, EXIT_INTERNAL, EXIT_USER = 0, 1, 2


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
                       help="where to write the PDF (default: the content file's name with .pdf, in the current folder)")
    build.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    build.set_defaults(run=_build)

    validate = commands.add_parser("validate", help="check a content file without building",
                                   description="Check a content file: exit 0 if it would build, 2 with one line per problem if not.")
    validate.add_argument("content", metavar="CONTENT.yaml", help="the medicine's content file")
    validate.set_defaults(run=_validate)
    return parser


def _build(args) -> int:
    from . import build, load
    from .files import write_atomically

    leaflet = load(args.content)
    pdf = build(leaflet, paper=args.paper)
    output = Path(args.output) if args.output else Path(Path(args.content).stem + ".pdf")
    write_atomically(output, pdf)
    print(f"wrote {output}")
    return EXIT_OK


def _validate(args) -> int:
    from . import load

    load(args.content)
    print(f"{args.content}: ok")
    return EXIT_OK


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except UserError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("rxleaflet: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not the user's fault: say so briefly
        print(f"rxleaflet: internal error: {type(err).__name__}: {err}", file=sys.stderr)
        print("This is a bug in rxleaflet. Set RXLEAFLET_DEBUG=1 to see the traceback.", file=sys.stderr)
        if os.environ.get("RXLEAFLET_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL
