"""PDF: the tagged canvas (structure tree, marked content, artifacts, catalog, XMP: all of PDF/UA) and print jobs made with pypdf.

``tag`` is the one fenced module that uses ReportLab's private API. Nothing here knows the
model or the page layout: the layout draws on this wing's canvas.

May import: ``rxleaflet.errors`` and ``rxleaflet.version`` only.
"""
