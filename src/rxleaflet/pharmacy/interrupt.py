"""Stopping cleanly on Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP): cleanup runs, nothing is left half-written.

The command line turns these signals into :class:`Interrupted` (a KeyboardInterrupt,
so that no ``except Exception`` swallows it), which unwinds through every
cleanup: temporary files are removed, a batch's worker processes are stopped
(they ignore these signals and are stopped by the batch: see batch.build_all).
Short sections that must not be cut in two (a file renamed into place and
counted as kept) run under :func:`deferred`: a signal arriving there takes
effect right after.  A process pool is started under :func:`children_ignore_signals`.
Exit status 128 + the signal: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP.  A
signal that came ignored (a background job's Ctrl-C, nohup's SIGHUP) stays ignored.
"""
from __future__ import annotations

import contextlib
import os
import signal

# SIGHUP: the terminal a batch runs in was closed (an SSH session dropped).
HANGUP = (signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()
SIGNALS = (signal.SIGINT, signal.SIGTERM) + HANGUP
REPORT = "rxleaflet: interrupted; no file was left half-written"  # a batch says what it kept instead
_state = {"pid": None, "deferring": 0, "pending": None}


class Interrupted(KeyboardInterrupt):
    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


def quiet_start() -> None:
    """Until :func:`handled` takes over: nothing is written yet, so a signal just ends the
    command, with its exit status and one line instead of a traceback from an import."""
    for signum in SIGNALS:
        _take(signum, _exit_quietly)


def _take(signum: int, handler) -> None:
    """Handle ``signum``, unless it came ignored: a shell starts a background job (``cmd &``)
    with Ctrl-C ignored, and nohup …, so that it goes on; that is kept."""
    if signal.getsignal(signum) is not signal.SIG_IGN:
        signal.signal(signum, handler)


def ignore() -> None:
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def _exit_quietly(signum, frame) -> None:
    os.write(2, REPORT.encode() + b"\n")
    os._exit(128 + signum)


@contextlib.contextmanager
def handled():
    """Within the block, the SIGNALS raise Interrupted in this (the main) process."""
    _state.update(pid=os.getpid(), deferring=0, pending=None)
    before = {signum: signal.getsignal(signum) for signum in SIGNALS}
    for signum in SIGNALS:
        _take(signum, _on_signal)
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _on_signal(signum, frame) -> None:
    if os.getpid() != _state["pid"]:
        # A worker forked before it could reset its handlers: stop as the signal says.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    if _state["deferring"]:
        _state["pending"] = _state["pending"] or signum
        return
    _stop(signum)


def _stop(signum: int) -> None:
    ignore()  # one interruption is enough: a second Ctrl-C must not cut the cleanup short
    raise Interrupted(signum)


@contextlib.contextmanager
def deferred():
    """Run the block whole: a signal that arrives meanwhile interrupts right after it."""
    _state["deferring"] += 1
    try:
        yield
    finally:
        _state["deferring"] -= 1
        pending = _state["pending"]
        if pending and not _state["deferring"]:
            _state["pending"] = None
            _stop(pending)


@contextlib.contextmanager
def children_ignore_signals(signals=SIGNALS):
    """Processes started within the block ignore the ``signals`` for good; threads
    started within it never take them.  Signals that arrive meanwhile act right after.

    A pool's fork server and workers inherit the ignoring, so a Ctrl-C or SIGTERM
    sent to the whole process group reaches only this process, which stops them
    itself, in order: a fork server killed by the signal would leave its workers
    running, and a worker killed while it sends a result would leave the pool
    waiting for the rest of it for ever.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    # Blocked, a signal stays pending (Linux never drops a blocked signal as ignored);
    # one pending already is dropped by SIG_IGN below, so note it first.
    pending = signal.sigpending() & set(signals)
    handlers = {signum: signal.getsignal(signum) for signum in signals}
    for signum in signals:
        signal.signal(signum, signal.SIG_IGN)
    try:
        yield
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for signum in pending:
            signal.raise_signal(signum)


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (before a pool: it unblocks SIGINT and
    SIGTERM as it starts, so not within :func:`children_ignore_signals`).  It ignores
    those two itself; it is made to ignore SIGHUP too, or a closed terminal would end
    it before the batch that stops the pool could tell it what to clean up."""
    import multiprocessing.resource_tracker

    with children_ignore_signals(HANGUP):
        multiprocessing.resource_tracker.ensure_running()


def hangup_as_sigterm() -> None:
    """A closed terminal stops a server as SIGTERM does, gracefully (Uvicorn handles
    SIGINT and SIGTERM itself; a SIGHUP would otherwise end it mid-request)."""
    for signum in HANGUP:
        _take(signum, lambda *_: signal.raise_signal(signal.SIGTERM))


def in_worker() -> None:
    """In a batch worker process: the SIGNALS are the parent's to handle (a terminal's
    Ctrl-C reaches every process of the group); the parent stops its workers itself.
    (Inherited already where the pool was started under :func:`children_ignore_signals`.)"""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
