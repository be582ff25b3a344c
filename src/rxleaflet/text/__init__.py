"""Text: the bundled fonts and which one draws each character, right-to-left order and shaping, line breaking (``linebreak``), and the fixed words rxleaflet prints itself, by language.

May import: ``rxleaflet.model`` and ``rxleaflet.errors`` only.
"""
