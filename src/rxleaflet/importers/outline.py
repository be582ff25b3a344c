"""Flat narrative blocks into the leaflet's outline: headings, sections, boxes, title lines.

The rules (the README's "Importing official leaflets" lists them for authors):

* A paragraph that is all bold (or underlined) is a **heading** when it is a question
  ("What is HUMIRA?") or a short title (at most 12 words) with no closing punctuation
  ("Cancer", "How do I store LIPITOR"); one that ends in ":" introduces what follows
  and stays a bold paragraph, as does a sentence ("… new medicine.") and a figure label
  ("Figure A", which becomes the caption of the picture after it).
* A heading starts a section that runs to the next heading of its level or above;
  headings from h1–h6 keep their relative levels and bold lines sit below them.  A
  heading with nothing under it stays a bold paragraph.
* A section headed "What is the most important information …" is an **important** box;
  "Read all of this leaflet carefully …" with the list after it is the **intro** box.
* A narrative that opens by repeating its section's title (with or without the
  section number) loses that line when more follows: the heading prints it.
* Sections nest at most five deep under the title; deeper ones are printed as a bold
  line followed by their content.
"""
from __future__ import annotations

import re

from . import nodes
from .markup import escape

MAX_DEPTH = 5  # H2 … H6 under the title
NOT_HEADING_END = ".:;,!”\"'’"
_FIGURE_LABEL = re.compile(r"^(?:figure|fig\.?|diagram|picture|image)\s+\S+$", re.I)
_IMPORTANT = re.compile(r"most important information", re.I)
_INTRO = re.compile(r"read all of this leaflet carefully", re.I)
_NUMBERED_TITLE = re.compile(r"^\s*(?:\d+|[A-Z])\.\s+")


def is_heading_line(block) -> bool:
    if not isinstance(block, nodes.Paragraph) or not block.strong or _FIGURE_LABEL.match(block.plain):
        return False
    words = len(block.plain.split())
    last = block.plain.rstrip()[-1:]
    return (last == "?" and words <= 25) or (last not in NOT_HEADING_END and words <= 12)


def same_words(a: str, b: str) -> bool:
    """The same words, ignoring case, punctuation around them and a leading section number."""
    def key(text):
        return [re.sub(r"\W", "", word).casefold() for word in _NUMBERED_TITLE.sub("", text).split()]

    return any(key(a)) and key(a) == key(b)


def drop_repeated_title(blocks: list, title: str) -> list:
    """Without an opening line that repeats the section's title (when more follows it)."""
    if len(blocks) > 1 and isinstance(blocks[0], (nodes.Paragraph, nodes.Heading)):
        text = blocks[0].plain if isinstance(blocks[0], nodes.Paragraph) else blocks[0].text
        if same_words(text, title):
            return blocks[1:]
    return blocks


def outline(blocks: list) -> list:
    """Headings found in a narrative nested into sections, boxes marked, captions attached."""
    blocks = _captions(blocks)
    blocks = _split_intro(blocks)
    has_h = any(isinstance(b, nodes.Heading) for b in blocks)
    flat = []
    for block in blocks:
        if is_heading_line(block):
            flat.append(nodes.Heading(escape(block.plain), 7 if has_h else 1))  # a heading is bold already
        else:
            flat.append(block)
    flat = _demote_empty_headings(flat)
    root: list = []
    stack = [(0, root)]
    for block in flat:
        if isinstance(block, nodes.Heading):
            while stack[-1][0] >= block.level:
                stack.pop()
            opened = nodes.Section(block.text, [])
            stack[-1][1].append(opened)
            stack.append((block.level, opened.blocks))
        else:
            stack[-1][1].append(block)
    return _boxes(_unempty(root))


def _demote_empty_headings(flat: list) -> list:
    """A heading with nothing under it (the next block is a heading of its level or above, or
    nothing) stays a bold paragraph: "LAB-0348-8.0", "October 2012" at the end of a label."""
    out = []
    for index, block in enumerate(flat):
        if isinstance(block, nodes.Heading):
            following = flat[index + 1] if index + 1 < len(flat) else None
            if following is None or isinstance(following, nodes.Heading) and following.level <= block.level:
                out.append(_bold_line(block.text))
                continue
        out.append(block)
    return out


def _bold_line(text: str) -> nodes.Paragraph:
    return nodes.Paragraph(text if "*" in text else f"**{text}**", text, True)


def _captions(blocks: list) -> list:
    out = []
    for block in blocks:
        if (isinstance(block, nodes.Figure) and out and isinstance(out[-1], nodes.Paragraph)
                and _FIGURE_LABEL.match(out[-1].plain) and block.caption is None):
            block.caption = out.pop().text
        out.append(block)
    return out


def _split_intro(blocks: list) -> list:
    """The QRD sentence "Read all of this leaflet carefully…" starts its own paragraph, and with
    the list after it makes the intro box."""
    out = []
    for block in blocks:
        if isinstance(block, nodes.Paragraph):
            match = _INTRO.search(block.text)
            head = block.text[:match.start()] if match else ""
            if match and match.start() and head.count("*") % 2 == 0 and "[" not in head:
                out.append(nodes.Paragraph(head.rstrip(), head.strip()))
                block = nodes.Paragraph(block.text[match.start():], block.plain[block.plain.find(match.group()):])
        out.append(block)
    result = []
    index = 0
    while index < len(out):
        block = out[index]
        if isinstance(block, nodes.Paragraph) and _INTRO.match(block.plain or block.text):
            content = [block]
            if index + 1 < len(out) and isinstance(out[index + 1], nodes.ListBlock):
                content.append(out[index + 1])
                index += 1
            result.append(nodes.Box("intro", None, content))
        else:
            result.append(block)
        index += 1
    return result


def _unempty(blocks: list) -> list:
    out = []
    for block in blocks:
        if isinstance(block, nodes.Section):
            block.blocks = _unempty(block.blocks)
            if not any(not isinstance(b, nodes.Note) for b in block.blocks):
                out.append(_bold_line(block.heading))
                out.extend(block.blocks)
                continue
        out.append(block)
    return out


def is_important(heading: str) -> bool:
    return bool(_IMPORTANT.search(heading or ""))


def section(heading: str, blocks: list):
    """A section (``heading`` is markup), or the important box for the FDA's "most important information"."""
    return nodes.Box("important", heading, blocks) if is_important(heading) else nodes.Section(heading, blocks)


def _boxes(blocks: list) -> list:
    out = []
    for block in blocks:
        if isinstance(block, nodes.Section):
            block = section(block.heading, _boxes(block.blocks))
        out.append(block)
    return out


def clamp(blocks: list, depth: int = 1) -> list:
    """Sections and boxes deeper than the format allows become a bold line and their content."""
    out = []
    for block in blocks:
        if isinstance(block, (nodes.Section, nodes.Box)):
            inner = clamp(block.blocks, depth + 1)
            title = block.heading if isinstance(block, nodes.Section) else block.title
            if depth > MAX_DEPTH:
                if title:
                    out.append(_bold_line(title))
                out.extend(inner)
                continue
            block.blocks = inner
        out.append(block)
    return out


def slug(text: str, taken: set) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()
    base, length = [], 0
    for word in words:
        if length + len(word) > 40 and base:
            break
        base.append(word)
        length += len(word) + 1
    candidate = "-".join(base) or "section"
    result, n = candidate, 2
    while result in taken:
        result, n = f"{candidate}-{n}", n + 1
    taken.add(result)
    return result
