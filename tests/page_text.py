"""An HTML or XHTML page read back with the standard library's parser: what is heard, in order, and its elements."""
from __future__ import annotations

import html.parser
from dataclasses import dataclass, field

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INLINE = {"a", "strong", "em", "span", "b", "i", "abbr", "code", "small", "sub", "sup"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)  # Nodes and strings
    parent: "Node | None" = None

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str) -> list["Node"]:
        return [node for node in self.walk() if node.tag == tag]

    @property
    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    def heard(self) -> str:
        """The text a screen reader reads: aria-hidden parts left out, blocks apart."""
        if self.attrs.get("aria-hidden") == "true" or self.tag in ("head", "script", "style"):
            return ""
        inner = "".join(child if isinstance(child, str) else child.heard() for child in self.children)
        return inner if self.tag in INLINE else f" {inner} "

    def lang_in_effect(self) -> str | None:
        node = self
        while node is not None:
            lang = node.attrs.get("lang") or node.attrs.get("xml:lang")
            if lang:
                return lang
            node = node.parent
        return None


class _Parser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):  # XHTML's <td/>, <img/>
        self.current.children.append(Node(tag, {name: value or "" for name, value in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"</{tag}> closes nothing"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(page: bytes) -> Node:
    parser = _Parser()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser.root


def heard_words(page: bytes) -> list[str]:
    return parse(page).heard().split()
