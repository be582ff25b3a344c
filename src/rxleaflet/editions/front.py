"""The words rxleaflet adds around the author's content, as the PDF prints them: every edition says the same.

The leaflet label above the title, the medicine line, the revision line, the
prescription panel's rows and the pharmacy's lines: each as plain strings or model
spans, with no layout.  A pronunciation is a span of its own (``PRONUNCIATION`` as its
link) so that an edition can give a listener "pronounced …" in its place.
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import quote

from .. import model
from ..model import Span
from ..text.fixed_words import list_text, long_date, messages

PRONUNCIATION = "say"  # the link value that marks the pronunciation span


def medicine_label(leaflet: model.Leaflet, strength: Optional[str] = None) -> str:
    """"Atorvastatin 10 mg, 20 mg and 40 mg tablets", or with the one strength given."""
    medicine = leaflet.medicine
    return medicine.label_with(strength or list_text(medicine.strengths, leaflet.lang))


def medicine_spans(leaflet: model.Leaflet) -> tuple[Span, ...]:
    """"Diazepam 2 mg tablets. Brand name: Valium (VAL-ee-um)": name and label bold, the
    pronunciation after the first brand name (else after the name)."""
    medicine, words = leaflet.medicine, messages(leaflet.lang)
    say = [Span(f" ({medicine.pronunciation})", link=PRONUNCIATION)] if medicine.pronunciation else []
    spans = [Span(medicine.name, bold=True)] + ([] if medicine.brand_names else say)
    rest = medicine_label(leaflet)[len(medicine.name):]  # " 2 mg tablets", or nothing
    if rest:
        spans.append(Span(rest, bold=True))
    if medicine.brand_names:
        key = "brand_names_plural" if len(medicine.brand_names) > 1 else "brand_names"
        before, _, after = words[key].partition("{names}")
        spans += [Span(". " + before + medicine.brand_names[0])] + say
        if len(medicine.brand_names) > 1 or after:
            spans.append(Span(", ".join(("",) + medicine.brand_names[1:]) + after))
    return tuple(spans)


def pronounced(leaflet: model.Leaflet) -> str:
    """What a listener hears for the pronunciation: " (pronounced val-ee-um)" (capitals would be spelt out)."""
    return f" ({messages(leaflet.lang)['pronounced']} {leaflet.medicine.pronunciation.lower()})"


def box_prefix(lang: str, kind: str) -> str:
    """"Warning: " before a warning or emergency box's title, as the language punctuates it
    ("Avertissement : ", "警告："); "" for the other kinds, whose titles say it all."""
    if kind not in ("warning", "emergency"):
        return ""
    words = messages(lang)
    return words["box_title"].partition("{title}")[0].format(label=words[kind])


def revised_line(leaflet: model.Leaflet) -> str:
    return messages(leaflet.lang)["revised"].format(date=long_date(leaflet.revised, leaflet.lang),
                                                    source=leaflet.source)


def prescription_rows(leaflet: model.Leaflet, prescription: model.Prescription,
                      pharmacy: Optional[model.Pharmacy]) -> list[tuple[str, str]]:
    """The panel's (label, value) rows, in the PDF's order; the patient's data, for the page only."""
    words, rx = messages(leaflet.lang), prescription
    rows = [("patient", rx.patient), ("medicine", medicine_label(leaflet, rx.strength)),
            ("directions", rx.directions), ("quantity", rx.quantity), ("refills", rx.refills),
            ("prescriber", rx.prescriber), ("dispensed", long_date(rx.dispensed, leaflet.lang)),
            ("rx_number", rx.rx_number)]
    if pharmacy is not None:
        rows.append(("pharmacy", f"{pharmacy.name}, {pharmacy.phone}"))
    return [(words[key], value) for key, value in rows]


def pharmacy_spans(leaflet: model.Leaflet, pharmacy: model.Pharmacy) -> tuple[Span, ...]:
    """"Riverside Pharmacy. 12 Mill Lane. Phone: 01632 960 123", the name bold."""
    phone = messages(leaflet.lang)["phone"].format(phone=pharmacy.phone)
    return Span(pharmacy.name, bold=True), Span(f". {pharmacy.address}. "), Span(phone, unbreakable=True)


def shown_address(link: str) -> str:
    """A web, e-mail or phone link's address as the page prints it."""
    address = link.split(":", 1)[1] if link.startswith(("mailto:", "tel:")) else link.split("://", 1)[-1]
    return address.rstrip("/")


def address_suffix(link: str, text: str) -> str:
    """" (address)" after a link whose text does not show where it goes, as on paper; a
    cross-reference ("#id") gets none (its "(see page N)" is the paper's alone)."""
    if link.startswith("#") or shown_address(link).lower() in text.lower():
        return ""
    return f" ({shown_address(link)})"


def href(link: str) -> str:
    """A link as a valid URI: a phone number without its spaces (RFC 3966 keeps "-" and "."
    as separators), anything else with spaces and other unsafe characters percent-encoded."""
    if link.startswith("tel:"):
        return "tel:" + "".join(link[4:].split())
    return quote(link, safe=":/?#[]@!$&'()*+,;=%~")
