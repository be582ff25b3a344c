"""Whether a leaflet's text plainly disagrees with the language it declares (script, then common words)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Optional

_SCRIPT_OF = {"ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "he": "HEBREW", "yi": "HEBREW", "el": "GREEK",
              "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "mk": "CYRILLIC", "be": "CYRILLIC",
              "zh": "CJK", "ja": "CJK", "ko": "HANGUL", "hi": "DEVANAGARI", "th": "THAI", "ka": "GEORGIAN",
              "hy": "ARMENIAN"}
_WORDS = {
    "en": "the and of to is in you your for with are this not if or be it",
    "de": "der die und das ist nicht mit sie für ein eine den von zu bei oder",
    "fr": "le la les et des est pour avec vous une un ne pas du dans ou",
    "es": "el la los las y de que es para con no una un por en su",
    "it": "il di che è per non con una un del della le si o",
    "pl": "i w nie się na z że do jest to lub jak po od",
    "nl": "de het een en van is niet met voor u dat op te",
    "pt": "o os e de que não para com uma um do da em se",
}
_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pl": "Polish",
          "nl": "Dutch", "pt": "Portuguese"}
_STOP = {lang: set(words.split()) for lang, words in _WORDS.items()}


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("CJK", "HIRAGANA", "KATAKANA"):
        if name.startswith(script):
            return "CJK"
    return name.split(" ")[0] if name else ""


def language_problem(lang: str, text: str) -> Optional[str]:
    primary = lang.split("-")[0].lower()
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 40:
        return None
    scripts = Counter(_script(c) for c in letters)
    dominant, count = scripts.most_common(1)[0]
    expected = _SCRIPT_OF.get(primary, "LATIN")
    if dominant != expected and count > 0.6 * len(letters):
        return (f"the language is {lang}, but the text is written in {dominant.title()} script: "
                "check lang (it sets the PDF's language for screen readers)")
    if primary not in _STOP or expected != "LATIN":
        return None
    words = re.findall(r"\w+", text.casefold())
    if len(words) < 30:
        return None
    scores = {code: sum(w in stop for w in words) / len(words) for code, stop in _STOP.items()}
    best = max(scores, key=scores.get)
    if best != primary and scores[best] > 0.08 and scores[best] > 2 * scores[primary]:
        return (f"the language is {lang}, but the text reads as {_NAMES[best]}: "
                "check lang (it sets the PDF's language for screen readers)")
    return None
