"""Where a patient reports side effects, by the pharmacy's country: the line a leaflet ends with.

The lines are data (``reporting.yaml`` beside this module), each in the regulator's own
wording, so that a pharmacy in the UK never prints the US FDA's number.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

# ISO 3166-1 keeps "UK" reserved for the United Kingdom, whose code is GB: both are taken.
ALIASES = {"UK": "GB"}


@functools.lru_cache(maxsize=None)
def _lines() -> dict[str, str]:
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "reporting.yaml").read_text(encoding="utf-8"))
    return {country: entry["line"] for country, entry in data.items()}


def country_code(written: str) -> Optional[str]:
    """The ISO 3166-1 alpha-2 code a setting names ("gb", "UK" → "GB"), or None if it is not one."""
    code = written.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return ALIASES.get(code, code)


def reporting_line(country: Optional[str]) -> Optional[str]:
    """The side-effect reporting line for a country code, or None where none is known."""
    return _lines().get(country) if country else None


def countries() -> tuple[str, ...]:
    """The countries that have a reporting line."""
    return tuple(_lines())
