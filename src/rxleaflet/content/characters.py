"""Characters in content: which are refused, which show nothing, and how a message writes them."""
from __future__ import annotations

import re
import unicodedata

# C0 controls but tab and line breaks, DEL and C1 controls, non-characters, lone surrogates
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# Characters that show nothing by themselves: spaces, format controls (zero-width
# spaces and joiners, soft hyphens, bidi controls), combining marks with no letter to
# sit on, and the Hangul fillers Unicode marks as default-ignorable.
_INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me", "Mc"}
_INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def is_visible(char: str) -> bool:
    return unicodedata.category(char) not in _INVISIBLE_CATEGORIES and char not in _INVISIBLE_LETTERS


def shown(text: str) -> str:
    """Text for a message, with what a terminal would act on or hide written as U+XXXX."""
    return "".join(c if c == " " or is_visible(c) else f"<U+{ord(c):04X}>" for c in text)


def code_point(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def describe(char: str) -> str:
    return f"'{char}' ({code_point(char)})"


def context(value: str, index: int) -> str:
    start, end = max(0, index - 20), min(len(value), index + 20)
    return f"“{'…' if start else ''}{value[start:end]}{'…' if end < len(value) else ''}”"
