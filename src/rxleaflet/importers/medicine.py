"""Medicine facts read out of label text: title lines, pronunciation, strengths, placeholders."""
from __future__ import annotations

import re
from typing import Optional

from . import nodes

# "(Hu-MARE-ah)", "(LIP-ih-tore)", "(EYE-brans)": syllables with at least one in capitals; or
# with the stress marked by a quote: "(zel'-jans)", "(ah-DAL’ i-mu-mab)", "(se-ROE′ kwel)"
_STRESS = "'’′ˈ"
_PRONUNCIATION = re.compile(rf"\(([A-Za-z]+[{_STRESS}]?(?:(?:-|[{_STRESS}]|\s)+[A-Za-z]+[{_STRESS}]?)+)\)")
UNIT = _UNIT = r"(?:mg|g|mcg|µg|μg|microgram(?:s)?|milligram(?:s)?|gram(?:s)?|ng|kg|ml|mL|l|L|IU|units?|%|mmol|meq|mEq)"
_AMOUNT = rf"\d+(?:[.,]\d+)?\s?{_UNIT}"
STRENGTH = re.compile(rf"(?<![\w.]){_AMOUNT}(?:\s?/\s?(?:{_AMOUNT}|\d+(?:[.,]\d+)?\s?{_UNIT}|{_UNIT}))*(?!\w)")
PLACEHOLDERS = re.compile(r"test purposes only|lorem ipsum|placeholder|\bto be (?:added|confirmed)\b|\bTBD\b|\bTODO\b|"
                          r"\bXXX+\b|\bdummy\b|\bsample text\b", re.I)
_QRD_SECTION_1 = re.compile(r"^\s*1\.?\s*What (.+?) (?:is|are) and what (?:it|they) (?:is|are) used for", re.I)
MAX_TITLE_LINE_WORDS = 8
MAX_TITLE_LINES = 8


def pronunciation(lines: list[str]) -> Optional[str]:
    for line in lines:
        for match in _PRONUNCIATION.finditer(line):
            said = match.group(1)
            if re.search(rf"[A-Za-z][{_STRESS}](?:[-\s]|$)", said):  # a quote ending a syllable: its stress
                return said
            syllables = said.split("-")
            if re.fullmatch(r"[A-Za-z]+(?:-[A-Za-z]+)+", said) and any(s.isupper() and len(s) > 1 for s in syllables) \
                    and any(not s.isupper() for s in syllables):
                return said
    return None


def title_lines(blocks: list) -> int:
    """How many opening paragraphs are a label's title lines ("MEDICATION GUIDE", "HUMIRA®
    (Hu-MARE-ah)", "(adalimumab)", "injection"): short, not sentences, not questions."""
    count = 0
    for block in blocks[:MAX_TITLE_LINES]:
        if not isinstance(block, nodes.Paragraph):
            break
        text = block.plain.strip()
        if not text or len(text.split()) > MAX_TITLE_LINE_WORDS or text[-1] in ".:?!;,":
            break
        count += 1
    return count


# A paragraph (or a picture's text) that holds only a word saying the text is missing, in the
# languages of the labels seen: "unavailable", "ikke tilgængelig", "ei saatavilla", "no disponible" …
_MISSING = (r"(?:text |content |image |information )?(?:un|not |currently not )?available|tb[cd]|to be (?:added|confirmed)|"
            r"(?:this (?:section|page) (?:is )?)?intentionally left blank|placeholder|no text|"
            r"ikke tilg(?:æ|e)ngelig|ikke tilgjengelig|(?:inte|ej) tillgänglig|ei saatavilla|ei saatavana|"
            r"no disponible|não disponível|indisponível|μη διαθέσιμο|δεν είναι διαθέσιμο|nicht verfügbar|"
            r"non disponible|indisponible|non disponibile|niet beschikbaar")
_MISSING_TEXT = re.compile(rf"^\W*(?:{_MISSING})\W*$", re.I)
# "No text alternative" and the same in other languages: a picture's text saying it has none.
_NO_ALTERNATIVE = re.compile(r"\b(?:no|without|sin|sem|ingen|intet|kein|keine|pas de|aucun|nessun|geen|χωρίς|ei)\b"
                             r".{0,24}(?:alt\b|alternat|tekstalternativ|vaihtoeh|εναλλακτικ)|^\W*(?:image|picture|"
                             r"figure|graphic|photo|illustration|bild|billede|kuva|imagen|imagem|εικόνα)\W*$", re.I)


def missing_text(text: str) -> bool:
    """A paragraph that only says its text is missing ("unavailable", "ikke tilgængelig")."""
    return bool(_MISSING_TEXT.match(" ".join((text or "").split())))


def missing_alternative(text: str) -> bool:
    """A picture's text that says it has no text alternative (in the label's language), or is missing."""
    text = " ".join((text or "").split())
    return bool(_NO_ALTERNATIVE.search(text) or _MISSING_TEXT.match(text))


def names_the_medicine(title: str, names: list[str]) -> bool:
    """Whether a title names the medicine: one of its names, or a word of four letters or more of
    one ("Atorvastatin Accord 10 mg" names "atorvastatin calcium"), case, marks and punctuation aside."""
    def words(text):
        return re.sub(r"[^\w]+", " ", text.casefold()).split()

    said = words(title)
    joined = f" {' '.join(said)} "
    return any(f" {' '.join(words(name))} " in joined or any(len(w) >= 4 and w in said for w in words(name))
               for name in names if words(name))


def placeholder(text: str) -> Optional[str]:
    match = PLACEHOLDERS.search(text or "")
    return match.group() if match else None


def without_placeholder(text: str) -> str:
    return re.sub(r"^[\s\-–—:|]+|[\s\-–—:|]+$", "", PLACEHOLDERS.sub("", text))


def strengths_in(text: str) -> list[str]:
    found = []
    for match in STRENGTH.finditer(text):
        value = " ".join(match.group().split())
        value = re.sub(rf"(\d)({_UNIT})", r"\1 \2", value)
        if value not in found:
            found.append(value)
    return found


def name_from_qrd(title: str) -> Optional[str]:
    """"1. What Monuril is and what it is used for" → "Monuril" (the EU QRD template)."""
    match = _QRD_SECTION_1.match(title or "")
    return match.group(1).strip() if match else None


def sort_strengths(values: list[str]) -> list[str]:
    def key(value):
        number = re.match(r"\d+(?:[.,]\d+)?", value)
        return float(number.group().replace(",", ".")) if number else 0.0

    return sorted(dict.fromkeys(values), key=key)


_COUNTABLE = {"tablet": "tablets", "capsule": "capsules", "lozenge": "lozenges", "suppository": "suppositories",
              "patch": "patches", "pastille": "pastilles", "pessary": "pessaries", "film": "films"}


def readable_form(text: str) -> str:
    """An FDA dose form as a leaflet says it: "TABLET, FILM COATED" → "film-coated tablets",
    "CAPSULE" → "capsules", "INJECTION, SOLUTION" → "injection, solution"."""
    text = " ".join((text or "").split())
    if not text.isupper():
        return text
    parts = [p.strip() for p in text.lower().split(",")]
    if parts[0] in _COUNTABLE:
        modifiers = [re.sub(r"^(\w+) (coated|release|releasing)$", r"\1-\2", p) for p in parts[1:]]
        return " ".join(modifiers + [_COUNTABLE[parts[0]]])
    return ", ".join(parts)


def strengths_near(text: str, name: str, form: str) -> list[str]:
    """Strengths printed right after the medicine's name ("MONURIL 3 g"), or before its form
    ("the 75 mg and 125 mg tablets")."""
    found = []
    for match in re.finditer(rf"\b{re.escape(name)}\W{{0,3}}\s+({STRENGTH.pattern})", text, re.I):
        found.append(match.group(1))
    word = (form or "").split()[0].lower().rstrip("s") if form else ""
    if word:
        chain = rf"((?:{STRENGTH.pattern})(?:\s*(?:,|and|or)\s*(?:{STRENGTH.pattern}))*)\s+{re.escape(word)}s?\b"
        for match in re.finditer(chain, text, re.I):
            found.extend(STRENGTH.findall(match.group(1)))
    return sort_strengths([" ".join(re.sub(rf"(\d)({_UNIT})", r"\1 \2", s).split()) for s in found])


def form_after(text: str, name: str, strength: str) -> str:
    """"MONURIL 3 g granules for oral solution Fosfomycin" → "granules for oral solution"."""
    number = re.escape(strength.split()[0])
    match = re.search(rf"\b{re.escape(name)}\W{{0,3}}\s+{number}\s?\S*\s+((?:[a-z][a-z-]*\s?)+)", text, re.I)
    if not match:
        return ""
    words = []
    for word in match.group(1).split():
        if word[0].isupper() and words:
            break
        words.append(word)
    return " ".join(words).strip()
