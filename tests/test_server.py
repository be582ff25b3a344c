"""`rxleaflet serve`: the real server in a subprocess on a free localhost port, spoken to with a real HTTP client.

Each endpoint, each error status, the token rule, byte identity with `rxleaflet build` and `attach`,
a library edited while the service runs, and a log that holds no patient data.
"""
import concurrent.futures
import io
import json
import os
import re
import signal
import shutil
import time
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from conftest import ROOT, leaflet_yaml, run_cli
from serving import Server, sample_library

from rxleaflet.pharmacy import server as server_module

LABEL = ROOT / "content" / "prescriptions" / "example-label.pdf"
# Invented patient details, each distinctive enough to be searched for in the log and the answers.
DETAILS = {"patient": "Zebedee Quillfeather", "rx_number": "RX-7733991", "dispensed": "2026-11-25",
           "prescriber": "Dr Ottoline Marchbanks", "medicine": "Diazepam 2 mg tablets",
           "directions": "Take ONE tablet at moonrise with warm milk.", "quantity": "30 tablets", "refills": "0"}
SECRETS = ("Zebedee", "Quillfeather", "RX-7733991", "Ottoline", "Marchbanks", "moonrise")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = sample_library(tmp_path_factory.mktemp("library"))
    (folder / "testamol-tablets.yaml").write_text(leaflet_yaml(), encoding="utf-8")
    (folder / "testamol-solution.yaml").write_text(leaflet_yaml(form="oral solution"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(folder, tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "server.log"
    with Server("--library", folder, "--workers", "2", log=log) as running:
        yield running.wait_ready()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def built_by_cli(tmp_path, *args) -> bytes:
    out = tmp_path / "cli.pdf"
    result = run_cli("build", *args, "-o", out)
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


def test_healthz_and_the_openapi_document(client):
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() | {"pending": 0, "counts": {}} == {"status": "ok", "version": health.json()["version"], "leaflets": 4, "counts": {},
                                              "library_problems": 0, "workers": 2, "pending": 0, "queue": 64}
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {"/v1/leaflets", "/v1/jobs", "/v1/medicines", "/healthz", "/openapi.json",
                                      "/01/{code}", "/ndc/{code}"}
    assert document["paths"]["/v1/leaflets"]["post"]["responses"].keys() >= {"200", "404", "409", "413", "422", "503"}


def test_medicines_lists_the_index(client):
    answer = client.get("/v1/medicines")
    assert answer.status_code == 200
    by_file = {item["file"]: item for item in answer.json()["medicines"]}
    assert sorted(by_file) == ["diazepam-2mg.yaml", "es/diazepam-2mg.yaml", "testamol-solution.yaml",
                               "testamol-tablets.yaml"]
    assert by_file["es/diazepam-2mg.yaml"] == {
        "file": "es/diazepam-2mg.yaml", "lang": "es", "name": "Diazepam", "brand_names": ["Valium"],
        "strengths": ["2 mg"], "form": "comprimidos", "codes": {"ndc": ["00999-0002-01"], "gtin": ["09506000134352"]},
        "title": "Diazepam 2 mg comprimidos: usos, beneficios e información importante", "revised": "2026-11-25"}


def test_a_leaflet_by_code_is_byte_for_byte_what_build_makes(client, folder, tmp_path):
    answer = client.post("/v1/leaflets", json={"ndc": "0999-0002-01"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["x-rxleaflet-leaflet"] == "diazepam-2mg.yaml"
    assert answer.headers["content-language"] == "en-GB"
    assert answer.content == built_by_cli(tmp_path, "--library", folder, "--ndc", "0999-0002-01")


def test_a_personalised_leaflet_in_the_patients_language_is_what_build_makes(client, folder, tmp_path):
    request = {**DETAILS, "gtin": "9506000134352", "lang": "es", "paper": "letter", "large_print": True}
    answer = client.post("/v1/leaflets", json=request)
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-rxleaflet-leaflet"] == "es/diazepam-2mg.yaml"
    assert answer.headers["x-rxleaflet-edition"] == "asked"
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps({k: v for k, v in request.items() if k not in ("paper", "large_print")}))
    assert answer.content == built_by_cli(tmp_path, "--library", folder, "--rx", rx, "--paper", "letter",
                                          "--large-print")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Quillfeather" in text  # on the page, and only there


def test_a_language_the_library_lacks_gets_the_default_edition_and_says_so(client):
    answer = client.post("/v1/leaflets", json={"medicine": "Valium 2 mg", "lang": "vi"})
    assert answer.status_code == 200
    assert answer.headers["x-rxleaflet-edition"] == "default"
    assert answer.headers["content-language"] == "en-GB"


def test_a_print_job_is_the_label_and_the_leaflet_as_attach_makes_it(client, tmp_path):
    request = {**DETAILS, "ndc": "00999000201"}
    leaflet = client.post("/v1/leaflets", json=request)
    answer = client.post("/v1/jobs", files={"label": ("label.pdf", LABEL.read_bytes(), "application/pdf")},
                         data={"request": json.dumps(request), "duplex": "true"})
    assert answer.status_code == 200, answer.text
    job = PdfReader(io.BytesIO(answer.content))
    assert job.attachments == {"diazepam-2mg.pdf": [leaflet.content]}  # the accessible leaflet travels inside
    (tmp_path / "diazepam-2mg.pdf").write_bytes(leaflet.content)
    attached = run_cli("attach", LABEL, tmp_path / "diazepam-2mg.pdf", "-o", tmp_path / "job.pdf", "--duplex")
    assert attached.returncode == 0, attached.stderr
    assert answer.content == (tmp_path / "job.pdf").read_bytes()


def test_a_print_job_without_its_parts_is_refused(client):
    answer = client.post("/v1/jobs", files={"other": ("x.txt", b"x")}, data={"duplex": "maybe"})
    assert answer.status_code == 422
    assert [p["text"] for p in answer.json()["problems"]] == [
        "request: label: attach the pharmacy's document (a PDF) as the file 'label'",
        "request: request: give the leaflet request (JSON) as the field 'request'",
        "request: duplex: expected true or false"]
    damaged = client.post("/v1/jobs", files={"label": ("label.pdf", b"%PDF-1.7 not really", "application/pdf")},
                          data={"request": json.dumps({"ndc": "0999-0002-01"})})
    assert damaged.status_code == 422
    assert damaged.json()["problems"][0]["message"].startswith("cannot read this PDF: it is damaged")


def test_bad_details_get_the_clis_problems_without_the_patients_data(client, folder, tmp_path):
    request = {**DETAILS, "dispensed": "25/11/2026 Zebedee", "refills": "", "ndc": "0999-0002-01"}
    answer = client.post("/v1/leaflets", json=request)
    assert answer.status_code == 422
    rx = tmp_path / "rx.json"
    rx.write_bytes(answer.request.content)  # the same bytes, so the same lines and columns
    cli = run_cli("build", "--library", folder, "--rx", rx, "-o", tmp_path / "x.pdf")
    assert cli.returncode == 2
    assert [p["text"] for p in answer.json()["problems"]] == [
        line.replace(str(rx), "request") for line in cli.stderr.splitlines()]
    assert [p["path"] for p in answer.json()["problems"]] == ["dispensed", "refills"]
    assert not any(secret in answer.text for secret in SECRETS)


@pytest.mark.parametrize("body, status, message", [
    ({"ndc": "12345-6789-01"}, 404, "no leaflet in the library for NDC 12345-6789-01"),
    ({"medicine": "Diazepam 5 mg"}, 404, "no leaflet in the library for medicine 'Diazepam 5 mg'"),
    ({"medicine": "Testamol 5 mg"}, 409, "2 leaflets fit medicine 'Testamol 5 mg'; ask by product code, or give "
     "the form too: testamol-solution.yaml (Testamol 5 mg oral solution, en-GB); testamol-tablets.yaml "
     "(Testamol 5 mg tablets, en-GB)"),
    ({"ndc": "1234567890"}, 422, "'1234567890' is not a valid NDC: a 10-digit NDC needs its hyphens (4-4-2, 5-3-2 "
     "or 5-4-1)"),
    ({"lang": "es"}, 422, "name the medicine: ndc, gtin or medicine (or give a content file)"),
    ({"ndc": "0999-0002-01", "paper": "b5"}, 422, "unknown paper size 'b5' (expected one of: a4, letter, legal, a5)"),
])
def test_what_cannot_be_built_says_why(client, folder, body, status, message):
    answer = client.post("/v1/leaflets", json=body)
    assert answer.status_code == status
    assert answer.json()["problems"][0]["message"] == message
    assert str(folder) not in answer.text  # no path on the server

def test_a_request_that_is_not_json_or_too_big_is_refused(client):
    as_json = {"Content-Type": "application/json"}
    broken = client.post("/v1/leaflets", content=b'{"ndc": ', headers=as_json)
    assert broken.status_code == 422 and broken.json()["problems"][0]["message"].startswith("YAML syntax error")
    big = client.post("/v1/leaflets", content=b" " * 65_537, headers=as_json)
    assert big.status_code == 413 and big.json() == {"error": "the request is over 65,536 bytes"}
    assert client.get("/v1/nothing").status_code == 404
    assert client.get("/v1/leaflets").status_code == 405


def test_a_library_edited_while_serving_is_reindexed(client, folder):
    added = folder / "new" / "otheramol.yaml"
    added.parent.mkdir()
    added.write_text(leaflet_yaml("Otheramol", "1 mg", codes={"gtin": ["96385074"]}), encoding="utf-8")
    answer = client.post("/v1/leaflets", json={"gtin": "96385074"})
    assert answer.status_code == 200 and answer.headers["x-rxleaflet-leaflet"] == "new/otheramol.yaml"
    assert any(item["file"] == "new/otheramol.yaml" for item in client.get("/v1/medicines").json()["medicines"])
    shutil.rmtree(added.parent)
    assert client.post("/v1/leaflets", json={"gtin": "96385074"}).status_code == 404


def test_the_log_holds_method_path_status_and_time_only(client, server):
    client.post("/v1/leaflets", json=DETAILS | {"ndc": "0999-0002-01"}, params={"patient": "Zebedee"})
    client.post("/v1/leaflets", json=DETAILS | {"dispensed": "Quillfeather", "medicine": "Diazepam 2 mg"})
    log = server.log.read_text(encoding="utf-8")
    assert not any(secret in log for secret in SECRETS)
    access = [line for line in log.splitlines() if " rxleaflet.access " in line]
    assert len(access) >= 10
    for line in access:
        assert re.fullmatch(r"\S+ \S+ rxleaflet\.access (GET|POST) /[\w/.]* \d{3} \d+\.\d ms", line), line
    assert any(line.endswith(" ms") and " POST /v1/leaflets 422 " in line for line in access)


def test_a_full_queue_answers_503_with_retry_after(folder, tmp_path):
    slow = tmp_path / "slow"
    slow.mkdir()
    sections = "".join(f"  - heading: Part {i}\n    content: [{'Words and more words. ' * 30}]\n" for i in range(150))
    (slow / "big.yaml").write_text(leaflet_yaml("Bigamol").split("sections:")[0] + "sections:\n" + sections)
    with Server("--library", slow, "--workers", "1", "--queue", "1", log=tmp_path / "log") as server:
        server.wait_ready()
        with concurrent.futures.ThreadPoolExecutor(6) as threads:
            answers = list(threads.map(lambda _: httpx.post(server.url + "/v1/leaflets", timeout=120,
                                                            json={"medicine": "Bigamol 5 mg"}), range(6)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses[0] == 200 and statuses[-1] == 503, statuses
    assert all(a.headers["retry-after"] == "1" for a in answers if a.status_code == 503)


def test_a_build_past_its_time_answers_504_and_the_service_goes_on(tmp_path):
    """A build longer than --build-seconds is answered 504 (it still finishes in its worker);
    the next requests are served as the limit allows."""
    slow = tmp_path / "slow"
    slow.mkdir()
    # About a second to build here (each section's text its own, so no set line is reused);
    # the small leaflet, some 10 ms.
    sections = "".join(f"  - heading: Part {i}\n    content: [{f'Words and more words {i}. ' * 30}]\n"
                       for i in range(1000))
    (slow / "big.yaml").write_text(leaflet_yaml("Bigamol").split("sections:")[0] + "sections:\n" + sections)
    (slow / "small.yaml").write_text(leaflet_yaml(), encoding="utf-8")
    with Server("--library", slow, "--workers", "1", "--build-seconds", "0.25", log=tmp_path / "log") as server:
        server.wait_ready()
        late = httpx.post(server.url + "/v1/leaflets", json={"medicine": "Bigamol 5 mg"}, timeout=60)
        assert late.status_code == 504 and late.json() == {"error": "the build took longer than 0.25 s"}
        # The long build goes on in the one worker; once it is done, a small one is served.
        deadline = time.monotonic() + 60
        while True:
            small = httpx.post(server.url + "/v1/leaflets", json={"medicine": "Testamol 5 mg"}, timeout=60)
            if small.status_code != 504 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert small.status_code == 200 and small.content.startswith(b"%PDF")
    assert " POST /v1/leaflets 504 " in (tmp_path / "log").read_text()


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_build_seconds_must_be_a_positive_number(folder, value):
    refused = run_cli("serve", "--library", folder, "--build-seconds", value)
    assert refused.returncode == 2 and "give a number of seconds above 0" in refused.stderr


def test_a_worker_that_dies_is_replaced(folder, tmp_path):
    with Server("--library", folder, "--workers", "1", log=tmp_path / "log") as server:
        server.wait_ready()
        assert httpx.post(server.url + "/v1/leaflets", json={"ndc": "0999-0002-01"}, timeout=60).status_code == 200
        parents = {pid: int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                   for pid in server.processes()}
        workers = [pid for pid, parent in parents.items() if parent not in (server.process.pid, 1) and
                   pid != server.process.pid]
        assert len(workers) == 1  # the one worker, a child of the fork server
        os.kill(workers[0], signal.SIGKILL)
        statuses = [httpx.post(server.url + "/v1/leaflets", json={"ndc": "0999-0002-01"}, timeout=60).status_code
                    for _ in range(3)]
        assert statuses == [503, 200, 200]  # the request that met the dead worker is told to try again
    assert "rxleaflet.service a build worker stopped; starting the workers again" in (tmp_path / "log").read_text()


def test_a_port_in_use_is_refused_with_a_message(folder, server):
    refused = run_cli("serve", "--library", folder, "--port", server.port, "--workers", "1")
    assert refused.returncode == 2
    assert refused.stderr.endswith(f"rxleaflet serve: cannot listen on 127.0.0.1 port {server.port}: "
                                   "Address already in use\n")


def test_another_address_than_localhost_needs_a_token(folder):
    refused = run_cli("serve", "--library", folder, "--host", "0.0.0.0", "--port", "1")
    assert refused.returncode == 2
    assert refused.stderr == ("rxleaflet serve: --host 0.0.0.0 is reachable from other machines: give --token-file "
                              "with the bearer token every request must carry\n")


def test_with_a_token_every_request_needs_it(folder, tmp_path):
    token = "s3cret-token-for-the-tests-0123456789"
    (tmp_path / "token").write_text(token + "\n")
    short = tmp_path / "short"
    short.write_text("abc")
    refused = run_cli("serve", "--library", folder, "--token-file", short)
    assert refused.returncode == 2 and "at least 16 characters" in refused.stderr
    with Server("--library", folder, "--workers", "1", "--token-file", tmp_path / "token", log=tmp_path / "log") as server:
        server.wait_ready()
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token},
                        {"Authorization": f"Bearer {token}x"}):
            answer = httpx.get(server.url + "/v1/medicines", headers=headers)
            assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer", headers
        good = {"Authorization": f"Bearer {token}"}
        assert httpx.get(server.url + "/v1/medicines", headers=good).status_code == 200
        assert httpx.post(server.url + "/v1/leaflets", headers=good, json={"ndc": "0999-0002-01"},
                          timeout=60).status_code == 200
        processes = server.processes()
        assert len(processes) >= 3  # the server, its fork server and a worker
    # SIGTERM stops the workers too: nothing is left running (the fork server and the resource
    # tracker end when they see the server gone, within moments).
    deadline = time.monotonic() + 10
    while [pid for pid in processes if _running(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in processes if _running(pid)]


def test_a_closed_terminal_stops_the_service_gracefully(folder, tmp_path):
    """SIGHUP to the service's whole process group (its terminal closed): it stops as on
    SIGTERM, with nothing left running and nothing but its own lines in its log."""
    with Server("--library", folder, "--workers", "2", log=tmp_path / "log", new_session=True) as server:
        server.wait_ready()
        assert httpx.post(server.url + "/v1/leaflets", json={"ndc": "0999-0002-01"}, timeout=60).status_code == 200
        processes = server.processes()
        os.killpg(server.process.pid, signal.SIGHUP)
        assert server.process.wait(timeout=60) == 128 + signal.SIGTERM
    deadline = time.monotonic() + 10
    while [pid for pid in processes if _running(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in processes if _running(pid)]
    log = (tmp_path / "log").read_text()
    assert "Traceback" not in log and "resource_tracker" not in log and "KeyError" not in log, log
    assert log.splitlines()[-1] == server_module.STOPPED  # of the service: it writes no files


def _running(pid: int) -> bool:
    """Alive, and not a zombie waiting for its parent to read its exit status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_body_not_sent_in_time_is_refused_with_408(server):
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(b"POST /v1/leaflets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 100\r\n\r\n{\"ndc\": ")  # and then nothing
        received = b""
        while not received.endswith(b"}"):  # the head and the body may come in separate packets
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
    answer = received.decode()
    assert answer.startswith("HTTP/1.1 408 "), answer
    assert answer.endswith('{"error":"the request was not sent within 10 s"}')
