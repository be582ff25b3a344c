"""The Python API: read content, dispensing details and pharmacy settings; build a leaflet.

``build()`` is where a leaflet's edition (paper, standard or large print) is
settled from what was asked and the pharmacy's defaults; the CLI, batches and
the package's front module all come through here.

Not thread-safe: ReportLab's font registry and settings are process-wide.  Run
builds in parallel in processes (as ``batch`` does), not threads.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from typing import Optional

from . import model
from .content.dispensing import read_prescription
from .content.leaflet import read_leaflet
from .content.pharmacy_settings import read_pharmacy
from .layout.theme import LARGE_PRINT, STANDARD, Theme


def load(path) -> model.Leaflet:
    """Read and validate a content file; raises :class:`UserError` on bad input."""
    return read_leaflet(path, printable=_printable())


def load_prescription(path, leaflet: model.Leaflet) -> model.Prescription:
    """Read one prescription's dispensing details (YAML or JSON) for ``leaflet``.

    Refused (UserError) if its medicine is not the leaflet's medicine.
    """
    return read_prescription(path, leaflet.medicine, printable=_printable())


def load_pharmacy(path) -> model.Pharmacy:
    """Read pharmacy settings: name, address, phone, default paper, footer lines."""
    return read_pharmacy(path, printable=_printable())


def _printable():
    """Whether a bundled font draws a character: ReportLab is imported when content is first read."""
    from .text.fonts import covers

    return covers


def open_library(folder=None, pharmacy: Optional[model.Pharmacy] = None):
    """The content library in ``folder`` (else the pharmacy's ``library``), indexed; None if neither is set."""
    from .content.library import open_library as opened

    folder = folder or (pharmacy.library if pharmacy is not None else None)
    return opened(folder, pharmacy.library_lang if pharmacy is not None else None) if folder else None


def find_in_library(library, name: str = "command line", **fields):
    """The library's leaflet for ``fields`` (ndc, gtin or medicine, and lang) as a :class:`library.Choice`.

    Raises NotFound or Ambiguous (UserErrors) when none or several fit.
    """
    from .content.dispensing import read_fields

    choice, _ = read_fields(fields, name, library.find, _printable())
    return choice


def load_located_prescription(path, library):
    """Dispensing details that name their medicine (ndc, gtin or medicine; lang): (Choice, Prescription)."""
    from .content.dispensing import read_located_prescription

    return read_located_prescription(path, library.find, _printable())


def edition(paper: Optional[str], large_print: Optional[bool],
            pharmacy: Optional[model.Pharmacy]) -> tuple[str, Theme]:
    """The paper and theme to build with: as asked, else the pharmacy's defaults, else A4, standard print."""
    paper = paper or (pharmacy.paper if pharmacy is not None else None) or "a4"
    if large_print is None:
        large_print = pharmacy is not None and pharmacy.large_print
    return paper, LARGE_PRINT if large_print else STANDARD


def build(leaflet, paper=None, prescription=None, pharmacy=None, large_print=None) -> bytes:
    """The leaflet as PDF bytes.  ``leaflet`` is a model from :func:`load` or a path.

    ``paper`` (a4, letter, legal, a5) and ``large_print`` default to the
    pharmacy's settings, else A4 and standard print.
    """
    from .layout.write import render  # ReportLab is imported only when something is built

    if not isinstance(leaflet, model.Leaflet):
        leaflet = load(leaflet)
    paper, theme = edition(paper, large_print, pharmacy)
    if prescription is not None:  # a patient's leaflet: built every time, kept nowhere
        return render(leaflet, paper=paper, theme=theme, prescription=prescription, pharmacy=pharmacy)
    key = (leaflet, paper, theme, pharmacy, os.environ.get("SOURCE_DATE_EPOCH", ""))
    pdf = _BUILT.get(key)
    if pdf is None:
        pdf = _BUILT[key] = render(leaflet, paper=paper, theme=theme, pharmacy=pharmacy)
        while len(_BUILT) > _BUILT_SIZE:
            _BUILT.popitem(last=False)
    _BUILT.move_to_end(key)
    return pdf


# Leaflets without a prescription, built, by everything that decides their bytes: a
# repeated build of the same leaflet is a look-up (as a repeated Typst compile is).
# Nothing of a patient's is ever kept here: a build with a prescription skips it.
_BUILT: OrderedDict = OrderedDict()
_BUILT_SIZE = 8


def forget_built() -> None:
    """Empty the store of built leaflets (for a benchmark's cold build)."""
    _BUILT.clear()


# The editions (rxleaflet build --format), each written to a file with its name as suffix.
EDITIONS = ("pdf", "html", "epub", "brf")


def build_edition(leaflet, format: str, prescription=None, pharmacy=None, large_print=None) -> bytes:
    """The leaflet as one edition's bytes: "pdf" (as :func:`build`, on the pharmacy's paper),
    "html" (one accessible web page), "epub" (EPUB 3, reflowable) or "brf" (braille, 40 cells
    by 25 lines; needs liblouis from the operating system).

    ``large_print`` sets the HTML and EPUB editions' type size, as for the PDF.
    """
    if not isinstance(leaflet, model.Leaflet):
        leaflet = load(leaflet)
    if format == "pdf":
        return build(leaflet, prescription=prescription, pharmacy=pharmacy, large_print=large_print)
    large = edition(None, large_print, pharmacy)[1] is LARGE_PRINT
    if format == "html":
        from .editions.html import html_edition

        return html_edition(leaflet, prescription, pharmacy, large)
    if format == "epub":
        from .editions.epub import epub_edition

        return epub_edition(leaflet, prescription, pharmacy, large)
    if format == "brf":
        from .editions.braille import braille_edition

        return braille_edition(leaflet, prescription, pharmacy)
    raise ValueError(f"unknown edition {format!r}: one of {', '.join(EDITIONS)}")
