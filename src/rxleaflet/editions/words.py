"""The few fixed words only the electronic editions and the code on the print say, by language.

They sit beside the PDF's catalogue (``rxleaflet.text.fixed_words``) and fall back the
same way: by primary language, else English.
"""
from __future__ import annotations

_WORDS = {
    "en": {"qr": "QR code that opens this leaflet on screen", "contents": "Contents", "edition": "Read this leaflet on screen or have it read aloud",
           "not_found": "No leaflet for this product code", "not_found_text":
           "This pharmacy has no leaflet for the product code {code}. Ask your pharmacist for one."},
    "es": {"qr": "Código QR que abre este prospecto en pantalla", "contents": "Índice", "edition": "Lea este prospecto en pantalla o escúchelo",
           "not_found": "No hay prospecto para este código de producto", "not_found_text":
           "Esta farmacia no tiene prospecto para el código de producto {code}. Pídaselo a su farmacéutico."},
    "fr": {"qr": "Code QR qui ouvre cette notice à l’écran", "contents": "Sommaire", "edition": "Lisez cette notice à l’écran ou écoutez-la",
           "not_found": "Aucune notice pour ce code produit", "not_found_text":
           "Cette pharmacie n’a pas de notice pour le code produit {code}. Demandez-la à votre pharmacien."},
    "de": {"qr": "QR-Code, der diese Packungsbeilage am Bildschirm öffnet", "contents": "Inhalt", "edition": "Diese Packungsbeilage am Bildschirm lesen oder vorlesen lassen",
           "not_found": "Keine Packungsbeilage für diesen Produktcode", "not_found_text":
           "Diese Apotheke hat keine Packungsbeilage für den Produktcode {code}. Fragen Sie in Ihrer Apotheke."},
    "pl": {"qr": "Kod QR, który otwiera tę ulotkę na ekranie", "contents": "Spis treści", "edition": "Przeczytaj tę ulotkę na ekranie lub odsłuchaj ją",
           "not_found": "Brak ulotki dla tego kodu produktu", "not_found_text":
           "Ta apteka nie ma ulotki dla kodu produktu {code}. Zapytaj farmaceutę."},
    "ar": {"qr": "رمز QR يفتح هذه النشرة على الشاشة", "contents": "المحتويات", "edition": "اقرأ هذه النشرة على الشاشة أو استمع إليها",
           "not_found": "لا توجد نشرة لرمز المنتج هذا", "not_found_text":
           "لا توجد لدى هذه الصيدلية نشرة لرمز المنتج {code}. اسأل الصيدلي."},
    "he": {"qr": "קוד QR שפותח את העלון במסך", "contents": "תוכן העניינים", "edition": "קראו את העלון במסך או האזינו לו",
           "not_found": "אין עלון לקוד המוצר הזה", "not_found_text":
           "לבית המרקחת אין עלון לקוד המוצר {code}. פנו לרוקח."},
}


def edition_words(lang: str) -> dict:
    """The words for a BCP 47 tag: by primary language, English when there are none."""
    return _WORDS.get(lang.split("-")[0].lower(), _WORDS["en"])


def has_words(lang: str) -> bool:
    return lang.split("-")[0].lower() in _WORDS
