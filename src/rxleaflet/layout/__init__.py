"""Layout: the model set as lines and blocks, placed on pages, and written as a tagged PDF.

``story`` turns the model into blocks (``flowables``, ``tables``, ``pictures``) with their
structure elements; ``textset`` draws lines (set by ``rxleaflet.text.linebreak``);
``pagefill`` places blocks down the pages; ``theme`` holds every size and colour;
``write`` makes the PDF bytes.

May import: ``rxleaflet.model``, ``rxleaflet.errors``, ``rxleaflet.version``,
``rxleaflet.text``, ``rxleaflet.pdf`` and ``rxleaflet.editions`` (a link's printed
address, the QR code that opens the electronic edition).
"""
