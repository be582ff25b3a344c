"""Text: the bundled fonts and which one draws each character, right-to-left order and shaping, and the fixed words rxleaflet prints itself, by language.

May import: ``rxleaflet.model`` and ``rxleaflet.errors`` only.
"""
