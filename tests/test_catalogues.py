"""Every catalogue of the words rxleaflet prints itself is a complete, well-formed gettext file in the script it says.

The catalogues (src/rxleaflet/text/catalogues/*.po) are data a translator edits without
Python: they are checked here with readers we did not write (Babel's read_po, GNU
msgfmt) as well as with rxleaflet's own reader, and for what a translator can get wrong
without noticing: a dropped or renamed {placeholder}, a fuzzy or missing translation, a
stray space, a word in another script, Traditional characters in Simplified Chinese, an
extract of CLDR's dates and lists that no longer matches the catalogues.
"""
from __future__ import annotations

import collections
import datetime
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import SAMPLE_ES, SKIP_MISSING_READERS, run_cli

from rxleaflet.text import cldr, fixed_words, po

CATALOGUES = fixed_words.CATALOGUES
FILES = sorted(CATALOGUES.glob("*.po"))
NAMES = [path.stem for path in FILES]
PLACEHOLDER = re.compile(r"\{(\w*)\}")

# What issue 21 asks for: the EU's 24 official languages (en is the template), Norwegian,
# Icelandic, and the languages of every script rxleaflet sets (issue 21, point 1).
REQUIRED = ("bg hr cs da nl en et fi fr de el hu ga it lv lt mt pl pt ro sk sl es sv nb is "
            "vi ru uk ht hy ka he ar fa ur hi bn pa ta th lo km am zh-Hans zh-Hant ja ko tl").split()

# The Unicode scripts (Script_Extensions, UAX #24) each ISO 15924 code of a catalogue
# header is written in; Common (Zyyy) and Inherited (Zinh) characters go with any.
SCRIPTS = {
    "Latn": {"Latn"}, "Grek": {"Grek"}, "Cyrl": {"Cyrl"}, "Armn": {"Armn"}, "Geor": {"Geor"},
    "Hebr": {"Hebr"}, "Arab": {"Arab"}, "Deva": {"Deva"}, "Beng": {"Beng"}, "Guru": {"Guru"},
    "Taml": {"Taml"}, "Thai": {"Thai"}, "Laoo": {"Laoo"}, "Khmr": {"Khmr"}, "Ethi": {"Ethi"},
    "Hans": {"Hani"}, "Hant": {"Hani"}, "Jpan": {"Hani", "Hira", "Kana"}, "Kore": {"Hang"},
}
# Where the script alone does not tell a catalogue's characters apart, the legacy character
# set of its writing system does: GB 2312 holds Simplified characters, Big5 Traditional
# ones, JIS X 0208 (Shift JIS) the Japanese forms (a Chinese-only form such as 药 is not there).
CHARACTER_SETS = {"Hans": "gb2312", "Hant": "big5", "Jpan": "shift_jis"}
# Latin acronyms every script writes as they are: "QR" (a QR code is "رمز QR", "QR-код", "QRコード").
LATIN_ACRONYMS = re.compile(r"(?<![A-Za-z])QR(?![A-Za-z])")
# Scripts written with full-width punctuation: an ASCII colon, comma or bracket is a slip.
FULL_WIDTH = {"Hans", "Hant", "Jpan"}


def template():
    return po.read(fixed_words.TEMPLATE)


def translations(path: Path) -> dict:
    """(context, English) -> translation of one catalogue, with rxleaflet's reader."""
    return {(entry.context, entry.id): entry.string for entry in po.read(path).entries}


def expected_messages(name: str) -> set:
    """The messages a catalogue must have: the template's, and the CLDR gaps where CLDR
    has no dates or lists for its language."""
    keys = {(entry.context, entry.id) for entry in template().entries}
    if not cldr_has(name):
        keys |= {(context, english) for context, english in fixed_words.CLDR_GAPS.items()}
    return keys


def cldr_has(name: str) -> bool:
    language, script, unwritten = fixed_words.cldr_locales(name)
    for locale in (f"{language}_{script}", language):
        data = cldr.from_babel(locale)
        if data is not False:
            return data is not None
    return False


def placeholders(text: str) -> collections.Counter:
    return collections.Counter(PLACEHOLDER.findall(text))


def test_every_language_issue_21_names_has_a_catalogue():
    missing = [name for name in REQUIRED if name not in fixed_words.catalogue_names()]
    assert missing == []


@pytest.mark.parametrize("tag,catalogue", [
    ("no", "nb"), ("nb-NO", "nb"), ("fil", "tl"), ("tl-PH", "tl"), ("pt-BR", "pt"), ("pt-PT", "pt"),
    ("zh", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh-SG", "zh-Hans"), ("zh-TW", "zh-Hant"),
    ("zh-HK", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("pa", "pa"), ("pa-IN", "pa"), ("pa-Guru", "pa"),
    ("sr", "sr"), ("sr-Cyrl-RS", "sr"), ("ht-HT", "ht"), ("fa-IR", "fa"), ("ur-PK", "ur"), ("ja-JP", "ja"),
    ("ko-KR", "ko"), ("el-CY", "el"), ("nl-BE", "nl"), ("sv-FI", "sv"), ("ga-IE", "ga"),
    # A script the catalogue is not written in has no catalogue: the author is warned.
    ("pa-Arab", None), ("pa-PK", None), ("sr-Latn", None), ("ja-Latn", None), ("yo", None),
])
def test_a_language_tag_finds_the_catalogue_of_its_language_and_script(tag, catalogue):
    assert fixed_words.catalogue_of(tag) == catalogue


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_babel_and_rxleaflet_read_the_same_messages(path):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        babel = read_po(handle)
    by_babel = {(message.context, message.id): (message.string, message.fuzzy) for message in babel if message.id}
    ours = {(entry.context, entry.id): (entry.string, entry.fuzzy) for entry in po.read(path).entries}
    assert ours == by_babel
    assert babel.locale_identifier or path.stem in ("ht",)  # Babel reads the Language header


def _msgfmt():
    if shutil.which("msgfmt"):
        return
    message = "msgfmt is not installed (apt-get install gettext)"
    if os.environ.get(SKIP_MISSING_READERS):
        pytest.skip(message)
    pytest.fail(f"{message}; .ci/run installs it (set {SKIP_MISSING_READERS}=1 to skip instead)", pytrace=False)


@pytest.mark.parametrize("path", FILES + [fixed_words.TEMPLATE], ids=NAMES + ["rxleaflet.pot"])
def test_msgfmt_compiles_the_catalogue_and_finds_its_placeholders_intact(path, tmp_path):
    """GNU msgfmt checks the file, and (told that the messages are Python brace formats)
    that every {placeholder} of the English is in the translation."""
    _msgfmt()
    flagged = tmp_path / path.name
    flagged.write_text(re.sub(r"^msgctxt", "#, python-brace-format\nmsgctxt", path.read_text(encoding="utf-8"),
                              flags=re.M), encoding="utf-8")
    for candidate in (path, flagged):
        run = subprocess.run(["msgfmt", "--check-format", "-c", "-o", os.devnull, str(candidate)],
                             capture_output=True, text=True)
        errors = [line for line in run.stderr.splitlines() if "warning:" not in line]
        assert run.returncode == 0 and errors == [], run.stderr


def test_msgfmt_check_would_catch_a_renamed_placeholder(tmp_path):
    """The check above can fail: a translation with {numbre} for {number} is refused."""
    _msgfmt()
    broken = tmp_path / "xx.po"
    text = (CATALOGUES / "fr.po").read_text(encoding="utf-8").replace("{number} sur", "{numbre} sur")
    broken.write_text(re.sub(r"^msgctxt", "#, python-brace-format\nmsgctxt", text, flags=re.M), encoding="utf-8")
    run = subprocess.run(["msgfmt", "--check-format", "-c", "-o", os.devnull, str(broken)],
                         capture_output=True, text=True)
    assert run.returncode != 0 and "number" in run.stderr


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_every_message_is_translated_once_and_not_fuzzy(path):
    catalogue = po.read(path)
    keys = [(entry.context, entry.id) for entry in catalogue.entries]
    assert sorted(keys) == sorted(expected_messages(path.stem))
    untranslated = [entry.context for entry in catalogue.entries if not entry.string]
    fuzzy = [entry.context for entry in catalogue.entries if entry.fuzzy]
    assert untranslated == [] and fuzzy == []
    english = [entry.context for entry in catalogue.entries if entry.string == entry.id]
    # "Patient", "Pharmacy"... may be spelt as in English; most words may not.
    assert len(english) <= 3, f"{path.name}: printed as in English: {english}"


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_placeholders_and_outer_spaces_are_the_englishs(path):
    for (context, english), text in translations(path).items():
        assert placeholders(text) == placeholders(english), f"{path.name}: {context}: {text!r}"
        text.format(**{name: "x" for name in placeholders(english)})  # no stray brace
        assert re.match(r"\s*", text).group() == re.match(r"\s*", english).group(), f"{path.name}: {context}"
        assert text[len(text.rstrip()):] == english[len(english.rstrip()):], f"{path.name}: {context}"
        assert "  " not in text and "\n" not in text and "\t" not in text, f"{path.name}: {context}"
        assert unicodedata.normalize("NFC", text) == text, f"{path.name}: {context}: not NFC"


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_headers_name_the_language_its_script_and_the_review(path):
    headers = po.read(path).headers
    assert headers["Language"] == path.stem
    assert headers["X-Reviewed"] in ("yes", "no")
    assert headers["X-Script"] in SCRIPTS
    assert headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert set(headers) == set(po.read(fixed_words.TEMPLATE).headers)


def strays(text: str, script: str) -> list:
    """The characters of a translation that belong to none of its script's Unicode
    scripts (a Latin "C" in Cyrillic, an Arabic comma in Hindi), placeholders and "QR" left out."""
    from fontTools import unicodedata as ucd

    found = []
    for char in LATIN_ACRONYMS.sub("", PLACEHOLDER.sub("", text)):
        extensions = set(ucd.script_extension(char))
        if not (extensions & SCRIPTS[script] or extensions <= {"Zyyy", "Zinh"}):
            found.append(f"{char} U+{ord(char):04X} {unicodedata.name(char, '?')} ({'/'.join(sorted(extensions))})")
    return found


def has_words(text: str) -> bool:
    return any(unicodedata.category(char)[0] == "L" for char in PLACEHOLDER.sub("", text))


@pytest.mark.parametrize("path", FILES, ids=NAMES)
def test_every_letter_is_in_the_script_the_header_names(path):
    script = po.read(path).headers["X-Script"]
    texts = translations(path)
    for (context, english), text in texts.items():
        assert strays(text, script) == [], f"{path.name}: {context}: {text!r}"
        assert has_words(text) == has_words(english), f"{path.name}: {context}: {text!r}"
    if script in CHARACTER_SETS:
        for (context, _), text in texts.items():
            text.encode(CHARACTER_SETS[script])  # raises on a character of another writing system
    if script in FULL_WIDTH:
        for (context, _), text in texts.items():
            assert not re.search(r"[:,;()]", text), f"{path.name}: {context}: {text!r} (full-width punctuation)"
    if script == "Jpan":
        from fontTools import unicodedata as ucd

        assert {ucd.script(char) for char in "".join(texts.values())} >= {"Hani", "Hira", "Kana"}


def test_the_script_check_would_catch_a_slip():
    """A Latin C in Cyrillic, an Arabic comma in Hindi, Traditional in Simplified: all are found."""
    assert len(strays("Cтраница {number}", "Cyrl")) == 1
    assert strays("QR-код", "Cyrl") == [] and len(strays("QRS-код", "Cyrl")) == 3
    assert len(strays("पृष्ठ {number}، {count}", "Deva")) == 1
    assert strays("पृष्ठ {number} / {count}।", "Deva") == []
    with pytest.raises(UnicodeEncodeError):
        "藥品".encode(CHARACTER_SETS["Hans"])
    with pytest.raises(UnicodeEncodeError):
        "药品".encode(CHARACTER_SETS["Hant"])


@pytest.mark.parametrize("name", NAMES)
def test_a_leaflet_in_the_language_prints_no_english(name):
    language = fixed_words.language(name)
    assert language.catalogue == name
    assert language.untranslated == ()
    assert fixed_words.english_notice(name) is None
    date = language.long_date(datetime.date(2026, 11, 25))
    revised = language.words["revised"].format(date=date, source="EMA")
    assert date in revised and ".." not in revised and ". ." not in revised
    assert language.words["page"].format(number=1, count=2) != fixed_words.english()["page"].format(number=1, count=2)


def test_haitian_creole_dates_and_lists_come_from_its_catalogue():
    """CLDR has no Haitian Creole: its catalogue's month names and "and" serve."""
    assert not cldr_has("ht")
    language = fixed_words.language("ht")
    assert language.long_date(datetime.date(2026, 11, 25)) == "25 novanm 2026"
    assert language.list_text(["10 mg", "20 mg", "40 mg"]) == "10 mg, 20 mg ak 40 mg"
    assert len(po.read(CATALOGUES / "ht.po").translations()[("months", fixed_words.CLDR_GAPS["months"])].split()) == 12


@pytest.mark.parametrize("tag,name", [("yo", "Yoruba"), ("sw-KE", "Swahili"), ("sr-Latn", "Serbian")])
def test_a_language_without_a_catalogue_is_named_in_a_warning(tag, name):
    notice = fixed_words.english_notice(tag)
    assert notice is not None and f"'{tag}'" in notice and name in notice
    assert fixed_words.messages(tag)["page"] == "Page {number} of {count}"


@pytest.mark.parametrize("name", NAMES + ["en"])
def test_the_cldr_extract_is_what_babel_writes_today(name):
    """catalogues/cldr/<name>.json is rewritten by `python -m rxleaflet.text.cldr`: a new
    catalogue (or a new Babel) without it is caught here."""
    path = cldr.EXTRACTS / f"{name}.json"
    assert path.is_file(), f"run: python -m rxleaflet.text.cldr ({path.name} is missing)"
    data = cldr.extract(cldr.locales_of(*fixed_words.cldr_locales(name)))
    assert path.read_text(encoding="utf-8") == cldr.dumps(data)


@pytest.mark.needs("poppler")
@pytest.mark.parametrize("lang", ["cs", "el", "ru"])
def test_a_leaflet_prints_its_catalogues_words_on_paper(lang, tmp_path):
    """Latin, Greek and Cyrillic: the words of the catalogue, not English, as pdftotext reads them."""
    source = tmp_path / "leaflet.yaml"
    text = SAMPLE_ES.read_text(encoding="utf-8").replace("lang: es\n", f"lang: {lang}\n", 1)
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "leaflet.pdf"
    result = run_cli("build", source, "-o", out)
    assert result.returncode == 0, result.stderr
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    flat = [" ".join(page.split()) for page in pages]
    language = fixed_words.language(lang)
    words = language.words
    assert len(pages) > 1
    for number, page in enumerate(flat, 1):
        assert words["page"].format(number=number, count=len(pages)) in page
    assert words["leaflet"] in flat[0]
    assert words["brand_names"].format(names="Valium") in flat[0]
    date = language.long_date(datetime.date(2026, 11, 25))
    assert " ".join(words["revised"].split("{source}")[0].format(date=date).split()) in flat[0]
    english = fixed_words.english()
    for key in ("leaflet", "page", "revised"):
        assert english[key].split("{")[0].strip() not in " ".join(flat), key
