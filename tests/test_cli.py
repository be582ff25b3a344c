"""The command line, run as a user runs it."""
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE, SAMPLE_ES, content, run_cli
from pdfread import Leaflet

from rxleaflet import api, cli

BAD = content("""
  - heading: Side effects
    content:
      - bulets: [Drowsiness]
""")


def test_build_writes_the_pdf_and_says_where(tmp_path, sample_pdf):
    out = tmp_path / "leaflet.pdf"
    result = run_cli("build", SAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    assert out.read_bytes() == sample_pdf


def test_build_defaults_to_the_content_name_in_the_current_folder(tmp_path):
    result = run_cli("build", SAMPLE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wrote diazepam-2mg.pdf"
    assert (tmp_path / "diazepam-2mg.pdf").read_bytes().startswith(b"%PDF-1.7")


def test_build_on_letter_paper(tmp_path):
    out = tmp_path / "letter.pdf"
    assert run_cli("build", SAMPLE, "-o", out, "--paper", "letter").returncode == 0
    assert [float(v) for v in Leaflet(out.read_bytes()).reader.pages[0].mediabox] == [0, 0, 612, 792]


def test_validate_says_ok():
    result = run_cli("validate", SAMPLE)
    assert result.returncode == 0
    assert result.stdout.strip() == f"{SAMPLE}: ok"


@pytest.mark.parametrize("command", ["build", "validate"])
def test_bad_input_is_one_line_exit_2_and_no_file(tmp_path, command):
    source = tmp_path / "x.yaml"
    source.write_text(BAD, encoding="utf-8")
    out = tmp_path / "x.pdf"
    args = ["-o", out] if command == "build" else []
    result = run_cli(command, source, *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{source}:10:9: sections[0].content[0]: unknown key 'bulets' (did you mean 'bullets'? "
        "expected one of: heading, content, paragraph, bullets, numbered, table, figure, pictograms, warning, emergency, important, intro, lang)"]
    assert "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == ["x.yaml"]


def test_a_failed_build_keeps_the_good_file_already_there(tmp_path):
    out = tmp_path / "leaflet.pdf"
    out.write_bytes(b"%PDF- a good leaflet from yesterday")
    source = tmp_path / "x.yaml"
    source.write_text(BAD, encoding="utf-8")
    assert run_cli("build", source, "-o", out).returncode == 2
    assert out.read_bytes() == b"%PDF- a good leaflet from yesterday"


def test_a_missing_output_folder_is_a_clear_error(tmp_path):
    out = tmp_path / "no" / "such" / "leaflet.pdf"
    result = run_cli("build", SAMPLE, "-o", out)
    assert result.returncode == 2
    assert result.stderr.strip() == f"{out}: cannot write: the folder {out.parent} does not exist"


def test_a_missing_content_file(tmp_path):
    result = run_cli("validate", tmp_path / "none.yaml")
    assert result.returncode == 2
    assert "none.yaml: cannot read the file: No such file or directory" in result.stderr


def test_an_internal_failure_exits_1_without_a_traceback_or_its_text(monkeypatch, capsys, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("Margaret Example exploded")  # an exception's text may quote patient data

    monkeypatch.setattr("rxleaflet.layout.write.render", broken)
    api.forget_built()  # an earlier test's build of the sample would be looked up, not built
    assert cli.main(["build", str(SAMPLE), "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rxleaflet: internal error: RuntimeError in api.py:") and "Traceback" not in err
    assert "Margaret" not in err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["validate", "--help"]])
def test_help(args):
    result = run_cli(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: rxleaflet")


def test_build_help_lists_its_options():
    text = run_cli("build", "--help").stdout
    for option in ("CONTENT.yaml", "-o OUT.pdf", "--paper {a4,letter,legal,a5}", "--large-print", "--rx RX.yaml"):
        assert option in text


def test_unknown_command_is_a_usage_error():
    result = run_cli("bulid", SAMPLE)
    assert result.returncode == 2
    assert "invalid choice: 'bulid'" in result.stderr


def test_the_console_script_is_installed():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "rxleaflet"  # installed beside the interpreter
    result = subprocess.run([str(script), "validate", str(SAMPLE)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"{SAMPLE}: ok"


def test_an_unwritable_folder_is_a_clear_error():
    result = run_cli("build", SAMPLE, "-o", "/proc/leaflet.pdf")
    assert result.returncode == 2
    assert result.stderr.startswith("/proc/leaflet.pdf: cannot write to the folder /proc: ")
    assert "Traceback" not in result.stderr


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "leaflet.pdf"
    out.write_bytes(b"%PDF- the good one")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", interrupted)
    assert cli.main(["build", str(SAMPLE), "-o", str(out)]) == 130
    assert out.read_bytes() == b"%PDF- the good one"
    assert [p.name for p in tmp_path.iterdir()] == ["leaflet.pdf"]


def test_building_never_modifies_the_content_file(tmp_path):
    before = SAMPLE.read_bytes()
    assert run_cli("build", SAMPLE, "-o", tmp_path / "x.pdf").returncode == 0
    assert SAMPLE.read_bytes() == before


def test_an_untested_reportlab_version_stops_with_a_clear_message():
    # tag.py uses ReportLab internals: on another version it must refuse to run, not misbehave.
    code = "import reportlab; reportlab.Version = '9.9.9'; import rxleaflet.pdf.tag"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "rxleaflet needs ReportLab 5.1.0" in result.stderr
    assert "ReportLab 9.9.9 is installed: pip install 'reportlab==5.1.0'" in result.stderr


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_files_with_a_patients_details_are_the_owners_only(tmp_path, umask):
    """A personalised leaflet, an attached print job, a batch's leaflets and its print
    job hold a patient's details: owner-only (0600) whatever the umask.  A leaflet with no
    patient in it is written as any program writes a file: 0666 less the umask."""
    root = SAMPLE.parent
    rx, pharmacy = root / "prescriptions" / "example.yaml", root / "pharmacy.yaml"
    plain, personal, job = tmp_path / "plain.pdf", tmp_path / "personal.pdf", tmp_path / "job.pdf"
    day, combined = tmp_path / "day", tmp_path / "day.pdf"
    commands = [
        ["build", SAMPLE, "-o", plain],
        ["build", SAMPLE, "--rx", rx, "--pharmacy", pharmacy, "-o", personal],
        ["attach", root / "prescriptions" / "example-label.pdf", plain, "-o", job],
        ["batch", root / "jobs" / "example.csv", "-o", day, "--combine", combined, "--jobs", "1"],
    ]
    for command in commands:
        done = subprocess.run([sys.executable, "-m", "rxleaflet", *map(str, command)], capture_output=True,
                              text=True, umask=umask, timeout=300)
        assert done.returncode == 0, done.stderr

    def mode(path):
        return os.stat(path).st_mode & 0o777

    assert mode(plain) == 0o666 & ~umask
    patients = [personal, job, combined, *day.iterdir()]
    assert len(patients) > 3 and {mode(path) for path in patients} == {0o600}


@pytest.mark.parametrize("name", ["out/", "out/.", "out/..", ".", "..", "out//"])
@pytest.mark.parametrize("command", ["build", "attach", "batch", "import"])
def test_an_output_file_name_that_names_a_folder_is_refused_not_written_as_a_file(tmp_path, command, name):
    """`-o out/` names a folder: it is never written as a file called `out`."""
    root = SAMPLE.parent
    args = {
        "build": ["build", SAMPLE, "-o", name],
        "attach": ["attach", root / "prescriptions" / "example-label.pdf", SAMPLE, "-o", name],
        "batch": ["batch", root / "jobs" / "example.csv", "--combine", name],
        "import": ["import", "epi", next((ROOT / "tests" / "data").rglob("*.json")), "-o", name],
    }[command]
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert f"{name} names a folder; give the file's name too" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["batch", "import"])
def test_a_dash_is_refused_where_it_cannot_be_standard_output(tmp_path, command):
    root = SAMPLE.parent
    args = {"batch": ["batch", root / "jobs" / "example.csv", "--combine", "-"],
            "import": ["import", "epi", next((ROOT / "tests" / "data").rglob("*.json")), "-o", "-"]}[command]
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2 and "- is not standard output here" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_output_never_overwrites_a_file_it_is_made_from(tmp_path):
    """Each input of build, attach and batch --combine is refused as its output (exit 2),
    and left as it was."""
    root = SAMPLE.parent
    for name in ("label.pdf", "leaflet.pdf", "rx.yaml", "pharmacy.yaml", "jobs.csv"):
        source = {"label.pdf": root / "prescriptions" / "example-label.pdf", "rx.yaml": root / "prescriptions" /
                  "example.yaml", "pharmacy.yaml": root / "pharmacy.yaml", "jobs.csv": root / "jobs" / "example.csv"}
        (tmp_path / name).write_bytes(source[name].read_bytes() if name in source else
                                      api.build(api.load(SAMPLE)))
    (tmp_path / "jobs.csv").write_text((root / "jobs" / "example.csv").read_text().replace("../", f"{root}/"))
    cases = [
        (["build", SAMPLE, "--rx", "rx.yaml", "-o", "rx.yaml"], "rx.yaml", "the dispensing details"),
        (["build", SAMPLE, "--pharmacy", "pharmacy.yaml", "-o", "pharmacy.yaml"], "pharmacy.yaml",
         "the pharmacy settings"),
        (["attach", "label.pdf", "leaflet.pdf", "-o", "label.pdf"], "label.pdf", "the prescription document"),
        (["attach", "label.pdf", "leaflet.pdf", "-o", "./leaflet.pdf"], "leaflet.pdf", "the leaflet"),
        (["batch", "jobs.csv", "--combine", "jobs.csv"], "jobs.csv", "a file this batch reads"),
        (["batch", "jobs.csv", "--pharmacy", "pharmacy.yaml", "--combine", "pharmacy.yaml"], "pharmacy.yaml",
         "a file this batch reads"),
    ]
    for args, kept, said in cases:
        before = (tmp_path / kept).read_bytes()
        done = run_cli(*args, cwd=tmp_path)
        assert done.returncode == 2 and said in done.stderr, (args, done.stderr)
        assert (tmp_path / kept).read_bytes() == before


def test_a_batch_print_job_never_overwrites_a_rows_leaflet(tmp_path):
    """--combine naming a row's file in the -o folder is refused before anything is built."""
    jobs = SAMPLE.parent / "jobs" / "example.csv"
    (tmp_path / "day").mkdir()
    for combine in (tmp_path / "day" / "RX-0042137.pdf", tmp_path / "day" / "rx-0042137.PDF", "day/../day/RX-0042138.pdf"):
        done = run_cli("batch", jobs, "-o", tmp_path / "day", "--combine", combine, cwd=tmp_path)
        assert done.returncode == 2 and "it is the file of row" in done.stderr
        assert "0042137" not in done.stderr and "0042138" not in done.stderr  # the row, never its Rx number
        assert list((tmp_path / "day").iterdir()) == []


def test_validate_checks_every_file_it_is_given_and_reports_each(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("lang: en\ntitle: Broken\n", encoding="utf-8")
    result = run_cli("validate", SAMPLE, broken, SAMPLE_ES)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [f"{SAMPLE}: ok", f"{SAMPLE_ES}: ok"]
    assert result.stderr.splitlines() == [f"{broken}:1:1: missing required key '{key}'"
                                          for key in ("medicine", "revised", "source", "sections")]
    assert run_cli("validate", SAMPLE, SAMPLE_ES).returncode == 0


def test_validate_with_dispensing_details_takes_one_content_file():
    rx = ROOT / "content" / "prescriptions" / "example.yaml"
    result = run_cli("validate", SAMPLE, SAMPLE_ES, "--rx", rx)
    assert result.returncode == 2 and not result.stdout
    assert result.stderr == "rxleaflet validate: --rx: with one content file only (it is checked against that " \
                            "file's medicine)\n"
