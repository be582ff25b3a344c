"""Line breaking in every script: UAX #14 where words are not separated, a dose never split from its unit, and words longer than the line cut where they may be, read whole."""
import re
import subprocess

import pypdf
import pytest
from conftest import content

import rxleaflet
from rxleaflet.model import Span
from rxleaflet.text import linebreak, segment
from rxleaflet.text.linebreak import ActualText, TextStyle


def lines_of(text: str, width: float, lang: str, size: float = 12):
    style = TextStyle(size, size * 1.35, lang=lang)
    return [line for line in linebreak.break_lines((Span(text),), style, width)]


def texts(lines) -> list[str]:
    return ["".join(run[1] for run in line.runs if not isinstance(run, ActualText)) for line in lines]


@pytest.mark.parametrize("text, lang, dose", [
    ("每次服用500毫克，每天不超过四次。", "zh-Hans", "500毫克"),
    ("一回500 mgを水で飲んでください。", "ja", "500 mg"),
    ("ขนาดยาปกติคือ 500 มิลลิกรัม ต่อครั้ง", "th", "500 มิลลิกรัม"),
    ("सामान्य खुराक 500 मिलीग्राम है।", "hi", "500 मिलीग्राम"),
])
def test_a_dose_is_never_split_from_its_unit_at_any_width(text, lang, dose):
    # From the width the dose takes on a line of its own: a narrower line cuts any word.
    narrowest = linebreak.one_line_width(dose, TextStyle(12, 16, lang=lang))
    widest = linebreak.one_line_width(text, TextStyle(12, 16, lang=lang))
    for width in range(int(narrowest) + 13, int(widest) + 20, 3):  # (and a sign after it: "毫克，")
        assert any(dose in line for line in texts(lines_of(text, width, lang))), (width, texts(lines_of(text, width, lang)))


@pytest.mark.parametrize("text, lang", [
    ("พาราเซตามอลเป็นยาแก้ปวดและลดไข้ถ้าคุณลืมกินยาหนึ่งครั้งให้กินทันทีที่นึกได้", "th"),
    ("ຖ້າທ່ານລືມກິນຢາໜຶ່ງເທື່ອໃຫ້ກິນທັນທີທີ່ນຶກໄດ້", "lo"),
    ("បើអ្នកភ្លេចលេបថ្នាំមួយដងសូមលេបភ្លាមៗពេលនឹកឃើញ", "km"),
])
def test_thai_lao_and_khmer_break_between_words_found_by_dictionary(text, lang):
    allowed = {0}
    for piece in segment.pieces(text, lang):
        allowed.add(max(allowed) + len(piece))
    widest_word = max(linebreak.one_line_width(piece, TextStyle(12, 16, lang=lang)) for piece in segment.pieces(text, lang))
    for width in (widest_word + 1, widest_word + 30, 130):
        at = 0
        for line in texts(lines_of(text, width, lang)):
            at += len(line)
            assert at in allowed, (width, line)


def test_no_line_starts_with_a_closing_mark_in_chinese():
    text = "如果您忘记服用一次，请在想起时尽快服用。不要服用双倍剂量（每天最多四次）。" * 2
    for width in range(50, 200, 7):
        for line in texts(lines_of(text, width, "zh-Hans"))[1:]:
            assert line[:1] not in "，。）、：；！？", (width, line)
        for line in texts(lines_of(text, width, "zh-Hans")):
            assert line.rstrip()[-1:] != "（", (width, line)


def test_an_address_longer_than_the_line_breaks_after_a_slash_and_is_read_whole():
    address = "https://www.example.com/medicines/paracetamol/patient-information/leaflet-2026.pdf"
    lines = lines_of(f"See {address} today.", 150, "en", size=18)
    assert all(line.width <= 150.01 for line in lines)
    assert [run.text for line in lines for run in line.runs if isinstance(run, ActualText) and run.text] == [address]
    assert "".join(texts(lines)).replace(" ", "") == f"See{address}today."
    assert any(line.rstrip().endswith("/") for line in texts(lines))


def test_a_long_word_is_hyphenated_by_its_language():
    lines = texts(lines_of("Die Donaudampfschifffahrtsgesellschaftskapitänsmütze ist da", 150, "de", size=18))
    cut = [line for line in lines if line.endswith("-")]
    assert cut and "".join(line.rstrip("-") for line in lines).replace(" ", "") == \
        "DieDonaudampfschifffahrtsgesellschaftskapitänsmützeistda"
    assert "Donaudampf-" in lines[0]


def test_a_word_of_5000_letters_reaches_every_reader_whole(write_content, tmp_path):
    word = "".join(chr(ord("a") + (n * 7) % 26) for n in range(5000))
    leaflet = rxleaflet.load(write_content(content(f"""
  - heading: Long
    content:
      - Before {word} after.
""")))
    path = tmp_path / "long.pdf"
    path.write_bytes(rxleaflet.build(leaflet, paper="a5", large_print=True))
    def body(page_text: str) -> str:  # the page without its running header and "Page N of M"
        return re.sub(r"Testamol 5 mg\n|Page \d+ of \d+", "", page_text)

    extracted = "".join(body(page.extract_text()) for page in pypdf.PdfReader(path).pages)
    assert word in re.sub(r"[\s-]", "", extracted)
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode().split("\f")
    assert word in re.sub(r"[\s-]", "", "".join(body(page) for page in pages))
