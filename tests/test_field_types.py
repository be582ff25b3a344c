"""Every field of dispensing details has a type and a length limit, the same in YAML, JSON, JSON Lines and CSV.

A text field (a name, the directions) refuses true/false, numbers and null, and the words a
program writes for a missing value; only quantity, refills, the Rx number and product codes
may be numbers.  Each refusal names FILE:LINE:COL and the field, never the value, and exits 2
(a batch: the row is skipped and the rest are built, exit 3).  The service's side is in
tests/test_service_hardening.py.
"""
import json

import pytest
from pypdf import PdfReader

from conftest import ROOT, SAMPLE, run_cli

from rxleaflet.content.dispensing import FIELDS, PRESCRIPTION_KEYS

RX = ROOT / "content" / "prescriptions" / "example.yaml"
DETAILS = {"patient": "Zebedee Quillfeather", "rx_number": "RX-7733991", "dispensed": "2026-11-25",
           "prescriber": "Dr Ottoline Marchbanks", "medicine": "Diazepam 2 mg tablets",
           "directions": "Take ONE tablet at moonrise.", "quantity": "30 tablets", "refills": "0"}
TEXT_ONLY = [key for key in PRESCRIPTION_KEYS if not FIELDS[key].numbers and key != "dispensed"]
NOT_TEXT = [True, False, 12345, 2.5, None]


def validate(tmp_path, details: dict, name="rx.json"):
    rx = tmp_path / name
    rx.write_text(json.dumps(details, indent=0), encoding="utf-8")
    return rx, run_cli("validate", SAMPLE, "--rx", rx)


@pytest.mark.parametrize("key", TEXT_ONLY)
@pytest.mark.parametrize("value", NOT_TEXT)
def test_a_text_field_refuses_booleans_numbers_and_null_in_json(tmp_path, key, value):
    details = dict(DETAILS)
    del details[key]
    details[key] = value  # the last line, so its place is known
    rx, result = validate(tmp_path, details)
    assert result.returncode == 2
    line = len(details) + 1  # "{", then a key a line
    column = len(f'"{key}": ') + 1
    assert result.stderr.startswith(f"{rx}:{line}:{column}: {key}: expected text, found "), result.stderr


@pytest.mark.parametrize("key", ["quantity", "refills", "rx_number"])
def test_quantities_refills_and_rx_numbers_may_be_numbers_and_print_as_written(tmp_path, key):
    details = dict(DETAILS, **{key: 30})
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps(details), encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = run_cli("build", SAMPLE, "--rx", rx, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "30" in PdfReader(out).pages[0].extract_text()
    for value in (True, None):
        details[key] = value
        rx.write_text(json.dumps(details), encoding="utf-8")
        result = run_cli("validate", SAMPLE, "--rx", rx)
        assert result.returncode == 2 and f"{key}: expected text or a number, found " in result.stderr


@pytest.mark.parametrize("written, found", [("yes", "true or false"), ("No", "true or false"), ("12345", "a number"),
                                            ("~", "null (nothing)"), ("", "null (nothing)"), ("1.5e3", "a number")])
def test_yaml_values_that_are_not_text_are_refused_where_they_stand(tmp_path, written, found):
    rx = tmp_path / "rx.yaml"
    rx.write_text(RX.read_text().replace("patient: Margaret Example", f"patient: {written}"), encoding="utf-8")
    result = run_cli("validate", SAMPLE, "--rx", rx)
    assert result.returncode == 2
    column = 10 if written else 9  # nothing written: YAML marks the end of "patient:"
    assert result.stderr.splitlines()[0].startswith(f"{rx}:4:{column}: patient: expected text, found {found}")


@pytest.mark.parametrize("written", ['"true"', '"None"', '"undefined"', '"null"', '"NaN"'])
def test_a_missing_value_written_as_a_word_is_refused(tmp_path, written):
    rx = tmp_path / "rx.yaml"
    rx.write_text(RX.read_text().replace("prescriber: Dr Alan Sample", f"prescriber: {written}"), encoding="utf-8")
    result = run_cli("validate", SAMPLE, "--rx", rx)
    assert result.returncode == 2 and "prescriber: holds a word a program writes for a missing value" in result.stderr


def test_a_name_without_a_letter_is_refused_and_no_refills_may_be_none(tmp_path):
    rx, result = validate(tmp_path, dict(DETAILS, patient="12345", refills="None"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{rx}:2:12: patient: a name has at least one letter"]
    rx, result = validate(tmp_path, dict(DETAILS, refills="None"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key", [key for key in PRESCRIPTION_KEYS if key != "dispensed"])
def test_every_field_has_a_length_limit(tmp_path, key):
    limit = FIELDS[key].most
    rx, result = validate(tmp_path, dict(DETAILS, **{key: "A" * (limit + 1)}))
    assert result.returncode == 2
    assert f"{key}: is {limit + 1:,} characters long; the limit is {limit:,}" in result.stderr


def test_jsonl_and_csv_rows_are_typed_as_files_are(tmp_path):
    rows = [dict(DETAILS, content=str(SAMPLE), rx_number=f"RX-{n}") for n in range(4)]
    rows[1]["patient"] = True
    rows[2]["prescriber"] = 12345
    lines = tmp_path / "jobs.jsonl"
    lines.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = run_cli("batch", lines, "-o", tmp_path / "out", "--jobs", "1")
    assert result.returncode == 3
    assert [line.split(": ", 1)[0] for line in result.stderr.splitlines() if "expected" in line] == \
        [f"{lines}:2:{json.dumps(rows[1]).index('true') + 1}", f"{lines}:3:{json.dumps(rows[2]).index('12345') + 1}"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["RX-0.pdf", "RX-3.pdf"]
    columns = ["content"] + list(PRESCRIPTION_KEYS)
    table = tmp_path / "jobs.csv"
    cells = [[str(SAMPLE), "Ann Example", "RX-1", "2026-11-25", "Dr X", "Diazepam 2 mg", "Take one", "30", "0"],
             [str(SAMPLE), "null", "RX-2", "2026-11-25", "Dr X", "Diazepam 2 mg", "Take one", "30", "0"],
             [str(SAMPLE), "Ann Example", "RX-3", "2026-11-25", "12345", "Diazepam 2 mg", "Take one", "30", "0"],
             [str(SAMPLE), "Ann Example", "RX-4", "2026-11-25", "Dr X", "Diazepam 2 mg", "x" * 5001, "30", "0"]]
    table.write_text(",".join(columns) + "\n" + "".join(",".join(row) + "\n" for row in cells), encoding="utf-8")
    result = run_cli("batch", table, "-o", tmp_path / "out2", "--jobs", "1")
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        f"{table}:3:1: row 2.patient: holds a word a program writes for a missing value (true, false, null, none, "
        "undefined …), not a value",
        f"{table}:4:1: row 3.prescriber: a name has at least one letter",
        f"{table}:5:1: row 4.directions: is 5,001 characters long; the limit is 5,000"]
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == ["RX-1.pdf"]


def test_the_schema_states_each_fields_type_and_limit():
    schema = json.loads((ROOT / "src/rxleaflet/schema/openapi.json").read_text(encoding="utf-8"))
    properties = schema["components"]["schemas"]["LeafletRequest"]["properties"]
    assert set(properties) == set(FIELDS) - {"content"}
    for key, field in properties.items():
        kinds = field["type"] if isinstance(field["type"], list) else [field["type"]]
        assert ("number" in kinds) == FIELDS[key].numbers, key
        assert ("boolean" in kinds) == FIELDS[key].boolean, key
        if "string" in kinds and "enum" not in field:
            assert field["maxLength"] == FIELDS[key].most, key
