"""The public electronic editions the QR code on the print opens: ``GET /01/{gtin}`` (GS1 Digital Link) and ``GET /ndc/{ndc}``.

Each answers the library's HTML edition of the medicine, in the language asked with
``?lang=`` or else ``Accept-Language`` (the library's default edition when it has none
of them), with an ``ETag`` and ``Cache-Control``.  They need no token: these pages are
built from the content and the pharmacy's own settings only, never from a request's
details, so nothing of a patient can be in them.  An unknown or malformed code gets a
404 page in the asked language.
"""
from __future__ import annotations

import hashlib
import re
from typing import Optional

from starlette.requests import Request
from starlette.responses import Response

from .. import model
from ..content.codes import normal_gtin, normal_ndc
from ..editions.html import html_edition, message_page
from ..editions.words import edition_words, has_words
from ..errors import NotFound

PREFIXES = {"/01/": "gtin", "/ndc/": "ndc"}
CACHE_CONTROL = "public, max-age=3600"  # a leaflet changes when its content file does: the ETag says when
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def is_public(scope) -> bool:
    """A request for a public edition: GET or HEAD on one of its paths (no token needed)."""
    return scope.get("method") in ("GET", "HEAD") and scope.get("path", "").startswith(tuple(PREFIXES))


async def public_edition(request: Request) -> Response:
    service = request.app.state.service
    kind = next(value for prefix, value in PREFIXES.items() if request.url.path.startswith(prefix))
    languages = asked_languages(request)
    try:
        code = (normal_gtin if kind == "gtin" else normal_ndc)(request.path_params["code"])
    except ValueError:
        return _not_found(request.path_params["code"], languages)
    choice = None
    try:
        for lang in languages or [None]:
            found = service.library.find(model.Wanted(**{kind: code}, lang=lang))
            choice = choice or found
            if not found.fallback:
                choice = found
                break
    except NotFound:
        return _not_found(code, languages)
    page = html_edition(choice.leaflet, None, service.pharmacy, False)
    tag = '"' + hashlib.sha256(page).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Language",
               "Content-Language": choice.leaflet.lang}
    if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(page, media_type="text/html; charset=utf-8", headers=headers)


def asked_languages(request: Request) -> list[str]:
    """``?lang=`` first, then Accept-Language's languages by their weight (malformed ones left out)."""
    asked = []
    given = request.query_params.get("lang")
    if given and _LANGUAGE_TAG.fullmatch(given):
        asked.append(given)
    weighted = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        weight = 1.0
        match = re.fullmatch(r"\s*q\s*=\s*([01](\.\d{0,3})?)\s*", parameters) if parameters else None
        if parameters:
            weight = float(match.group(1)) if match else 0.0
        if weight > 0 and _LANGUAGE_TAG.fullmatch(tag.strip()):
            weighted.append((-weight, position, tag.strip()))
    return asked + [tag for _, _, tag in sorted(weighted) if tag not in asked]


def _not_found(code: str, languages: list[str]) -> Response:
    lang: Optional[str] = next((lang for lang in languages if has_words(lang)), "en")
    words = edition_words(lang)
    page = message_page(lang, words["not_found"], words["not_found_text"].format(code=code))
    return Response(page, status_code=404, media_type="text/html; charset=utf-8",
                    headers={"Content-Language": lang, "Cache-Control": "no-cache"})
