"""Check: whether a leaflet is a good one, beyond loading: safe dose notation, plain language, complete sections.

``rxleaflet check`` reads the model the content loader made and the content file's own
lines (to report each finding at its FILE:LINE:COL and to find the ``# check: accept``
comments that accept one on purpose). It holds the findings and their acceptance
(``findings``, ``accept``), the place of a character of model text in its file
(``places``), the texts of a leaflet with their language and section (``texts``), the rules
(``notation``: error-prone dose notation; ``readability``: sentence length and reading
indices; ``jargon``: medical words with everyday ones; ``completeness``: the sections a
profile asks for), the reports (``report``: text, JSON, SARIF) and the command
(``command``). What varies by language or by regulation is data beside the code:
``languages/*.yaml`` (units, abbreviations, reading index, jargon) and ``profiles/*.yaml``.

May import: ``rxleaflet.model``, ``rxleaflet.errors`` and ``rxleaflet.content`` (to read a
content file's lines as the loader decoded them, and to load the files it is given).
"""
