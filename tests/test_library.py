"""The content library: product codes, finding a leaflet by code or name in the patient's language,
`library check`, and build, validate and batch with --library."""
import json
import os
import shutil

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT, SAMPLE, SAMPLE_ES, leaflet_yaml, run_cli
from rxleaflet import model
from rxleaflet.content.codes import normal_gtin, normal_ndc
from rxleaflet.errors import Ambiguous, NotFound, UserError
from rxleaflet.content.library import Library
from rxleaflet.content.dispensing import medicine_names
from rxleaflet.content.leaflet import parse_leaflet

SCHEMA = json.loads((ROOT / "src/rxleaflet/schema/leaflet.schema.json").read_text(encoding="utf-8"))
SAMPLE_NDC = "00999-0002-01"  # the sample's (invented) NDC, normalised


@pytest.fixture
def library(tmp_path):
    """A library folder: the English and Spanish sample, and what a test writes into it."""
    folder = tmp_path / "library"
    (folder / "es").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "diazepam-2mg.yaml")
    shutil.copy(SAMPLE_ES, folder / "es" / "diazepam-2mg.yaml")

    def add(relative, text):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    add.folder = folder
    return add


def find(folder, default_lang=None, **wanted):
    return Library(folder, default_lang).find(model.Wanted(**wanted))


@pytest.mark.parametrize("written, normal", [
    ("0999-0002-01", "00999-0002-01"),     # 4-4-2: the labeler padded
    ("12345-678-90", "12345-0678-90"),     # 5-3-2: the product padded
    ("12345-6789-0", "12345-6789-00"),     # 5-4-1: the package padded
    ("12345-6789-01", "12345-6789-01"),    # 5-4-2 as it is
    ("12345678901", "12345-6789-01"),      # 11 digits without hyphens
])
def test_an_ndc_is_normalised_to_5_4_2(written, normal):
    assert normal_ndc(written) == normal


@pytest.mark.parametrize("written, reason", [
    ("1234567890", "needs its hyphens"),   # 10 digits: which segment to pad cannot be told
    ("123-4567-89", "not 3-4-2"),
    ("12345-6789", "10 digits as 4-4-2"),
    ("ABCDE-6789-01", "10 digits as 4-4-2"),
])
def test_a_malformed_ndc_is_refused_saying_why(written, reason):
    with pytest.raises(ValueError, match=reason):
        normal_ndc(written)


@pytest.mark.parametrize("written, normal", [
    ("09506000134352", "09506000134352"),
    ("9506000134352", "09506000134352"),   # GTIN-13
    ("036000291452", "00036000291452"),    # GTIN-12 (UPC-A)
    ("96385074", "00000096385074"),        # GTIN-8
])
def test_a_gtin_with_a_right_check_digit_is_kept_as_14_digits(written, normal):
    assert normal_gtin(written) == normal


@pytest.mark.parametrize("written", ["09506000134353", "036000291453", "12345", "0950600013435X"])
def test_a_gtin_with_a_wrong_check_digit_or_length_is_refused(written):
    with pytest.raises(ValueError):
        normal_gtin(written)


def test_codes_in_content_are_checked_where_they_are_written():
    text = leaflet_yaml(codes={"ndc": ["1234567890", "12345-6789-01", "12345678901"], "gtin": ["09506000134353"]})
    with pytest.raises(UserError) as caught:
        parse_leaflet(text.encode(), "x.yaml")
    messages = [f"{p.line}:{p.path}: {p.message}" for p in caught.value.problems]
    assert messages == [
        "3:medicine.codes.ndc[0]: '1234567890' is not a valid NDC: a 10-digit NDC needs its hyphens (4-4-2, 5-3-2 or 5-4-1)",
        "3:medicine.codes.ndc[2]: NDC 12345-6789-01 is listed twice",
        "3:medicine.codes.gtin[0]: '09506000134353' is not a valid GTIN: the GTIN's check digit is wrong (a digit mistyped?)",
    ]


def test_the_schema_and_the_loader_agree_on_codes():
    validator = Draft202012Validator(SCHEMA)
    good = {"ndc": ["0999-0002-01", "12345678901"], "gtin": ["09506000134352"]}
    medicine = {"name": "X", "strength": "1 mg", "form": "tablets", "codes": good}
    assert parse_leaflet(leaflet_yaml(codes=good).encode(), "x.yaml").medicine.codes == (
        ("ndc", "00999-0002-01"), ("ndc", "12345-6789-01"), ("gtin", "09506000134352"))
    assert validator.is_valid({"lang": "en", "title": "T", "medicine": medicine, "revised": "2026-01-02",
                               "source": "s", "sections": ["p"]})
    for bad in ({"ndc": ["1234-567-89"]}, {"upc": ["036000291452"]}, {}):
        assert not validator.is_valid({"lang": "en", "title": "T", "medicine": {**medicine, "codes": bad},
                                       "revised": "2026-01-02", "source": "s", "sections": ["p"]})
        with pytest.raises(UserError):
            parse_leaflet(leaflet_yaml(codes=bad).encode(), "x.yaml")


def test_every_strength_of_a_medicine_is_a_name_it_is_found_by():
    medicine = model.Medicine("Atorvastatin", "10 mg", "tablets", ("Lipitor",), strengths=("10 mg", "20 mg"))
    names = medicine_names(medicine)
    assert names["lipitor20mg"] == "20 mg" and names["atorvastatin10mgtablets"] == "10 mg"
    assert "atorvastatin40mg" not in names and "atorvastatin" not in names


def test_a_leaflet_is_found_by_any_written_form_of_its_codes_and_by_its_names(library):
    folder = library.folder
    for wanted in ({"ndc": normal_ndc("0999-0002-01")}, {"ndc": normal_ndc("00999000201")},
                   {"gtin": normal_gtin("9506000134352")}, {"medicine": "VALIUM 2MG"},
                   {"medicine": "Diazepam 2 mg tablets"}):
        choice = find(folder, **wanted)
        assert choice.entry.name == "diazepam-2mg.yaml", wanted
        assert not choice.fallback


@pytest.mark.parametrize("wanted", [{"medicine": "Diazepam 5 mg"}, {"medicine": "Diazepam"},
                                    {"medicine": "Diazepam 2 mg capsules"}, {"ndc": "00999-0002-02"}])
def test_another_strength_form_or_code_finds_nothing(library, wanted):
    with pytest.raises(NotFound) as caught:
        find(library.folder, **wanted)
    assert str(model.Wanted(**wanted)) in caught.value.problems[0].message


def test_the_patients_language_picks_its_edition_else_the_default_edition(library):
    folder = library.folder
    spanish = find(folder, ndc=SAMPLE_NDC, lang="es")
    assert spanish.entry.name == "es/diazepam-2mg.yaml" and not spanish.fallback
    assert find(folder, ndc=SAMPLE_NDC, lang="es-MX").entry.name == "es/diazepam-2mg.yaml"  # same primary language
    # Asked by its English name, the Spanish edition ("comprimidos") is still found: the editions share their codes.
    assert find(folder, medicine="Diazepam 2 mg tablets", lang="es").entry.name == "es/diazepam-2mg.yaml"
    fallback = find(folder, ndc=SAMPLE_NDC, lang="vi")
    assert fallback.entry.name == "diazepam-2mg.yaml" and fallback.fallback
    assert fallback.note.startswith("no vi edition of NDC 00999-0002-01: built the default edition, diazepam-2mg.yaml")
    assert find(folder, "es", ndc=SAMPLE_NDC, lang="vi").entry.name == "es/diazepam-2mg.yaml"  # library_lang: es


def test_two_leaflets_that_fit_are_an_error_listing_both(library):
    library("testamol-tablets.yaml", leaflet_yaml())
    library("testamol-solution.yaml", leaflet_yaml(form="oral solution"))
    with pytest.raises(Ambiguous) as caught:
        find(library.folder, medicine="Testamol 5 mg")
    message = caught.value.problems[0].message
    assert "testamol-tablets.yaml (Testamol 5 mg tablets, en-GB)" in message
    assert "testamol-solution.yaml (Testamol 5 mg oral solution, en-GB)" in message
    assert find(library.folder, medicine="Testamol 5 mg oral solution").entry.name == "testamol-solution.yaml"


def test_an_edition_in_another_form_is_never_taken_for_the_medicine(library):
    # Without shared codes, editions are linked by name, strength and form: a Spanish oral solution is
    # not the Spanish edition of the tablets, though name and strength are the same.
    library("testamol-tablets.yaml", leaflet_yaml())
    library("testamol-solution.yaml", leaflet_yaml(form="oral solution"))
    library("es/testamol-solucion.yaml", leaflet_yaml(form="solución oral", lang="es"))
    library("es/testamol-comprimidos.yaml", leaflet_yaml(form="tablets", lang="es"))
    tablets = find(library.folder, medicine="Testamol 5 mg tablets", lang="es")
    assert tablets.entry.name == "es/testamol-comprimidos.yaml" and not tablets.fallback
    solution = find(library.folder, medicine="Testamol 5 mg oral solution", lang="es")
    assert solution.entry.name == "testamol-solution.yaml" and solution.fallback


def test_the_index_is_built_once_and_again_when_a_file_changes(library):
    shelf = Library(library.folder).refresh()
    entries = shelf.entries
    assert shelf.refresh().entries is entries  # nothing changed: the same index
    added = library("new/testamol.yaml", leaflet_yaml(codes={"gtin": ["96385074"]}))
    assert shelf.find(model.Wanted(gtin="00000096385074")).entry.name == "new/testamol.yaml"
    added.write_text(leaflet_yaml(strength="10 mg", codes={"gtin": ["96385074"]}), encoding="utf-8")
    os.utime(added, ns=(1, 1))  # a new size and time, whatever the clock's resolution
    assert shelf.find(model.Wanted(gtin="00000096385074")).leaflet.medicine.strength == "10 mg"
    added.unlink()
    with pytest.raises(NotFound):
        shelf.find(model.Wanted(gtin="00000096385074"))


def test_library_check_reports_bad_files_duplicate_codes_and_ambiguous_medicines(library):
    folder = library.folder
    result = run_cli("library", "check", folder)
    assert result.returncode == 0 and result.stdout == f"{folder}: ok (2 leaflets)\n"  # editions share codes: fine
    library("copy.yaml", leaflet_yaml("Diazepam", "2 mg", codes={"ndc": ["0999-0002-01"]}))
    library("other.yaml", leaflet_yaml("Otheramol", "1 mg", lang="es", codes={"gtin": ["09506000134352"]}))
    library("broken.yaml", "lang: en\n")
    result = run_cli("library", "check", folder)
    assert result.returncode == 2
    assert result.stdout == f"{folder}: 4 leaflets, 9 problems\n"
    assert result.stderr.splitlines() == [
        f"{folder}/broken.yaml:1:1: missing required key '{key}'" for key in ("title", "medicine", "revised", "source",
                                                                             "sections")
    ] + [  # a code on another medicine, in any language; on the same medicine, in the same language
        f"{folder}/diazepam-2mg.yaml: GTIN 09506000134352 is also on other.yaml (Otheramol 1 mg tablets, es)",
        f"{folder}/other.yaml: GTIN 09506000134352 is also on es/diazepam-2mg.yaml (Diazepam 2 mg comprimidos, es)",
        f"{folder}/copy.yaml: NDC 00999-0002-01 is also on diazepam-2mg.yaml (Diazepam 2 mg tablets, en-GB)",
        f"{folder}/copy.yaml: ambiguous medicine: a prescription for 'Diazepam 2 mg' would fit this and "
        "diazepam-2mg.yaml (Diazepam 2 mg tablets, en-GB)",
    ]


def test_without_a_content_file_build_needs_a_library_and_a_medicine(library, tmp_path):
    result = run_cli("build", "--medicine", "Diazepam 2 mg", env={"RXLEAFLET_PHARMACY": ""}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("rxleaflet build: give a content file, or a library (--library DIR, or library: in the "
                             "pharmacy settings) and --rx, --ndc, --gtin or --medicine\n")
    both = run_cli("build", SAMPLE, "--ndc", "0999-0002-01", cwd=tmp_path)
    assert both.returncode == 2 and "--ndc: only without a content file" in both.stderr


def test_the_pharmacy_settings_name_the_library(library, tmp_path):
    settings = tmp_path / "pharmacy.yaml"
    settings.write_text("name: P\naddress: A\nphone: '1'\nlibrary: library\nlibrary_lang: es\n")
    result = run_cli("build", "--pharmacy", settings, "--medicine", "Valium 2 mg", "-o", tmp_path / "x.pdf")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "leaflet: the es edition: es/diazepam-2mg.yaml (Diazepam 2 mg comprimidos, es)\n"


def test_build_finds_the_leaflet_and_says_which_edition(library, tmp_path):
    folder = library.folder
    by_code = run_cli("build", "--library", folder, "--ndc", "0999-0002-01", "--lang", "es", "-o", tmp_path / "a.pdf")
    assert by_code.returncode == 0, by_code.stderr
    assert by_code.stderr == "leaflet: the es edition, as asked: es/diazepam-2mg.yaml (Diazepam 2 mg comprimidos, es)\n"
    direct = run_cli("build", SAMPLE_ES, "-o", tmp_path / "b.pdf")
    assert direct.returncode == 0, direct.stderr
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    validated = run_cli("validate", "--library", folder, "--gtin", "09506000134352")
    assert validated.returncode == 0 and validated.stdout == f"{folder}/diazepam-2mg.yaml: ok\n"
    unknown = run_cli("build", "--library", folder, "--medicine", "Diazepam 10 mg")
    assert unknown.returncode == 2
    assert unknown.stderr == f"command line: medicine: no leaflet in the library {folder} for medicine 'Diazepam 10 mg'\n"


def test_dispensing_details_that_name_a_code_must_name_the_same_medicine(library, tmp_path):
    details = json.loads(json.dumps({"patient": "Quentin Unlikelyname", "rx_number": "RX-1", "dispensed": "2026-11-25",
                                     "prescriber": "Dr P", "medicine": "Diazepam 5 mg tablets", "ndc": "0999-0002-01",
                                     "directions": "Take one.", "quantity": "30 tablets", "refills": "0"}))
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps(details), encoding="utf-8")
    refused = run_cli("build", "--library", library.folder, "--rx", rx, "-o", tmp_path / "x.pdf")
    assert refused.returncode == 2 and "does not match this leaflet's medicine" in refused.stderr
    assert "Quentin" not in refused.stderr and not (tmp_path / "x.pdf").exists()
    # A content file named directly with a product code that is not its own: refused too.
    rx.write_text(json.dumps({**details, "medicine": "Diazepam 2 mg", "ndc": "12345-6789-01"}), encoding="utf-8")
    refused = run_cli("build", SAMPLE, "--rx", rx, "-o", tmp_path / "x.pdf")
    assert refused.returncode == 2 and "NDC 12345-6789-01 is not one of this leaflet's product codes" in refused.stderr


def test_a_batch_finds_each_rows_leaflet_in_the_library(library, tmp_path):
    jobs = tmp_path / "jobs.csv"
    head = "content,ndc,lang,patient,rx_number,dispensed,prescriber,medicine,directions,quantity,refills\n"
    rows = [",0999-0002-01,es,Ana Ejemplo,RX-1,2026-11-25,Dr P,Diazepam 2 mg,Tome uno.,30,0",
            ",,vi,Van Example,RX-2,2026-11-25,Dr P,Valium 2 mg tablets,Take one.,30,0",
            f"{SAMPLE},,,Pat Example,RX-3,2026-11-25,Dr P,Diazepam 2 mg,Take one.,30,0",
            ",0999-0002-01,,Wrong Example,RX-4,2026-11-25,Dr P,Diazepam 5 mg,Take one.,30,0"]
    jobs.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli("batch", jobs, "--library", library.folder, "-o", tmp_path / "out")
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{jobs}:5:1: row 4.medicine: the prescription's medicine does not match")
    assert lines[1] == (f"{jobs}:3:1: row 2: no vi edition of medicine 'Valium 2 mg tablets': built the default "
                        "edition, diazepam-2mg.yaml (Diazepam 2 mg tablets, en-GB)")
    assert "Wrong" not in result.stderr and "Van" not in result.stderr
    for row, content in ((1, SAMPLE_ES), (2, SAMPLE)):
        rx = tmp_path / f"rx{row}.json"
        fields = dict(zip(head.strip().split(","), rows[row - 1].split(",")))
        rx.write_text(json.dumps({k: v for k, v in fields.items() if k not in ("content", "ndc", "lang")}))
        single = run_cli("build", content, "--rx", rx, "-o", tmp_path / f"single{row}.pdf")
        assert single.returncode == 0, single.stderr
        assert (tmp_path / "out" / f"RX-{row}.pdf").read_bytes() == (tmp_path / f"single{row}.pdf").read_bytes()


def test_with_a_library_a_jobs_file_needs_no_content_column(library, tmp_path):
    jobs = tmp_path / "jobs.jsonl"
    fields = {"ndc": "0999-0002-01", "lang": "es", "patient": "Ana Ejemplo", "rx_number": "RX-9",
              "dispensed": "2026-11-25", "prescriber": "Dr P", "medicine": "Diazepam 2 mg", "directions": "Tome uno.",
              "quantity": "30", "refills": "0"}
    jobs.write_text(json.dumps(fields) + "\n", encoding="utf-8")
    built = run_cli("batch", jobs, "--library", library.folder, "-o", tmp_path / "out")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "RX-9.pdf").exists()
    refused = run_cli("batch", jobs, "-o", tmp_path / "out2")
    assert refused.returncode == 2 and "no row has the key content" in refused.stderr


def test_library_check_shows_warnings_without_failing(library):
    folded = leaflet_yaml().replace("  - Take it as your doctor says.\n",
                                    "  - bullets:\n      - Take it with water.\n        Do not crush it.\n")
    library("folded.yaml", folded)
    result = run_cli("library", "check", library.folder)
    assert result.returncode == 0 and result.stdout == f"{library.folder}: ok (3 leaflets)\n"
    assert result.stderr.startswith(f"{library.folder}/folded.yaml:8:9: sections[0].bullets[0]: warning: this list "
                                    "item runs over 2 lines")


def test_library_check_of_the_repositorys_content_folder_reports_no_false_problems():
    """content/ holds leaflets beside dispensing details, pharmacy settings and a library
    whose files are links to the leaflets: each is skipped and said, none is a problem."""
    result = run_cli("library", "check", "content", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content: ok (4 leaflets, 4 files skipped)\n"
    checked = [line for line in result.stderr.splitlines() if line.endswith(")") and "(rxleaflet check " in line]
    # What `rxleaflet check` finds in the examples built word for word from real labels (the samples pass).
    assert [line.split(":")[0] for line in checked] == ["content/examples/ibrance.yaml", "content/examples/monuril-3g.yaml"]
    assert sorted(set(result.stderr.splitlines()) - set(checked)) == [
        "content/library/diazepam-2mg.yaml: skipped: the same file as diazepam-2mg.yaml",
        "content/library/es/diazepam-2mg.yaml: skipped: the same file as es/diazepam-2mg.yaml",
        "content/pharmacy.yaml: skipped: pharmacy settings, not a leaflet",
        "content/prescriptions/example.yaml: skipped: dispensing details, not a leaflet",
    ]


@pytest.mark.parametrize("text", ["lang: en\n", "medicine: Diazepam 2 mg\n", "- a list\n", "titel: x\nsections: []\n",
                                  "patient: x\ntitle: y\n"])
def test_a_file_that_is_not_plainly_another_kind_is_checked_as_a_leaflet(library, text):
    library("odd.yaml", text)
    result = run_cli("library", "check", library.folder)
    assert result.returncode == 2 and "skipped" not in result.stderr
    assert f"{library.folder}/odd.yaml:1:" in result.stderr
