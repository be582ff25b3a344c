"""The fixed words rxleaflet prints itself, in the leaflet's language: gettext catalogues for the words, CLDR for dates, lists and digits.

``catalogues/rxleaflet.pot`` holds every message: its context (msgctxt) is the key the
layout asks for ("page"), its id the English text ("Page {number} of {count}", the
{placeholders} filled in by the layout).  ``catalogues/<language>.po`` translates it for
one language; a translator edits it in Poedit or any text editor, and its header says
whether a fluent speaker has reviewed it (``X-Reviewed``, listed in docs/languages.md).
Dates, "and" lists and the digits of page numbers come from CLDR (``cldr``); the
author's own text, numerals and all, is never changed.

A language tag finds its catalogue by its language (``no`` is Norwegian Bokmål, ``fil``
Tagalog), with the script where a language is written in more than one (zh-Hant for
zh-TW, zh-HK and zh-MO, zh-Hans otherwise; pa is Gurmukhi, pa-Arab has none).  A tag
with no catalogue prints English, and the content loader warns (``english_notice``).
"""
from __future__ import annotations

import datetime
import functools
import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from . import cldr, po

CATALOGUES = Path(__file__).resolve().parent / "catalogues"
TEMPLATE = CATALOGUES / "rxleaflet.pot"
ENGLISH = "en"
# The English used where a leaflet's language has no catalogue: CLDR's international English.
_ENGLISH_CLDR = ("en_001", "en")
# Messages a catalogue has only where CLDR has no data for its language (Haitian Creole):
# context -> the English id.  Elsewhere CLDR's dates and lists are used.
CLDR_GAPS = {
    "date": "{day} {month} {year}",
    "months": "January February March April May June July August September October November December",
    "list_and": "{items} and {last}",
}
_ALIASES = {"no": "nb", "iw": "he", "fil": "tl", "ji": "yi", "in": "id", "mo": "ro"}
_CLDR_LANGUAGE = {"tl": "fil"}  # a catalogue's language as CLDR names it, where that differs
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _zh_script(region: Optional[str]) -> str:
    return "Hant" if region in ("TW", "HK", "MO") else "Hans"


def _pa_script(region: Optional[str]) -> str:
    return "Arab" if region == "PK" else "Guru"


# Languages written in more than one script: the script a tag without one means.
_DEFAULT_SCRIPT = {"zh": _zh_script, "pa": _pa_script}


@dataclass(frozen=True)
class Tag:
    """The parts of a BCP 47 language tag that choose the words: ``zh-Hant-TW-u-nu-hanidec``."""

    language: str
    script: Optional[str]
    region: Optional[str]
    numbers: Optional[str]  # the -u-nu- key: a numbering system asked for


def parse_tag(tag: str) -> Tag:
    subtags = re.split(r"[-_]", tag.strip())
    language = _ALIASES.get(subtags[0].lower(), subtags[0].lower())
    script = region = numbers = None
    rest = iter(subtags[1:])
    for subtag in rest:
        if len(subtag) == 1:  # an extension: only -u-nu-… is read; -x-… is private
            if subtag.lower() != "u":
                break
            keys = list(rest)
            for key, value in zip(keys, keys[1:]):
                if key.lower() == "nu":
                    numbers = value.lower()
            break
        if len(subtag) == 4 and subtag.isalpha() and script is None and region is None:
            script = subtag.title()
        elif ((len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit())) and region is None:
            region = subtag.upper()
    if script is None and language in _DEFAULT_SCRIPT:
        script = _DEFAULT_SCRIPT[language](region)
    return Tag(language, script, region, numbers)


@functools.lru_cache(maxsize=None)
def catalogue_names() -> tuple:
    """Every catalogue: "en" (the template) and the stem of each .po file ("de", "zh-Hant")."""
    return tuple(sorted({ENGLISH} | {path.stem for path in CATALOGUES.glob("*.po")}))


@functools.lru_cache(maxsize=None)
def read_catalogue(name: str) -> po.Catalogue:
    """One catalogue, read once per process ("en": the template)."""
    return po.read(TEMPLATE if name == ENGLISH else CATALOGUES / f"{name}.po")


def script_of(name: str) -> str:
    """The ISO 15924 script a catalogue is written in, from its header (X-Script)."""
    return read_catalogue(name).headers.get("X-Script", "Latn")


@functools.lru_cache(maxsize=None)
def catalogue_of(lang: str) -> Optional[str]:
    """The catalogue a language tag prints with, or None: "zh-TW" -> "zh-Hant", "pt-BR" -> "pt"."""
    tag = parse_tag(lang)
    names = catalogue_names()
    if tag.script and f"{tag.language}-{tag.script}" in names:
        return f"{tag.language}-{tag.script}"
    if tag.language in names and (tag.script is None or tag.script == script_of(tag.language)):
        return tag.language
    return None


def has_catalogue(lang: str) -> bool:
    """Whether rxleaflet prints its own words in this language (else in English)."""
    return catalogue_of(lang) is not None


def cldr_locales(name: str) -> tuple:
    """(CLDR language, script, the script of its locale ids that name none): which of
    CLDR's locales a catalogue serves (see ``cldr.locales_of``)."""
    language = name.split("-")[0]
    script = name.split("-")[1] if "-" in name else script_of(name)
    unwritten = _DEFAULT_SCRIPT[language](None) if language in _DEFAULT_SCRIPT else script
    return _CLDR_LANGUAGE.get(language, language), script, unwritten


class Phrase(str):
    """A message: ``format`` fills its placeholders, writing a whole number (a page
    number) in the language's digits; texts (a title, the author's source) are left as given."""

    numbers = "latn"

    def format(self, *args, **kwargs) -> str:  # noqa: A003 - str's own name
        def shown(value):
            if isinstance(value, int) and not isinstance(value, bool):
                return cldr.digits(str(value), self.numbers)
            return value
        return str.format(self, *map(shown, args), **{key: shown(value) for key, value in kwargs.items()})


@dataclass(frozen=True)
class Language:
    """What a leaflet in one language tag prints: its words, dates, lists and digits."""

    tag: str
    catalogue: Optional[str]
    words: Mapping  # key -> Phrase
    untranslated: tuple  # the keys printed in English (all of them without a catalogue)
    facts: cldr.Facts
    numbers: str

    def long_date(self, date: datetime.date) -> str:
        return cldr.digits(self.facts.long_date(date), self.numbers)

    def list_text(self, items) -> str:
        """"10 mg, 20 mg and 40 mg": the author's texts, joined as the language joins a list."""
        return self.facts.join(list(items))


@functools.lru_cache(maxsize=None)
def english() -> dict:
    """key -> the English text, from the template."""
    return {entry.context: entry.id for entry in read_catalogue(ENGLISH).entries}


@functools.lru_cache(maxsize=None)
def language(lang: str) -> Language:
    tag = parse_tag(lang)
    name = catalogue_of(lang)
    source = english()
    if name is None or name == ENGLISH:
        translated = {}
    else:
        translated = {context: read_catalogue(name).translations().get((context, english_id))
                      for context, english_id in {**source, **CLDR_GAPS}.items()}
    facts = _facts(name, tag, translated)
    untranslated = tuple(key for key in source if name is None or (name != ENGLISH and not translated.get(key)))
    if facts is None:
        facts, untranslated = _english_facts(), untranslated + ("date",)
    numbers = tag.numbers if tag.numbers in cldr.ZERO else facts.numbers

    def phrase(key):
        text = Phrase(translated.get(key) or source[key])
        text.numbers = numbers
        return text

    words = types.MappingProxyType({key: phrase(key) for key in source})
    return Language(lang, name, words, untranslated, facts, numbers)


def _facts(name, tag: Tag, translated: dict) -> Optional[cldr.Facts]:
    if name is None:
        return _english_facts()
    language, script, _ = cldr_locales(name)
    region = f"_{tag.region}" if tag.region else ""
    candidates = [f"{language}_{script}{region}", f"{language}{region}", f"{language}_{script}", language]
    found = cldr.facts(name, [c for i, c in enumerate(candidates) if c not in candidates[:i]])
    if found is None and all(translated.get(key) for key in CLDR_GAPS):
        return _facts_of_catalogue(translated)
    return found


@functools.lru_cache(maxsize=None)
def _english_facts() -> cldr.Facts:
    return cldr.facts(ENGLISH, _ENGLISH_CLDR)


def _facts_of_catalogue(translated: dict) -> cldr.Facts:
    """Where CLDR has nothing: the catalogue's "date", "months" and "list_and"."""
    months = tuple(translated["months"].split())
    pieces, at = [], 0
    for match in _PLACEHOLDER.finditer(translated["date"]):
        if match.start() > at:
            pieces.append(translated["date"][at:match.start()])
        pieces.append({"day": ("day", 1), "month": ("names", months), "year": ("year", 1)}[match.group(1)])
        at = match.end()
    if at < len(translated["date"]):
        pieces.append(translated["date"][at:])
    last = translated["list_and"].replace("{items}", "{0}").replace("{last}", "{1}")
    return cldr.Facts(tuple(pieces), {"2": last, "start": "{0}, {1}", "middle": "{0}, {1}", "end": last}, "latn")


def placeholders(text: str) -> set:
    return set(_PLACEHOLDER.findall(text))


def messages(lang: str) -> Mapping:
    """The words for a BCP 47 tag (key -> text), English where it has no catalogue."""
    return language(lang).words


def labelled(label: str, value: str, lang: str) -> str:
    """"Warning: value", as the language punctuates a label before its text ("Avertissement :
    …", "警告：…"); with no value, the label and its colon alone."""
    return messages(lang)["box_title"].format(label=label, title=value).rstrip()


def list_text(items, lang: str) -> str:
    return language(lang).list_text(items)


def long_date(date: datetime.date, lang: str) -> str:
    return language(lang).long_date(date)


def english_notice(lang: str, revised: Optional[datetime.date] = None) -> Optional[str]:
    """What a content file's ``lang`` warning says: which of rxleaflet's words print in
    English for this tag (None when none do)."""
    found = language(lang)
    if not found.untranslated:
        return None
    words = english()
    name = _language_name(lang)
    named = f"'{lang}'" + (f" ({name})" if name else "")
    if found.catalogue is None:
        date = long_date(revised or datetime.date(2026, 11, 25), "en-001")
        shown = [words["leaflet"], words["page"].format(number=1, count=2), words["warning"],
                 words["revised"].partition(". ")[0].format(date=date)]
        return (f"warning: rxleaflet has no catalogue of its own words for {named}: "
                f"{_quoted(shown)} and the rest of what it prints itself "
                f"print in English (its languages: docs/languages.md)")
    shown = [CLDR_GAPS[key] if key in CLDR_GAPS else words[key] for key in found.untranslated]
    more = f" and {len(shown) - 4} more" if len(shown) > 4 else ""
    return (f"warning: rxleaflet's catalogue for {named} ({found.catalogue}.po) does not translate "
            f"{_quoted(shown[:4])}{more}: they print in English")


def _quoted(texts) -> str:
    return ", ".join(f'"{text}"' for text in texts)


def _language_name(lang: str) -> Optional[str]:
    """The language's English name, as CLDR has it (Babel, imported only for this warning)."""
    try:
        from babel import Locale

        return Locale.parse(lang.replace("-", "_").split("_u_")[0].split("_x_")[0]).english_name
    except Exception:  # noqa: BLE001 - any tag Babel cannot read simply has no name here
        return None
