"""YAML for leaflet text: the traps authors fall into, read leniently or explained at their line.

Leaflet text is prose, and prose often starts with characters that YAML
reads as syntax.  Two traps are avoided altogether: an item or paragraph
that starts with ``**bold**`` or ``*emphasis*`` is read as text (YAML would
take the ``*`` for an alias and fail), and the loader reads ``- Note: take
with food`` as text (see ``leaflet.py``).  Every other trap is a syntax error
that :func:`explain` turns into a message at the line to fix, saying what to
do: almost always, put the text in quotes.
"""
from __future__ import annotations

import re
from typing import Optional

import yaml

_ANCHOR_CHARS = re.compile(r"[0-9A-Za-z_-]")
_ALIAS_END = "\0 \t\r\n\x85\u2028\u2029?:,]}%@`"
_QUOTE_IT = "put the text in quotes"


class _TextScanner:
    """A scanner mixin: a ``*`` that cannot start an alias starts plain text instead.

    ``**Do not** drive`` and ``*Never* double the dose`` are errors in YAML;
    here they are the text the author wrote.  A file YAML can read is read
    exactly as before: only what would have been a syntax error changes.
    """

    def fetch_alias(self):
        if self._starts_alias():
            return super().fetch_alias()
        return self.fetch_plain()

    def _starts_alias(self) -> bool:
        length = 1
        while _ANCHOR_CHARS.match(self.peek(length)):
            length += 1
        return length > 1 and self.peek(length) in _ALIAS_END


class TextLoader(_TextScanner, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader with the lenient ``*`` (the C loader cannot be changed)."""


def compose(text: str, fast_loader):
    """The composed document: with the C loader, or, where a ``*`` stopped it, the lenient one."""
    try:
        return yaml.compose(text, Loader=fast_loader)
    except yaml.MarkedYAMLError as err:
        if not about_alias(err):
            raise
    return yaml.compose(text, Loader=TextLoader)


def about_alias(err) -> bool:
    return err.context == "while scanning an alias" or (err.problem or "").startswith("found undefined alias")


def explain(text: str, err: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """(line, column, message), 1-based: where the author has to look, and what to do there."""
    mark = err.problem_mark or err.context_mark
    found = (_tab(text, err) or _unclosed_quote(text, err) or _missing_colon(text, err)
             or _indicator(text, err, mark))
    if found:
        return found
    problem = err.problem or err.context or "invalid YAML"
    return mark.line + 1, mark.column + 1, f"YAML syntax error: {problem}{_advice(problem)}"


def _tab(text: str, err) -> Optional[tuple[int, int, str]]:
    """A tab used for indentation, on a line the error points at."""
    lines = text.split("\n")
    for mark in (err.problem_mark, err.context_mark):
        if mark is None or mark.line >= len(lines):
            continue
        line = lines[mark.line]
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return (mark.line + 1, indent.index("\t") + 1,
                    "a tab indents this line; YAML indents with spaces only: replace the tab with spaces")
    return None


def _tokens_before(text: str):
    """The tokens YAML read before it stopped."""
    tokens = []
    try:
        for token in yaml.scan(text, Loader=TextLoader):
            tokens.append(token)
    except yaml.YAMLError:
        pass
    return tokens


def _unclosed_quote(text: str, err) -> Optional[tuple[int, int, str]]:
    """A quote never closed, or closed only by the next text's opening quote lines later."""
    if err.context == "while scanning a quoted scalar" and err.context_mark is not None:
        start = err.context_mark
    else:
        problem = err.problem_mark
        quoted = [t for t in _tokens_before(text) if isinstance(t, yaml.ScalarToken) and t.style in ("'", '"')]
        last = quoted[-1] if quoted else None
        # A quoted text that runs over lines and ends on the line YAML stumbled on.
        if (last is None or problem is None or last.start_mark.line == last.end_mark.line
                or last.end_mark.line != problem.line):
            return None
        start = last.start_mark
    quote = text[start.index] if start.index < len(text) else '"'
    return (start.line + 1, start.column + 1,
            f"the quote {quote} opened here is not closed on its line (YAML reads on to the next {quote}); "
            f"end the text with {quote}")


def _missing_colon(text: str, err) -> Optional[tuple[int, int, str]]:
    """A key written without its colon: YAML notices only on a later line."""
    if err.context == "while scanning a simple key" and err.context_mark is not None:
        start = err.context_mark
    elif (err.problem or "").startswith("mapping values are not allowed"):
        scalars = [t for t in _tokens_before(text) if isinstance(t, yaml.ScalarToken)]
        last = scalars[-1] if scalars else None
        problem = err.problem_mark
        if last is None or problem is None:
            return None
        if last.start_mark.line == problem.line:  # key: text: more, all on one line
            return (problem.line + 1, problem.column + 1,
                    f"text with ': ' in it is read as a key; {_QUOTE_IT} (key: \"Note: take with food\")")
        start = last.start_mark  # "name Diazepam" ran on into the next line's key
        line_start = text.rfind("\n", 0, start.index) + 1
        if text[line_start:start.index].rstrip().endswith(":"):
            # "heading: X" then a key indented further: the key is read as more of X.
            indent = len(text[line_start:start.index]) - len(text[line_start:start.index].lstrip(" -"))
            return (problem.line + 1, 1, f"this line is indented further than the key above it, so YAML reads "
                                         f"it as more of that key's text; indent its key like the one above "
                                         f"(column {indent + 1})")
    else:
        return None
    return (start.line + 1, start.column + 1,
            "this line has no ':' after its key; write it as key: value "
            "(or, if it goes on with the text above, indent it further or put that text in quotes)")


def _indicator(text: str, err, mark) -> Optional[tuple[int, int, str]]:
    """Text that starts with a character YAML reads as syntax."""
    context = err.context or ""
    if context == "while scanning for the next token" and mark.index < len(text):
        char = text[mark.index]
        return (mark.line + 1, mark.column + 1,
                f"text cannot start with {char} in YAML; {_QUOTE_IT} (- \"{char}…\")")
    if context == "while scanning a block scalar" and err.context_mark is not None:
        start = err.context_mark
        char = text[start.index]
        return (start.line + 1, start.column + 1,
                f"{char} at the start of a value begins a block of text on the lines below; "
                f"text that starts with {char} must be in quotes (- \"{char} 5 mg\")")
    if context == "while scanning an anchor" and err.context_mark is not None:
        start = err.context_mark
        return start.line + 1, start.column + 1, f"text cannot start with & in YAML; {_QUOTE_IT}"
    if about_alias(err):
        start = err.context_mark if context else err.problem_mark
        return start.line + 1, start.column + 1, f"text cannot start with *name in YAML (an alias); {_QUOTE_IT}"
    # A whole [list] or {mapping} was read, then more text followed it on the line.
    flow = _flow_start(text, mark.line) if context.startswith("while parsing a block") else None
    if flow is not None:
        return (mark.line + 1, flow + 1,
                f"text that starts with {text.split(chr(10))[mark.line][flow]} is read as a YAML list or mapping; "
                f"{_QUOTE_IT}")
    return None


def _flow_start(text: str, line_number: int) -> Optional[int]:
    """The column of a [ or { that starts a value on this line, if one does."""
    lines = text.split("\n")
    if line_number >= len(lines):
        return None
    found = re.match(r"^[ ]*(?:- +)*(?:[^\s#:\[{][^:#\[{]*: +)?([\[{])", lines[line_number])
    return found.start(1) if found else None


def events(text: str, fast_loader):
    """The parse events of a document :func:`compose` has read, read the same way."""
    try:
        return list(yaml.parse(text, Loader=fast_loader))
    except yaml.MarkedYAMLError:
        return list(yaml.parse(text, Loader=TextLoader))


def unused_anchor(text: str, fast_loader) -> Optional[tuple[int, int, str]]:
    """An anchor nothing refers to: text that started with ``&word``, which YAML dropped."""
    if "&" not in text:
        return None
    found = events(text, fast_loader)
    used = {event.anchor for event in found if isinstance(event, yaml.AliasEvent)}
    for event in found:
        if getattr(event, "anchor", None) and not isinstance(event, yaml.AliasEvent) and event.anchor not in used:
            mark = event.start_mark
            return (mark.line + 1, mark.column + 1,
                    "YAML reads a word that starts with & as an anchor and drops it from the text; "
                    "text that starts with & must be in quotes")
    return None


# PyYAML's words for a line indented off its list or mapping, and for a colon in text.
_ADVICE = {
    "did not find expected key": "; check the indentation here and on the line above: the keys of one block, "
                                 "and the items of one list, start in the same column",
    "expected <block end>": "; check the indentation here and on the line above: the keys of one block, "
                            "and the items of one list, start in the same column",
    "did not find expected '-' indicator": "; check the indentation here and on the line above: the items of "
                                           "one list start in the same column",
    "mapping values are not allowed here": "; a text with ': ' in it must be in quotes, and a key must start "
                                           "in the column of the keys beside it",
}


def _advice(problem: str) -> str:
    """What to do about a syntax error PyYAML names (indentation, a colon in text), or ""."""
    return next((advice for words, advice in _ADVICE.items() if problem.startswith(words)), "")
