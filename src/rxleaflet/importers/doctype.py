"""What kind of document an ePI is, by its type codes (and its section numbering): patient information, or a prescriber's.

A Summary of Product Characteristics (SmPC) or a prescribing information is written for
doctors and pharmacists, not patients: it is refused, saying what it is and what to import
instead.  A type rxleaflet does not know is imported with a warning.
"""
from __future__ import annotations

import re
from typing import Optional

# Codes for patient documents: EMA SPOR RMS "Package Leaflet"; LOINC Patient Package Insert,
# Medication Guide, Instructions for Use (the SPL section codes, which US ePIs use as types).
PATIENT_CODES = {"100000155538", "42230-3", "42231-1", "59845-8"}
# Codes for prescriber documents: MHRA "Summary of Product Characteristics"; LOINC "Human
# prescription drug label" used as a whole document's type, its indications and dosage sections.
PRESCRIBER_CODES = {"200000029791", "34391-3", "34067-9", "34068-7"}
_PATIENT_WORDS = re.compile(
    r"leaflet|patient|package insert|medication guide|instructions for use|user|gebrauchsinformation|"
    r"notice|prospecto|foglio illustrativo|bipacksedel|indlægsseddel|pakkausseloste|pakningsvedlegg|"
    r"folheto informativo|φύλλο οδηγιών|bijsluiter|ulotka|příbalová|navodilo|upute|lietošanas instrukcija", re.I)
_PRESCRIBER_WORDS = re.compile(
    r"\bsmpc\b|\bspc\b|summary of product characteristics|prescribing information|fachinformation|"
    r"produktresum[eé]|valmisteyhteenveto|preparatomtale|ficha t[eé]cnica|resumo das caracter[ií]sticas|"
    r"περίληψη των χαρακτηριστικών|r[eé]sum[eé] des caract[eé]ristiques|riassunto delle caratteristiche|"
    r"samenvatting van de productkenmerken|charakterystyka produktu", re.I)
# SmPC sections 4.1–4.9 and 5.1–5.3 are numbered so in every language; a leaflet has 1–6 only.
_SMPC_SECTION = re.compile(r"^\s*[4-6]\.\d\.?\s")


def prescriber_document(composition: dict) -> Optional[str]:
    """What the Composition says it is, when that is a prescriber's document; else None."""
    kind = composition.get("type") if isinstance(composition.get("type"), dict) else {}
    codes = {str(c.get("code", "")) for c in kind.get("coding", []) if isinstance(c, dict)}
    text = " ".join(str(v) for v in [kind.get("text", "")] + [c.get("display", "") for c in kind.get("coding", [])
                                                              if isinstance(c, dict)] if v)
    if codes & PATIENT_CODES or _PATIENT_WORDS.search(text):
        return None
    if codes & PRESCRIBER_CODES or _PRESCRIBER_WORDS.search(text):
        return f"its type is {describe(codes, text)}"
    numbered = [t for t in _section_titles(composition.get("section")) if _SMPC_SECTION.match(t)]
    if len(numbered) >= 3:
        return f"its sections are numbered as an SmPC's ({', '.join(numbered[:3])} …)"
    return None


def unknown_type(composition: dict) -> Optional[str]:
    """The Composition's type, when it is given and is no patient document rxleaflet knows."""
    kind = composition.get("type") if isinstance(composition.get("type"), dict) else {}
    codes = {str(c.get("code", "")) for c in kind.get("coding", []) if isinstance(c, dict)}
    text = str(kind.get("text", "") or "")
    if not kind or codes & PATIENT_CODES or _PATIENT_WORDS.search(text):
        return None
    return describe(codes, text)


def describe(codes: set, text: str) -> str:
    said = f"“{text}”" if text else "without a text"
    return said + (f" (code {', '.join(sorted(c for c in codes if c))})" if any(codes) else "")


def _section_titles(sections) -> list[str]:
    titles = []
    for section in sections if isinstance(sections, list) else []:
        if isinstance(section, dict):
            if isinstance(section.get("title"), str):
                titles.append(" ".join(section["title"].split()))
            titles += _section_titles(section.get("section"))
    return titles
