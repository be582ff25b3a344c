"""Plain language by numbers: sentences, words, syllables, and each language's published reading index.

Syllables are counted with Pyphen (the hyphenation patterns of LibreOffice, by language):
a word has one more syllable than the places it may be hyphenated at, cut as close to its
ends as the patterns allow. The indices and their targets are data (``languages/*.yaml``):
Flesch–Kincaid grade (English), Szigriszt-Pazos (Spanish), Kandel–Moles (French), Amstad
(German), Gulpease (Italian), LIX (the Nordic languages).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

import pyphen

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# A sentence ends at . ! ? … (and closing quotes or brackets) before a space and a capital or digit.
_END = re.compile(r"[.!?…]+[\"”’»)\]]*\s+")
MIN_WORDS = 30  # fewer words than this: no index (it says little about a few lines)
LONG_WORD = 6
_PATTERNS = {"en": "en_US"}  # Pyphen's "en" is en_GB's patterns, which cut ta-b-lets  # LIX: a long word has more letters than this


def sentences(text: str) -> list[tuple[int, str]]:
    """(start, sentence) of each sentence of a text; a text is at least one sentence."""
    found, start = [], 0
    for end in _END.finditer(text):
        following = text[end.end():end.end() + 3].lstrip("\"“‘«(¿¡")
        if following[:1].isupper() or following[:1].isdigit():
            found.append((start, text[start:end.end()].strip()))
            start = end.end()
    if text[start:].strip():
        found.append((start, text[start:].strip()))
    return found


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@functools.lru_cache(maxsize=None)
def _hyphenator(code: str) -> Optional[pyphen.Pyphen]:
    name = _PATTERNS.get(code, code)
    return pyphen.Pyphen(lang=name, left=1, right=1) if name in pyphen.LANGUAGES else None


def syllables(word: str, code: str) -> int:
    hyphenator = _hyphenator(code)
    parts = [part for part in re.split(r"['’\-]", word) if part]
    if hyphenator is None:
        return sum(_vowel_groups(part) for part in parts)
    counted = sum(len(hyphenator.positions(part)) + 1 for part in parts)
    if code == "en":
        # English patterns leave out many breaks (di-az-e-pam has one): the vowel groups, less
        # a silent final e, count closer; the larger of the two is taken.
        counted = max(counted, sum(_vowel_groups(part) - _silent_e(part) for part in parts))
    return counted


def _vowel_groups(word: str) -> int:
    return max(1, len(re.findall(r"[aeiouyàáâäèéêëìíîïòóôöùúûüæøåœ]+", word.lower())))


def _silent_e(word: str) -> int:
    lower = word.lower()
    return int(len(lower) > 2 and lower.endswith("e") and not lower.endswith(("le", "ee", "ye"))
               and _vowel_groups(lower) > 1)


@dataclass(frozen=True)
class Counts:
    sentences: int = 0
    words: int = 0
    syllables: int = 0
    letters: int = 0
    long_words: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(a + b for a, b in zip(self.__dict__.values(), other.__dict__.values())))


def count(text: str, code: str, needs_syllables: bool = True) -> Counts:
    found = words(text)
    return Counts(len(sentences(text)), len(found),
                  sum(syllables(word, code) for word in found) if needs_syllables else 0,
                  sum(len(word) for word in found), sum(1 for word in found if len(word) > LONG_WORD))


@dataclass(frozen=True)
class Score:
    index: str  # "Flesch–Kincaid grade"
    value: float
    target: float
    limit: float
    harder_is_higher: bool  # a grade and LIX rise with difficulty; the reading-ease scores fall

    @property
    def over_limit(self) -> bool:
        return self.value > self.limit if self.harder_is_higher else self.value < self.limit

    def __str__(self) -> str:
        side = "at most" if self.harder_is_higher else "at least"
        return f"{self.index} {self.value:.1f} (target {self.target:g}, {side} {self.limit:g})"


def score(counts: Counts, readability: dict) -> Optional[Score]:
    """The language's reading index for these counts; None if too few words to say."""
    if counts.words < MIN_WORDS or not counts.sentences:
        return None
    per_sentence = counts.words / counts.sentences
    per_word = counts.syllables / counts.words
    formula, coefficients = readability["formula"], readability.get("coefficients")
    if formula == "grade":
        a, b, c = coefficients
        value, higher = a * per_sentence + b * per_word + c, True
    elif formula == "ease":
        a, b, c = coefficients
        value, higher = a - b * per_word - c * per_sentence, False
    elif formula == "gulpease":
        value, higher = 89 + (300 * counts.sentences - 10 * counts.letters) / counts.words, False
    elif formula == "lix":
        value, higher = per_sentence + 100 * counts.long_words / counts.words, True
    else:
        raise ValueError(f"unknown reading formula {formula!r}")
    return Score(readability["index"], value, readability["target"], readability["limit"], higher)


def needs_syllables(readability: Optional[dict]) -> bool:
    return bool(readability) and readability["formula"] in ("grade", "ease")
