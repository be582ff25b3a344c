"""Editions besides the PDF, from the same model: HTML (``html``), EPUB 3 (``epub``), braille (``braille``), and the address and QR code on the print that open the electronic edition (``address``, ``qr``).

``front`` holds the words rxleaflet adds around the author's content (the leaflet label,
the medicine line, the revision line, the prescription panel's rows, the pharmacy's
lines) as the PDF prints them, so that every edition says the same words; ``words``
the few fixed words only these editions print.  Nothing here uses ReportLab: the
layout draws the QR code this wing encodes.

May import: ``rxleaflet.model``, ``rxleaflet.errors``, ``rxleaflet.version`` and
``rxleaflet.text`` (the fixed words, dates and text direction).
"""
