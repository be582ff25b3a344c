"""Inline markup: ``**bold**``, ``*emphasis*``, links; ``\\*`` is a literal asterisk, any other backslash is printed.

A small subset of CommonMark's emphasis rules, so that authors can write
"2 * 3 = 6" or "5 mg*" and get exactly that: an asterisk opens emphasis only
when the next character is not white space, closes only when the previous
one is not, and an asterisk that finds no partner is printed as written.
``<``, ``>`` and ``&`` have no meaning here at all.

Links: ``[text](target)`` (target https://, http://, mailto:, tel: or #section-id;
``\\[`` and ``\\]`` are literal brackets, and a ``[`` that starts no complete
``[…](…)`` prints as written), and bare web and e-mail addresses, found as they
stand.  Links are found first; emphasis then works across them, and never inside
a bare address (``https://x/a*b`` keeps its asterisk).
"""
from __future__ import annotations

import re

from ..model import Span

# Line breaks, tabs and runs of spaces fold to one space; a no-break space (U+00A0),
# which an author puts in "2 mg" to keep it on one line, stays.
_WHITESPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x85]+")
_ESCAPABLE = "*"  # only "\\*" is an escape: every other backslash prints as written
# A bare address: from its scheme (or "www.") to the next space; trailing punctuation and
# an unbalanced ")" are the sentence's, not the address's (trimmed by _trim_address).
_BARE = re.compile(r"(?:https?://|www\.)[^\s<>\"\[\]]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_TRAILING = ".,;:!?'\"*’”"
_TEL = re.compile(r"^tel:[0-9+\-() ]*[0-9][0-9+\-() ]*$")
_SECTION_ID = re.compile(r"^[a-z0-9-]+$")


def normalise_space(text: str) -> str:
    """Fold line breaks and runs of spaces, as a reader of the page sees them."""
    return _WHITESPACE.sub(" ", text).strip(" ")


def parse_inline(source: str) -> tuple[Span, ...]:
    text, links, verbatim = _find_links(normalise_space(source))
    tokens = _tokenise(text, links, verbatim)
    _pair_delimiters(tokens)
    return _to_spans(tokens)


def target_problem(target: str) -> "str | None":
    """Why an explicit link target cannot be used, or None."""
    lowered = target.lower()
    if lowered.startswith(("https://", "http://")) and len(target.split("://", 1)[1]) > 0 and " " not in target:
        return None
    if lowered.startswith("mailto:") and "@" in target and " " not in target:
        return None
    if lowered.startswith("tel:"):
        return None if _TEL.match(target) else f"'{target}' is not a phone number: tel: takes digits, +, -, spaces and parentheses"
    if target.startswith("#"):
        return None if _SECTION_ID.match(target[1:]) else f"'{target}' is not a section id: after # come a-z, 0-9 and -"
    return f"link target '{target}' is not one of https://…, http://…, mailto:…, tel:… or #section-id"


def _find_links(text: str):
    """The text with link markup resolved: (characters, link of each, verbatim flag of each)."""
    chars: list[str] = []
    links: list = []
    verbatim: list[bool] = []

    def add(part, link=None, exact=False):
        chars.extend(part)
        links.extend([link] * len(part))
        verbatim.extend([exact] * len(part))

    i, n, plain_start = 0, len(text), 0

    def flush(end):
        _add_bare(text[plain_start:end], add)

    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "[]":
            flush(i)
            add(text[i + 1])
            i += 2
            plain_start = i
            continue
        if char == "\\" and i + 1 < n:
            i += 2  # "\\*" and "\\\\" are the emphasis pass's to read
            continue
        if char == "[":
            found = _explicit_link(text, i)
            if found is not None:
                label, target, end = found
                flush(i)
                add(_unescape_brackets(label), target.strip())
                i = plain_start = end
                continue
        i += 1
    flush(n)
    return "".join(chars), links, verbatim


def _explicit_link(text: str, start: int):
    """``[label](target)`` at ``start``: (label, target, end) or None."""
    i, n = start + 1, len(text)
    while i < n and text[i] != "]":
        if text[i] == "[":
            return None
        i += 2 if text[i] == "\\" and i + 1 < n else 1
    if i + 1 >= n or text[i + 1] != "(" or i == start + 1:
        return None
    label_end, depth, j = i, 0, i + 2
    while j < n:
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    if j >= n or not text[i + 2:j].strip():
        return None
    return text[start + 1:label_end], text[i + 2:j], j + 1


def _unescape_brackets(label: str) -> str:
    return label.replace("\\[", "[").replace("\\]", "]")


def _add_bare(plain: str, add) -> None:
    position = 0
    for match in _BARE.finditer(plain):
        address = _trim_address(match.group())
        if not address or (match.start() and (plain[match.start() - 1].isalnum() or plain[match.start() - 1] in "/@.")):
            continue
        add(plain[position:match.start()])
        add(address, _bare_target(address), exact=True)
        position = match.start() + len(address)
    add(plain[position:])


def _trim_address(address: str) -> str:
    while address and (address[-1] in _TRAILING or address[-1] == ")" and address.count("(") < address.count(")")):
        address = address[:-1]
    if "@" in address and "://" not in address and not address.startswith("www."):
        return address if "." in address.split("@", 1)[1] else ""
    return address if "." in address else ""


def _bare_target(address: str) -> str:
    if address.startswith("www."):
        return "https://" + address
    if "://" in address:
        return address
    return "mailto:" + address


class _Delim:
    """A run of one or two asterisks that may open or close emphasis."""

    __slots__ = ("width", "can_open", "can_close", "matched", "link")

    def __init__(self, width, can_open, can_close, link=None):
        self.width = width
        self.can_open = can_open
        self.can_close = can_close
        self.matched = False
        self.link = link  # printed as written when unmatched: inside a link, part of it


class _Literal:
    __slots__ = ("text", "link")

    def __init__(self, text, link):
        self.text = text
        self.link = link


def _tokenise(text: str, links: list, verbatim: list) -> list:
    tokens: list = []
    literal: list[str] = []
    literal_link = None
    i, n = 0, len(text)

    def take(chars: str, link) -> None:
        nonlocal literal, literal_link
        if literal and link != literal_link:
            tokens.append(_Literal("".join(literal), literal_link))
            literal = []
        literal_link = link
        literal.append(chars)

    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE and not verbatim[i]:
            take(text[i + 1], links[i])
            i += 2
            continue
        if char != "*" or verbatim[i]:
            take(char, links[i])
            i += 1
            continue
        run_end = i
        while run_end < n and text[run_end] == "*":
            run_end += 1
        run = run_end - i
        before = text[i - 1] if i else " "
        after = text[run_end] if run_end < n else " "
        can_open = not after.isspace()
        can_close = not before.isspace()
        if run > 3 or not (can_open or can_close):
            take("*" * run, links[i])
        else:
            if literal:
                tokens.append(_Literal("".join(literal), literal_link))
                literal = []
            # "***" is bold and emphasis: split so that pairs nest properly
            widths = [run] if run < 3 else ([2, 1] if can_open and not can_close else [1, 2])
            tokens.extend(_Delim(w, can_open, can_close, links[i]) for w in widths)
        i = run_end
    if literal:
        tokens.append(_Literal("".join(literal), literal_link))
    return tokens


def _pair_delimiters(tokens: list) -> None:
    openers: list[_Delim] = []
    for token in tokens:
        if not isinstance(token, _Delim):
            continue
        if token.can_close:
            partner = next((o for o in reversed(openers) if o.width == token.width), None)
            if partner is not None:
                # openers inside the pair that found no partner stay literal
                del openers[openers.index(partner):]
                partner.matched = token.matched = True
                continue
        if token.can_open:
            openers.append(token)


def _to_spans(tokens: list) -> tuple[Span, ...]:
    spans: list[Span] = []
    bold = italic = False
    for token in tokens:
        if isinstance(token, _Delim):
            if not token.matched:
                _append(spans, "*" * token.width, bold, italic, token.link)
            elif token.width == 2:
                bold = not bold
            else:
                italic = not italic
        else:
            _append(spans, token.text, bold, italic, token.link)
    return tuple(spans)


def _append(spans: list[Span], text: str, bold: bool, italic: bool, link=None) -> None:
    last = spans[-1] if spans else None
    if last is not None and (last.bold, last.italic, last.link) == (bold, italic, link):
        spans[-1] = Span(last.text + text, bold, italic, link)
    else:
        spans.append(Span(text, bold, italic, link))
