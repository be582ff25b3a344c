"""The electronic edition's address for a leaflet, from the pharmacy's ``edition_url`` template.

A template follows GS1 Digital Link (``https://leaflets.example-pharmacy.com/01/{gtin}?lang={lang}``)
or names the NDC (``…/ndc/{ndc}``): ``{gtin}`` is the GTIN as 14 digits, ``{ndc}`` the NDC
as 5-4-2, ``{lang}`` the leaflet's language.  A leaflet whose medicine has no code the
template needs gets no address (and so no QR code).
"""
from __future__ import annotations

import string
from typing import Optional
from urllib.parse import quote

from .. import model

FIELDS = ("gtin", "ndc", "lang")
CODES = ("gtin", "ndc")


def template_fields(template: str) -> list[str]:
    """The names in a template's braces, in order (ValueError for braces that do not pair)."""
    return [name for _, name, spec, conversion in string.Formatter().parse(template) if name is not None]


def template_problem(template: str) -> Optional[str]:
    """What is wrong with an ``edition_url`` template, or None."""
    if not template.startswith(("https://", "http://")):
        return "the address must start with https:// (or http://)"
    try:
        names = template_fields(template)
    except ValueError:
        return "a { without its } (or the reverse): write {gtin}, {ndc} or {lang}"
    unknown = [name for name in names if name not in FIELDS]
    if unknown:
        return f"{{{unknown[0]}}} is not a field: use {{gtin}}, {{ndc}} or {{lang}}"
    if not any(name in CODES for name in names):
        return "the address must name the medicine: put {gtin} (GS1 Digital Link: /01/{gtin}) or {ndc} in it"
    if any(char.isspace() for char in template):
        return "an address has no spaces"
    return None


def edition_address(template: str, leaflet: model.Leaflet) -> Optional[str]:
    """The address of ``leaflet``'s electronic edition, or None if its medicine lacks a code the template needs."""
    codes: dict = {}
    for kind, code in leaflet.medicine.codes:
        codes.setdefault(kind, code)
    if any(name in CODES and name not in codes for name in template_fields(template)):
        return None
    return template.format(gtin=codes.get("gtin"), ndc=codes.get("ndc"), lang=quote(leaflet.lang))


def missing_code(template: str, leaflet: model.Leaflet) -> Optional[str]:
    """The warning for a leaflet that gets no QR code because its medicine lacks the template's code, or None."""
    if edition_address(template, leaflet) is not None:
        return None
    needed = " and ".join(name.upper() for name in dict.fromkeys(template_fields(template)) if name in CODES)
    return (f"no QR code for the electronic edition: the pharmacy's edition_url needs the medicine's {needed}, "
            f"and the content gives none (add it under medicine: codes:)")
