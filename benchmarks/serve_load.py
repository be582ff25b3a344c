"""A bounded load test of `rxleaflet serve`: a real server on 127.0.0.1, a fixed number of requests, then it stops.

    python benchmarks/serve_load.py                  # 2,000 requests, 16 at a time (one to two minutes on 2 cores)
    python benchmarks/serve_load.py --quick          # a smoke run: 60 requests

It starts the server on a free port of 127.0.0.1 (never another address)
with the sample library (content/library), sends personalised leaflet
requests by NDC, GTIN and name, in English and Spanish, each with another
invented patient, and reports requests per second, p50 and p99 latency, the
errors (any answer but 200: there must be none) and the server's memory
(server, fork server and workers) after a warm-up and at the end.  Exit
status 1 if any request failed.  The client runs on the same machine, so it
takes some of the cores the server could use.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from serving import Server  # noqa: E402

LIBRARY = ROOT / "content" / "library"
LOCATORS = [{"ndc": "0999-0002-01"}, {"gtin": "09506000134352", "lang": "es"},
            {"medicine": "Valium 2 mg tablets"}, {"ndc": "00999000201", "lang": "vi"}]


def request(number: int) -> dict:
    """Request ``number``: an invented patient of its own, one of the ways to name the medicine."""
    return {**LOCATORS[number % len(LOCATORS)], "patient": f"Test Patient {number:05d}", "rx_number": f"RX-{number:07d}",
            "dispensed": "2026-11-25", "prescriber": "Dr Alan Sample", "medicine": "Diazepam 2 mg tablets",
            "directions": f"Take ONE tablet up to {1 + number % 3} times a day.", "quantity": "30 tablets",
            "refills": str(number % 4)}


async def run(url: str, numbers: range, concurrency: int) -> tuple[list[float], list[int]]:
    """Send the requests, ``concurrency`` at a time: (latencies in seconds, statuses)."""
    latencies, statuses = [], []
    queue: asyncio.Queue = asyncio.Queue()
    for number in numbers:
        queue.put_nowait(number)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        async def sender():
            while not queue.empty():
                number = queue.get_nowait()
                started = time.perf_counter()
                try:
                    answer = await client.post("/v1/leaflets", json=request(number))
                    status = answer.status_code if answer.content.startswith(b"%PDF-") or answer.status_code != 200 else 0
                except httpx.HTTPError:
                    status = -1
                latencies.append(time.perf_counter() - started)
                statuses.append(status)

        await asyncio.gather(*(sender() for _ in range(concurrency)))
    return latencies, statuses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="60 requests: a smoke run")
    args = parser.parse_args(argv)
    total = 60 if args.quick else args.requests
    warm_up = min(100, total // 4)
    with tempfile.TemporaryDirectory() as folder, \
            Server("--library", LIBRARY, "--workers", args.workers, log=Path(folder) / "server.log") as server:
        server.wait_ready()
        asyncio.run(run(server.url, range(warm_up), args.concurrency))  # every worker has built each leaflet
        memory_start = server.memory_kb()
        cpu_start = server.cpu_seconds()
        started = time.perf_counter()
        latencies, statuses = asyncio.run(run(server.url, range(warm_up, warm_up + total), args.concurrency))
        elapsed = time.perf_counter() - started
        cpu_end = server.cpu_seconds()
        memory_end = server.memory_kb()
    errors = sum(status != 200 for status in statuses)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"rxleaflet serve load test: {total} requests, {args.concurrency} at a time, {args.workers} workers, 127.0.0.1")
    print(f"requests/s              {total / elapsed:8.1f}")
    print(f"latency p50 (ms)        {cuts[49] * 1000:8.1f}")
    print(f"latency p99 (ms)        {cuts[98] * 1000:8.1f}")
    print(f"errors                  {errors:8d}")
    print(f"CPU per request (ms)    {(cpu_end[0] - cpu_start[0]) / total * 1000:8.1f}   server process (HTTP, "
          f"checking, finding); {(cpu_end[1] - cpu_start[1]) / total * 1000:.1f} in the build workers")
    print(f"server memory start (MB){memory_start / 1024:8.1f}   (after {warm_up} warm-up requests)")
    print(f"server memory end (MB)  {memory_end / 1024:8.1f}   ({(memory_end - memory_start) / memory_start:+.1%})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
