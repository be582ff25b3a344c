"""The few fixed words only the electronic editions and the code on the print say, by language (``words.yaml``).

They sit beside the PDF's catalogue (``rxleaflet.text.fixed_words``) and fall back the
same way: by primary language, else English.
"""
from __future__ import annotations

import functools
from pathlib import Path

import yaml


@functools.cache
def _catalogue() -> dict:
    return yaml.safe_load((Path(__file__).parent / "words.yaml").read_text(encoding="utf-8"))


def edition_words(lang: str) -> dict:
    """The words for a BCP 47 tag: by primary language, English when there are none."""
    return _catalogue().get(lang.split("-")[0].lower(), _catalogue()["en"])


def has_words(lang: str) -> bool:
    return lang.split("-")[0].lower() in _catalogue()
