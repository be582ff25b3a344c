"""The ``rxleaflet`` command and ``python -m rxleaflet``: a Ctrl-C exits 130 quietly from the first moment."""
import sys

from .pharmacy import interrupt

interrupt.quiet_start()  # before the command line's imports, which take a while on a busy machine


def run() -> int:
    from .cli import main

    status = main()
    interrupt.ignore()  # done: a late Ctrl-C must not kill Python while it shuts down
    return status


if __name__ == "__main__":
    sys.exit(run())
