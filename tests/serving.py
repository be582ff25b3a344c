"""A real `rxleaflet serve` in a subprocess on a free localhost port: for the service's tests and its load test."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def sample_library(folder: Path) -> Path:
    """``folder`` holding the sample leaflet and its Spanish edition, as a content library."""
    root = Path(__file__).resolve().parents[1]
    (folder / "es").mkdir()
    shutil.copy(root / "content" / "diazepam-2mg.yaml", folder / "diazepam-2mg.yaml")
    shutil.copy(root / "content" / "es" / "diazepam-2mg.yaml", folder / "es" / "diazepam-2mg.yaml")
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``rxleaflet serve ARGS`` on 127.0.0.1, its log (stderr) in ``log``; stopped (SIGTERM) on exit."""

    def __init__(self, *args, log: Path, env=None, new_session: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(log)
        command = [sys.executable, "-m", "rxleaflet", "serve", "--port", str(self.port), *map(str, args)]
        with open(self.log, "wb") as stream:
            self.process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT,
                                            env={**os.environ, **(env or {})}, start_new_session=new_session)

    def wait_ready(self, headers=None, seconds: float = 90) -> "Server":
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text()}")
            try:
                if httpx.get(self.url + "/healthz", headers=headers, timeout=2).status_code in (200, 401):
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {seconds} s: {self.log.read_text()}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def processes(self) -> list[int]:
        """The server's process and every process under it (fork server, workers, resource tracker)."""
        return _tree(self.process.pid)

    def memory_kb(self) -> int:
        """Resident memory of the server and every process under it (workers, fork server), in KiB."""
        return sum(_rss_kb(pid) for pid in self.processes())

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time used so far (user + system): by the server's own process, and by all under it."""
        tree = self.processes()
        return _cpu(tree[0]), sum(_cpu(pid) for pid in tree[1:])

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(child) for child in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return pids


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
