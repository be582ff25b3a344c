"""Styled characters from a label's narrative, written back as rxleaflet inline markup.

The importers collect text as characters, each with its style (bold, emphasis, link
target); this module folds white space, splits and trims such runs, and writes them as
``**bold**``, ``*emphasis*`` and ``[text](target)`` with every character that would
otherwise be read as markup escaped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

BREAK = None  # a line break (<br/>) in a run of characters
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    link: Optional[str] = None  # a usable target (https:, mailto:, tel:, #id), already checked


PLAIN = Style()


class Runs(list):
    """A list of (character, Style) pairs and BREAKs."""

    def add(self, text: str, style: Style) -> None:
        self.extend((char, style) for char in text)

    def plain(self) -> str:
        return " ".join("".join(entry[0] for entry in self if entry is not BREAK).split())

    def pieces(self) -> list["Runs"]:
        """Split at line breaks."""
        result, current = [], Runs()
        for entry in self:
            if entry is BREAK:
                result.append(current)
                current = Runs()
            else:
                current.append(entry)
        result.append(current)
        return result

    def strip(self) -> "Runs":
        start, end = 0, len(self)
        while start < end and (self[start] is BREAK or self[start][0].isspace()):
            start += 1
        while end > start and (self[end - 1] is BREAK or self[end - 1][0].isspace()):
            end -= 1
        return Runs(self[start:end])

    def is_blank(self) -> bool:
        return not self.plain()

    def strong(self) -> bool:
        """Every letter and digit bold (or underlined): a heading-like line in a label."""
        marks = [e[1].bold or e[1].underline for e in self if e is not BREAK and e[0].isalnum()]
        return bool(marks) and all(marks)

    def starts_bold(self) -> int:
        """The length of a bold or underlined opening (up to the first plain letter), or 0."""
        bold_seen = False
        for index, entry in enumerate(self):
            if entry is BREAK:
                return 0
            char, style = entry
            if char.isalnum():
                if not (style.bold or style.underline):  # only where a word starts, never inside one
                    return index if bold_seen and self[index - 1][0].isspace() else 0
                bold_seen = True
        return 0


def to_markup(runs: Runs) -> str:
    """The inline markup for these characters (line breaks become spaces)."""
    chars = [(" ", PLAIN) if entry is BREAK else entry for entry in runs]
    chars = _fold_space(chars)
    groups: list[tuple[Style, str]] = []
    for char, style in chars:
        style = _effective(char, style, groups)
        if groups and groups[-1][0] == style:
            groups[-1] = (style, groups[-1][1] + char)
        else:
            groups.append((style, char))
    plain = "".join(text for _, text in groups)
    # brackets are escaped wherever they could pair into a link, across styles too
    brackets = any(style.link for style, _ in groups) or ("[" in plain and "](" in plain)
    out = []
    for style, text in groups:
        out.append(_format(text, style, brackets))
    return "".join(out).strip()


def _fold_space(chars):
    result = []
    for char, style in chars:
        if char.isspace() and char != "\u00a0":
            if result and result[-1][0] == " ":
                continue
            char = " "
        result.append((char, style))
    while result and result[0][0] == " ":
        result.pop(0)
    while result and result[-1][0] == " ":
        result.pop()
    return result


def _effective(char: str, style: Style, groups) -> Style:
    """Styles only where they show: a space takes the style before it (markers go outside it)."""
    if style.link:
        return Style(link=style.link)  # link texts are written plain: the link is the emphasis
    if char == " ":
        return groups[-1][0] if groups and not groups[-1][0].link else PLAIN
    return Style(bold=style.bold, italic=style.italic or style.underline)


def escape(text: str, brackets: bool = False) -> str:
    text = text.replace("\\", "\\\\").replace("*", "\\*")
    if brackets or ("[" in text and "](" in text):
        text = text.replace("[", "\\[").replace("]", "\\]")
    return text


def _format(text: str, style: Style, brackets: bool) -> str:
    if style.link:
        return f"[{escape(text.strip(), True)}]({style.link})" if text.strip() else text
    core = text.strip(" ")
    if not (style.bold or style.italic) or not any(c.isalnum() for c in core):
        return escape(text, brackets)
    lead = text[:len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")):]
    mark = ("**" if style.bold else "") + ("*" if style.italic else "")
    return f"{lead}{mark}{escape(core, brackets)}{mark[::-1]}{trail}"
