"""Run in a fresh process by test_patient_data_in_memory.py: build personalised leaflets, drop
them, then report every live object that still holds a patient's details.

The details exist in this process only as strings that rxleaflet itself made from
the files it read: the markers are given as hex on the command line and written to
the files as bytes, so that the probe holds none of them as a string.
"""
import gc
import sys
from pathlib import Path

MODE, FOLDER, MARKERS_HEX = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
MARKERS = [bytes.fromhex(marker) for marker in MARKERS_HEX]
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "content" / "diazepam-2mg.yaml"


def rx_yaml(number: int) -> bytes:
    name, directions, rx_number = MARKERS
    return (b"patient: " + name + b" " + str(number).encode() + b"\nrx_number: " + rx_number + str(number).encode()
            + b"\ndispensed: 2026-11-25\nprescriber: Dr Alan Sample\nmedicine: Diazepam 2 mg tablets\n"
            b"directions: " + directions + b"\nquantity: 30 tablets\nrefills: '0'\n")


def build_one() -> None:
    import rxleaflet

    path = FOLDER / "rx.yaml"
    path.write_bytes(rx_yaml(1))
    leaflet = rxleaflet.load(SAMPLE)
    pdf = rxleaflet.build(leaflet, prescription=rxleaflet.load_prescription(path, leaflet))
    assert len(pdf) > 10_000


def build_batch(workers: int) -> None:
    from rxleaflet.pharmacy import batch

    jobs = FOLDER / "jobs.jsonl"
    rows = []
    for number in range(10):
        fields = dict(line.split(b": ", 1) for line in rx_yaml(number).decode().encode().splitlines())
        fields[b"content"] = str(SAMPLE).encode()
        fields[b"refills"] = b"0"
        rows.append(b"{" + b", ".join(b'"' + k + b'": "' + v + b'"' for k, v in fields.items()) + b"}")
    jobs.write_bytes(b"\n".join(rows) + b"\n")
    plan = batch.read_jobs(jobs)
    assert not plan.problems, plan.problems
    built = sum(1 for _, pdf in batch.build_all(plan, None, None, None, workers) if isinstance(pdf, bytes))
    assert built == 10


def build_in_pool_worker() -> None:
    """A pool worker's own memory, after it built a leaflet: checked in that worker."""
    from rxleaflet import api
    from rxleaflet.pharmacy import batch

    path = FOLDER / "rx.yaml"
    path.write_bytes(rx_yaml(1))
    leaflet = api.load(SAMPLE)
    task = (str(SAMPLE), api.load_prescription(path, leaflet))
    with batch.worker_pool(1, ({str(SAMPLE): leaflet}, None, None, None)) as pool:
        assert isinstance(pool.submit(batch.build_in_pool_worker, task).result(), bytes)
        del task
        holders = pool.submit(holders_of_markers).result()
    report(holders)


def serve_requests() -> None:
    """The service's own process, after it answered requests with the details (good and bad ones)."""
    import asyncio
    import json
    import shutil

    import httpx

    from rxleaflet.pharmacy import server
    from rxleaflet.content.library import Library

    (FOLDER / "library").mkdir()
    shutil.copy(SAMPLE, FOLDER / "library" / "diazepam-2mg.yaml")
    service = server.Service(Library(FOLDER / "library"), None, workers=1)
    details = dict(line.split(b": ", 1) for line in rx_yaml(1).splitlines())
    details[b"refills"] = b"0"
    body = b"{" + b", ".join(b'"' + k + b'": "' + v + b'"' for k, v in details.items()) + b"}"
    bad = body.replace(b'"2026-11-25"', b'"' + MARKERS[0] + b'"')  # a date that is a name: refused

    async def requests():
        transport = httpx.ASGITransport(app=server.application(service))
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            answers = [await client.post("/v1/leaflets", content=content, headers={"Content-Type": "application/json"})
                       for content in (body, bad)]
            assert [a.status_code for a in answers] == [200, 422], [a.text for a in answers]
            assert json.loads(answers[1].content)["problems"]

    service.start()
    try:
        asyncio.run(requests())
    finally:
        service.stop()


def holders_of_markers() -> list[str]:
    """The live objects that refer to a string holding a marker, by type.

    From every object the collector tracks, through everything it refers to:
    tuples of strings and numbers (an lru_cache's keys) are not tracked
    themselves, so they are reached as referents.
    """
    gc.collect()
    found = []
    seen = set()
    pending = gc.get_objects()
    seen.update(map(id, pending))
    seen.update((id(pending), id(found)))
    while pending:
        holder = pending.pop()
        for referent in gc.get_referents(holder):
            if isinstance(referent, str):
                if any(m in referent.encode("utf-8", "surrogatepass") for m in MARKERS):
                    found.append(f"{type(holder).__module__}.{type(holder).__qualname__}: {referent[:60]!r}")
            elif id(referent) not in seen:
                seen.add(id(referent))
                pending.append(referent)
    return found


def report(holders: list[str]) -> None:
    print("\n".join(holders) if holders else "clean")


_KEPT = []


def control() -> None:
    """The probe's own check: a prescription kept alive must be found."""
    import rxleaflet

    path = FOLDER / "rx.yaml"
    path.write_bytes(rx_yaml(1))
    _KEPT.append(rxleaflet.load_prescription(path, rxleaflet.load(SAMPLE)))


if __name__ == "__main__":
    if MODE == "pool-worker":
        build_in_pool_worker()
    else:
        {"build": build_one, "batch": lambda: build_batch(1), "batch-pool": lambda: build_batch(2),
         "control": control, "service": serve_requests}[MODE]()
        report(holders_of_markers())
