"""Inline markup: ``**bold**``, ``*emphasis*``; ``\\*`` is a literal asterisk, any other backslash is printed.

A small subset of CommonMark's emphasis rules, so that authors can write
"2 * 3 = 6" or "5 mg*" and get exactly that: an asterisk opens emphasis only
when the next character is not white space, closes only when the previous
one is not, and an asterisk that finds no partner is printed as written.
``<``, ``>`` and ``&`` have no meaning here at all.
"""
from __future__ import annotations

import re

from .model import Span

# Line breaks, tabs and runs of spaces fold to one space; a no-break space (U+00A0),
# which an author puts in "2 mg" to keep it on one line, stays.
_WHITESPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x85]+")
_ESCAPABLE = "*"  # only "\\*" is an escape: every other backslash prints as written


def normalise_space(text: str) -> str:
    """Fold line breaks and runs of spaces, as a reader of the page sees them."""
    return _WHITESPACE.sub(" ", text).strip(" ")


def parse_inline(source: str) -> tuple[Span, ...]:
    tokens = _tokenise(normalise_space(source))
    _pair_delimiters(tokens)
    return _to_spans(tokens)


class _Delim:
    """A run of one or two asterisks that may open or close emphasis."""

    __slots__ = ("width", "can_open", "can_close", "matched")

    def __init__(self, width, can_open, can_close):
        self.width = width
        self.can_open = can_open
        self.can_close = can_close
        self.matched = False


def _tokenise(text: str) -> list:
    tokens: list = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            literal.append(text[i + 1])
            i += 2
            continue
        if char != "*":
            literal.append(char)
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
            literal.append("*" * run)
        else:
            if literal:
                tokens.append("".join(literal))
                literal = []
            # "***" is bold and emphasis: split so that pairs nest properly
            widths = [run] if run < 3 else ([2, 1] if can_open and not can_close else [1, 2])
            tokens.extend(_Delim(w, can_open, can_close) for w in widths)
        i = run_end
    if literal:
        tokens.append("".join(literal))
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
                _append(spans, "*" * token.width, bold, italic)
            elif token.width == 2:
                bold = not bold
            else:
                italic = not italic
        else:
            _append(spans, token, bold, italic)
    return tuple(spans)


def _append(spans: list[Span], text: str, bold: bool, italic: bool) -> None:
    if spans and spans[-1].bold == bold and spans[-1].italic == italic:
        spans[-1] = Span(spans[-1].text + text, bold, italic)
    else:
        spans.append(Span(text, bold, italic))
