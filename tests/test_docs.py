"""The documentation's examples work as written: every fenced block of README.md and docs/*.md.

Each block's fence says what it is (the info string after the three backticks); a block
with no word, or one this file does not know, fails ``test_every_block_says_what_it_is``.

``sh``
    Commands, run as a reader would: ``bash`` in a copy of the repository (one copy per
    page; the page's blocks run in order, so a later block may use what an earlier one
    wrote; each block starts at the copy's top folder), ``rxleaflet`` and ``python`` from
    this virtual environment first on PATH, ``set -o pipefail``, no pharmacy settings from
    the environment, and a stand-in ``lp`` that takes a PDF and prints nothing. A command
    must exit 0, or the code its line ends with (``# exit 2``); the files it names with
    ``-o``, ``--output``, ``--combine`` or ``>``, and every ``wrote FILE`` it prints, must
    exist afterwards.
``sh quickstart``
    README's two commands. The second must be the command ``.ci/run`` runs, so CI runs it
    for real; of the first, the steps after the install run as an ``sh`` block. With
    ``RXLEAFLET_DOCS_INSTALL=1`` both run verbatim, in one shell, in a fresh copy of the
    working tree (several minutes: they install and run the whole suite).
``sh serve``
    ``curl`` commands against a real ``rxleaflet serve --library content/library
    --pharmacy content/pharmacy.yaml`` that the test starts in the page's copy, on a free
    port in place of 8080; a named ``.pdf`` output must be a PDF.
``sh bench``
    Benchmark commands: not run (minutes; ``tests/test_benchmark.py`` runs them with
    ``--quick``); each script named must exist and answer ``--help``.
``output``
    What the ``sh`` or ``python`` block just before prints, standard output and error
    together, exactly; ``…`` stands for any text within a line.
``yaml``
    A whole content file: it must load (``rxleaflet.load``) without problems or warnings.
``yaml blocks`` / ``yaml warns``
    A list of blocks, put under ``sections:`` of a small leaflet, in a folder whose
    ``images/`` are the sample pictures (``content/examples/images/``): it must load, without warnings
    (``blocks``) or with at least one (``warns``).
``yaml keys``
    Top-level keys, in place of those of the same small leaflet: it must load.
``yaml rx`` / ``yaml pharmacy``
    Dispensing details (for the sample leaflet) / pharmacy settings: they must load.
``python``
    Run with this interpreter in the page's copy; it must exit 0.
``text``
    Not code (a diagram, a transcript of a benchmark run). ``text synopsis``: each line
    ``rxleaflet COMMAND …``: every option it names is in that command's ``--help``.
``<language> no-run``
    Not run, for the reason the prose gives (it runs until stopped, needs root, a network
    or a printer, or takes minutes); nothing is checked but that it says so.

Besides the blocks: README.md stays under 12,000 bytes, every relative link and anchor
leads somewhere, and every repository path the text names in backticks exists.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_LIMIT = 12_000
BIN = Path(sys.executable).parent
KNOWN = {"sh", "sh quickstart", "sh serve", "sh bench", "output", "yaml", "yaml blocks", "yaml warns",
         "yaml keys", "yaml rx", "yaml pharmacy", "python", "text", "text synopsis"}
RUN = {"sh", "sh serve", "python"}
SMALL_LEAFLET = {
    "lang": "lang: en-GB\n",
    "title": "title: Testamol 5 mg tablets\n",
    "medicine": "medicine: {name: Testamol, strength: 5 mg, form: tablets}\n",
    "revised": "revised: 2026-01-02\n",
    "source": "source: Written for the documentation's examples\n",
    "sections": "sections:\n  - Take it as your doctor says.\n",
}
SKIPPED = {".git", ".venv", "venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache"}


def ignored(folder, names):
    """What a copy leaves out: git, virtual environments, caches, and the PDFs built at the top (.gitignore)."""
    top = Path(folder) == ROOT
    return {n for n in names if n in SKIPPED or n.endswith(".egg-info") or (top and n.endswith(".pdf"))}


@dataclass
class Block:
    page: Path
    line: int  # of the opening fence, 1-based
    info: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks_of(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, in order (fences of three or more backticks, at any indent)."""
    found, lines = [], page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = re.match(r"^(\s*)(`{3,})(.*)$", lines[i])
        if not opening:
            i += 1
            continue
        indent, fence, info = opening.groups()
        body, j = [], i + 1
        while j < len(lines) and not re.match(rf"^\s*{fence}\s*$", lines[j]):
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        found.append(Block(page, i + 1, " ".join(info.split()), "\n".join(body) + "\n"))
        i = j + 1
    return found


ALL_BLOCKS = [block for page in PAGES for block in blocks_of(page)]


def prose_of(page: Path) -> str:
    """The page without its fenced blocks."""
    text = page.read_text(encoding="utf-8")
    return re.sub(r"^(\s*)(`{3,}).*?^\s*\2\s*$", "", text, flags=re.S | re.M)


def page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


# ---- the marking --------------------------------------------------------------------------

def test_every_block_says_what_it_is():
    unmarked = [f"{b.where}: ```{b.info}" for b in ALL_BLOCKS
                if b.info not in KNOWN and not (b.info.endswith(" no-run") and len(b.info.split()) == 2)]
    assert not unmarked, "blocks this test does not know how to check (see its docstring):\n" + "\n".join(unmarked)


def test_an_output_block_follows_a_block_that_runs():
    for page in PAGES:
        blocks = blocks_of(page)
        for before, block in zip([None, *blocks], blocks):
            if block.info == "output":
                assert before is not None and before.info in RUN, f"{block.where}: output of no command"


def test_the_docs_have_examples_of_every_kind():
    kinds = {b.info for b in ALL_BLOCKS}
    assert {"sh", "output", "yaml", "yaml blocks", "python", "sh serve", "sh quickstart"} <= kinds


# ---- README -------------------------------------------------------------------------------

def test_the_readme_is_read_in_five_minutes():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes; move detail into docs/ (limit {README_LIMIT})"


def quickstart() -> list[str]:
    (block,) = [b for b in blocks_of(ROOT / "README.md") if b.info == "sh quickstart"]
    commands = [line for line in block.text.splitlines() if line.strip()]
    assert len(commands) == 2, "the quick start is two commands"
    return commands


def test_the_quick_starts_test_command_is_what_ci_runs():
    first, second = quickstart()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert second in ci, "README's test command and .ci/run's differ"
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e . && ")


def test_the_quick_starts_build_works(tmp_path):
    first, _ = quickstart()
    steps = first.split(" && ")
    built = " && ".join(s for s in steps if not s.startswith(("python3 -m venv", ". ", "pip ")))
    copy = make_copy(tmp_path)
    result = run_sh(built + "\n", copy)
    assert result.returncode == 0, result.stdout
    assert (copy / "diazepam-2mg.pdf").read_bytes().startswith(b"%PDF-")


if os.environ.get("RXLEAFLET_DOCS_INSTALL"):
    def test_the_quick_start_verbatim_in_a_fresh_copy(tmp_path):
        """Both commands in one shell, with no virtual environment on PATH: install, build, test."""
        copy = tmp_path / "clone"
        shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", ".hypothesis", ".pytest_cache", "/*.pdf"))
        path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if Path(p) != BIN)
        env = {k: v for k, v in os.environ.items() if k not in ("RXLEAFLET_DOCS_INSTALL", "VIRTUAL_ENV")}
        result = subprocess.run(["bash", "-c", "set -e\n" + "\n".join(quickstart())], cwd=copy,
                                env={**env, "PATH": path}, capture_output=True, text=True, timeout=3600)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
        assert (copy / "diazepam-2mg.pdf").exists()
        assert re.search(r"\d+ passed", result.stdout)


# ---- running the blocks -------------------------------------------------------------------

def make_copy(tmp_path: Path) -> Path:
    """The repository's files (not its virtual environment or git), with `.venv` pointing at ours."""
    copy = tmp_path / "rxleaflet"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=ignored)
    (copy / ".venv").symlink_to(BIN.parent, target_is_directory=True)
    return copy


def environment(copy: Path) -> dict:
    stub = copy.parent / "stub-bin"
    if not stub.exists():
        stub.mkdir()
        lp = stub / "lp"  # a printer: takes PDFs (files, or standard input) and prints nothing
        lp.write_text(f"#!{sys.executable}\n" + LP)
        lp.chmod(0o755)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("RXLEAFLET_") and k not in ("XDG_CONFIG_HOME", "SOURCE_DATE_EPOCH")}
    home = copy.parent / "home"
    home.mkdir(exist_ok=True)
    return {**env, "PATH": os.pathsep.join([str(stub), str(BIN), env.get("PATH", "")]), "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"), "PYTHONDONTWRITEBYTECODE": "1"}


LP = """import sys
args, files = iter(sys.argv[1:]), []
for arg in args:
    if arg in ("-d", "-h", "-n", "-o", "-q", "-t", "-H", "-P", "-U"):
        next(args)
    elif not arg.startswith("-"):
        files.append(arg)
for data in [open(f, "rb").read() for f in files] or [sys.stdin.buffer.read()]:
    if not data.startswith(b"%PDF-"):
        sys.exit("lp: not a PDF")
"""


def commands_of(text: str) -> list[str]:
    """Logical command lines: backslash continuations joined, blank and comment lines dropped."""
    commands, pending = [], ""
    for line in text.splitlines():
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        line = pending + line
        pending = ""
        if line.strip() and not line.strip().startswith("#"):
            commands.append(line)
    return commands


def expected_exit(command: str) -> int:
    found = re.search(r"#\s*exit (\d+)\s*$", command)
    return int(found.group(1)) if found else 0


def run_sh(text: str, copy: Path, replace: dict | None = None) -> subprocess.CompletedProcess:
    """The block as a bash script that stops at the first command exiting otherwise than said."""
    script = ["set -o pipefail"]
    for number, command in enumerate(commands_of(text), 1):
        for old, new in (replace or {}).items():
            command = command.replace(old, new)
        code = expected_exit(command)
        script += [command, f'__rc=$?; if [ "$__rc" != {code} ]; then '
                            f'echo "docs test: command {number} exited $__rc, not {code}: {shlex.quote(command)}" >&2; '
                            f'exit 99; fi']
    return subprocess.run(["bash", "-c", "\n".join(script)], cwd=copy, env=environment(copy),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)


def named_outputs(command: str) -> list[str]:
    """The files a command says it writes: -o, --output, --combine and > (not standard output)."""
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return []
    found, segment = [], []
    for word in words + ["|"]:
        if word not in ("|", "&&", "||", ";"):
            segment.append(word)
            continue
        program = next((w for w in segment if not re.match(r"^\w+=", w)), "")
        if program in ("rxleaflet", "curl"):
            for option, following in zip(segment, segment[1:]):
                if option in ("-o", "--output", "--combine", ">") and following != "-" and not following.startswith("/dev/"):
                    found.append(following)
        segment = []
    return found


def matches(expected: str, actual: str) -> bool:
    """Whether the output is the expected text: `…` is any text within a line, a line of `…` alone any lines."""
    pattern = "".join("(?:.*\n)*?" if line.strip() == "…" else ".*?".join(map(re.escape, line.split("…"))) + "\n"
                      for line in expected.strip().splitlines())
    return re.fullmatch(pattern, actual.strip() + "\n") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """`rxleaflet serve` on the sample library, in the page's copy, until the page is done."""

    def __init__(self, copy: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(BIN / "rxleaflet"), "serve", "--library", "content/library", "--pharmacy", "content/pharmacy.yaml",
             "--port", str(self.port), "--workers", "1"],
            cwd=copy, env=environment(copy), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError("rxleaflet serve did not start: " + (self.process.stderr.read() or ""))
                time.sleep(0.05)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stderr.close()


def check_yaml(block: Block, copy: Path) -> str | None:
    """None if the YAML example loads as its fence says, else what went wrong."""
    import rxleaflet

    kind = block.info.split()[1] if " " in block.info else "file"
    folder = copy.parent / "yaml-examples"  # outside the copy, which the page's commands read (library check)
    if not folder.exists():
        folder.mkdir()
        (folder / "images").symlink_to(copy / "content" / "examples" / "images", target_is_directory=True)
    path = folder / f"{block.page.stem}-{block.line}.yaml"
    if kind in ("blocks", "warns", "keys"):
        parts = dict(SMALL_LEAFLET)
        if kind == "keys":
            for key in re.findall(r"^([A-Za-z_]+):", block.text, flags=re.M):
                parts.pop(key, None)
            text = block.text + "".join(parts.values())
        else:
            parts["sections"] = "sections:\n" + "".join(f"  {line}\n" if line else "\n"
                                                        for line in block.text.splitlines())
            text = "".join(parts.values())
    else:
        text = block.text
    path.write_text(text, encoding="utf-8")
    try:
        if kind == "rx":
            rxleaflet.load_prescription(path, rxleaflet.load(copy / "content" / "diazepam-2mg.yaml"))
            return None
        if kind == "pharmacy":
            rxleaflet.load_pharmacy(path)
            return None
        leaflet = rxleaflet.load(path)
    except rxleaflet.UserError as error:
        return "\n".join(str(problem) for problem in error.problems)
    if kind == "warns":
        return None if leaflet.warnings else "no warning"
    if leaflet.warnings:
        return "warnings: " + "\n".join(map(str, leaflet.warnings))
    return None


def check_bench(block: Block) -> str | None:
    scripts = re.findall(r"benchmarks/[\w.-]+\.py", block.text)
    if not scripts:
        return "names no benchmark script"
    for script in scripts:
        if not (ROOT / script).is_file():
            return f"{script}: no such script"
        result = subprocess.run([sys.executable, str(ROOT / script), "--help"], capture_output=True, text=True,
                                timeout=60)
        if result.returncode != 0:
            return f"{script} --help: exit {result.returncode}: {result.stderr}"
    return None


def check_synopsis(block: Block) -> str | None:
    helps = {}
    for line in block.text.splitlines():
        words = line.split()
        if len(words) < 2 or words[0] != "rxleaflet" or words[1].startswith("-"):
            continue
        command = words[1:3] if words[1] in ("library", "import") else words[1:2]
        key = " ".join(command)
        if key not in helps:
            result = subprocess.run([str(BIN / "rxleaflet"), *command, "--help"], capture_output=True, text=True,
                                    timeout=60)
            helps[key] = result.stdout
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", line):
            if option not in helps[key]:
                return f"rxleaflet {key}: {option} is not in its --help"
    return None


def run_page(page: Path, tmp_path: Path) -> list[str]:
    copy = make_copy(tmp_path)
    failures, service, last = [], None, None
    try:
        for block in blocks_of(page):
            problem = None
            if block.info in ("sh", "sh serve"):
                replace = None
                if block.info == "sh serve":
                    service = service or Service(copy)
                    replace = {"127.0.0.1:8080": f"127.0.0.1:{service.port}"}
                last = run_sh(block.text, copy, replace)
                if last.returncode != 0:
                    problem = last.stdout
                else:
                    outputs = [o for c in commands_of(block.text) if expected_exit(c) == 0 for o in named_outputs(c)]
                    outputs += re.findall(r"^wrote (\S+)$", last.stdout, flags=re.M)
                    missing = [o for o in outputs if not (copy / o).exists()]
                    not_pdf = [o for o in outputs if block.info == "sh serve" and o.endswith(".pdf")
                               and o not in missing and not (copy / o).read_bytes().startswith(b"%PDF-")]
                    if missing or not_pdf:
                        problem = f"not written: {missing}; not a PDF: {not_pdf}\n{last.stdout}"
            elif block.info == "python":
                script = copy.parent / f"example-{block.line}.py"
                script.write_text(block.text, encoding="utf-8")
                last = subprocess.run([sys.executable, str(script)], cwd=copy, env=environment(copy),
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
                problem = last.stdout if last.returncode else None
            elif block.info == "output":
                if last is None or not matches(block.text, last.stdout):
                    problem = "printed instead:\n" + (last.stdout if last else "(nothing ran)")
            elif block.info.startswith("yaml"):
                problem = check_yaml(block, copy)
            elif block.info == "sh bench":
                problem = check_bench(block)
            elif block.info == "text synopsis":
                problem = check_synopsis(block)
            if block.info not in ("output",) and block.info not in RUN:
                last = None
            if problem:
                failures.append(f"{block.where}: ```{block.info}\n{block.text}--> {problem}")
    finally:
        if service:
            service.stop()
    return failures


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_the_pages_examples_work(page, tmp_path):
    failures = run_page(page, tmp_path)
    assert not failures, "\n\n".join(failures)


# ---- links and paths ----------------------------------------------------------------------

def anchors_of(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces made hyphens; repeats numbered."""
    seen, anchors = {}, set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", prose_of(page), flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_link_leads_somewhere(page):
    broken = []
    prose = re.sub(r"(`+).+?\1", "", prose_of(page))  # code spans are not links
    for target in re.findall(r"\]\(([^)\s]+)\)", prose):
        if re.match(r"^[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors_of(linked):
            broken.append(f"{target}: no such heading in {linked.relative_to(ROOT)}")
    assert not broken, "\n".join(broken)


REPOSITORY_PATH = re.compile(r"`((?:content|tests|docs|benchmarks|src|fonts|\.ci)/[^`\s]*)`")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_repository_path_it_names_exists(page):
    missing = []
    for path in REPOSITORY_PATH.findall(prose_of(page)):
        path = path.rstrip(".,:;")
        if not list(ROOT.glob(path.rstrip("/"))):
            missing.append(path)
    assert not missing, f"{page_id(page)} names files that are not in the repository: {missing}"


def test_every_page_of_docs_is_in_its_index():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    pages = [p.name for p in PAGES if p.parent.name == "docs" and p.name != "README.md"]
    assert pages and all(f"({name})" in index for name in pages)
