"""The few fixed words only the electronic editions, the code on the print and the service's pages say, from rxleaflet's catalogues.

They are messages of the catalogues every fixed word comes from (``rxleaflet.text.fixed_words``,
``catalogues/rxleaflet.pot`` and ``<language>.po``), so they follow a language tag to its
catalogue the same way, and a tag without one gets English: ``qr`` the QR code's alt text,
``edition`` the words beside it, ``contents`` the EPUB's table of contents, ``not_found`` and
``not_found_text`` (with {code}) the service's page for a product code it has no leaflet for.
"""
from __future__ import annotations

import types
from typing import Mapping

from ..text import fixed_words

KEYS = ("qr", "contents", "edition", "not_found", "not_found_text")


def edition_words(lang: str) -> Mapping:
    """The five words for a BCP 47 tag (key -> text), English when it has no catalogue."""
    messages = fixed_words.messages(lang)
    return types.MappingProxyType({key: messages[key] for key in KEYS})


def has_words(lang: str) -> bool:
    """Whether the tag has words of its own (a catalogue), else English is used."""
    return fixed_words.has_catalogue(lang)
