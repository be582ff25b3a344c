"""Complete leaflets: the sections (and sub-headings) a profile requires, present and in order.

A profile is a data file in ``profiles/`` (see ``eu-qrd.yaml``): the sections, the headings
that name each in each language, whether their order matters. The headings a leaflet has
are its section and box titles, its paragraphs written wholly in bold and, where a
profile matches whole headings, any paragraph that is one.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Optional

import yaml

from .. import model
from .texts import Piece

FOLDER = Path(__file__).parent / "profiles"
_NUMBERING = re.compile(r"^\s*(?:section\s+)?\d+(?:\.\d+)*[.)]?\s+", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s'’\-]")


def names() -> list[str]:
    return sorted(path.stem for path in FOLDER.glob("*.yaml"))


@functools.lru_cache(maxsize=None)
def profile(name: str) -> Optional[dict]:
    path = FOLDER / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def normalised(heading: str) -> str:
    text = _NUMBERING.sub("", heading.replace("’", "'")).lower()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def _pattern(wording: str, medicine: str, whole: bool):
    """A heading's wording as a pattern: {medicine} a name of the medicine (``medicine``, a
    pattern) and up to eight words after it (its strength and form), (a|b) either."""
    parts = re.split(r"(\{medicine\}|[()|?*.])", wording.replace("’", "'").lower())
    regex = "".join(medicine if part == "{medicine}" else part if part in "()|?*." else
                    re.escape(_PUNCTUATION.sub("", part)) for part in parts if part)
    return re.compile(regex if whole else rf"(?<!\w){regex}(?!\w)")


def _names(medicine: model.Medicine) -> str:
    """Any of the medicine's names (or "this medicine"), with what may follow it."""
    names = [normalised(name) for name in (medicine.name, *medicine.brand_names)]
    words = "|".join(re.escape(name) for name in sorted(set(names), key=len, reverse=True) if name)
    return rf"(?:{words}|this medicine|your medicine)(?: \S+){{0,8}}?"


def _first_wording(wording: str, medicine: str) -> str:
    """The wording to suggest: the first of each (a|b), the medicine's name in place of {medicine}."""
    text = re.sub(r"\([^()]*\)\?", "", wording)  # optional words left out
    text = re.sub(r"\(([^()|]*)(\|[^()]*)?\)", r"\1", text)
    text = re.sub(r".\?|\.\*", lambda m: m.group()[0] if m.group() != ".*" else "…", text)
    text = " ".join(text.replace("{medicine}", medicine).split())
    return text[:1].upper() + text[1:]


def findings(leaflet: model.Leaflet, pieces: list[Piece], name: str, add) -> None:
    """Call ``add(where, rule, message, suggestion)`` for each missing or misplaced section."""
    rules = profile(name)
    lang = pieces[0].lang
    title = leaflet.title.where
    if rules is None:
        add(title, "unknown-profile", f"no profile '{name}'", f"name one of: {', '.join(names())}")
        return
    if not any(lang in section["headings"] for section in rules["sections"]):
        add(title, "unknown-profile", f"the profile '{name}' has no headings in the language '{lang}'",
            f"add them to rxleaflet/check/profiles/{name}.yaml")
        return
    # A paragraph in bold stands for a sub-heading; so does any paragraph that is a template's
    # heading word for word (imported labels often have their sub-headings as plain lines).
    headings = [p for p in pieces if p.kind == "heading" or (p.kind == "paragraph" and (p.bold or rules["whole_heading"]))]
    found = _find(rules["sections"], headings, leaflet, lang, rules["whole_heading"], 0, len(headings),
                  rules["in_order"])
    last = -1
    for section, position in zip(rules["sections"], found):
        if position is None:
            if not section.get("optional"):
                _missing(section, rules, lang, leaflet, title, add)
            continue
        if rules["in_order"] and position < last:
            add(headings[position].where, "section-order", f"'{headings[position].plain}' comes before a section "
                f"{rules['title']} puts ahead of it", f"move it after the sections of {rules['title']} before it")
        last = max(last, position)
        following = [p for p in found if p is not None and p > position]
        end = min(following) if following else len(headings)
        sub_found = _find(section.get("subheadings", ()), headings, leaflet, lang, rules["whole_heading"],
                          position + 1, end)
        for sub, sub_position in zip(section.get("subheadings", ()), sub_found):
            if sub_position is None and not sub.get("optional"):
                _missing(sub, rules, lang, leaflet, headings[position].where, add)


def _find(sections, headings: list[Piece], leaflet, lang: str, whole: bool, start: int, end: int,
          in_order: bool = False) -> list:
    """The position in ``headings`` (between start and end) of each section's heading, or None.

    In order, each is looked for after the one before it first, and only then anywhere (a
    heading found only before the one before it is out of order)."""
    found, cursor = [], start
    for section in sections:
        wordings = section["headings"].get(lang, ())
        patterns = [_pattern(w, _names(leaflet.medicine), whole) for w in wordings]
        match = (lambda p, text: p.fullmatch(text)) if whole else (lambda p, text: p.search(text))
        places = [i for i in range(start, end) if any(match(p, normalised(headings[i].plain)) for p in patterns)]
        position = next((i for i in places if i >= cursor), None) if in_order else None
        position = position if position is not None else (places[0] if places else None)
        if in_order and position is not None and position >= cursor:
            cursor = position + 1
        found.append(position)
    return found


def _missing(section, rules, lang, leaflet, where, add) -> None:
    wordings = section["headings"].get(lang) or ["(no wording in this language)"]
    medicine = (leaflet.medicine.brand_names or (leaflet.medicine.name,))[0]
    wording = _first_wording(wordings[0], medicine)
    add(where, "missing-section", f"no heading '{wording}' ({rules['title']}: {section['id']})",
        f"add the section '{wording}'" if where is leaflet.title.where else f"add the sub-heading '{wording}' here")
