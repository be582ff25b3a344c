"""The fixed words rxleaflet prints itself, by language.

English, Spanish, French, German and Polish.  A leaflet in another language
gets the English words; the content's own text is always the author's.
"""
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
    "date": "{day} {month} {year}",
    "months": "January February March April May June July August September October November December",
    "see_page": "(see page {page})",
    "list_and": "{items} and {last}",
    "pronounced": "pronounced",
    "important": "Most important information",
    "intro": "About this leaflet",
}

_SPANISH = {
    "leaflet": "Prospecto: información para el paciente",
    "page": "Página {number} de {count}",
    "continued": "{title} (continuación)",
    "warning": "Advertencia",
    "emergency": "Urgencia",
    "brand_names": "Nombre comercial: {names}",
    "brand_names_plural": "Nombres comerciales: {names}",
    "revised": "Prospecto revisado el {date}. Fuente: {source}",
    "prescription": "Su receta",
    "patient": "Paciente",
    "medicine": "Medicamento",
    "directions": "Instrucciones",
    "quantity": "Cantidad",
    "refills": "Renovaciones",
    "rx_number": "N.º de receta",
    "dispensed": "Fecha de dispensación",
    "prescriber": "Médico prescriptor",
    "pharmacy": "Farmacia",
    "your_pharmacy": "Su farmacia",
    "phone": "Teléfono: {phone}",
    "date": "{day} de {month} de {year}",
    "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "see_page": "(véase la página {page})",
    "list_and": "{items} y {last}",
    "pronounced": "se pronuncia",
    "important": "Información más importante",
    "intro": "Sobre este prospecto",
}

_FRENCH = {
    "leaflet": "Notice : information du patient",
    "page": "Page {number} sur {count}",
    "continued": "{title} (suite)",
    "warning": "Avertissement",
    "emergency": "Urgence",
    "brand_names": "Nom de marque : {names}",
    "brand_names_plural": "Noms de marque : {names}",
    "revised": "Notice révisée le {date}. Source : {source}",
    "prescription": "Votre ordonnance",
    "patient": "Patient",
    "medicine": "Médicament",
    "directions": "Posologie",
    "quantity": "Quantité",
    "refills": "Renouvellements",
    "rx_number": "N° d’ordonnance",
    "dispensed": "Date de délivrance",
    "prescriber": "Prescripteur",
    "pharmacy": "Pharmacie",
    "your_pharmacy": "Votre pharmacie",
    "phone": "Téléphone : {phone}",
    "date": "{day} {month} {year}",
    "months": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "see_page": "(voir page {page})",
    "list_and": "{items} et {last}",
    "pronounced": "se prononce",
    "important": "Informations les plus importantes",
    "intro": "À propos de cette notice",
}

_GERMAN = {
    "leaflet": "Gebrauchsinformation: Information für Patienten",
    "page": "Seite {number} von {count}",
    "continued": "{title} (Fortsetzung)",
    "warning": "Warnhinweis",
    "emergency": "Notfall",
    "brand_names": "Handelsname: {names}",
    "brand_names_plural": "Handelsnamen: {names}",
    "revised": "Stand der Information: {date}. Quelle: {source}",
    "prescription": "Ihr Rezept",
    "patient": "Patient",
    "medicine": "Arzneimittel",
    "directions": "Einnahme",
    "quantity": "Menge",
    "refills": "Wiederholungen",
    "rx_number": "Rezeptnummer",
    "dispensed": "Abgabedatum",
    "prescriber": "Verordnet von",
    "pharmacy": "Apotheke",
    "your_pharmacy": "Ihre Apotheke",
    "phone": "Telefon: {phone}",
    "date": "{day}. {month} {year}",
    "months": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "see_page": "(siehe Seite {page})",
    "list_and": "{items} und {last}",
    "pronounced": "gesprochen",
    "important": "Wichtigste Informationen",
    "intro": "Zu dieser Packungsbeilage",
}

_POLISH = {
    "leaflet": "Ulotka dołączona do opakowania: informacja dla pacjenta",
    "page": "Strona {number} z {count}",
    "continued": "{title} (ciąg dalszy)",
    "warning": "Ostrzeżenie",
    "emergency": "Pilne",
    "brand_names": "Nazwa handlowa: {names}",
    "brand_names_plural": "Nazwy handlowe: {names}",
    "revised": "Data ostatniej aktualizacji ulotki: {date}. Źródło: {source}",
    "prescription": "Twoja recepta",
    "patient": "Pacjent",
    "medicine": "Lek",
    "directions": "Dawkowanie",
    "quantity": "Ilość",
    "refills": "Liczba realizacji",
    "rx_number": "Nr recepty",
    "dispensed": "Data wydania",
    "prescriber": "Lekarz",
    "pharmacy": "Apteka",
    "your_pharmacy": "Twoja apteka",
    "phone": "Telefon: {phone}",
    "date": "{day} {month} {year}",
    # the genitive, as a date says it: "25 listopada 2026"
    "months": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "see_page": "(zob. strona {page})",
    "list_and": "{items} i {last}",
    "pronounced": "wymowa",
    "important": "Najważniejsze informacje",
    "intro": "O tej ulotce",
}

_ARABIC = {
    "leaflet": "نشرة معلومات للمريض",
    "page": "صفحة {number} من {count}",
    "continued": "{title} (تابع)",
    "warning": "تحذير",
    "emergency": "طوارئ",
    "brand_names": "الاسم التجاري: {names}",
    "brand_names_plural": "الأسماء التجارية: {names}",
    "revised": "تاريخ مراجعة النشرة: {date}. المصدر: {source}",
    "prescription": "وصفتك الطبية",
    "patient": "المريض",
    "medicine": "الدواء",
    "directions": "طريقة الاستعمال",
    "quantity": "الكمية",
    "refills": "مرات إعادة الصرف",
    "rx_number": "رقم الوصفة",
    "dispensed": "تاريخ الصرف",
    "prescriber": "الطبيب",
    "pharmacy": "الصيدلية",
    "your_pharmacy": "صيدليتك",
    "phone": "الهاتف: {phone}",
    "date": "{day} {month} {year}",
    "months": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "see_page": "(انظر الصفحة {page})",
    "list_and": "{items} و{last}",
    "pronounced": "يُلفظ",
    "important": "أهم المعلومات",
    "intro": "عن هذه النشرة",
}

_HEBREW = {
    "leaflet": "עלון לצרכן",
    "page": "עמוד {number} מתוך {count}",
    "continued": "{title} (המשך)",
    "warning": "אזהרה",
    "emergency": "חירום",
    "brand_names": "שם מסחרי: {names}",
    "brand_names_plural": "שמות מסחריים: {names}",
    "revised": "העלון עודכן: {date}. מקור: {source}",
    "prescription": "המרשם שלך",
    "patient": "מטופל",
    "medicine": "תרופה",
    "directions": "הוראות שימוש",
    "quantity": "כמות",
    "refills": "חידושים",
    "rx_number": "מספר מרשם",
    "dispensed": "תאריך ניפוק",
    "prescriber": "רופא",
    "pharmacy": "בית מרקחת",
    "your_pharmacy": "בית המרקחת שלך",
    "phone": "טלפון: {phone}",
    "date": "{day} ב{month} {year}",
    "months": "ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר",
    "see_page": "(ראו עמוד {page})",
    "list_and": "{items} ו{last}",
    "pronounced": "נהגה",
    "important": "המידע החשוב ביותר",
    "intro": "על העלון",
}

# Arabic and Hebrew: so that a right-to-left leaflet is not interrupted by English words
# (a native speaker's review is welcome).
CATALOGUE = {"en": _ENGLISH, "es": _SPANISH, "fr": _FRENCH, "de": _GERMAN, "pl": _POLISH,
             "ar": _ARABIC, "he": _HEBREW}


def messages(lang: str) -> dict:
    """The strings for a BCP 47 tag: by primary language, English when we have none."""
    return CATALOGUE.get(lang.split("-")[0].lower(), _ENGLISH)


def list_text(items, lang: str) -> str:
    """"10 mg, 20 mg and 40 mg": a list of texts joined with the language's words."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return messages(lang)["list_and"].format(items=", ".join(items[:-1]), last=items[-1])


def long_date(date: datetime.date, lang: str) -> str:
    words = messages(lang)
    month = words["months"].split()[date.month - 1]
    return words["date"].format(day=date.day, month=month, year=date.year)
