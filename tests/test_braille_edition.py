"""The braille edition (rxleaflet build --format brf): pages of 40 cells by 25 lines in ASCII
braille, read back with liblouis (the operating system's; .ci/run installs it)."""
import subprocess
import sys
import unicodedata

import pytest
from conftest import ROOT, SAMPLE, leaflet_yaml, run_cli
from test_html_edition import leaflets

import rxleaflet
from rxleaflet.editions import braille
from rxleaflet.editions.braille import BOX_LINE, CELLS, LINES, braille_blocks, braille_edition, from_ascii

BOX = "".join(braille.ASCII_BRAILLE[ord(cell) - 0x2800] for cell in BOX_LINE)  # "7777…": dots 2356 across

# Characters a braille code writes alike, so its back-translation cannot tell them apart:
# one apostrophe and one pair of double quotes in braille; Spanish braille's period and apostrophe (dots 3) and its
# colon and lower-cell 3 (dots 25), its question marks and lower-cell 5 (dots 26); Arabic braille's digits read back as Arabic-Indic.
SAME_IN_BRAILLE = {"en": {"’": "'", "“": '"', "”": '"'}, "es": {"’": "'", ".": "'", ":": "3", "«": '"', "»": '"', "¿": "5", "?": "5"},
                   "ar": {**{chr(0x0660 + n): str(n) for n in range(10)}}}
# What liblouis 3.24's UEB table writes wrongly, or reads back wrongly, listed so that any
# other difference fails: "e.g." and "U.S." without the grade 1 indicator before the g and
# the s (read "go", "so"); the capitals indicator of "GABA" carried over "’s"; the colon of
# "https:" read back as the "cc" it shares its cell with.
LIBLOUIS_MISTAKES = {"en": [("e.g.", "e.go."), ("U.S.", "U.So."), ("GABA’s", "GABA’S"), ("https://", "httpscc//")]}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    braille.louis()  # fails here, saying what to install, where liblouis is missing
    return {name: (parts, braille_edition(*parts[:3])) for name, parts in
            leaflets(tmp_path_factory.mktemp("brf")).items()}


def pages(brf: bytes) -> list[list[str]]:
    return [page.split("\r\n")[:-1] for page in brf.decode("ascii").split("\f")]


@pytest.mark.parametrize("name", ["sample", "personalised", "ibrance", "he-elements", "ar"])
def test_pages_of_40_cells_by_25_lines_numbered(built, name):
    _, brf = built[name]
    found = pages(brf)
    for number, page in enumerate(found, 1):
        assert len(page) == LINES
        assert all(len(line) <= CELLS for line in page)
        assert page[-1].strip() and len(page[-1]) == CELLS  # the page number, at the end of the last line
        assert page[0].strip()  # no page starts with a blank line
    assert len(found) > 1 or name in ("he-elements", "ar")


def translate(lang, text):
    louis = braille.louis()
    return louis.translateString(braille.tables(lang), text)


def back(lang, cells):
    louis = braille.louis()
    return louis.backTranslateString(braille.tables(lang), cells)


def folded(lang: str, text: str) -> str:
    primary = lang.split("-")[0]
    for wrong, right in LIBLOUIS_MISTAKES.get(primary, []):
        text = text.replace(wrong, right)
    for char, same in SAME_IN_BRAILLE.get(primary, {}).items():
        text = text.replace(char, same)
    return text


@pytest.mark.parametrize("name", ["sample", "personalised", "monuril", "ibrance"])
def test_liblouis_reads_the_braille_back_as_the_text(built, name):
    (leaflet, prescription, pharmacy, _), brf = built[name]
    for block in braille_blocks(leaflet, prescription, pharmacy):
        cells = translate(leaflet.lang, block.text)
        assert folded(leaflet.lang, back(leaflet.lang, cells)) == folded(leaflet.lang, block.text)


def test_liblouis_reads_the_spanish_braille_back_as_the_text():
    leaflet = rxleaflet.load(ROOT / "content" / "es" / "diazepam-2mg.yaml")
    for block in braille_blocks(leaflet):
        cells = translate("es", block.text)
        assert folded("es", back("es", cells)) == folded("es", block.text)


@pytest.mark.parametrize("name", ["sample", "personalised", "ibrance", "he-elements", "ar", "mixed", "tables"])
def test_the_pages_hold_every_blocks_braille_in_order(built, name):
    """The BRF, page numbers and box lines left out, is the translation of every block, in
    order: what liblouis reads back above is what the pages hold."""
    (leaflet, prescription, pharmacy, _), brf = built[name]
    lines = [line for page in pages(brf) for line in page[:-1] if line and line != BOX]
    on_pages = " ".join(from_ascii(line) for line in lines).replace("\u2800", " ").split()
    expected = " ".join(translate(block.lang or leaflet.lang, block.text.translate(braille.EQUIVALENTS))
                        for block in braille_blocks(leaflet, prescription, pharmacy) if block.text)
    assert on_pages == expected.replace("\u2800", " ").split()


def test_every_text_of_the_leaflet_is_in_a_block_in_reading_order(built):
    """Every word of the content, in order (the braille adds a link's address and repeats a
    table's column headings in each row)."""
    from rxleaflet import model

    (leaflet, prescription, pharmacy, _), _ = built["ibrance"]
    said = iter(word.rstrip(":;.,") for block in braille_blocks(leaflet, prescription, pharmacy)
                for word in block.text.split())  # a cell after its heading and ":", cells joined by ";", an address after a link
    for text in model.iter_texts(leaflet):
        for word in text.plain.split():
            assert word.rstrip(":;.,") in said, (word, text.plain)  # consumes the words up to it


def test_headings_are_centred_and_list_items_run_over_two_cells_in(built):
    (leaflet, *_), brf = built["monuril"]
    lines = [line for page in pages(brf) for line in page[:-1]]
    heading = from_ascii(lines[[i for i, line in enumerate(lines) if line.strip()][3]].strip())
    centred = [line for line in lines if line.startswith("   ") and not line.startswith("     " * 8)]
    assert centred, "no centred heading"
    assert back(leaflet.lang, heading)
    numbered = [line for line in lines if line[:3] in ("#A4", "#B4", "#C4")]
    assert len(numbered) >= 3  # "1." "2." "3." from cell 1
    box = [i for i, line in enumerate(lines) if line == BOX]
    assert len(box) == 2  # the intro box between box lines


def test_a_right_to_left_leaflet_is_all_six_dot_braille(built):
    (leaflet, *_), brf = built["he-elements"]
    assert brf.isascii() and b"\\X" not in brf  # liblouis's escape of a character it has no braille for
    for block in braille_blocks(leaflet):
        louis = braille.louis()
        text = block.text.translate(braille.EQUIVALENTS)
        for char in set(text) - {" "}:  # every character has braille in the table
            assert louis.translateString(braille.tables("he"), char, mode=louis.noUndefined), char


def test_nothing_of_a_patient_in_the_public_edition(built):
    (sample, prescription, pharmacy, _), personal = built["personalised"]
    public = braille_edition(sample, None, pharmacy)
    patient = translate(sample.lang, prescription.patient)
    as_ascii = "".join(braille.ASCII_BRAILLE[ord(c) - 0x2800] for c in patient.replace(" ", "\u2800"))
    assert as_ascii.encode() in personal.replace(b"\r\n", b" ") or as_ascii.split()[0].encode() in personal
    assert as_ascii.split()[0].encode() not in public


def test_the_command_writes_the_brf_the_same_each_time(tmp_path):
    result = run_cli("build", SAMPLE, "--format", "brf", "-o", tmp_path / "leaflet.brf")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "leaflet.brf").read_bytes() == braille_edition(rxleaflet.load(SAMPLE))


def test_a_language_without_a_braille_table_is_a_clear_error(tmp_path):
    path = tmp_path / "it.yaml"
    path.write_text(leaflet_yaml(lang="it"), encoding="utf-8")
    result = run_cli("build", path, "--format", "brf", "-o", tmp_path / "it.brf")
    assert result.returncode == 2 and "no braille table for the language 'it'" in result.stderr
    assert not (tmp_path / "it.brf").exists()


def test_without_liblouis_the_error_says_what_to_install(tmp_path):
    """liblouis hidden from a fresh process: the build stops with exit 2, naming the packages."""
    hide = ("import sys; sys.modules['louis'] = None; "
            "from rxleaflet.editions import braille; braille.SYSTEM_PACKAGES = (); "
            "from rxleaflet.cli import main; sys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", hide, "build", str(SAMPLE), "--format", "brf", "-o",
                             str(tmp_path / "x.brf")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "needs liblouis" in result.stderr and "apt-get install liblouis-data python3-louis" in result.stderr
    assert not (tmp_path / "x.brf").exists()
