"""The patient text of an official label, read straight from the file (not through the importer).

What the round-trip tests compare a built leaflet with: the words of the patient section in
document order, and its section titles.  Three reading rules, the import's documented
ones, are applied here independently: a table whose cells hold only bullets is read column
by column; bullet marks ("•", "-") are not words; a narrative that opens by repeating its
section's title (and goes on) is read without that repeat; sections without text are not read.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

SPL = "{urn:hl7-org:v3}"
PATIENT_CODES = ("42231-1", "42230-3", "59845-8")
_BLOCK = {"paragraph", "p", "item", "li", "td", "th", "tr", "list", "ul", "ol", "table", "div", "br", "title",
          "caption", "h1", "h2", "h3", "h4", "h5", "h6", "text", "section"}
_BULLETS = {"•", "-", "–", "—", "▪", "●", "◦", "·"}


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""


def _words(element) -> list[str]:
    """Words of an element in reading order; block elements separate words."""
    parts: list[str] = []

    def visit(node):
        name = _local(node)
        if name in ("observationmedia", "colgroup", "style", "script"):
            return
        if name in _BLOCK:
            parts.append(" ")
        text = node.text or ""
        if name in ("sup", "sub"):
            whole = "".join(node.itertext())
            raised = _raised(name, whole, "".join(parts))
            if raised != whole and not raised.startswith(" "):
                text = raised  # digits written as Unicode's raised or lowered digits
            elif raised.startswith(" "):
                parts.append(" ")
        parts.append(text)
        if name == "table" and _bullet_table(node):
            rows = [[c for c in row if _local(c) in ("td", "th")] for row in node.iter() if _local(row) == "tr"]
            for column in range(max(len(r) for r in rows)):
                for row in rows:
                    if column < len(row):
                        visit(row[column])
                        parts.append(" ")
        else:
            for child in node:
                visit(child)
                parts.append(child.tail or "")
        if name in _BLOCK:
            parts.append(" ")

    visit(element)
    return "".join(parts).split()


def _raised(name: str, text: str, before: str) -> str:
    """A superscript or subscript as a reader of the label takes it: a unit's power or a
    formula's count as Unicode digits (m², H₂O), else a word of its own after a word."""
    if text.isdigit() and (name == "sub" or re.search(r"(?<![A-Za-z])[cdkmµμ]?m$", before)):
        return text.translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉" if name == "sub" else "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    if before[-1:].isalnum() and text[:1].isalnum():
        return " " + text
    return text


def _bullet_table(table) -> bool:
    cells = [c for c in table.iter() if _local(c) in ("td", "th")]
    texts = [" ".join("".join(c.itertext()).split()) for c in cells]
    lists = [any(_local(x) in ("ul", "list") for x in c.iter()) for c in cells]
    filled = [(t, has_list) for t, has_list in zip(texts, lists) if t]
    return bool(filled) and all(t[0] in "•" or has_list for t, has_list in filled)


def _without_repeated_title(words: list[str], title: str) -> list[str]:
    def key(ws):
        return [re.sub(r"\W", "", w).casefold() for w in ws]

    for candidate in (title.split(), re.sub(r"^\s*(?:\d+|[A-Z])\.\s+", "", title).split()):
        if candidate and len(words) > len(candidate) and key(words[:len(candidate)]) == key(candidate):
            return words[len(candidate):]
    return words


def spl_patient_text(path) -> tuple[list[str], list[str]]:
    """(words, section titles) of the first patient section of an SPL file."""
    root = ET.parse(path).getroot()
    sections = {}
    for section in root.iter(f"{SPL}section"):
        code = section.find(f"{SPL}code")
        if code is not None and code.get("code") in PATIENT_CODES:
            sections.setdefault(code.get("code"), section)
    section = next(sections[c] for c in PATIENT_CODES if c in sections)

    def read(node, top):
        title = node.find(f"{SPL}title")
        title_text = " ".join("".join(title.itertext()).split()) if title is not None else ""
        text = node.find(f"{SPL}text")
        body = _words(text) if text is not None else []
        if title_text and not top:
            body = _without_repeated_title(body, title_text)
        inner_words, inner_titles = [], []
        for component in node.findall(f"{SPL}component"):
            for sub in component.findall(f"{SPL}section"):
                w, t = read(sub, False)
                inner_words += w
                inner_titles += t
        if not body and not inner_words:
            return [], []
        mine = title_text.split() if title_text else []
        return mine + body + inner_words, ([title_text] if title_text else []) + inner_titles

    words, titles = read(section, True)
    return _without_bullets(words), titles


def epi_patient_text(path) -> tuple[list[str], list[str]]:
    """(words, section titles) of an ePI Bundle's Composition."""
    bundle = json.loads(open(path, encoding="utf-8").read())
    composition = bundle["entry"][0]["resource"]

    def read(sections):
        words, titles = [], []
        for section in sections:
            title = " ".join((section.get("title") or "").split())
            div = (section.get("text") or {}).get("div") or ""
            body = _words(ET.fromstring(div)) if div.strip() else []
            if title:
                body = _without_repeated_title(body, title)
            inner_words, inner_titles = read(section.get("section") or [])
            if not body and not inner_words:
                continue
            words += title.split() + body + inner_words
            titles += ([title] if title else []) + inner_titles
        return words, titles

    words, titles = read(composition.get("section") or [])
    return _without_bullets(words), titles


def _without_bullets(words: list[str]) -> list[str]:
    """Bullet marks are list labels, not words."""
    return [w for w in words if w not in _BULLETS]
