"""Content: what the author wrote, read and checked into the model.

YAML files read safely into nodes (``yamlfile``) and then into the model with every
problem at its FILE:LINE:COL, by a shared node reader (``nodes``) and one reader per kind
of document: a leaflet (``leaflet``), dispensing details (``dispensing``), pharmacy
settings (``pharmacy_settings``); the YAML traps of prose (``yamltext``), characters that
are refused or show nothing (``characters``), inline markup (``inline``), product codes
(``codes``), and the content library that finds a leaflet by product code or medicine
name (``library``). The JSON Schema for editors is
``rxleaflet/schema/leaflet.schema.json``.

May import: ``rxleaflet.model``, ``rxleaflet.errors``, ``rxleaflet.text`` (to ask which
characters the fonts can print) and ``rxleaflet.editions`` (to check the pharmacy's
``edition_url`` template).
"""
