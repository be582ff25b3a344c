"""Slow clients bounded: Uvicorn's HTTP/1.1 protocol with a deadline on a request's headers and a cap on connections still sending them.

Uvicorn times a request's body (the service's own 10 s limit) and an idle
kept-alive connection (5 s), but nothing between a connection's first byte
and the end of its headers (its issue #157): a client that sends a header
byte a second holds a connection, and a file descriptor, for as long as it
likes, before any token is checked.  Here each connection has
``header_seconds`` from its opening (on a kept-alive connection, from the
next request's first byte) to the end of its headers, or it is answered 408
and closed; and at most ``most_waiting`` connections may be waiting for their
headers at once: one more closes the one that has waited longest (a real
client's headers take milliseconds, so it is a slow one), and the newcomer is
served.  The protocol class is Uvicorn's own (``Config(http=...)`` takes one),
so every other limit of Uvicorn's stays as it is.
"""
from __future__ import annotations

import json
import logging
from collections import OrderedDict

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10  # from a connection's opening to the end of its request's headers
MOST_WAITING = 64  # connections that have not sent their headers yet


def _closing_answer(status: int, reason: str, message: str) -> bytes:
    body = json.dumps({"error": message}).encode("ascii")
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\nconnection: close\r\n"
            f"content-length: {len(body)}\r\n\r\n").encode("ascii") + body


LATE = _closing_answer(408, "Request Timeout", "the request's headers were not sent in time")
CROWDED = _closing_answer(503, "Service Unavailable", "too many connections were waiting to send their headers; "
                                                      "this one had waited longest")


def guarded_protocol(counts: dict, header_seconds: float = HEADER_SECONDS, most_waiting: int = MOST_WAITING):
    """An H11Protocol class for one server; ``counts`` gets "slow_headers" (closed at the
    deadline) and "crowded_out" (closed to make room) added to as it happens."""
    waiting: OrderedDict = OrderedDict()  # connection → None, oldest first
    log = logging.getLogger("rxleaflet.service")

    class HeaderDeadline(H11Protocol):
        _timer = None
        _awaited = None  # the request cycle that was current when the wait began

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._await_headers()

        def data_received(self, data: bytes) -> None:
            if self._timer is None and (self.cycle is None or self.cycle.response_complete):
                self._await_headers()  # the first byte of the next request on a kept-alive connection
            super().data_received(data)
            if self._timer is not None and self.cycle is not self._awaited:
                self._stop_waiting()  # the headers are in: a new request cycle began

        def connection_lost(self, exc) -> None:
            self._stop_waiting()
            super().connection_lost(exc)

        def _await_headers(self) -> None:
            if self.transport.is_closing():
                return
            while len(waiting) >= most_waiting:
                oldest = next(iter(waiting))
                oldest._close(CROWDED, "crowded_out")
            self._awaited = self.cycle
            self._timer = self.loop.call_later(header_seconds, self._close, LATE, "slow_headers")
            waiting[self] = None

        def _stop_waiting(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            waiting.pop(self, None)

        def _close(self, answer: bytes, count: str) -> None:
            self._stop_waiting()
            counts[count] = counts.get(count, 0) + 1
            log.warning("a connection %s: answered %s and closed",
                        "did not send its request's headers in time" if count == "slow_headers" else
                        "waiting for its headers was closed to make room for a new one", answer[9:12].decode())
            if not self.transport.is_closing():
                self.transport.write(answer)
                self.transport.close()

    return HeaderDeadline
