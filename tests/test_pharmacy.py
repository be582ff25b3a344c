"""The pharmacy's day: personalised leaflets, settings, print jobs and batches."""
import io
import json

import pypdf
import pytest
from conftest import ROOT, SAMPLE, findings, outloud_report, run_cli
from pdfread import Leaflet

import rxleaflet

RX = ROOT / "content" / "prescriptions" / "example.yaml"
PHARMACY = ROOT / "content" / "pharmacy.yaml"
LABEL = ROOT / "content" / "prescriptions" / "example-label.pdf"
JOBS = ROOT / "content" / "jobs" / "example.csv"
PATIENT_DATA = ["Margaret Example", "RX-0042137", "Dr Alan Sample", "Take ONE tablet"]
FDA = "Call your doctor for medical advice about side effects. You may report side effects to FDA at 1-800-FDA-1088."
YELLOW_CARD = ("If you get any side effects, talk to your doctor, pharmacist or nurse. You can also report side effects "
               "directly via the Yellow Card Scheme at https://yellowcard.mhra.gov.uk or search for MHRA Yellow Card "
               "in the Google Play or Apple App Store.")


@pytest.fixture(scope="module")
def personal():
    leaflet = rxleaflet.load(SAMPLE)
    pdf = rxleaflet.build(leaflet, prescription=rxleaflet.load_prescription(RX, leaflet),
                          pharmacy=rxleaflet.load_pharmacy(PHARMACY))
    return Leaflet(pdf)


def test_the_prescription_panel_comes_first_as_a_table_with_row_headers(personal):
    table = personal.tree.kids[0]
    assert table.role == "Table"
    assert [kid.role for kid in table.kids] == ["Caption", "TBody"]  # Table › TBody › TR: what every reader knows
    assert table.kids[0].text == "Your prescription"
    body = table.kids[1].kids
    rows = {row.kids[0].text: row.kids[1].text for row in body}
    assert [row.role for row in body] == ["TR"] * 9
    assert all([k.role for k in row.kids] == ["TH", "TD"] for row in body)
    assert all(str(row.kids[0].attributes["/Scope"]) == "/Row" for row in body)
    assert rows == {
        "Patient": "Margaret Example",
        "Medicine": "Diazepam 2 mg tablets",
        "Directions": "Take ONE tablet by mouth THREE times a day when needed for anxiety. Do not take more than "
                      "three tablets in 24 hours.",
        "Quantity": "30 tablets",
        "Refills": "0",
        "Prescriber": "Dr Alan Sample",
        "Date dispensed": "25 November 2026",
        "Rx number": "RX-0042137",
        "Pharmacy": "Riverside Community Pharmacy, 01632 960 123",
    }
    assert list(rows)[:3] == ["Patient", "Medicine", "Directions"]  # USP <17>: these first
    assert personal.tree.kids[2].role == "H1"  # the leaflet follows: label, then its title


def test_the_panel_is_large_and_the_directions_bold(personal):
    table = personal.tree.kids[0]
    marks = {mark for element in table.walk() for mark in element.marks()}
    objects = [o for o in personal.objects if (o.page, o.mcid) in marks and o.text.strip()]
    assert objects and all(o.page == 0 and o.font_size >= 12 for o in objects)
    directions = table.kids[1].kids[2].kids[1].marks()  # Table › TBody › the third TR › TD
    bold = [o for o in objects if (o.page, o.mcid) in directions]
    assert bold and all("Bold" in o.font_name and o.font_size >= 14 for o in bold)


def test_no_patient_data_outside_the_page(personal):
    reader = personal.reader
    xmp = personal.catalog["/Metadata"].get_object().get_data().decode()
    info = " ".join(str(v) for v in reader.metadata.values())
    outline = " ".join(o.title for o in _flatten(reader.outline))
    for value in PATIENT_DATA:
        assert value not in xmp and value not in info and value not in outline
        assert value.encode() not in personal.data  # nor anywhere else in the file as plain bytes
    assert reader.metadata.title == "Diazepam 2mg Pill: Uses, Benefits, and Important Information"


def _flatten(outline):
    for entry in outline:
        if isinstance(entry, list):
            yield from _flatten(entry)
        else:
            yield entry


def test_the_pharmacy_block_ends_the_leaflet_with_its_footer_lines(personal):
    section = personal.tree.kids[-1]
    assert section.role == "Sect"
    assert [k.role for k in section.kids] == ["H2", "P", "P"]
    assert section.kids[0].text == "Your pharmacy"
    assert section.kids[1].text == "Riverside Community Pharmacy. 12 Mill Lane, Riverside, RV1 2AB. Phone: 01632 960 123"
    assert section.kids[2].inline_text == YELLOW_CARD  # the sample pharmacy is in the UK (country: GB)
    assert "Link" in [kid.role for kid in section.kids[2].kids if isinstance(kid, type(section))]  # its address
    footer_marks = set(section.kids[2].marks())
    sizes = {o.font_size for o in personal.objects if (o.page, o.mcid) in footer_marks and o.text.strip()}
    assert sizes and min(sizes) >= 10


def test_a_personalised_leaflet_is_still_pdf_ua(personal, tmp_path):

    path = tmp_path / "personal.pdf"
    path.write_bytes(personal.data)
    report = outloud_report(path)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)


def test_a_prescription_for_another_medicine_is_refused(tmp_path):
    rx = tmp_path / "rx.yaml"
    rx.write_text(RX.read_text().replace("Diazepam 2 mg tablets", "Lorazepam 1 mg tablets"))
    out = tmp_path / "x.pdf"
    result = run_cli("build", SAMPLE, "--rx", rx, "-o", out)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"{rx}:8:11: medicine: the prescription's medicine does not match this leaflet's "
                                     "medicine (Diazepam 2 mg tablets); a patient must get the leaflet for their own medicine")
    assert not out.exists()


@pytest.mark.parametrize("named", ["Diazepam 2mg", "diazepam 2 MG tablets", "Valium 2 mg", "DIAZEPAM 2MG TABLETS"])
def test_the_medicine_may_be_written_as_dispensing_systems_do(tmp_path, named):
    rx = tmp_path / "rx.yaml"
    rx.write_text(RX.read_text().replace("medicine: Diazepam 2 mg tablets", f"medicine: {named}"))
    out = tmp_path / "personal.pdf"
    result = run_cli("build", SAMPLE, "--rx", rx, "-o", out)
    assert result.returncode == 0, result.stderr
    # The panel names the medicine as the leaflet does, however the system wrote it.
    cells = [e.text.strip() for e in Leaflet(out.read_bytes()).elements("TD")]
    assert "Diazepam 2 mg tablets" in cells and named not in cells


@pytest.mark.parametrize("named", ["Diazepam 5 mg", "Diazepam", "Lorazepam 2 mg", "Diazepam 2 mg injection"])
def test_a_different_strength_or_medicine_does_not_match(tmp_path, named):
    rx = tmp_path / "rx.yaml"
    rx.write_text(RX.read_text().replace("medicine: Diazepam 2 mg tablets", f"medicine: {named}"))
    with pytest.raises(rxleaflet.UserError, match="does not match"):
        rxleaflet.load_prescription(rx, rxleaflet.load(SAMPLE))


def test_bad_dispensing_details_never_quote_patient_data(tmp_path):
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps({"patient": "Zoë Private", "rx_number": "RX-1", "dispensed": "25/11/2026 Zoë Private",
                              "prescriber": "Dr X", "medicine": "Diazepam 2 mg", "directions": "Take one",
                              "quantity": "10", "refill": "0"}))
    result = run_cli("validate", SAMPLE, "--rx", rx)
    assert result.returncode == 2
    assert "Zoë" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{rx}:1:") and "unknown key (did you mean 'refills'?" in lines[0]
    assert lines[1] == f"{rx}:1:1: missing required key 'refills'"
    assert lines[2].endswith("dispensed: this is not a date; write it as YYYY-MM-DD")


def test_build_to_standard_output(tmp_path):
    import subprocess
    import sys

    args = ["build", str(SAMPLE), "--rx", str(RX), "--pharmacy", str(PHARMACY), "-o"]
    piped = subprocess.run([sys.executable, "-m", "rxleaflet", *args, "-"], capture_output=True)
    assert piped.returncode == 0 and piped.stderr == b""
    out = tmp_path / "file.pdf"
    assert run_cli(*args, out).returncode == 0
    assert piped.stdout == out.read_bytes() and piped.stdout.startswith(b"%PDF-1.7")


def test_the_default_file_name_never_names_the_patient(tmp_path):
    result = run_cli("build", SAMPLE, "--rx", RX, cwd=tmp_path)
    assert result.stdout.strip() == "wrote diazepam-2mg.pdf"


def test_pharmacy_settings_by_environment_and_config_folder(tmp_path):
    letter = tmp_path / "letter.yaml"
    letter.write_text(PHARMACY.read_text().replace("paper: a4", "paper: letter"))
    out = tmp_path / "a.pdf"
    assert run_cli("build", SAMPLE, "-o", out, env={"RXLEAFLET_PHARMACY": str(letter)}).returncode == 0
    leaflet = Leaflet(out.read_bytes())
    assert [float(v) for v in leaflet.reader.pages[0].mediabox[2:]] == [612, 792]  # the pharmacy's paper
    assert leaflet.tree.kids[-1].kids[0].text == "Your pharmacy"
    config = tmp_path / "config" / "rxleaflet"
    config.mkdir(parents=True)
    (config / "pharmacy.yaml").write_text(PHARMACY.read_text())
    result = run_cli("validate", SAMPLE, env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.stdout.splitlines() == [f"{SAMPLE}: ok", f"{config / 'pharmacy.yaml'}: ok"]
    assert run_cli("build", SAMPLE, "-o", out, "--paper", "a4", env={"RXLEAFLET_PHARMACY": str(letter)}).returncode == 0
    assert float(Leaflet(out.read_bytes()).reader.pages[0].mediabox[2]) == pytest.approx(595.28, abs=0.01)


# -- attach ----------------------------------------------------------------------------

def test_attach_makes_one_print_job_page_by_page(tmp_path, sample_pdf):
    leaflet = tmp_path / "leaflet.pdf"
    leaflet.write_bytes(sample_pdf)
    job = tmp_path / "job.pdf"
    result = run_cli("attach", LABEL, leaflet, "-o", job, "--duplex")
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(job)
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert sizes == [(432, 288), (432, 288)] + [(595, 842)] * 4  # label padded to 2; leaflet already 4
    assert reader.pages[1].extract_text() == ""  # the padding page is blank
    assert "Margaret Example" in reader.pages[0].extract_text()
    assert "Patient information leaflet" in reader.pages[2].extract_text()
    bookmarks = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
    assert bookmarks == [("Prescription", 0),
                         ("Patient information leaflet: Diazepam 2mg Pill: Uses, Benefits, and Important Information", 2)]
    assert reader.attachments == {"leaflet.pdf": [sample_pdf]}


def test_attach_leaflet_first_without_padding(tmp_path, sample_pdf):
    leaflet = tmp_path / "leaflet.pdf"
    leaflet.write_bytes(sample_pdf)
    job = tmp_path / "job.pdf"
    assert run_cli("attach", LABEL, leaflet, "-o", job, "--leaflet-first").returncode == 0
    reader = pypdf.PdfReader(job)
    assert [round(float(p.mediabox.width)) for p in reader.pages] == [595] * 4 + [432]
    assert [reader.get_destination_page_number(o) for o in reader.outline] == [0, 4]


def test_attach_refuses_damaged_and_encrypted_pdfs(tmp_path, sample_pdf):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(sample_pdf[:1500])
    encrypted = tmp_path / "encrypted.pdf"
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(LABEL.read_bytes()))
    writer.encrypt("secret")
    writer.write(encrypted)
    for bad, message in ((damaged, "cannot read this PDF: it is damaged"), (encrypted, "the PDF is encrypted")):
        result = run_cli("attach", LABEL, bad, "-o", tmp_path / "job.pdf")
        assert result.returncode == 2
        assert result.stderr.startswith(f"{bad}: {message}"), result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "job.pdf").exists()


# -- batch -----------------------------------------------------------------------------

def write_jobs(tmp_path, rows, suffix=".csv"):
    path = tmp_path / f"jobs{suffix}"
    if suffix == ".csv":
        header = "content,patient,rx_number,dispensed,prescriber,medicine,directions,quantity,refills\n"
        path.write_text(header + "".join(rows))
    else:
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def row(n, **changes):
    values = {"content": str(SAMPLE), "patient": f"Patient Number{n}", "rx_number": f"RX-{n:05d}",
              "dispensed": "2026-11-25", "prescriber": "Dr Sample", "medicine": "Diazepam 2 mg",
              "directions": "Take one tablet three times a day", "quantity": "30", "refills": "0"}
    values.update(changes)
    return values


def csv_line(values):
    return ",".join(values[k] for k in ("content", "patient", "rx_number", "dispensed", "prescriber", "medicine",
                                        "directions", "quantity", "refills")) + "\n"


def test_a_batch_with_a_bad_row_builds_the_others_and_says_which_failed(tmp_path):
    rows = [csv_line(row(1)), csv_line(row(2, medicine="Lorazepam 1 mg")), csv_line(row(3, dispensed="yesterday")),
            csv_line(row(4))]
    jobs = write_jobs(tmp_path, rows)
    out = tmp_path / "out"
    result = run_cli("batch", jobs, "-o", out, "--jobs", "1")
    assert result.returncode == 3
    assert sorted(p.name for p in out.iterdir()) == ["RX-00001.pdf", "RX-00004.pdf"]
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"{jobs}:3:1: row 2.medicine: the prescription's medicine does not match")
    assert errors[1] == f"{jobs}:4:1: row 3.dispensed: this is not a date; write it as YYYY-MM-DD"
    assert len(errors) == 2
    assert result.stdout.strip() == f"built 2 of 4 leaflets into {out}; 2 rows failed (see above)"
    for value in ("Number2", "Number3", "RX-00002", "RX-00003", "Lorazepam"):
        assert value not in result.stderr + result.stdout


def test_batch_leaflets_are_the_same_bytes_as_single_builds(tmp_path):
    jobs = write_jobs(tmp_path, [row(n) for n in range(1, 11)], suffix=".jsonl")
    out = tmp_path / "out"
    result = run_cli("batch", jobs, "-o", out, "--jobs", "2", "--pharmacy", PHARMACY)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when not on a terminal
    leaflet = rxleaflet.load(SAMPLE)
    rx = tmp_path / "rx7.json"
    rx.write_text(json.dumps({k: v for k, v in row(7).items() if k != "content"}))
    single = rxleaflet.build(leaflet, prescription=rxleaflet.load_prescription(rx, leaflet),
                             pharmacy=rxleaflet.load_pharmacy(PHARMACY))
    assert (out / "RX-00007.pdf").read_bytes() == single


def test_the_sample_jobs_make_a_combined_duplex_print_job(tmp_path):
    job = tmp_path / "job.pdf"
    out = tmp_path / "out"
    result = run_cli("batch", JOBS, "-o", out, "--combine", job, "--duplex", "--pharmacy", PHARMACY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"built 3 of 3 leaflets into {out} and as {job}"
    reader = pypdf.PdfReader(job)
    singles = [pypdf.PdfReader(out / name) for name in ("RX-0042137.pdf", "RX-0042138.pdf", "RX-0042139.pdf")]
    padded = [len(r.pages) + len(r.pages) % 2 for r in singles]
    assert len(reader.pages) == sum(padded)
    starts = [reader.get_destination_page_number(o) for o in reader.outline]
    assert starts == [0, padded[0], padded[0] + padded[1]]
    assert [o.title for o in reader.outline] == ["Row 1", "Row 2", "Row 3"]
    assert all(start % 2 == 0 for start in starts)  # each leaflet starts on a fresh sheet
    assert "Margaret Example" in reader.pages[0].extract_text()
    assert "Robert Placeholder" in reader.pages[starts[1]].extract_text()
    assert "Margaret" not in str(reader.metadata)


def test_batch_rows_need_their_content_and_unique_rx_numbers(tmp_path):
    jobs = write_jobs(tmp_path, [row(1), row(1), {k: v for k, v in row(3).items() if k != "content"}], ".jsonl")
    result = run_cli("batch", jobs, "-o", tmp_path / "out")
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        f"{jobs}:2:1: row 2.rx_number: the same Rx number as row 1; each row needs its own",
        f"{jobs}:3:1: row 3: missing the content file (column 'content'); or give a library (--library) "
        "and name the medicine by ndc, gtin or medicine",
    ]


def test_a_batch_needs_somewhere_to_write(tmp_path):
    result = run_cli("batch", JOBS)
    assert result.returncode == 2
    assert "say where to write: -o OUTDIR, --combine JOB.pdf, or both" in result.stderr


# -- found in review: each of these once went wrong --------------------------------------

def test_null_dispensing_details_are_refused_not_the_word_null(tmp_path):
    rx = tmp_path / "rx.yaml"
    rx.write_text(RX.read_text().replace("prescriber: Dr Alan Sample", "prescriber: ~")
                  .replace('refills: "0"', "refills: null"))
    result = run_cli("validate", SAMPLE, "--rx", rx)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{rx}:7:13: prescriber: expected text, found null (nothing)",
                                          f"{rx}:11:10: refills: expected text or a number, found null (nothing)"]


def test_directions_longer_than_a_page_run_on_over_pages(tmp_path):
    directions = "Take one tablet as directed by your doctor and read the plan. " * 60  # longer than a page
    rows = [csv_line(row(1)), csv_line(row(2, directions=directions)), csv_line(row(3))]
    jobs = write_jobs(tmp_path, rows)
    out = tmp_path / "out"
    result = run_cli("batch", jobs, "-o", out, "--jobs", "1", "--paper", "a5", "--large-print")
    assert sorted(p.name for p in out.iterdir()) == ["RX-00001.pdf", "RX-00002.pdf", "RX-00003.pdf"]
    assert result.returncode == 0, result.stderr  # long directions now run on over pages
    leaflet = Leaflet((out / "RX-00002.pdf").read_bytes())
    cell = leaflet.tree.kids[0].kids[1].kids[2].kids[1]  # Table › TBody › the third TR › TD
    assert len({page for page, _ in cell.marks()}) >= 2 and cell.text == directions.strip()
    label = leaflet.tree.kids[0].kids[1].kids[2].kids[0]
    assert label.text == "Directions" and len(label.marks()) == 1  # the label is read once


def test_malformed_rows_are_reported_and_the_rest_built(tmp_path):
    jobs = tmp_path / "jobs.csv"
    header = "content,patient,rx_number,dispensed,prescriber,medicine,directions,quantity,refills\n"
    jobs.write_text(header + csv_line(row(1)) + "\n\n" + csv_line(row(2)).rstrip("\n") + ",extra\n" + csv_line(row(3)))
    result = run_cli("batch", jobs, "-o", tmp_path / "out", "--jobs", "1")
    assert result.returncode == 3
    assert result.stderr.splitlines() == [f"{jobs}:5:1: row 2: the row has more cells than the header has columns"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["RX-00001.pdf", "RX-00003.pdf"]
    lines = tmp_path / "jobs.jsonl"
    lines.write_text(json.dumps(row(1)) + "\n" + json.dumps(row(2))[:-1] + "\n" + json.dumps(row(3)) + "\n")
    result = run_cli("batch", lines, "-o", tmp_path / "out2", "--jobs", "1")
    assert result.returncode == 3
    assert result.stderr.startswith(f"{lines}:2:")
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == ["RX-00001.pdf", "RX-00003.pdf"]


def test_batch_output_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run_cli("batch", JOBS, "-o", blocker / "sub")
    assert result.returncode == 2 and "cannot make the output folder" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_combined_job_is_never_claimed_when_no_row_was_built(tmp_path):
    job = tmp_path / "day.pdf"
    job.write_bytes(b"%PDF- yesterday")
    jobs = write_jobs(tmp_path, [csv_line(row(1, medicine="Lorazepam 1 mg"))])
    result = run_cli("batch", jobs, "--combine", job)
    assert result.returncode == 3
    assert result.stdout.strip() == f"built 0 of 1 leaflets; no print job written ({job} left as it was); 1 rows failed (see above)"
    assert job.read_bytes() == b"%PDF- yesterday"


def test_build_refuses_to_overwrite_its_content(tmp_path):
    content = tmp_path / "leaflet.yaml"
    content.write_bytes(SAMPLE.read_bytes())
    result = run_cli("build", content, "-o", content)
    assert result.returncode == 2 and "would overwrite the content file" in result.stderr
    assert content.read_bytes() == SAMPLE.read_bytes()


def test_an_unusable_source_date_epoch_is_a_user_error(tmp_path):
    result = run_cli("build", SAMPLE, "-o", tmp_path / "x.pdf", env={"SOURCE_DATE_EPOCH": "99999999999999"})
    assert result.returncode == 2
    assert result.stderr.startswith("SOURCE_DATE_EPOCH: '99999999999999' is not a time rxleaflet can use")


def test_rows_whose_leaflet_cannot_be_laid_out_are_reported_one_by_one(tmp_path):
    title = "Do not take this medicine if any of this applies to you " * 12
    nested = "[Careful.]"
    for _ in range(4):
        nested = f"[{{warning: {{title: '{title}', content: {nested}}}}}]"
    content_file = tmp_path / "boxes.yaml"
    content_file.write_text(SAMPLE.read_text(encoding="utf-8").split("sections:")[0]
                            + f"sections:\n  - heading: Boxes\n    content: {nested}\n", encoding="utf-8")
    jobs = write_jobs(tmp_path, [csv_line(row(1, content=str(content_file))), csv_line(row(2))])
    result = run_cli("batch", jobs, "-o", tmp_path / "out", "--jobs", "1")
    assert result.returncode == 3
    content_line = content_file.read_text(encoding="utf-8").splitlines().index("sections:") + 3
    assert result.stderr.splitlines() == [
        f"{jobs}:2:1: row 1: cannot lay this content out on a4 paper: a part that cannot be split is taller than "
        "a page (usually boxes nested in boxes, with long titles); shorten it or nest less (the block at "
        f"{content_file}:{content_line}:33: sections[0].content[0].warning.title)"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["RX-00002.pdf"]


SETTINGS = "name: A Pharmacy\naddress: 1 Road\nphone: '0100'\n"


@pytest.mark.parametrize("extra, footer", [
    ("country: US\n", [FDA]),
    ("country: gb\n", [YELLOW_CARD]),
    ("country: UK\n", [YELLOW_CARD]),  # ISO 3166 reserves UK for GB
    ("country: FR\n", []),  # no line known: the pharmacy writes its own
    ("", []),
    ("country: US\nfooter: [Ask your pharmacist.]\n", ["Ask your pharmacist."]),  # its own lines replace the country's
])
def test_the_footer_is_the_pharmacys_lines_else_its_countrys_reporting_line(tmp_path, extra, footer):
    path = tmp_path / "pharmacy.yaml"
    path.write_text(SETTINGS + extra, encoding="utf-8")
    assert [line.plain for line in rxleaflet.load_pharmacy(path).footer] == footer


@pytest.mark.parametrize("extra, message", [
    ("country: Britain\n", "4:10: country: 'Britain' is not a two-letter country code (ISO 3166-1) such as GB, US or IE"),
    ("footer: ['[top](#x)']\n", "4:10: footer[0]: a footer line cannot link to a section (#id): it ends every leaflet"),
    ("country: US\nfooter: []\n", "5:9: footer: the list is empty; add footer lines"),  # no line: leave out the country
])
def test_a_wrong_country_or_footer_line_is_refused_at_its_line(tmp_path, extra, message):
    path = tmp_path / "pharmacy.yaml"
    path.write_text(SETTINGS + extra, encoding="utf-8")
    with pytest.raises(rxleaflet.UserError) as raised:
        rxleaflet.load_pharmacy(path)
    assert [str(problem) for problem in raised.value.problems] == [f"{path}:{message}"]
