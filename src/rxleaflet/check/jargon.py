"""Medical words a patient may not know, with an everyday word for each (``jargon:`` in ``languages/*.yaml``)."""
from __future__ import annotations

import functools
import re

from .languages import Language, language


@functools.lru_cache(maxsize=None)
def _pattern(code: str):
    terms = sorted(language(code).jargon, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(rf"(?<![\w-]){re.escape(term)}(?![\w-])" for term in terms), re.IGNORECASE)


def hits(text: str, lang: Language) -> list[tuple[int, int, str, str, str]]:
    pattern = _pattern(lang.code)
    if pattern is None:
        return []
    lowered = {term.lower(): plain for term, plain in lang.jargon.items()}
    return [(match.start(), match.end(), "jargon", f"'{match.group()}' is a medical word",
             f"say '{lowered[match.group().lower()]}'") for match in pattern.finditer(text)]
