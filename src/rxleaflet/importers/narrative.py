"""A label's narrative (XHTML, or SPL mapped to XHTML names) as blocks, its mess turned into structure.

One vocabulary in: ``p div ul ol li table tr th td caption h1–h6 img a b strong i em u
span sup sub br``. What comes out are the nodes of ``nodes``, with headings still flat
(``outline`` nests them).  The rules for real-world mess live here:

* text loose in a ``div`` beside blocks becomes paragraphs, and a line break splits a
  paragraph in two;
* lines starting with a bullet ("• ", "- ", "– ", "▪ ") become list items;
* a ``ul`` directly inside a ``ul`` (or an ``li`` holding only a list) nests under the
  item before it;
* tables are ``tables``': header cells decided, spans kept, or a table that only lays
  things out read as its cells' blocks;
* an item holding more than its text and one list is split: what follows its list comes
  after the list, and the list goes on afterwards;
* adjacent lists of the same kind are one list, and a list right after an item ending in
  ":" nests under that item.
"""
from __future__ import annotations

import copy
import re
from typing import Callable, Optional

from . import nodes, tables
from .medicine import missing_text
from .outline import NOT_HEADING_END
from .markup import BREAK, PLAIN, Runs, Style, to_markup

_INLINE = {"b", "strong", "i", "em", "u", "ins", "span", "a", "sup", "sub", "font", "small", "big", "code",
           "abbr", "cite", "q", "s", "strike", "del", "dfn", "kbd", "samp", "var", "tt", "label", "time", "mark"}
_CONTAINERS = {"div", "section", "article", "blockquote", "main", "aside", "header", "footer", "figure", "center",
               "dl", "dd", "dt", "body", "html", "thead", "tbody", "tfoot", "pre", "address", "nav", "td", "th"}
_SKIP = {"style", "script", "colgroup", "col", "head", "title", "meta", "link", "hr"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS_IN_INLINE = {"p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "caption"}
# A bullet typed as text: a bullet sign, a dash before a space, or Word's "o" before a no-break
# space, a tab or two spaces (its second-level bullet; "o " alone is a word in Spanish).
_BULLET = re.compile(r"^\s*([•●▪◦■□➢►‣⁃·○\uf0b7\uf0a7\uf0d8]|[-–—](?=\s)|o(?=[\u00a0\t]|\s\s))\s*")
# How deep a typed bullet is: Word's default bullets are •, o, ▪ for levels 1, 2, 3.
_BULLET_LEVEL = {"o": 2, "◦": 2, "○": 2, "\uf0a7": 3, "▪": 3, "■": 3, "□": 3}
_INLINE_BULLET = re.compile(r"\s+•\s+")  # "• a • b" in one line


def tag(element) -> str:
    name = element.tag if isinstance(element.tag, str) else ""
    return name.rsplit("}", 1)[-1].lower()


class Narrative:
    """Converts narratives; ``link`` turns an href into a usable target (or None: print as text),
    ``figure`` turns an ``img`` into blocks (a Figure, or a Note when it is left out)."""

    def __init__(self, log: nodes.Log, link: Callable[[str, str], Optional[str]], figure: Callable):
        self.log = log
        self.link = link
        self.figure = figure

    # -- blocks ------------------------------------------------------------------
    def blocks(self, container, loose: bool = True) -> list:
        """The blocks of a container; ``loose``: its own text is loose text (a div's, not a p's)."""
        out: list = []
        runs = Runs()
        pending: list = []  # figures met inside the current run of text

        def flush():
            nonlocal runs, pending
            out.extend(self._paragraphs(runs, loose))
            out.extend(pending)
            runs, pending = Runs(), []

        self._text(runs, container.text, PLAIN)
        for child in container:
            name = tag(child)
            if name in _INLINE or name in ("br", "img") and runs.plain():
                self._inline(child, runs, PLAIN, pending)
            elif name == "img":
                flush()
                out.extend(self.figure(child))
            elif name in ("ul", "ol"):
                flush()
                out.extend(self.list_blocks(child))
            elif name == "li":  # an item outside a list: a list of one, merged with its neighbours
                flush()
                out.extend(self._items_as_list([child], tails=False))
            elif name == "table":
                flush()
                out.extend(self.table_blocks(child))
            elif name in _HEADINGS:
                flush()
                heading = Runs()
                self._inline_children(child, heading, PLAIN, pending)
                if not heading.is_blank():
                    out.append(nodes.Heading(to_markup(heading.strip()), _HEADINGS[name]))
            elif name in _SKIP or name == "br":
                pass
            elif name == "p" or name in _CONTAINERS or name == "caption":
                flush()
                out.extend(self.blocks(child, loose=name not in ("p", "td", "th", "caption", "dt", "dd")))
            else:
                self.log.note(f"<{name}> is not a narrative element: read as text")
                self._inline(child, runs, PLAIN, pending)
            self._text(runs, child.tail, PLAIN)
        flush()
        return merge_lists(out)

    def _paragraphs(self, runs: Runs, loose: bool = False) -> list:
        """Text: paragraphs split at line breaks; bullet lines as list items; a bold question
        opening a paragraph ("<b>What is X?</b> X is …") its own line, and in loose text any bold
        opening with no closing punctuation ("<b>Warnings</b> Talk to …") too."""
        out: list = []
        for piece in runs.pieces():
            piece = piece.strip()
            if piece.is_blank():
                continue
            lead = piece.starts_bold()
            head = Runs(piece[:lead]).strip().plain()
            if head and (head[-1] == "?" or loose and head[-1] not in NOT_HEADING_END and len(head.split()) <= 12):
                out.append(paragraph(Runs(piece[:lead]).strip()))
                piece = Runs(piece[lead:]).strip()
            bullet = _BULLET.match("".join(c for c, _ in piece))
            if bullet:
                items = [to_markup(part) for part in _split_inline_bullets(Runs(piece[bullet.end():]))]
                out.append(nodes.ListBlock(False, [nodes.Item(text) for text in items if text],
                                           level=_BULLET_LEVEL.get(bullet.group(1), 1)))
                continue
            out.append(paragraph(piece))
            if missing_text(out[-1].plain):
                out[-1].review = (f"this paragraph only says its text is missing (“{out[-1].plain}”): write the "
                                  "label's text, or delete it")
                self.log.warn(f"a paragraph that only says “{out[-1].plain}” is kept, marked REVIEW")
        return out

    # -- lists -------------------------------------------------------------------
    def list_blocks(self, element) -> list:
        """A list: usually one ListBlock, more blocks when an item holds more than text and a list."""
        return self._items_as_list(list(element), ordered=tag(element) == "ol", lead=element.text)

    def _items_as_list(self, children, ordered=False, lead=None, tails=True) -> list:
        out: list = []
        items: list[nodes.Item] = []

        def close():
            nonlocal items
            if items:
                out.append(nodes.ListBlock(ordered, items))
            items = []

        def nest(sub: nodes.ListBlock):
            if items:
                attach(items[-1], sub)
            else:
                items.extend(sub.items)  # nothing to nest under: the items stand at this level

        def loose(text):
            runs = Runs()
            self._text(runs, text, PLAIN)
            for block in self._paragraphs(runs):
                items.extend([nodes.Item(block.text)] if isinstance(block, nodes.Paragraph) else block.items)

        loose(lead)
        for child in children:
            name = tag(child)
            if name in ("ul", "ol"):
                blocks = self.list_blocks(child)
                if blocks and isinstance(blocks[0], nodes.ListBlock):
                    nest(blocks.pop(0))
                if blocks:
                    close()
                    out.extend(blocks)
            elif name == "li":
                text, sub, rest = self._item_parts(child)
                if text:
                    items.append(nodes.Item(text, sub))
                elif sub is not None:
                    nest(sub)
                if rest:
                    close()
                    out.extend(rest)
            elif name in _SKIP:
                pass
            elif name == "caption":  # a list's caption: a paragraph before it
                close()
                out.extend(self.blocks(child, loose=False))
            else:  # text or other elements loose in a list: items of their own
                alone = copy.copy(child)
                alone.tail = None  # read below, with the other loose text
                for block in self.blocks(_Wrapper(alone)):
                    if isinstance(block, nodes.Paragraph):
                        items.append(nodes.Item(block.text))
                    elif isinstance(block, nodes.ListBlock):
                        nest(block)
                    else:
                        close()
                        out.append(block)
            if tails:
                loose(child.tail)
        close()
        return merge_lists(out)

    def _item_parts(self, element):
        """(text, sublist, blocks after them) of an item."""
        blocks = self.blocks(element, loose=False)
        runs = Runs()
        while blocks and isinstance(blocks[0], nodes.Paragraph) and blocks[0].runs is not None:
            if runs:
                runs.append((" ", PLAIN))
            runs.extend(blocks.pop(0).runs)  # joined as characters, so that markup is written once
        sub = blocks.pop(0) if blocks and isinstance(blocks[0], nodes.ListBlock) else None
        return to_markup(runs), sub, blocks

    # -- tables ------------------------------------------------------------------
    def table_blocks(self, element) -> list:
        return tables.table_blocks(self, element)

    # -- inline ------------------------------------------------------------------
    def _text(self, runs: Runs, text, style: Style) -> None:
        if text:
            runs.add(text, style)

    def _inline(self, element, runs: Runs, style: Style, pending: list) -> None:
        name = tag(element)
        if name == "br":
            runs.append(BREAK)
            return
        if name == "img":
            pending.extend(self.figure(element))
            return
        if name in ("b", "strong"):
            style = Style(True, style.italic, style.underline, style.link)
        elif name in ("i", "em", "cite", "dfn", "var"):
            style = Style(style.bold, True, style.underline, style.link)
        elif name in ("u", "ins"):
            self.log.note("underlined text is written as emphasis (rxleaflet never underlines)")
            style = Style(style.bold, style.italic, True, style.link)
        elif name in ("sup", "sub"):
            self.log.note("superscript and subscript are written as plain text")
            if self._superscript(element, runs, style, name):
                return
        elif name == "a":
            text = "".join(element.itertext())
            target = self.link(element.get("href", ""), text)
            style = Style(style.bold, style.italic, style.underline, target)
        self._inline_children(element, runs, style, pending)

    def _superscript(self, element, runs: Runs, style: Style, name: str) -> bool:
        """A raised or lowered mark glued to a word: a power of a unit ("m<sup>2</sup>") in
        Unicode's superscript digits (m²), a formula's count in its subscript digits (H₂O),
        anything else (a footnote mark after a word:
        "Pharyngitis<sup>2</sup>") kept apart from the word by a space, so that it is not
        read as part of it ("Pharyngitis2").  Done here when it applies; else False."""
        text = "".join(element.itertext())
        before = "".join(entry[0] for entry in runs[-3:] if entry is not BREAK)
        if not text.strip() or not before or before[-1].isspace():
            return False
        if name == "sup" and text.isdigit() and _UNIT_POWER.search(before):
            runs.add(text.translate(_SUPERSCRIPT_DIGITS), style)
            return True
        if name == "sub" and text.isdigit():  # a formula: H₂O
            runs.add(text.translate(_SUBSCRIPT_DIGITS), style)
            return True
        if before[-1].isalnum() and text[0].isalnum():
            runs.add(" ", style)  # the element's own text follows, apart from the word
        return False

    def _inline_children(self, element, runs: Runs, style: Style, pending: list) -> None:
        self._text(runs, element.text, style)
        for child in element:
            if tag(child) in _SKIP:
                pass
            elif tag(child) in _BLOCKS_IN_INLINE or tag(child) in _HEADINGS:
                runs.append(BREAK)  # a block inside inline text: its own line
                self._inline_children(child, runs, style, pending)
                runs.append(BREAK)
            else:
                self._inline(child, runs, style, pending)
            self._text(runs, child.tail, style)


# A unit a power follows: "m2", "cm3", "mm2" (metres of a surface or volume).
_UNIT_POWER = re.compile(r"(?<![A-Za-z])(?:[cdkmµμ]?m)$")
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class _Wrapper:
    """One element seen as a container of itself (for text loose in a list)."""

    def __init__(self, element):
        self.text, self._children, self.tag = None, [element], "div"

    def __iter__(self):
        return iter(self._children)


def paragraph(runs: Runs) -> nodes.Paragraph:
    return nodes.Paragraph(to_markup(runs), runs.plain(), runs.strong(), runs)


def _split_inline_bullets(runs: Runs) -> list[Runs]:
    text = "".join(c for c, _ in runs)
    parts, start = [], 0
    for match in _INLINE_BULLET.finditer(text):
        parts.append(Runs(runs[start:match.start()]))
        start = match.end()
    parts.append(Runs(runs[start:]))
    return parts


def _nest_deeper(item: nodes.Item, sub: nodes.ListBlock) -> None:
    """Typed bullets of a deeper level under the last item of the level above them."""
    below = item.sublist
    if below is not None and below.items and 0 < below.level < sub.level:
        _nest_deeper(below.items[-1], sub)
    else:
        attach(item, sub)


def attach(item: nodes.Item, sub: nodes.ListBlock) -> None:
    if item.sublist is None:
        item.sublist = sub
    elif item.sublist.ordered == sub.ordered:
        item.sublist.items.extend(sub.items)
    else:  # a list of the other kind right after: under the last nested item
        attach(item.sublist.items[-1], sub)


def merge_lists(blocks: list) -> list:
    out: list = []
    for block in blocks:
        if isinstance(block, nodes.ListBlock) and out and isinstance(out[-1], nodes.ListBlock) and out[-1].items:
            last = out[-1].items[-1]
            if block.level > max(out[-1].level, 1) and block.items:
                _nest_deeper(last, block)  # "o with longer use" typed under the item before it
            elif last.sublist is None and last.text.rstrip("*").endswith(":") and block.items:
                last.sublist = block  # "… any of these symptoms:" and the list (a table of bullets) after it
            elif out[-1].ordered == block.ordered:
                out[-1].items.extend(block.items)
            else:
                out.append(block)
        elif not (isinstance(block, nodes.ListBlock) and not block.items):
            out.append(block)
    return out
