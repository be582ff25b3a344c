"""The QR code on the print that opens the electronic edition (pharmacy setting edition_url):
decoded from the rendered page by zbar (zbarimg, from pdftoppm's image), vector, large enough,
tagged, linked, and absent (with a warning) when the medicine has no code for the address."""
import io
import shutil
import subprocess

import pypdf
import pytest
from conftest import ROOT, findings, leaflet_yaml, outloud_report, run_cli
from pdfread import Leaflet

import rxleaflet
from rxleaflet import api
from rxleaflet.editions.qr import qr_code

MM = 72 / 25.4
PHARMACY = (ROOT / "content" / "pharmacy.yaml").read_text(encoding="utf-8")
GTIN_TEMPLATE = "https://leaflets.example-pharmacy.com/01/{gtin}?lang={lang}"
NDC_TEMPLATE = "https://leaflets.example-pharmacy.com/ndc/{ndc}"
CODES = {"ndc": ["12345-0678-01"], "gtin": ["09506000134352"]}


def pharmacy_file(folder, template=None):
    path = folder / "pharmacy.yaml"
    path.write_text(PHARMACY + (f'edition_url: "{template}"\n' if template else ""), encoding="utf-8")
    return path


def leaflet_file(folder, codes=CODES, lang="en-GB", name="Testamol"):
    path = folder / f"{name}-{lang}.yaml"
    path.write_text(leaflet_yaml(name=name, lang=lang, codes=codes), encoding="utf-8")
    return path


def decoded(pdf: bytes, folder) -> list[str]:
    """What zbar reads on each page, rendered by poppler at 300 dpi."""
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.fail("zbarimg and pdftoppm are needed (apt-get install zbar-tools poppler-utils); .ci/run installs them")
    (folder / "leaflet.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(folder / "leaflet.pdf"), str(folder / "page")], check=True)
    found = []
    for page in sorted(folder.glob("page*.png")):
        result = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
                                capture_output=True, text=True)
        found += result.stdout.split()
    return found


@pytest.mark.parametrize("template, lang, address", [
    (GTIN_TEMPLATE, "en-GB", "https://leaflets.example-pharmacy.com/01/09506000134352?lang=en-GB"),
    (NDC_TEMPLATE, "he", "https://leaflets.example-pharmacy.com/ndc/12345-0678-01"),
    (GTIN_TEMPLATE, "ar", "https://leaflets.example-pharmacy.com/01/09506000134352?lang=ar"),
])
def test_zbar_decodes_the_address_from_the_printed_page(tmp_path, template, lang, address):
    leaflet = rxleaflet.load(leaflet_file(tmp_path, lang=lang))
    pharmacy = rxleaflet.load_pharmacy(pharmacy_file(tmp_path, template))
    pdf = rxleaflet.build(leaflet, pharmacy=pharmacy)
    assert decoded(pdf, tmp_path) == [address]
    read = Leaflet(pdf)
    # printed beside it, as a link too
    assert address in read.reading_text().replace(" ", "")
    # a Figure with alt text inside a Link, whose annotation goes to the same address
    figure = read.elements("Figure")[0]
    bbox = figure.attributes["/BBox"] if "/BBox" in figure.attributes else None
    assert bbox is not None
    width, height = float(bbox[2]) - float(bbox[0]), float(bbox[3]) - float(bbox[1])
    assert width >= 20 * MM and abs(width - height) < 0.01  # at least 20 mm with its quiet zone
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    last = reader.pages[-1]
    uris = [(annot.get_object()["/A"]["/URI"], [float(v) for v in annot.get_object()["/Rect"]])
            for annot in last.get("/Annots", []) if "/A" in annot.get_object()]
    assert any(uri == address and all(abs(a - float(b)) < 0.01 for a, b in zip(rect, bbox)) for uri, rect in uris)
    # vector: no image on the page
    assert "/XObject" not in last["/Resources"] or not last["/Resources"]["/XObject"]


def test_the_figure_is_tagged_with_alt_text_in_a_link(tmp_path):
    pharmacy = rxleaflet.load_pharmacy(pharmacy_file(tmp_path, GTIN_TEMPLATE))
    pdf = rxleaflet.build(rxleaflet.load(leaflet_file(tmp_path)), pharmacy=pharmacy)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    figures = []

    def walk(node, parent_role):
        node = node.get_object()
        role = str(node.get("/S", ""))
        if role == "/Figure":
            figures.append((parent_role, str(node.get("/Alt", ""))))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if not isinstance(kid, int) and "/S" in kid.get_object():
                walk(kid, role)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], "")
    assert figures == [("/Link", "QR code that opens this leaflet on screen: "
                                 "https://leaflets.example-pharmacy.com/01/09506000134352?lang=en-GB")]


def test_error_correction_is_m_or_better():
    assert qr_code("https://leaflets.example-pharmacy.com/01/09506000134352?lang=en-GB").error in ("M", "Q", "H")


def test_a_leaflet_with_a_qr_code_passes_outloud(tmp_path):
    pharmacy = rxleaflet.load_pharmacy(pharmacy_file(tmp_path, GTIN_TEMPLATE))
    path = tmp_path / "qr.pdf"
    path.write_bytes(rxleaflet.build(rxleaflet.load(leaflet_file(tmp_path)), pharmacy=pharmacy))
    report = outloud_report(path)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 0}, findings(report)
    import pdfua

    result = pdfua.validate(str(path))
    assert not result.findings, result.to_dict()


def test_no_code_for_the_template_no_qr_code_and_a_warning(tmp_path):
    content = leaflet_file(tmp_path, codes={"ndc": ["12345-0678-01"]})
    with_setting = pharmacy_file(tmp_path, GTIN_TEMPLATE)
    result = run_cli("build", content, "--pharmacy", with_setting, "-o", tmp_path / "a.pdf")
    assert result.returncode == 0, result.stderr
    assert "no QR code for the electronic edition" in result.stderr and "GTIN" in result.stderr
    without = tmp_path / "plain"
    without.mkdir()
    result = run_cli("build", content, "--pharmacy", pharmacy_file(without), "-o", tmp_path / "b.pdf")
    # with no code for the address the PDF is the one made without the setting, byte for byte
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    result = run_cli("build", content, "--pharmacy", with_setting, "--strict", "-o", tmp_path / "c.pdf")
    assert result.returncode == 2 and not (tmp_path / "c.pdf").exists()


@pytest.mark.parametrize("template, says", [
    ("ftp://example.com/{gtin}", "https://"),
    ("https://example.com/01/{gtn}", "{gtn} is not a field"),
    ("https://example.com/leaflet?lang={lang}", "must name the medicine"),
    ("https://example.com/01/{gtin", "without its }"),
])
def test_a_bad_edition_url_is_an_error_at_its_place(tmp_path, template, says):
    settings = pharmacy_file(tmp_path, template)
    result = run_cli("build", leaflet_file(tmp_path), "--pharmacy", settings, "-o", tmp_path / "x.pdf")
    assert result.returncode == 2 and not (tmp_path / "x.pdf").exists()
    line = PHARMACY.count("\n") + 1
    assert f"{settings}:{line}:14: edition_url: " in result.stderr and says in result.stderr


def test_zbar_decodes_it_on_a_personalised_leaflet_and_on_one_with_tables_and_figures(tmp_path):
    pharmacy = rxleaflet.load_pharmacy(pharmacy_file(tmp_path, GTIN_TEMPLATE))
    library = api.open_library(ROOT / "content" / "library")
    choice, prescription = api.load_located_prescription(ROOT / "docs" / "examples" / "rx-by-ndc.yaml",
                                                                   library)
    personal = rxleaflet.build(choice.leaflet, prescription=prescription, pharmacy=pharmacy)
    (tmp_path / "personal").mkdir()
    assert decoded(personal, tmp_path / "personal") == \
        ["https://leaflets.example-pharmacy.com/01/09506000134352?lang=es"]
    # the example with tables, figures and pictograms, given a GTIN
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "content" / "examples", examples)
    text = (examples / "ibrance.yaml").read_text(encoding="utf-8")
    (examples / "ibrance.yaml").write_text(text.replace("  pronunciation: EYE-brans\n",
                                                        "  pronunciation: EYE-brans\n  codes: {gtin: ['09506000134352']}\n"),
                                           encoding="utf-8")
    figures = rxleaflet.build(rxleaflet.load(examples / "ibrance.yaml"), pharmacy=pharmacy)
    (tmp_path / "figures").mkdir()
    assert decoded(figures, tmp_path / "figures") == \
        ["https://leaflets.example-pharmacy.com/01/09506000134352?lang=en-US"]
