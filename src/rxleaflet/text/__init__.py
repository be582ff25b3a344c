"""Text: the fonts and which one draws each word (``fonts``), shaping by HarfBuzz (``shaping``), right-to-left order (``bidi``), line breaking (``linebreak``, with ICU where words are not separated: ``segment``), and the fixed words rxleaflet prints itself, by language (``fixed_words``, from gettext catalogues and CLDR).

May import: ``rxleaflet.model``, ``rxleaflet.errors``, and ``rxleaflet.pdf.reportlab_fence`` (the
only home of ReportLab's private API: shaped glyphs' codes, fonts ReportLab cannot read).
"""
