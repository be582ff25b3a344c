"""The service as a careful operator expects it, against a real `rxleaflet serve`, called as clients call it.

Typed fields (422 naming the field), logs a pipeline can trust (control characters escaped,
JSON lines, a client that hung up logged as "client closed", never 500), slow clients bounded
(a deadline on headers, a cap on connections waiting to send them), the token by RFC 7235,
Content-Type checked (415), no server path in any answer, and memory bounded under big bodies.
Raw sockets where a client misbehaves; every slow-client test is bounded in time.
"""
import concurrent.futures
import json
import select
import socket
import time

import httpx
import pytest

from serving import Server, sample_library

from rxleaflet.content.dispensing import FIELDS, PRESCRIPTION_KEYS
from rxleaflet.pharmacy.server import BODY_BUDGET

TOKEN = "hardening-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DETAILS = {"patient": "Zebedee Quillfeather", "rx_number": "RX-7733991", "dispensed": "2026-11-25",
           "prescriber": "Dr Ottoline Marchbanks", "medicine": "Diazepam 2 mg tablets",
           "directions": "Take ONE tablet at moonrise.", "quantity": "30 tablets", "refills": "0"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = sample_library(tmp_path_factory.mktemp("library"))
    (folder / "broken.yaml").write_text("title: [\n", encoding="utf-8")  # a library problem, which names its file
    return folder


@pytest.fixture(scope="module")
def server(folder, tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "server.log"
    token = log.parent / "token"
    token.write_text(TOKEN)
    with Server("--library", folder.resolve(), "--workers", "1", "--token-file", token, "--header-seconds", "2",
                "--most-waiting", "6", log=log) as running:
        yield running.wait_ready()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60, headers=AUTH) as client:
        yield client


def connect(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def exchange(server, data: bytes) -> bytes:
    """Send ``data`` on a new connection and read until the server closes it or stops (one answer)."""
    with connect(server) as connection:
        connection.sendall(data)
        return read_answer(connection)


def read_answer(connection) -> bytes:
    answer = b""
    connection.settimeout(10)
    while b"\r\n\r\n" not in answer or len(answer) < _answer_size(answer):
        chunk = connection.recv(65536)
        if not chunk:
            break
        answer += chunk
    return answer


def _answer_size(answer: bytes) -> int:
    head, _, _ = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(head) + 4 + int(line.split(b":")[1])
    return 0


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def log_lines(server) -> list[str]:
    return server.log.read_text(encoding="utf-8", errors="strict").splitlines()


# -- 1. typed fields ----------------------------------------------------------------------

@pytest.mark.parametrize("key", [k for k in PRESCRIPTION_KEYS if not FIELDS[k].numbers and k != "dispensed"])
@pytest.mark.parametrize("value", [True, False, 12345, None])
def test_a_text_field_that_is_not_text_is_422_naming_it(client, key, value):
    answer = client.post("/v1/leaflets", json=DETAILS | {key: value})
    assert answer.status_code == 422
    problem = answer.json()["problems"][0]
    assert problem["path"] == key and problem["message"].startswith("expected text, found ")


def test_numbers_where_numbers_may_be_and_the_limits_of_every_field(client):
    answer = client.post("/v1/leaflets", json=DETAILS | {"quantity": 30, "refills": 0, "rx_number": 7733991})
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    for key in FIELDS.keys() - {"content", "large_print", "paper"}:
        started = time.monotonic()
        located = {} if key == "gtin" else {"ndc": "0999-0002-01"}
        answer = client.post("/v1/leaflets", json=DETAILS | located | {key: "A" * 60_000})
        assert answer.status_code == 422, key
        assert f"the limit is {FIELDS[key].most:,}" in answer.text, key
        huge = client.post("/v1/leaflets", json=DETAILS | located | {key: "A" * 900_000})
        assert huge.status_code == 413, key  # a request is at most 64 KB
        assert time.monotonic() - started < 2, key  # both refused before any work on them
    assert client.post("/v1/leaflets", json={"ndc": "0999-0002-01", "large_print": 1}).status_code == 422
    assert client.post("/v1/leaflets", json={"ndc": "0999-0002-01", "lang": False}).status_code == 422


# -- 2. logs ------------------------------------------------------------------------------

def test_a_path_cannot_forge_a_log_line_or_write_a_nul(server):
    for path in (b"/x%0d%0aFORGED-LINE%20200%201.0%20ms", b"/y%00z%1b[31m", b"/z%e2%80%a8FORGED2", b"/w\\x0aFORGED3"):
        answer = exchange(server, b"GET " + path + b" HTTP/1.1\r\nHost: t\r\n\r\n")
        assert status_of(answer) == 401  # before any token is checked, the line is written
    time.sleep(0.3)
    raw = server.log.read_bytes()
    assert b"\x00" not in raw and b"\x1b" not in raw and "\u2028".encode() not in raw
    lines = log_lines(server)
    assert not any(line.startswith("FORGED") for line in lines)
    assert any(" rxleaflet.access GET /x\\x0d\\x0aFORGED-LINE 200 1.0 ms 401 " in line for line in lines)
    assert any("GET /w\\\\x0aFORGED3 401" in line for line in lines)  # a written backslash is itself escaped
    assert any("GET /z\\u2028FORGED2 401" in line for line in lines)


def test_the_access_log_may_be_json_lines(folder, tmp_path):
    with Server("--library", folder, "--workers", "1", "--log-format", "json", log=tmp_path / "log") as server:
        server.wait_ready()
        exchange(server, b"GET /a%0d%0aFORGED HTTP/1.1\r\nHost: t\r\n\r\n")
        httpx.post(server.url + "/v1/leaflets", json=DETAILS, timeout=60)
        time.sleep(0.3)
        assert server.stop() == 143
    lines = [json.loads(line) for line in (tmp_path / "log").read_text().splitlines()]  # every line is JSON
    assert lines[-1]["message"] == "rxleaflet: the service stopped; every request it had taken was answered first"
    access = [line for line in lines if line["logger"] == "rxleaflet.access"]
    assert {"method": "GET", "path": "/a\r\nFORGED", "status": 404, "client_closed": False}.items() <= \
        access[-2].items()
    assert access[-1]["path"] == "/v1/leaflets" and access[-1]["status"] == 200 and access[-1]["ms"] > 0
    assert not any("Zebedee" in json.dumps(line) for line in lines)


def test_a_client_that_hangs_up_mid_body_is_client_closed_not_500(server, client):
    before = client.get("/healthz").json()["counts"]
    head = (b"POST /v1/leaflets HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + TOKEN.encode() +
            b"\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n")
    for sent in range(8):
        connection = connect(server)
        connection.sendall(head + b'{"patient": "Zeb' + b" " * sent * 100)
        time.sleep(0.05)
        connection.close()
    time.sleep(0.5)
    counts = client.get("/healthz").json()["counts"]
    assert counts.get("client_closed", 0) - before.get("client_closed", 0) == 8
    assert counts.get("5xx", 0) == before.get("5xx", 0)
    lines = log_lines(server)
    assert sum(" POST /v1/leaflets 499 client closed " in line for line in lines) >= 8
    assert not any("internal error" in line for line in lines)


def test_a_client_that_hangs_up_while_its_leaflet_is_built_is_client_closed(server, client):
    before = client.get("/healthz").json()["counts"]
    body = json.dumps(DETAILS | {"paper": "a5", "large_print": True}).encode()
    for _ in range(3):
        connection = connect(server)
        connection.sendall(b"POST /v1/leaflets HTTP/1.1\r\nHost: t\r\n" + AUTH_LINE + b"Content-Type: application/json"
                           b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        connection.close()  # at once: the leaflet is still being built
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        counts = client.get("/healthz").json()["counts"]
        if counts.get("client_closed", 0) - before.get("client_closed", 0) == 3:
            break
        time.sleep(0.2)
    assert counts.get("client_closed", 0) - before.get("client_closed", 0) == 3
    posts = [line for line in log_lines(server) if " POST /v1/leaflets " in line]
    assert all(" 499 client closed " in line for line in posts[-3:])  # not logged as answered (200)


# -- 3. slow clients ------------------------------------------------------------------------

def test_headers_sent_slowly_are_cut_at_the_deadline_and_waiting_connections_capped(server, client):
    started = time.monotonic()
    slow = []
    for _ in range(10):  # more than --most-waiting 6
        connection = connect(server)
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        slow.append(connection)
    assert client.get("/healthz").status_code == 200  # a real client is served meanwhile
    answers = []
    for connection in slow:  # each gets an answer and is closed: none waits for ever
        answers.append((status_of(read_answer(connection)), time.monotonic() - started))
        connection.close()
    crowded = [seconds for status, seconds in answers if status == 503]
    late = [seconds for status, seconds in answers if status == 408]
    assert len(crowded) >= 4 and len(crowded) + len(late) == 10
    # Crowded out at once; the rest at their deadline (2 s), not before, and not much after.
    assert max(crowded) < min(late) and all(1.9 < seconds < 8 for seconds in late)
    counts = client.get("/healthz").json()["counts"]
    assert counts["crowded_out"] >= 4 and counts["slow_headers"] >= 1


def test_a_byte_a_while_does_not_keep_headers_open_nor_does_a_kept_alive_connection(server):
    started = time.monotonic()
    with connect(server) as connection:
        for byte in b"GET /healthz HTTP/1.1\r\nHost: t\r\n":
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                break
            if select.select([connection], [], [], 0.25)[0]:  # answered
                break
        answer = read_answer(connection)
    assert status_of(answer) == 408 and 1.9 < time.monotonic() - started < 6
    started = time.monotonic()
    with connect(server) as connection:  # one whole request, then the next one's headers dribble
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + AUTH_LINE + b"\r\n")
        assert status_of(read_answer(connection)) == 200
        connection.sendall(b"GET /heal")
        time.sleep(1.0)
        connection.sendall(b"thz HTTP/1.1\r\n")
        assert status_of(read_answer(connection)) == 408 and time.monotonic() - started < 8


AUTH_LINE = b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"


# -- 4. the token, Content-Type, paths, memory ------------------------------------------------

def test_the_bearer_scheme_is_case_insensitive_and_two_authorization_headers_are_refused(server):
    for scheme in (b"Bearer", b"bearer", b"BEARER", b"bEaReR"):
        answer = exchange(server, b"GET /healthz HTTP/1.1\r\nHost: t\r\nAuthorization: " + scheme + b"  " +
                          TOKEN.encode() + b"\r\n\r\n")
        assert status_of(answer) == 200, scheme
    for value in (b"Basic " + TOKEN.encode(), TOKEN.encode(), b"Bearer", b"Bearer " + TOKEN.encode() + b"x"):
        answer = exchange(server, b"GET /healthz HTTP/1.1\r\nHost: t\r\nAuthorization: " + value + b"\r\n\r\n")
        assert status_of(answer) == 401 and b"www-authenticate: Bearer" in answer.lower().replace(b"bearer", b"Bearer")
    twice = exchange(server, b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + AUTH_LINE + b"Authorization: Bearer wrong\r\n\r\n")
    assert status_of(twice) == 400
    same = exchange(server, b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + AUTH_LINE + AUTH_LINE + b"\r\n")
    assert status_of(same) == 400


@pytest.mark.parametrize("content_type, status", [
    (None, 415), ("text/plain", 415), ("application/x-www-form-urlencoded", 415), ("application/xml", 415),
    ("application/json; charset=latin-1", 415), ("application/json", 200), ("Application/JSON; charset=UTF-8", 200),
    ("application/vnd.pharmacy+json", 200)])
def test_a_leaflet_request_must_say_it_is_json(client, content_type, status):
    headers = {"Content-Type": content_type} if content_type else {}
    answer = client.post("/v1/leaflets", content=json.dumps({"ndc": "0999-0002-01"}).encode(),
                         headers=headers)
    if content_type is None:  # httpx sends none for raw content
        assert "content-type" not in answer.request.headers
    assert answer.status_code == status
    if status == 415:
        assert "application/json" in answer.json()["error"]


def test_a_print_job_must_be_a_multipart_form(client):
    answer = client.post("/v1/jobs", json={"ndc": "0999-0002-01"})
    assert answer.status_code == 415 and "multipart/form-data" in answer.json()["error"]
    document = client.get("/openapi.json").json()
    for path in ("/v1/leaflets", "/v1/jobs"):
        assert {"400", "415"} <= document["paths"][path]["post"]["responses"].keys()


def test_no_answer_names_a_path_on_the_server(client, folder):
    hidden = {str(folder), str(folder.resolve())}
    answers = [client.post("/v1/leaflets", json={"ndc": "12345-6789-01"}),
               client.post("/v1/leaflets", json={"medicine": "Nothingamol 5 mg"}),
               client.get("/v1/medicines"), client.get("/nowhere"),
               client.post("/v1/leaflets", json={"ndc": "0999-0002-01", "lang": "xx-unknown"})]
    assert [a.status_code for a in answers][:4] == [404, 404, 200, 404]
    assert answers[2].json()["problems"] and answers[2].json()["problems"][0].startswith("broken.yaml:")
    for answer in answers:
        assert not any(path in answer.text for path in hidden), answer.text


def big_label(size: int) -> bytes:
    """A valid one-page PDF of about ``size`` bytes (a page of incompressible content)."""
    import io
    import os

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data(b"% " + os.urandom(size // 2).hex().encode())  # a comment: draws nothing
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_memory_stays_bounded_under_many_big_print_jobs(server, client):
    """Ten 19 MB print jobs at once: the budget (BODY_BUDGET) takes two and answers 503 to the
    rest; the service's memory (every process) rises by at most the bound
    docs/library-and-service.md states, and falls back once they are answered."""
    client.post("/v1/leaflets", json=DETAILS)  # the workers warm, as in service
    baseline = server.memory_kb()
    label = big_label(19_000_000)
    peak = baseline

    def post(_):
        files = {"label": ("label.pdf", label, "application/pdf")}
        return httpx.post(server.url + "/v1/jobs", files=files, data={"request": '{"ndc": "0999-0002-01"}'},
                          headers=AUTH, timeout=120).status_code

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        futures = [pool.submit(post, n) for n in range(10)]
        while not all(f.done() for f in futures):
            peak = max(peak, server.memory_kb())
            time.sleep(0.02)
        statuses = [f.result() for f in futures]
    assert 200 in statuses and 503 in statuses and set(statuses) == {200, 503}
    assert (peak - baseline) / 1024 < 7 * BODY_BUDGET / 2**20, (peak - baseline) / 1024
    time.sleep(1.0)
    assert (server.memory_kb() - baseline) / 1024 < 60  # the last answer may stay referenced, no more


def test_a_request_that_would_take_long_to_read_is_refused_by_its_size(client):
    crowded = ('{"ndc": [' + ",".join(["0"] * 32_000) + "]}").encode()  # 64 KB of tiny values
    started = time.monotonic()
    answer = client.post("/v1/leaflets", content=crowded, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and time.monotonic() - started < 1.5
    answer = client.post("/v1/leaflets", content=crowded + b" " * 2000, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
