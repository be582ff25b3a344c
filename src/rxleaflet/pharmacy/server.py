"""The leaflet service: an HTTP JSON API (Starlette on Uvicorn) that builds leaflets in a pool of worker processes.

One event loop takes requests, reads and checks them and finds the leaflet
in the library; the builds run in worker processes (ReportLab's state is
process-wide), started by a fork server and kept for the service's life, so
their layouts stay warm.  At most ``queue`` builds wait or run at once; past
that a request gets 503 with Retry-After.  Nothing a request carries is
logged: the access log has the method, path, status and time only, and no
answer quotes a patient's details or names a path on the server.  Memory is
bounded: the bodies being read or built at once hold at most
``BODY_BUDGET`` bytes (past that, 503), and slow clients are bounded by
:mod:`.slow_clients`.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import os
import socket
import time
import urllib.parse
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Optional

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import batch, interrupt
from .slow_clients import HEADER_SECONDS, MOST_WAITING, guarded_protocol
from .guard import ClientClosed, Guard, configure_logging, log_line, require_content_type
from .public import public_edition
from ..text import fonts
from .. import model
from ..errors import Ambiguous, NotFound, Problem, UserError
from ..content.library import LeafletFiles, Library
from ..content.dispensing import read_request
from ..version import __version__

# A leaflet request (JSON): every field at its length limit, written as \uXXXX escapes, is under
# 40 KB.  Read as YAML nodes a request takes some 150 times its size in memory, and the event
# loop's time: a megabyte (a list of 300,000 numbers) would take 150 MB and 3 s.
MAX_REQUEST_BYTES = 64 * 1024
MAX_JOB_BYTES = 20_000_000  # a print-job request: the pharmacy's label PDF and the JSON
READ_SECONDS = 10  # to send a request's body
BUILD_SECONDS = 30  # to build a leaflet (the sample takes about 10 ms)
DEFAULT_QUEUE = 64  # builds waiting or running: at ~10 ms a build on 2 workers, under half a second's wait
LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")
# The bodies being read, checked or built at once: at most this many bytes (two print jobs at
# their largest).  A request that would take more is answered 503 (Retry-After) at once.
BODY_BUDGET = 2 * MAX_JOB_BYTES
JSON_TYPES = ("application/json",)
FORM_TYPES = ("multipart/form-data",)


class Service:
    """The state the endpoints share: the library, the worker pool and the bound on queued builds."""

    def __init__(self, library: Library, pharmacy: Optional[model.Pharmacy], workers: int,
                 queue: Optional[int] = None, token: Optional[str] = None, build_seconds: Optional[float] = None):
        self.library = library
        self.pharmacy = pharmacy
        self.workers = workers
        self.queue = queue or DEFAULT_QUEUE
        self.build_seconds = build_seconds or BUILD_SECONDS
        self.token = token
        self.pending = 0  # builds queued or running
        self.pool = None
        self.body_bytes = 0  # of BODY_BUDGET, taken by the bodies of the requests under way
        # Answers by class (2xx, 4xx …) and what ended without one: client_closed, slow_headers, crowded_out.
        self.counts = collections.Counter()

    def take(self, size: int, held: list) -> None:
        """Count ``size`` more body bytes against the budget for a request (``held``: its
        share so far, given back by :meth:`release`); 503 if the budget has no room."""
        if self.body_bytes + size > BODY_BUDGET:
            raise HTTPException(503, "the service is reading as many requests as it holds at once; try again "
                                     "shortly", headers={"Retry-After": "1"})
        self.body_bytes += size
        held[0] += size

    def release(self, size: int) -> None:
        self.body_bytes -= size

    def start(self) -> None:
        if self.pool is not None:  # restarted by a request while a broken pool was being replaced
            return
        _return_big_blocks()
        # Workers read content files themselves (and again when one changes): requests carry a path, not a model.
        interrupt.start_resource_tracker()
        with interrupt.children_ignore_signals(interrupt.HANGUP):  # a closed terminal: the service stops them
            self.pool = batch.worker_pool(self.workers, (LeafletFiles(fonts.covers), self.pharmacy, None, None))
            # Start every worker now (each imports and loads its fonts), not on the first requests.
            list(self.pool.map(_warm, range(self.workers)))

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        """The workers live as long as the application: Uvicorn ends the lifespan on Ctrl-C or
        SIGTERM, after the requests under way, before it lets the signal end the process."""
        self.start()
        try:
            yield
        finally:
            self.stop()

    async def run(self, function, task) -> bytes:
        """``function(task)`` in a worker; 503 when the queue is full, 504 past the time limit."""
        if self.pending >= self.queue:
            raise HTTPException(503, "the service is busy; try again shortly", headers={"Retry-After": "1"})
        try:
            future = asyncio.get_running_loop().run_in_executor(self.pool, function, task)
            self.pending += 1
            # Counted until the worker is done, even if the client gives up or the time runs out:
            # the queue bound is the pool's real load.
            future.add_done_callback(self._done)
            result = await asyncio.wait_for(asyncio.shield(future), self.build_seconds)
        except asyncio.TimeoutError:
            raise HTTPException(504, f"the build took longer than {self.build_seconds:g} s") from None
        except BrokenProcessPool:  # a worker died (killed, out of memory): start a new pool, say try again
            self._restart()
            raise HTTPException(503, "a build worker stopped; the workers were restarted: try again",
                                headers={"Retry-After": "1"}) from None
        if isinstance(result, str):  # a layout these details make impossible: the worker's message
            raise UserError.single("request", 0, 0, "", result)
        return result

    def _done(self, future) -> None:
        self.pending -= 1

    def _restart(self) -> None:
        broken, self.pool = self.pool, None
        if broken is not None:
            logging.getLogger("rxleaflet.service").error("a build worker stopped; starting the workers again")
            broken.shutdown(wait=False, cancel_futures=True)
            self.start()


# Bytes over this are allocated apart (mmap) and given back to the system when freed.  glibc
# otherwise raises its threshold after the first big block is freed, up to 32 MB, and a 20 MB
# print job's copies would stay in the heap: the service's memory would stay at its peak.
BIG_BLOCK = 256 * 1024


def _return_big_blocks() -> None:
    """Big blocks given back when freed, in this process (glibc's mallopt) and in the workers,
    which the fork server, started after this, makes with its environment."""
    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(BIG_BLOCK))
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(-3, BIG_BLOCK)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc: its allocator has its own rules
        pass


def _warm(_) -> None:
    time.sleep(0.05)  # long enough for the pool to hand one to each worker


# -- endpoints ---------------------------------------------------------------

async def leaflets(request: Request) -> Response:
    service: Service = request.app.state.service
    require_content_type(request, JSON_TYPES, "the leaflet request as JSON")
    body = await _body(request)
    choice, prescription, paper, large_print = read_request(body, "request", service.library.find, fonts.covers)
    pdf = await service.run(batch.build_in_pool_worker, (choice.path, prescription, paper, large_print))
    return await _pdf(request, pdf, choice)


async def jobs(request: Request) -> Response:
    service: Service = request.app.state.service
    require_content_type(request, FORM_TYPES, "a multipart form: the file 'label' and the field 'request'")
    # Read under the size and time limits before parsing; handed over, not kept, so that the
    # body is freed once parsed (a print job's copies are what the memory bound counts).
    bodies = [await _body(request)]

    async def received():
        yield bodies.pop()

    parser = MultiPartParser(request.headers, received(), max_files=1, max_fields=4, max_part_size=MAX_REQUEST_BYTES)
    parser.spool_max_size = MAX_JOB_BYTES  # the label stays in memory: a patient's label is never written to disk
    try:
        form = await parser.parse()
    except MultiPartException as err:
        raise UserError.single("request", 0, 0, "", f"not a valid multipart form: {err.message}") from None
    try:
        label, details = form.get("label"), form.get("request")
        problems = []
        if label is None or isinstance(label, str):
            problems.append(Problem("request", 0, 0, "label", "attach the pharmacy's document (a PDF) as the file 'label'"))
        if not isinstance(details, str):
            problems.append(Problem("request", 0, 0, "request", "give the leaflet request (JSON) as the field 'request'"))
        options = {key: _flag(form.get(key), key, problems) for key in ("leaflet_first", "duplex")}
        if problems:
            raise UserError(problems)
        choice, prescription, paper, large_print = read_request(details.encode("utf-8"), "request",
                                                                service.library.find, fonts.covers)
        document = await label.read()
    finally:
        await form.close()
    task = ((choice.path, prescription, paper, large_print), document, "label", options["leaflet_first"],
            options["duplex"])
    return await _pdf(request, await service.run(batch.attach_in_pool_worker, task), choice)


async def medicines(request: Request) -> Response:
    library = request.app.state.service.library
    entries = library.medicines()
    return JSONResponse({"medicines": entries, "problems": [_hide_paths(str(p), library) for p in library.problems]})


async def healthz(request: Request) -> Response:
    service: Service = request.app.state.service
    service.library.refresh()
    return JSONResponse({"status": "ok", "version": __version__, "leaflets": len(service.library.entries),
                         "library_problems": len(service.library.problems), "workers": service.workers,
                         "pending": service.pending, "queue": service.queue, "counts": dict(service.counts)})


async def openapi(request: Request) -> Response:
    return JSONResponse(OPENAPI)


async def _pdf(request: Request, data: bytes, choice) -> Response:
    """The PDF, with which leaflet and edition it is (file names and languages: never patient data);
    ClientClosed if the client hung up while it was built (it is logged so, not as answered)."""
    if await request.is_disconnected():
        raise ClientClosed()
    name = Path(choice.path).stem + ".pdf"
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f"inline; filename*=UTF-8''{urllib.parse.quote(name)}",
        "Content-Language": choice.leaflet.lang,
        "X-Rxleaflet-Leaflet": urllib.parse.quote(choice.entry.name),
        "X-Rxleaflet-Edition": "default" if choice.fallback else "asked" if choice.wanted.lang else "only",
    })


def _flag(value, key: str, problems: list) -> bool:
    """A form field that is "true" or "false" (absent: false); a problem if it is anything else."""
    if value is None or (isinstance(value, str) and value.lower() in ("true", "false")):
        return value is not None and value.lower() == "true"
    problems.append(Problem("request", 0, 0, key, "expected true or false"))
    return False


async def _body(request: Request) -> bytearray:
    """The request's body, refused past its size (413) or time (408) limit, or when the service
    holds as many body bytes as it may (503); a client that hangs up raises ClientClosed."""
    service: Service = request.app.state.service
    held = request.scope["rxleaflet.body_bytes"]
    limit = MAX_JOB_BYTES if request.url.path == "/v1/jobs" else MAX_REQUEST_BYTES
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the request is over {limit:,} bytes")
    if declared and declared.isdigit():
        service.take(int(declared), held)  # the whole body at once: no half-read request waits for room
    body, size = bytearray(), 0
    deadline = time.monotonic() + READ_SECONDS
    stream = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(stream.__anext__(), max(0.0, deadline - time.monotonic()))
        except StopAsyncIteration:
            break
        except asyncio.TimeoutError:
            raise HTTPException(408, f"the request was not sent within {READ_SECONDS} s") from None
        except ClientDisconnect:
            raise ClientClosed() from None
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the request is over {limit:,} bytes")
        if size > held[0]:  # sent without a Content-Length, or more than it said
            service.take(size - held[0], held)
        body += chunk
    return body  # not copied into bytes: every copy of a 20 MB body counts


# -- errors: JSON, without anything the request carried -------------------------

async def _user_error(request: Request, err: UserError) -> Response:
    status = 404 if isinstance(err, NotFound) else 409 if isinstance(err, Ambiguous) else 422
    library = request.app.state.service.library
    return JSONResponse({"problems": [_problem(p, library) for p in err.problems]}, status_code=status)


def _problem(problem: Problem, library: Library) -> dict:
    return {"line": problem.line, "column": problem.column, "path": problem.path,
            "message": _hide_paths(problem.message, library), "text": _hide_paths(str(problem), library)}


def _hide_paths(text: str, library: Library) -> str:
    """``text`` without the server's paths: a file in the library by its name there, the
    library itself as "the library", the working folder's and home's paths dropped."""
    absolute = {os.path.abspath(library.folder), os.path.realpath(library.folder)}
    for folder in sorted(absolute | {str(library.folder)}, key=len, reverse=True):
        text = text.replace(f"the library {folder}", "the library").replace(folder + os.sep, "")
    for folder in sorted(absolute, key=len, reverse=True):  # not a relative name: "lib" is in "library"
        text = text.replace(folder, "the library")
    for folder in (os.getcwd(), os.path.expanduser("~")):
        if len(folder) > 1:
            text = text.replace(folder + os.sep, "")
    return text


async def _client_closed(request: Request, err: ClientClosed) -> Response:
    """No answer: nobody is there to read it.  The access log says "client closed" (499)."""
    request.scope["rxleaflet.client_closed"] = True
    return _Unanswered()


class _Unanswered(Response):
    async def __call__(self, scope, receive, send) -> None:
        return None


async def _http_error(request: Request, err: HTTPException) -> Response:
    return JSONResponse({"error": err.detail}, status_code=err.status_code, headers=err.headers)


# -- the application -----------------------------------------------------------

def application(service: Service) -> Starlette:
    routes = [
        Route("/v1/leaflets", leaflets, methods=["POST"]),
        Route("/v1/jobs", jobs, methods=["POST"]),
        Route("/v1/medicines", medicines, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        # the public HTML editions the QR code on the print opens (no token: no patient data in them)
        Route("/01/{code}", public_edition, methods=["GET"]),
        Route("/ndc/{code}", public_edition, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={UserError: _user_error, HTTPException: _http_error,
                                                       ClientClosed: _client_closed}, lifespan=service.lifespan)
    app.state.service = service
    app.add_middleware(Guard, service=service)
    return app


def read_token(path) -> str:
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise UserError.single(str(path), 0, 0, "", f"cannot read the token file: {getattr(err, 'strerror', err)}")
    if len(token) < 16 or any(c.isspace() for c in token):
        raise UserError.single(str(path), 0, 0, "", "the token must be at least 16 characters, without spaces")
    return token


# What the service says when a signal stops it: it stops taking requests and answers those it
# has (a build that runs past --build-seconds is answered 504) before it exits.
STOPPED = "rxleaflet: the service stopped; every request it had taken was answered first"


def stopped_report(log_format: str) -> str:
    """:data:`STOPPED`, as it is; with ``--log-format json``, as one more line of the JSON log."""
    return log_line("json", STOPPED) if log_format == "json" else STOPPED


def serve(library: Library, pharmacy: Optional[model.Pharmacy], host: str, port: int, workers: int,
          token_file: Optional[str] = None, queue: Optional[int] = None, build_seconds: Optional[float] = None,
          log_format: str = "text", slow_clients: tuple = (None, None)) -> None:
    """Run the service until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    if host not in LOCAL_HOSTS and not token_file:
        raise UserError.single("rxleaflet serve", 0, 0, "", f"--host {host} is reachable from other machines: "
                               "give --token-file with the bearer token every request must carry")
    token = read_token(token_file) if token_file else None
    library.refresh()
    service = Service(library, pharmacy, workers, queue, token, build_seconds)
    configure_logging(log_format)
    # Uvicorn's HTTP/1.1 protocol (h11) with a deadline on request headers and a cap on
    # connections waiting to send them (see slow_clients): uvicorn has neither.
    header_seconds, most_waiting = slow_clients
    protocol = guarded_protocol(service.counts, header_seconds or HEADER_SECONDS, most_waiting or MOST_WAITING)
    config = uvicorn.Config(application(service), host=host, port=port, access_log=False, log_config=None,
                            http=protocol,
                            lifespan="on", timeout_keep_alive=5, timeout_graceful_shutdown=service.build_seconds,
                            server_header=False, h11_max_incomplete_event_size=16 * 1024)
    interrupt.hangup_as_sigterm()
    uvicorn.Server(config).run(sockets=[_listening(host, port)])


def _listening(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or a UserError saying why not (the port is taken, …)."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listening = socket.socket(family, kind, protocol)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
    except OSError as err:
        raise UserError.single("rxleaflet serve", 0, 0, "", f"cannot listen on {host} port {port}: "
                                                           f"{err.strerror or err}") from None
    return listening


OPENAPI = json.loads((Path(__file__).parents[1] / "schema" / "openapi.json").read_text(encoding="utf-8"))
OPENAPI["info"]["version"] = __version__
