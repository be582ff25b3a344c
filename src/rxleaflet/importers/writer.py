"""An imported leaflet written as the YAML an author would write: block style, comments, safe quoting.

``to_data`` turns the nodes into plain data (dicts, lists, texts) with ``Comment``s where the
file gets a comment; ``dump`` prints that data.  Every text is written plain when YAML reads
it back as the same text, folded (``>-``) when it is long, double-quoted otherwise; the
result is read back and compared before it is returned, so a text can never change on the way.
"""
from __future__ import annotations

import datetime
import json
import textwrap

import yaml

from . import nodes

WIDTH = 92  # longest line aimed at


class Comment(str):
    """A comment line in the output (as a list element, or as a key of a mapping)."""


def to_data(leaflet: nodes.Leaflet, warnings: list[str], notes: list[str]) -> dict:
    data: dict = {Comment(line): None for line in leaflet.comments}
    for heading, lines in (("Warnings (also printed when importing):", warnings), ("Notes:", notes)):
        if lines:
            data[Comment(heading)] = None
            data.update({Comment(f"- {line}"): None for line in lines})
    data["lang"] = leaflet.lang
    data["title"] = leaflet.title
    medicine = leaflet.medicine
    m: dict = {}
    for key, why in leaflet.review.items():
        m[Comment(f"REVIEW: {key}: {why}")] = None
    m["name"] = medicine.name
    if len(medicine.strengths) == 1:
        m["strength"] = medicine.strengths[0]
    elif medicine.strengths:
        m["strengths"] = list(medicine.strengths)
    if medicine.form:  # left out (with a REVIEW line) where the label gives none
        m["form"] = medicine.form
    if medicine.brand_names:
        m["brand_names"] = list(medicine.brand_names)
    if medicine.pronunciation:
        m["pronunciation"] = medicine.pronunciation
    data["medicine"] = m
    data["revised"] = datetime.date.fromisoformat(leaflet.revised)
    data["source"] = leaflet.source
    if leaflet.profile:
        data["profile"] = leaflet.profile
    data["sections"] = _blocks(leaflet.blocks)
    return data


def _blocks(blocks) -> list:
    out = []
    for block in blocks:
        if isinstance(block, nodes.Paragraph) and block.review:
            out.append(Comment(f"REVIEW: {block.review}"))
        out.append(_block(block))
    return out


def _block(block):
    if isinstance(block, nodes.Note):
        return Comment(block.text)
    if isinstance(block, nodes.Paragraph):
        return block.text
    if isinstance(block, nodes.ListBlock):
        return {"numbered" if block.ordered else "bullets": _items(block.items)}
    if isinstance(block, nodes.Section):
        section = {"heading": block.heading}
        if block.id:
            section["id"] = block.id
        section["content"] = _blocks(block.blocks)
        return section
    if isinstance(block, nodes.Box):
        box = {"title": block.title} if block.title else {}
        box["content"] = _blocks(block.blocks)
        return {block.kind: box}
    if isinstance(block, nodes.Table):
        table: dict = {}
        if block.review:
            table[Comment(f"REVIEW: {block.review}")] = None
        if block.caption:
            table["caption"] = block.caption
        if block.layout:
            table["layout"] = True
        elif block.header_rows > 1:
            table["header_rows"] = block.header_rows
        else:
            table["header_row"] = block.header_rows == 1
        if block.header_column:
            table["header_column"] = True
        table["rows"] = [[_cell(cell) for cell in row] for row in block.rows]
        return {"table": table}
    if isinstance(block, nodes.Figure):
        figure: dict = {}
        if block.review:
            figure[Comment(f"REVIEW: {block.label}: {block.review}. Write what it shows as 'alt' "
                           "(or 'decorative: true'), and put its file at 'image'.")] = None
        figure["image"] = block.image
        if block.alt:
            figure["alt"] = block.alt
        if block.caption:
            figure["caption"] = block.caption
        return {"figure": figure}
    raise TypeError(f"no YAML for {type(block).__name__}")


def _cell(cell):
    if isinstance(cell, nodes.Spanning):
        spanning = {"cell": _cell(cell.cell)}
        if cell.rows > 1:
            spanning["rowspan"] = cell.rows
        if cell.columns > 1:
            spanning["colspan"] = cell.columns
        return spanning
    return cell if isinstance(cell, str) else _blocks(cell)


def _items(items) -> list:
    out = []
    for item in items:
        if item.sublist is None:
            out.append(item.text)
        else:
            out.append({"text": item.text, "numbered" if item.sublist.ordered else "bullets": _items(item.sublist.items)})
    return out


def without_comments(data):
    if isinstance(data, dict):
        return {k: without_comments(v) for k, v in data.items() if not isinstance(k, Comment)}
    if isinstance(data, list):
        return [without_comments(v) for v in data if not isinstance(v, Comment)]
    return data


# -- printing ----------------------------------------------------------------------
def dump(data: dict) -> str:
    lines: list[str] = []
    _mapping(data, 0, lines)
    text = "\n".join(lines) + "\n"
    loaded = yaml.safe_load(text)
    expected = without_comments(data)
    if loaded != expected:  # a bug in this module, never the label's fault
        raise AssertionError("the YAML written does not read back as the imported content")
    return text


def _mapping(data: dict, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        if isinstance(key, Comment):
            _comment(key, pad, lines)
        elif isinstance(value, bool):
            lines.append(f"{pad}{key}: {'true' if value else 'false'}")
        elif isinstance(value, datetime.date):
            lines.append(f"{pad}{key}: {value.isoformat()}")
        elif isinstance(value, int):
            lines.append(f"{pad}{key}: {value}")
        elif isinstance(value, str):
            _scalar(f"{pad}{key}:", value, indent + 2, lines)
        else:
            lines.append(f"{pad}{key}:")
            _node(value, indent + 2, lines)


def _node(value, indent: int, lines: list[str]) -> None:
    if isinstance(value, dict):
        _mapping(value, indent, lines)
    else:
        _sequence(value, indent, lines)


def _sequence(items: list, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, Comment):
            _comment(item, pad, lines)
        elif isinstance(item, str):
            _scalar(f"{pad}-", item, indent + 2, lines)
        else:
            inner: list[str] = []
            _node(item, indent + 2, inner)
            if inner and not inner[0].lstrip().startswith("#"):
                inner[0] = f"{pad}- {inner[0][indent + 2:]}"
            else:
                lines.append(f"{pad}-")
            lines.extend(inner)


def _comment(text: str, pad: str, lines: list[str]) -> None:
    follow = "  " if text.startswith("- ") else ""
    wrapped = textwrap.wrap(text, max(40, WIDTH - len(pad) - 2), subsequent_indent=follow,
                            break_long_words=False, break_on_hyphens=False) or [""]
    lines.extend(f"{pad}# {line}".rstrip() for line in wrapped)


def _scalar(prefix: str, text: str, indent: int, lines: list[str]) -> None:
    if len(prefix) + 1 + len(text) <= WIDTH or " " not in text:
        lines.append(f"{prefix} {_inline(text)}")
        return
    if not _foldable(text):
        lines.append(f"{prefix} {json.dumps(text, ensure_ascii=False)}")
        return
    lines.append(f"{prefix} >-")
    pad = " " * indent
    line = ""
    for word in text.split(" "):
        # a line never starts with "#": inside the block it is text, but it would read as a comment
        if line and len(pad) + len(line) + 1 + len(word) > WIDTH and not word.startswith("#"):
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(pad + line)


def _inline(text: str) -> str:
    """Plain when YAML reads it back as exactly this text, else double-quoted."""
    if text and text == text.strip() and "\n" not in text and "#" not in text:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _foldable(text: str) -> bool:
    """A ``>-`` block keeps this text exactly: single spaces, nothing YAML treats as a line break."""
    return (text == text.strip(" ") and "  " not in text and not any(c in text for c in "\n\r\t\x85\u2028\u2029")
            and all(c.isprintable() or c == " " for c in text))
