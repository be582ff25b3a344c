"""The service's front door: the bearer token as RFC 7235 reads it, the body's Content-Type, and a log a log pipeline can trust.

Every value a log line holds has its control characters escaped (a path of
``%0d%0a`` cannot start a forged line, nor ``%00`` write a NUL), as text or,
with ``--log-format json``, as one JSON object a line.  A client that hung
up is logged as such (status 499, "client closed"), not as the service's
error, and counted apart.
"""
from __future__ import annotations

import datetime
import gc
import hmac
import json
import logging
import re
import time

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from .public import is_public

access_log = logging.getLogger("rxleaflet.access")
service_log = logging.getLogger("rxleaflet.service")
CLIENT_CLOSED = 499  # the status nginx logs for a client that closed its connection before the answer
LOG_FORMATS = ("text", "json")
BIG_BODY = 1_000_000  # bytes: a request body this big is worth a garbage collection when it is done


class ClientClosed(Exception):
    """The client closed its connection before its request was read: nothing to answer."""


def escaped(text: str) -> str:
    """``text`` with a backslash before each backslash and every character that could end, hide or
    reorder a log line (controls, line and paragraph separators, bidi controls) as ``\\xNN`` or ``\\uNNNN``."""
    return _UNSAFE.sub(_escape, text)


_UNSAFE = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def _escape(match) -> str:
    char = match.group()
    if char == "\\":
        return "\\\\"
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


class TextFormatter(logging.Formatter):
    """``time logger message`` on one line, the message escaped; of an exception, its type only
    (a traceback may quote what it was working on, and runs over several lines)."""

    def format(self, record) -> str:
        line = f"{self.formatTime(record)} {record.name} {escaped(record.getMessage())}"
        return line + (f" ({record.exc_info[0].__name__})" if record.exc_info else "")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and an access line's fields."""

    def format(self, record) -> str:
        line = {"time": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).isoformat(
                    timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            line["exception"] = record.exc_info[0].__name__
        line.update(getattr(record, "access", {}))
        return json.dumps(line, ensure_ascii=True)  # every control character as \uNNNN


def log_line(log_format: str, message: str) -> str:
    """``message`` as the service's log writes a line of rxleaflet.service: for what is printed
    when the log itself has stopped (the service's last words)."""
    record = logging.LogRecord("rxleaflet.service", logging.INFO, "", 0, message, None, None)
    return (JsonFormatter() if log_format == "json" else TextFormatter()).format(record)


def configure_logging(log_format: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


class Guard:
    """ASGI middleware: the bearer token (when one is set), the access log and its counts, and
    the release of the body bytes a request took from the service's budget."""

    def __init__(self, app, service):
        self.app = app
        self.service = service

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = [0]  # 0 until the response starts
        scope["rxleaflet.body_bytes"] = [0]  # taken from the budget by the body's reader

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            refusal = self._refusal(scope)
            if refusal is not None:
                return await refusal(scope, receive, sending)
            return await self.app(scope, receive, sending)
        except Exception as err:
            # The type only: an exception's text might quote what it was working on.  Not re-raised,
            # so that no server log prints a traceback with it either.
            service_log.error("internal error: %s", type(err).__name__)
            if not status[0]:  # nothing sent yet
                response = JSONResponse({"error": "internal error (a bug in rxleaflet)"}, status_code=500)
                await response(scope, receive, sending)
        finally:
            held = scope["rxleaflet.body_bytes"][0]
            self.service.release(held)
            if held > BIG_BODY:  # its copies may sit in reference cycles (futures, exceptions): free them now
                gc.collect()
            self._log(scope, status[0] or 500, started)

    def _log(self, scope, status: int, started: float) -> None:
        closed = scope.get("rxleaflet.client_closed", False)
        if closed:
            status = CLIENT_CLOSED
        self.service.counts["client_closed" if closed else str(status)[0] + "xx"] += 1
        milliseconds = round((time.perf_counter() - started) * 1000, 1)
        # The path only, never the query string; its control characters are escaped by the formatter.
        method, path = scope["method"], scope["path"]
        outcome = " client closed" if closed else ""
        access_log.info("%s %s %d%s %.1f ms", method, path, status, outcome, milliseconds,
                        extra={"access": {"method": method, "path": path, "status": status,
                                          "ms": milliseconds, "client_closed": closed}})

    def _refusal(self, scope):
        """A 401 or 400 answer for a request the token rule refuses, else None.  The public
        editions (``public.is_public``) need no token: nothing of a patient is in them."""
        if self.service.token is None or is_public(scope):
            return None
        given = [value for name, value in scope["headers"] if name == b"authorization"]
        if len(given) > 1:  # which one is meant? RFC 7230 allows a header field once unless it is a list
            return JSONResponse({"error": "send one Authorization header"}, status_code=400)
        if not given or not hmac.compare_digest(_bearer_token(given[0]), self.service.token.encode("utf-8")):
            return JSONResponse({"error": "a valid bearer token is required"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        return None


def _bearer_token(value: bytes) -> bytes:
    """The token of ``Bearer TOKEN`` (RFC 7235: the scheme is case-insensitive, then one or more
    spaces), or b"" for any other scheme."""
    scheme, _, token = value.partition(b" ")
    return token.lstrip(b" ") if scheme.lower() == b"bearer" else b""


def require_content_type(request, expected: tuple[str, ...], what: str) -> None:
    """415 unless the request's media type is one of ``expected`` (a "+json" suffix counts as JSON)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    charset = re.search(r";\s*charset\s*=\s*\"?([^\";\s]+)", request.headers.get("content-type", ""), re.I)
    json_like = "application/json" in expected and media.startswith("application/") and media.endswith("+json")
    if (media not in expected and not json_like) or (charset and charset.group(1).lower() not in ("utf-8", "utf8")):
        raise HTTPException(415, f"send {what} (Content-Type: {expected[0]}"
                                 f"{'; charset=utf-8' if expected[0] == 'application/json' else ''})")
