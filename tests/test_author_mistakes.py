"""Mistakes an author or a pharmacy technician makes: each gets a message to act on (issue 11).

Every test runs the command as a user would and checks the message and the exit code.
"""
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
import unicodedata

import pypdf
import pytest
from conftest import ROOT, SAMPLE, as_in_a_terminal, content, run_cli
from test_pharmacy import row

SPANISH = ROOT / "content" / "es" / "diazepam-2mg.yaml"
COLUMNS = ("content", "patient", "rx_number", "dispensed", "prescriber", "medicine", "directions", "quantity",
           "refills")


def command(*args):
    return [sys.executable, "-m", "rxleaflet", *map(str, args)]


# -- 1. a closed output pipe ------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("build", SAMPLE, "-o", "-"),
    ("attach", ROOT / "content" / "prescriptions" / "example-label.pdf", "LEAFLET", "-o", "-"),
    ("batch", ROOT / "content" / "jobs" / "example.csv", "-o", "OUT"),
    ("validate", SAMPLE),
])
def test_a_reader_that_stops_is_not_a_bug(tmp_path, sample_pdf, args):
    leaflet = tmp_path / "leaflet.pdf"
    leaflet.write_bytes(sample_pdf)
    args = [{"LEAFLET": leaflet, "OUT": tmp_path / "out"}.get(a, a) for a in args]
    reader, writer = os.pipe()
    os.close(reader)  # the reader (lp, head) has gone before we write a byte
    result = subprocess.run(command(*args), stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120)
    os.close(writer)
    assert result.returncode == 141  # 128 + SIGPIPE, as a shell reports `cat` stopped the same way
    assert result.stderr == "rxleaflet: stopped: the program reading the output closed it before the end\n"


def test_a_pipe_to_head_gets_its_byte_and_no_traceback():
    shell = f"{' '.join(map(str, command('build', SAMPLE, '-o', '-')))} | head -c5; echo \" ${{PIPESTATUS[0]}}\""
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("%PDF-")
    assert result.stdout.split()[-1] in ("0", "141")  # 0 when the PDF fitted in the pipe before head left
    assert "Traceback" not in result.stderr and "bug" not in result.stderr


# -- 2. YAML traps: at the right line, saying what to do -----------------------------------

# One file per trap in tests/inputs/bad/, with the exact message beside it (.expected); the
# corpus test builds each in-process, this one runs `validate` as a user does.
TRAPS = sorted((ROOT / "tests" / "inputs" / "bad").glob("trap-*.yaml"))


@pytest.mark.parametrize("path", TRAPS, ids=[p.stem for p in TRAPS])
def test_yaml_traps_are_reported_at_their_line_with_what_to_do(path):
    result = run_cli("validate", path.relative_to(ROOT), cwd=ROOT)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == path.with_suffix(".expected").read_text(encoding="utf-8")
    assert any(advice in result.stderr for advice in ("in quotes", "write", "replace the tab", "end the text with"))  # what to do


def test_every_trap_has_its_file():
    names = {p.stem.removeprefix("trap-") for p in TRAPS}
    assert {"percent", "at", "backtick", "pipe", "greater", "ampersand", "anchor", "bracket", "brace", "tab",
            "tab-later", "unclosed-quote", "quote-closed-lines-later", "colon-in-a-title", "missing-colon",
            "missing-colon-last-key", "block-key-without-colon"} <= names


def test_bold_and_note_colon_text_are_read_as_the_author_wrote_them(tmp_path):
    """The two traps the format avoids: **bold** or *em* at the start, and 'Word: text'."""
    path = tmp_path / "friendly.yaml"
    path.write_text(content("""\
  - "**Bold** in quotes, as before"
  - **Do not** drive after taking it.
  - paragraph: *Never* take two doses.
  - Remember: keep it out of sight.
  - bullets:
      - **Drowsiness**, which may last
      - Note: take with food
      - text: "Tip: 2 mg each"
        bullets: [*Ask* first]
"""), encoding="utf-8")
    out = tmp_path / "friendly.pdf"
    result = run_cli("build", path, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    text = " ".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    for expected in ("Bold in quotes, as before", "Do not drive after taking it.", "Never take two doses.",
                     "Remember: keep it out of sight.", "Drowsiness, which may last", "Note: take with food",
                     "Tip: 2 mg each", "Ask first"):
        assert expected in text
    assert "**" not in text and "*Never" not in text


def test_a_misspelt_key_is_still_reported_not_read_as_text(tmp_path):
    path = tmp_path / "misspelt.yaml"
    path.write_text(content("  - paragrph: Take with food\n"), encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == 2
    assert "unknown key 'paragrph' (did you mean 'paragraph'?" in result.stderr


def test_an_alias_is_still_refused(tmp_path):
    path = tmp_path / "alias.yaml"
    path.write_text(content("  - *note\n"), encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == 2
    assert result.stderr == f"{path}:7:5: text cannot start with *name in YAML (an alias); put the text in quotes\n"


# -- 3. list items folded together ----------------------------------------------------------

FOLDED = content("""\
  - bullets:
      - Swallow the tablets with water.
        Do not take more than 8 tablets in 24 hours.
      - Take it with food.
      - >-
        One item written over
        two lines on purpose.
""")
FOLD_WARNING = (":8:9: sections[0].bullets[0]: warning: this list item runs over 2 lines and is read as one list "
                "item; if the lines are separate, start each with '- '; if it is one list item, write it after '>-' "
                "or in quotes")


def test_a_folded_list_item_is_a_warning_in_validate_and_build(tmp_path):
    path = tmp_path / "folded.yaml"
    path.write_text(FOLDED, encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == 0
    assert result.stderr == f"{path}{FOLD_WARNING}\n"
    assert result.stdout == f"{path}: ok\n"
    out = tmp_path / "folded.pdf"
    result = run_cli("build", path, "-o", out)
    assert result.returncode == 0 and out.exists()
    assert result.stderr == f"{path}{FOLD_WARNING}\n"


def test_a_paragraph_over_lines_in_a_list_is_warned_about_too(tmp_path):
    path = tmp_path / "paragraphs.yaml"
    path.write_text(content("  - Swallow the tablets with water.\n    Do not crush them.\n"
                            "  - >-\n    One paragraph written\n    over two lines.\n"
                            "  - paragraph: \"Quoted, over\n      two lines\"\n"), encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode == 0
    assert result.stderr == (f"{path}:7:5: sections[0]: warning: this paragraph runs over 2 lines and is read as one "
                             "paragraph; if the lines are separate, start each with '- '; if it is one paragraph, "
                             "write it after '>-' or in quotes\n")


def test_strict_makes_warnings_errors(tmp_path):
    path = tmp_path / "folded.yaml"
    path.write_text(FOLDED, encoding="utf-8")
    out = tmp_path / "folded.pdf"
    for args in (("validate", path, "--strict"), ("build", path, "-o", out, "--strict")):
        result = run_cli(*args)
        assert result.returncode == 2
        assert result.stderr == f"{path}{FOLD_WARNING}\n"
    assert not out.exists()


def test_batch_warns_once_per_content_file_and_strict_fails_its_rows(tmp_path):
    path = tmp_path / "folded.yaml"
    path.write_text(FOLDED.replace("Testamol, strength: 5 mg", "Diazepam, strength: 2 mg"), encoding="utf-8")
    jobs = write_csv(tmp_path, [row(1, content=path.name), row(2, content=path.name)])
    result = run_cli("batch", jobs, "-o", tmp_path / "out", "--jobs", "1")
    assert result.returncode == 0
    assert result.stderr == f"{path}{FOLD_WARNING}\n"
    result = run_cli("batch", jobs, "-o", tmp_path / "strict", "--jobs", "1", "--strict")
    assert result.returncode == 3
    assert len(result.stderr.splitlines()) == 2 and "warning: this list item runs over 2 lines" in result.stderr
    assert not (tmp_path / "strict").exists()


# -- 4. jobs-file problems once per file --------------------------------------------------------

def write_csv(tmp_path, rows, columns=COLUMNS, name="jobs.csv"):
    path = tmp_path / name
    path.write_text(",".join(columns) + "\n" + "".join(",".join(r[c] for c in COLUMNS if c in r) + "\n"
                                                       for r in rows), encoding="utf-8")
    return path


def check_refused(tmp_path, jobs, expected):
    out = tmp_path / "out"
    result = run_cli("batch", jobs, "-o", out, "--combine", tmp_path / "job.pdf")
    assert result.returncode == 2
    assert result.stderr == expected + "\n"
    assert result.stdout == ""
    assert not out.exists() and not (tmp_path / "job.pdf").exists()
    assert "Number" not in result.stderr


def test_a_misspelt_column_is_one_message_for_300_rows(tmp_path):
    columns = COLUMNS[:-1] + ("refils",)
    rows = [{**row(n), "refills": "0"} for n in range(300)]
    jobs = write_csv(tmp_path, rows, columns)
    check_refused(tmp_path, jobs, f"{jobs}:1:1: the header row has no column refills; column 9 is not one rxleaflet "
                  "reads (did you mean 'refills'?) (the columns are: " + ", ".join(COLUMNS) + "); nothing was built")


def test_a_missing_column_is_one_message(tmp_path):
    jobs = write_csv(tmp_path, [{k: v for k, v in row(n).items() if k != "refills"} for n in range(5)], COLUMNS[:-1])
    check_refused(tmp_path, jobs, f"{jobs}:1:1: the header row has no column refills (the columns are: "
                  + ", ".join(COLUMNS) + "); nothing was built")


def test_a_jsonl_key_missing_from_every_row_is_one_message(tmp_path):
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text("".join(json.dumps({**{k: v for k, v in row(n).items() if k != "refills"}, "refill": "0"}) + "\n"
                            for n in range(5)))
    check_refused(tmp_path, jobs, f"{jobs}:1:1: no row has the key refills; every row has a key rxleaflet does not "
                  "read (did you mean 'refills'?) (the keys are: " + ", ".join(COLUMNS) + "); nothing was built")


def test_a_csv_without_its_header_row_names_no_patient(tmp_path):
    jobs = tmp_path / "jobs.csv"
    jobs.write_text("".join(",".join(row(n).values()) + "\n" for n in range(3)))
    check_refused(tmp_path, jobs, f"{jobs}:1:1: the first row is not a header row naming the columns; add one: "
                  + ",".join(COLUMNS))


def test_a_yaml_file_given_to_batch(tmp_path):
    check_refused(tmp_path, SAMPLE, f"{SAMPLE}: this is a YAML file, not a jobs file: batch reads CSV (.csv) or "
                  "JSON Lines (.jsonl), one row per prescription; to build one leaflet, use rxleaflet build")


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_an_empty_jobs_file(tmp_path, text):
    jobs = tmp_path / "jobs.csv"
    jobs.write_text(text)
    check_refused(tmp_path, jobs, f"{jobs}: the file is empty; a jobs file has a header row and one row per "
                  "prescription (columns: " + ", ".join(COLUMNS) + ")")


def test_no_empty_output_folder_when_no_row_was_built(tmp_path):
    jobs = write_csv(tmp_path, [row(1, medicine="Lorazepam 1 mg")])
    result = run_cli("batch", jobs, "-o", tmp_path / "out")
    assert result.returncode == 3
    assert not (tmp_path / "out").exists()


# -- 5. default output names never collide silently ----------------------------------------

def test_a_default_name_never_replaces_another_leaflet(tmp_path):
    english = tmp_path / "diazepam-2mg.pdf"
    assert run_cli("build", SAMPLE, cwd=tmp_path).returncode == 0
    before = english.read_bytes()
    result = run_cli("build", SPANISH, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("diazepam-2mg.pdf: not replaced: it holds the en-GB leaflet \"Patient information "
                             "leaflet: Diazepam 2 mg tablets\", built from another content file; name the output with "
                             "-o, or add --force to replace it\n")
    assert english.read_bytes() == before
    # the same content again replaces its own earlier build, in any edition
    assert run_cli("build", SAMPLE, "--large-print", cwd=tmp_path).returncode == 0
    assert english.read_bytes() != before
    result = run_cli("build", SPANISH, "--force", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "wrote diazepam-2mg.pdf\n"
    assert pypdf.PdfReader(english).trailer["/Root"]["/Lang"] == "es"
    # -o names the file: the user chose it
    assert run_cli("build", SAMPLE, "-o", english, cwd=tmp_path).returncode == 0


def test_a_default_name_never_replaces_a_file_rxleaflet_did_not_write(tmp_path):
    mine = tmp_path / "diazepam-2mg.pdf"
    mine.write_bytes(b"%PDF-1.4 the pharmacist's own notes")
    result = run_cli("build", SAMPLE, cwd=tmp_path)
    assert result.returncode == 2
    assert "not replaced: it holds a file rxleaflet did not write" in result.stderr
    assert mine.read_bytes() == b"%PDF-1.4 the pharmacist's own notes"


# -- 6. paper names in any case -------------------------------------------------------------------

@pytest.mark.parametrize("paper, width", [("A4", 595.2756), ("Letter", 612), ("LEGAL", 612), ("a5", 419.5276)])
def test_paper_names_in_any_case(tmp_path, paper, width):
    out = tmp_path / "x.pdf"
    result = run_cli("build", SAMPLE, "-o", out, "--paper", paper)
    assert result.returncode == 0, result.stderr
    assert float(pypdf.PdfReader(out).pages[0].mediabox.width) == pytest.approx(width, abs=0.01)


def test_an_unknown_paper_is_still_refused(tmp_path):
    result = run_cli("build", SAMPLE, "-o", tmp_path / "x.pdf", "--paper", "B5")
    assert result.returncode == 2 and "invalid choice: 'b5'" in result.stderr


# -- 7. messages on a terminal ------------------------------------------------------------------

def test_attach_says_a_file_is_not_a_pdf(tmp_path, sample_pdf):
    leaflet = tmp_path / "leaflet.pdf"
    leaflet.write_bytes(sample_pdf)
    for name, data in (("label.png", b"\x89PNG\r\n\x1a\n...."), ("empty.pdf", b"")):
        other = tmp_path / name
        other.write_bytes(data)
        result = run_cli("attach", other, leaflet, "-o", tmp_path / "job.pdf")
        assert result.returncode == 2
        assert result.stderr == f"{other}: this is not a PDF (it does not start with %PDF-); give a PDF file\n"
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(sample_pdf[:2000])
    result = run_cli("attach", damaged, leaflet, "-o", tmp_path / "job.pdf")
    assert result.returncode == 2 and "it is damaged" in result.stderr


def test_an_interrupted_batch_speaks_on_a_fresh_line(tmp_path):
    jobs = write_csv(tmp_path, [row(n) for n in range(1, 200)])
    leader, follower = pty.openpty()  # standard error is a terminal: the progress bar shows
    process = subprocess.Popen(command("batch", jobs, "-o", tmp_path / "out", "--jobs", "1"),
                               stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL,
                               preexec_fn=as_in_a_terminal)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 60
    while b"/199" not in seen and time.monotonic() < deadline:
        if select.select([leader], [], [], 1)[0]:
            seen += os.read(leader, 4096)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    while select.select([leader], [], [], 0.5)[0]:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    screen = seen.decode()
    assert "/199" in screen
    assert process.returncode == 130
    message = re.search(r"(.?)rxleaflet: interrupted", screen, re.S)
    assert message and message.group(1) == "\n", repr(screen[-200:])  # not glued to the bar


# -- 8. a dose never splits from its unit ----------------------------------------------------

DOSES = {  # language: (filler word, "then", doses as (number, unit))
    "en-GB": ("take", "then", [("2", "mg"), ("10", "ml"), ("500", "µg"), ("3", "times"), ("1,000", "mg"),
                               ("0.5", "ml"), ("2–3", "times")]),
    "he": ("קח", "ואז", [("2", "מ״ג"), ("10", "מ״ל"), ("500", "מק״ג"), ("3", "פעמים"), ("1,000", "מ״ג"),
                         ("0.5", "מ״ל"), ("2–3", "פעמים")]),
}


def dose_leaflet(lang: str) -> str:
    filler, then, doses = DOSES[lang]
    dose_text = f" {then} ".join(f"{number} {unit}" for number, unit in doses)
    paragraphs = "".join(f"  - {' '.join([filler] * k)} {dose_text}.\n" for k in range(1, 25))
    items = "".join(f"      - {' '.join([filler] * k)} {dose_text}.\n" for k in range(1, 13))
    return (f"lang: {lang}\ntitle: Doses\nmedicine: {{name: Testamol, strength: 5 mg, form: tablets}}\n"
            f"revised: 2026-01-02\nsource: Written for the tests\nsections:\n{paragraphs}  - bullets:\n{items}")


def printed_lines(data: bytes):
    """The words of each printed line, as drawn (any order: right-to-left lines are drawn reversed)."""
    from pdfread import page_objects

    objects, _ = page_objects(data)
    lines: dict = {}
    for o in objects:
        if o.text.strip() and not o.is_artifact:
            lines.setdefault((o.page, round(o.baseline, 1)), []).append(o)
    return [" ".join(o.text for o in sorted(found, key=lambda o: o.bounds[0])).split() for found in lines.values()]


@pytest.mark.parametrize("lang", DOSES)
@pytest.mark.parametrize("edition", [(), ("--large-print", "--paper", "a5")])
def test_a_dose_never_splits_from_its_unit(tmp_path, lang, edition):
    source = tmp_path / "doses.yaml"
    source.write_text(dose_leaflet(lang), encoding="utf-8")
    out = tmp_path / "doses.pdf"
    result = run_cli("build", source, "-o", out, *edition)
    assert result.returncode == 0, result.stderr
    filler, then, doses = DOSES[lang]
    units = {unicodedata.normalize("NFKC", unit[::step]) for _, unit in doses for step in (1, -1)}  # RTL: drawn reversed
    words_of_the_body = units | {filler, then, filler[::-1], then[::-1]}
    lines = [[unicodedata.normalize("NFKC", w) for w in words] for words in printed_lines(out.read_bytes())]
    body = [words for words in lines if words_of_the_body & set(w.strip(".") for w in words)]
    assert len(body) > 60  # the doses fall at every place in a line
    ends_with_number = 0
    for words in body:
        cleaned = [w.strip(".") for w in words]
        numbers = [re.fullmatch(r"\d[\d.,–]*", w) is not None for w in cleaned]
        assert sum(numbers) == sum(w in units for w in cleaned), words
        ends_with_number += numbers[0 if lang == "he" else -1]  # a line ends on the left in Hebrew
    assert ends_with_number == 0


# -- 9. large print on A5 with a prescription ------------------------------------------------

RX = ROOT / "content" / "prescriptions" / "example.yaml"
PHARMACY = ROOT / "content" / "pharmacy.yaml"


def personal_leaflet(tmp_path, directions=None, *extra):
    rx = RX
    if directions:
        rx = tmp_path / "rx.yaml"
        rx.write_text(RX.read_text().replace(
            "directions: Take ONE tablet by mouth THREE times a day when needed for anxiety.",
            f"directions: {directions}"))
    out = tmp_path / "leaflet.pdf"
    result = run_cli("build", SAMPLE, "--rx", rx, "--large-print", "--paper", "a5", "-o", out, *extra)
    assert result.returncode == 0, result.stderr
    from pdfread import Leaflet

    return Leaflet(out.read_bytes())


def panel_pages(pdf):
    """{page: roles of the structure elements drawn there}, and the panel's pages."""
    panel = {mark for element in pdf.elements("Table")[0].walk() for mark in element.marks()}
    pages: dict = {}
    for element in pdf.tree.walk():
        for mark in element.marks():
            pages.setdefault(mark[0], set()).add("panel" if mark in panel else element.role)
    return pages, sorted(page for page, roles in pages.items() if "panel" in roles)


def test_the_title_block_stands_under_the_end_of_the_panel(tmp_path):
    """The sample with the pharmacy's settings: the panel runs on to page 2, and the
    title block (label, title, medicine line) follows it there, not on page 3."""
    pdf = personal_leaflet(tmp_path, None, "--pharmacy", PHARMACY)
    pages, panel = panel_pages(pdf)
    assert panel == [0, 1]
    assert "H1" in pages[1]
    title_page = {page for element in pdf.elements("H1") for page, _ in element.marks()}
    assert title_page == {1}


@pytest.mark.parametrize("repeat", [2, 6, 10])
def test_a_page_holds_a_panel_and_never_its_own_continuation(tmp_path, repeat):
    pdf = personal_leaflet(tmp_path, "Take one tablet as directed by your doctor. " * repeat,
                           "--pharmacy", PHARMACY)
    captions = [(o.page, o.text.strip()) for o in pdf.objects if o.text.strip().startswith("Your prescription")]
    assert len({page for page, _ in captions}) == len(captions), captions  # one panel caption a page
    pages, panel = panel_pages(pdf)
    for page in panel[:-1]:  # a page the panel runs over is full of it
        texts = [o for o in pdf.objects if o.page == page and o.text.strip() and not o.is_artifact]
        assert min(o.bounds[1] for o in texts) < 150


def test_the_label_column_keeps_its_width_on_every_page(tmp_path):
    pdf = personal_leaflet(tmp_path, "Take one tablet as directed by your doctor. " * 8, "--pharmacy", PHARMACY)
    _, panel = panel_pages(pdf)
    assert len(panel) >= 3
    cells = {mark for element in pdf.elements("TD") for mark in element.marks()}
    starts = {}
    for o in pdf.objects:
        if (o.page, o.mcid) in cells and o.text.strip():
            starts[o.page] = min(starts.get(o.page, 1e9), o.bounds[0])
    assert set(starts) == set(panel)
    assert max(starts.values()) - min(starts.values()) < 0.5, starts  # the value column starts at one x
