"""What a screen reader is given in a real browser: headless Chromium shows a PDF through
pdf.js's viewer component (tests/browser/viewer.html) and its accessibility tree is read
over the Chrome DevTools Protocol.

The protocol runs over a pipe (``--remote-debugging-pipe``: JSON messages ended by NUL on
file descriptors 3 and 4), so no websocket client or port is needed.  The page and pdf.js
are served by a localhost HTTP server started here.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HARNESS = Path(__file__).resolve().parent / "browser"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe", "--force-renderer-accessibility"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def ready() -> str | None:
    """Why the harness cannot run here, or None."""
    if not chromium():
        return "chromium not installed (apt-get install chromium)"
    if not (HARNESS / "node_modules" / "pdfjs-dist" / "build" / "pdf.mjs").exists():
        return "pdf.js not installed (npm ci in tests/browser)"
    return None


@dataclass
class Node:
    role: str
    name: str
    level: int | None
    children: list
    description: str = ""  # what is read after the name: a table cell's headers (aria-describedby)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def guess_type(self, path):
        return "text/javascript" if str(path).endswith(".mjs") else super().guess_type(path)


@contextlib.contextmanager
def serve(folder: Path):
    """A localhost HTTP server for ``folder``; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Browser:
    """Headless Chromium with a fresh profile, spoken to over the DevTools pipe."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="rxleaflet-chromium-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4: a small Python
        # trampoline puts the pipe ends there, then becomes Chromium.
        r, w = to_browser_read, from_browser_write
        trampoline = f"import os, sys; os.dup2({r}, 3); os.dup2({w}, 4); os.execvp(sys.argv[1], sys.argv[1:])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", trampoline, chromium(), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(r, w))
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout=60.0) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", timeout=10)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


@dataclass
class Reading:
    """One PDF as the browser gives it: the accessibility tree and pdf.js's own text."""

    tree: Node
    struct_text: list  # [role, text] per structure element, pdf.js's getStructTree + getTextContent
    spans: list = None  # [role, aria-rowspan, aria-colspan] of each spanning table cell, in document order


def read_pdfs(pdfs: dict[str, bytes], timeout=90.0) -> dict[str, Reading]:
    """Open each PDF in the harness page and read what the browser exposes."""
    readings = {}
    files = {f"{name}.pdf": data for name, data in pdfs.items()}
    with _browsing(files, links=("viewer.html", "viewer.mjs", "node_modules")) as (browser, base):
        for name in pdfs:
            readings[name] = _read_one(browser, f"{base}/viewer.html?file={name}.pdf", timeout)
    return readings


@contextlib.contextmanager
def _browsing(files: dict[str, bytes], links=()):
    """Chromium, and a localhost server for a folder of ``files`` (and ``links`` to the harness's
    own): yields (browser, base URL); everything stopped and removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="rxleaflet-harness-") as folder:
        root = Path(folder)
        for name in links:
            (root / name).symlink_to(HARNESS / name)
        for name, data in files.items():
            (root / name).write_bytes(data)
        browser = Browser()
        try:
            with serve(root) as base:
                yield browser, base
        finally:
            browser.close()


@contextlib.contextmanager
def _tab(browser: Browser):
    """A new tab, attached: yields its session id; closed afterwards."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    try:
        yield session
    finally:
        browser.send("Target.closeTarget", {"targetId": target})


def _read_one(browser: Browser, url: str, timeout: float) -> Reading:
    with _tab(browser) as session:
        browser.send("Page.enable", session=session)
        browser.send("Accessibility.enable", session=session)
        browser.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + timeout
        while True:
            state = browser.send("Runtime.evaluate", {"expression": "JSON.stringify(window.harness || null)",
                                                      "returnByValue": True}, session=session)
            harness = json.loads(state["result"].get("value") or "null")
            if harness and harness["error"]:
                raise RuntimeError(f"the harness page failed: {harness['error']}")
            if harness and harness["done"]:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"pdf.js did not finish rendering {url}")
            time.sleep(0.1)
        nodes = browser.send("Accessibility.getFullAXTree", session=session)["nodes"]
        spans = browser.send("Runtime.evaluate", {"expression": _SPANS, "returnByValue": True}, session=session)
        return Reading(_tree(nodes), harness["structText"], json.loads(spans["result"].get("value") or "[]"))


_SPANS = ("JSON.stringify(Array.from(document.querySelectorAll('[aria-rowspan], [aria-colspan]'), e => "
          "[e.getAttribute('role'), e.getAttribute('aria-rowspan'), e.getAttribute('aria-colspan')]))")


def _tree(nodes: list[dict]) -> Node:
    """The accessibility tree as a screen reader walks it: ignored nodes left out,
    their children kept in their place."""
    by_id = {node["nodeId"]: node for node in nodes}

    def build(node) -> list[Node]:
        children = [built for child in node.get("childIds", []) if child in by_id for built in build(by_id[child])]
        if node.get("ignored"):
            return children
        level = next((p["value"]["value"] for p in node.get("properties", []) if p["name"] == "level"), None)
        return [Node(node.get("role", {}).get("value", ""), node.get("name", {}).get("value", ""), level, children,
                     node.get("description", {}).get("value", ""))]

    root = next(node for node in nodes if not node.get("parentId"))
    return build(root)[0]


def transcript(tree: Node) -> list[str]:
    """One line per node a screen reader announces: role, level, name, in order."""
    lines = []

    def visit(node: Node, depth: int):
        if node.role not in ("generic", "none", "InlineTextBox", "LineBreak"):
            level = f" level={node.level}" if node.level else ""
            lines.append(f"{'  ' * depth}{node.role}{level}: {node.name}")
            depth += 1
        for child in node.children:
            visit(child, depth)

    visit(tree, 0)
    return lines


AXE = HARNESS / "node_modules" / "axe-core" / "axe.min.js"


def axe_ready() -> str | None:
    """Why axe-core cannot run here, or None."""
    if not chromium():
        return "chromium not installed (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core not installed (npm ci in tests/browser)"
    return None


@dataclass
class PageCheck:
    """One web page as axe-core and the layout see it at one viewport width (CSS px)."""

    width: int
    violations: list  # axe-core's violations: [{"id", "impact", "nodes": [{"target", "failureSummary"}]}]
    scroll_width: int  # the document's width: wider than the viewport means sideways scrolling
    headings: list  # [(level, name)] from the accessibility tree
    anchors_found: bool  # every in-page link's target exists


_AXE_RUN = """axe.run(document, {resultTypes: ["violations"]}).then(result => JSON.stringify({
  violations: result.violations.map(v => ({id: v.id, impact: v.impact,
      nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))})),
  scrollWidth: document.documentElement.scrollWidth,
  anchors: [...document.querySelectorAll('a[href^="#"]')].every(a => document.getElementById(a.hash.slice(1)))
}))"""


def check_pages(pages: dict[str, bytes], widths=(320, 1280), timeout=90.0) -> dict[str, list[PageCheck]]:
    """Each HTML page opened in Chromium at each viewport width, checked by axe-core (all its rules)."""
    results: dict[str, list[PageCheck]] = {}
    axe = AXE.read_text(encoding="utf-8")
    with _browsing({f"{name}.html": data for name, data in pages.items()}) as (browser, base):
        for name in pages:
            results[name] = [_check_one(browser, f"{base}/{name}.html", width, axe, timeout) for width in widths]
    return results


def _check_one(browser: Browser, url: str, width: int, axe: str, timeout: float) -> PageCheck:
    with _tab(browser) as session:
        browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 800, "deviceScaleFactor": 1,
                                                           "mobile": width < 600}, session=session)
        browser.send("Page.enable", session=session)
        browser.send("Accessibility.enable", session=session)
        browser.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + timeout
        while browser.send("Runtime.evaluate", {"expression": "document.readyState", "returnByValue": True},
                           session=session)["result"].get("value") != "complete":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load")
            time.sleep(0.1)
        browser.send("Runtime.evaluate", {"expression": axe}, session=session)
        answer = browser.send("Runtime.evaluate", {"expression": _AXE_RUN, "awaitPromise": True,
                                                   "returnByValue": True}, session=session, timeout=timeout)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"axe-core failed: {answer['exceptionDetails']}")
        found = json.loads(answer["result"]["value"])
        tree = _tree(browser.send("Accessibility.getFullAXTree", session=session)["nodes"])
        headings = [(node.level, node.name) for node in tree.walk() if node.role == "heading"]
        return PageCheck(width, found["violations"], found["scrollWidth"], headings, found["anchors"])
