"""An ePI's medicine from its structured part first: every product's strengths, the dose form, ingredient names as written.

The FHIR resources beside the Composition say what the leaflet covers:
``MedicinalProductDefinition`` (the name and its parts), ``Ingredient`` (each active
substance and its strength, ``for`` the product or item it is in),
``ManufacturedItemDefinition`` / ``AdministrableProductDefinition`` (the dose form).
A leaflet covering several strengths has an Ingredient (or a product name) for each;
a combination's strengths are written in one order of substances for every product.
Names and units are kept as written (an all-capitals substance name is lowered, as the
product's own text writes it); the text of the leaflet is read only for what the
resources do not say.
"""
from __future__ import annotations

import re
from typing import Optional

from . import medicine as facts


def json_dict(value) -> dict:
    """A JSON object, or an empty one where the file has something else (FHIR shapes are not trusted)."""
    return value if isinstance(value, dict) else {}


def json_list(value) -> list:
    return value if isinstance(value, list) else []


def json_text(value) -> str:
    """A JSON string with its spaces folded, or "" for anything else."""
    return " ".join(value.split()) if isinstance(value, str) else ""


_dict, _list, _texts = json_dict, json_list, json_text


def concept_text(concept) -> str:
    """A CodeableConcept's text, else its first coding's display."""
    concept = _dict(concept)
    return _texts(concept.get("text")) or next((_texts(_dict(c).get("display")) for c in _list(concept.get("coding"))
                                                if _texts(_dict(c).get("display"))), "")


def as_written(name: str) -> str:
    """An ingredient name as the label writes it; an all-capitals registry name is lowered."""
    return name.lower() if name.isupper() and len(name) > 3 else name


def sane_form(text: str) -> str:
    """A dose form, or "" when the text is no form ("mg", "50", a strength)."""
    text = text.strip(" ,;:-")
    if not text or re.search(r"\d", text) or re.fullmatch(facts.UNIT, text, re.I) or len(text) < 3:
        return ""
    return text


class Products:
    """The products an ePI Bundle describes."""

    def __init__(self, entries: list):
        self.entries = entries

    def by_type(self, kind: str) -> list:
        return [r for r in self.entries if r.get("resourceType") == kind]

    def names(self) -> list[tuple[str, str, str]]:
        """(full name, brand part, dose-form part) of each MedicinalProductDefinition's first name."""
        found = []
        for product in self.by_type("MedicinalProductDefinition"):
            names = [n for n in _list(product.get("name")) if isinstance(n, dict)]
            if not names:
                continue
            full, brand, form = _texts(names[0].get("productName")), "", ""
            for part in _list(names[0].get("namePart")) + _list(names[0].get("part")):
                kind = concept_text(_dict(part).get("type")).lower()
                if "dose form" in kind or "pharmaceutical form" in kind:
                    form = _texts(_dict(part).get("part"))
                elif "invented" in kind or "brand" in kind:
                    brand = _texts(_dict(part).get("part"))
            found.append((full, brand, form))
        return found

    def form(self) -> str:
        """The dose form the product name gives, else the manufactured or administrable item's."""
        for _, _, form in self.names():
            if sane_form(form):
                return sane_form(form)
        for kind, key in (("ManufacturedItemDefinition", "manufacturedDoseForm"),
                          ("AdministrableProductDefinition", "administrableDoseForm"),
                          ("MedicinalProductDefinition", "combinedPharmaceuticalDoseForm")):
            for resource in self.by_type(kind):
                form = sane_form(concept_text(resource.get(key)))
                if form:
                    return facts.readable_form(form)
        return ""

    def active(self) -> list[tuple[str, str, str]]:
        """(what it is for, substance name, strength) of each active ingredient, in file order."""
        found = []
        for ingredient in self.by_type("Ingredient"):
            if not _is_active(ingredient):
                continue
            target = next((_texts(_dict(ref).get("reference")) for ref in _list(ingredient.get("for"))), "")
            substance = _dict(ingredient.get("substance"))
            name = as_written(concept_text(_dict(_dict(substance.get("code")).get("concept"))))
            # one Ingredient may give a strength for each product it is in (25 mg, 50 mg)
            found += [(target, name, strength) for strength in _strengths(substance) or [""]]
        return found

    def ingredient_names(self) -> list[str]:
        return list(dict.fromkeys(name for _, name, _ in self.active() if name))

    def strengths(self) -> list[str]:
        """One strength per product (its ingredients' joined by "/", in the first product's order)."""
        active = [(target, name, strength) for target, name, strength in self.active() if strength]
        order = list(dict.fromkeys(name for _, name, _ in active))
        products: dict = {}
        for target, name, strength in active:
            products.setdefault(target, {}).setdefault(name, []).append(strength)
        found = []
        for by_name in products.values():
            # several strengths of one substance for one product: a leaflet of several strengths
            # whose Ingredients all point at one product (or none)
            widest = max(len(values) for values in by_name.values())
            for index in range(widest):
                parts = [by_name[name][min(index, len(by_name[name]) - 1)] for name in order if name in by_name]
                found.append("/".join(parts))
        return facts.sort_strengths(found)


def _is_active(ingredient: dict) -> bool:
    role = _dict(ingredient.get("role"))
    return "active" in _texts(role.get("text")).lower() or any(
        "active" in _texts(_dict(c).get("display")).lower() for c in _list(role.get("coding")))


def _strengths(substance: dict) -> list[str]:
    """Each strength as the label writes it: its text, else the quantity's value and unit."""
    found = []
    for entry in _list(substance.get("strength")):
        entry = _dict(entry)
        if _texts(entry.get("textPresentation")):
            found.append(_texts(entry["textPresentation"]))
            continue
        ratio = _dict(entry.get("presentationRatio"))
        quantity = _dict(entry.get("presentationQuantity")) or _dict(ratio.get("numerator"))
        amount = _amount(quantity)
        if amount:
            per = _dict(ratio.get("denominator"))
            per_amount = _amount(per) if _texts(per.get("unit") or per.get("code")) not in ("", "1") else ""
            found.append(f"{amount}/{per_amount.removeprefix('1 ')}" if per_amount else amount)
    return list(dict.fromkeys(found))


def _amount(quantity: dict) -> str:
    value = quantity.get("value")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return ""
    value = int(value) if isinstance(value, float) and value.is_integer() else value
    return f"{value} {_texts(quantity.get('unit') or quantity.get('code'))}".strip()


def strengths_from_names(names: list[tuple[str, str, str]]) -> list[str]:
    """Every strength the product names give ("Xeljanz 5 mg and 10 mg film-coated tablets")."""
    return facts.sort_strengths([s for full, _, _ in names for s in facts.strengths_in(full)])


def brand_of(names: list[tuple[str, str, str]]) -> Optional[str]:
    for full, brand, _ in names:
        if brand or full:
            return brand or re.split(r"\s+\d", full)[0].strip()
    return None
