"""The fixed words rxleaflet prints itself, by language."""
from __future__ import annotations

import datetime

_ENGLISH = {
    "leaflet": "Patient information leaflet",
    "page": "Page {number} of {count}",
    "continued": "{title} (continued)",
    "warning": "Warning",
    "emergency": "Emergency",
    "brand_names": "Brand name: {names}",
    "brand_names_plural": "Brand names: {names}",
    "revised": "Leaflet revised {date}. Source: {source}",
    "prescription": "Your prescription",
    "patient": "Patient",
    "medicine": "Medicine",
    "directions": "Directions",
    "quantity": "Quantity",
    "refills": "Refills",
    "rx_number": "Rx number",
    "dispensed": "Date dispensed",
    "prescriber": "Prescriber",
    "pharmacy": "Pharmacy",
    "your_pharmacy": "Your pharmacy",
    "phone": "Phone: {phone}",
    "months": ("January February March April May June July August September October "
               "November December"),
}

CATALOGUE = {"en": _ENGLISH}


def messages(lang: str) -> dict:
    """The strings for a BCP 47 tag: by primary language, English when we have none."""
    return CATALOGUE.get(lang.split("-")[0].lower(), _ENGLISH)


def long_date(date: datetime.date, lang: str) -> str:
    months = messages(lang)["months"].split()
    return f"{date.day} {months[date.month - 1]} {date.year}"
