"""What the checks need to know of a language, read from the data files in ``languages/``.

``all.yaml`` holds what every language shares (units, ISMP's error-prone abbreviations);
``<code>.yaml`` a language's own: its decimal mark, dose words, the words of each fix, its
reading index, its sentence length and its jargon list.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

FOLDER = Path(__file__).parent / "languages"


@dataclass(frozen=True)
class Language:
    code: str
    decimal_mark: str
    sentence_words: int
    dose_words: tuple[str, ...] = ()
    fixes: dict = field(default_factory=dict)
    readability: Optional[dict] = None  # index, formula, coefficients, target, limit
    jargon: dict = field(default_factory=dict)

    def fix(self, english: str) -> str:
        """The words of a fix in this language (English where the file has none)."""
        return self.fixes.get(english, english)


@functools.lru_cache(maxsize=None)
def shared() -> dict:
    return _read("all")


@functools.lru_cache(maxsize=None)
def language(code: str) -> Language:
    """The language ``code`` (a primary subtag: "en", "es" …); one without a file gets the defaults."""
    own_file = shared()["like"].get(code, code)
    own = _read(own_file) if (FOLDER / f"{own_file}.yaml").is_file() else {}
    data = {**shared()["defaults"], **own}
    english = _read("en")["fixes"]
    return Language(code, data["decimal_mark"], data["sentence_words"], tuple(data.get("dose_words", ())),
                    {**english, **data.get("fixes", {})}, data.get("readability"), data.get("jargon", {}))


def _read(name: str) -> dict:
    return yaml.safe_load((FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))
