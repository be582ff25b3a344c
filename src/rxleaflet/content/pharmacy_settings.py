"""Pharmacy settings read into the model: the pharmacy's name, address and phone, its footer and default edition, its library.

The footer is the settings' own lines, else the side-effect reporting line of the
pharmacy's country (``country:``), else nothing.
"""
from __future__ import annotations

from pathlib import Path

from .. import model
from ..text import reporting
from ..editions.address import template_problem
from .inline import parse_inline
from .nodes import NodeReader
from .yamlfile import compose_file, read_content_bytes

PHARMACY_KEYS = ("name", "address", "phone", "country", "paper", "footer", "large_print", "library",
                 "library_lang", "edition_url")  # the first 3 required


def read_pharmacy(path, printable=None) -> model.Pharmacy:
    data = read_content_bytes(path)
    name = str(path)
    text, root = compose_file(data, name, "pharmacy settings", "name, address and phone")
    return PharmacyReader(name, text, printable).finish(lambda reader: reader.pharmacy(root))


class PharmacyReader(NodeReader):
    """Reads a pharmacy's settings."""

    def pharmacy(self, root):
        keys = self.mapping(root, "", PHARMACY_KEYS[:3], PHARMACY_KEYS[3:])
        if keys is None:
            return None
        values = {key: self.string(keys[key][1], key, f"the pharmacy's {key}")
                  for key in ("name", "address", "phone") if key in keys}
        paper = self.paper(keys["paper"][1], "paper") if "paper" in keys else None
        large_print = self.boolean(keys["large_print"][1], "large_print") if "large_print" in keys else False
        country = self.country(keys["country"][1], "country") if "country" in keys else None
        footer = ()
        if "footer" in keys:
            nodes = self.sequence(keys["footer"][1], "footer", "footer lines")
            footer = tuple(self.footer_line(n, f"footer[{i}]") for i, n in enumerate(nodes))
        elif reporting.reporting_line(country):
            node = keys["country"][1]
            footer = (model.Text(parse_inline(reporting.reporting_line(country)),
                                 model.Location(self.name, node.start_mark.line + 1, node.start_mark.column + 1,
                                                "country")),)
        library = self.string(keys["library"][1], "library", "the library folder") if "library" in keys else None
        library_lang = self.language(keys["library_lang"][1], "library_lang") if "library_lang" in keys else None
        edition_url = self.edition_url(keys["edition_url"][1]) if "edition_url" in keys else None
        if len(values) < 3 or None in values.values() or None in footer or self.problems:
            return None
        if library is not None:  # relative to the settings file, wherever rxleaflet runs
            library = str(Path(self.name).parent / Path(library).expanduser())
        return model.Pharmacy(values["name"], values["address"], values["phone"], paper, footer, bool(large_print),
                              library, library_lang, country, edition_url)

    def footer_line(self, node, path):
        """A line every leaflet ends with: inline text, its addresses links; it cannot point into a leaflet."""
        line = self.text(node, path, "a footer line")
        if line is not None and any(span.link and span.link.startswith("#") for span in line.spans):
            self.problem(node, path, "a footer line cannot link to a section (#id): it ends every leaflet")
            return None
        return line

    def edition_url(self, node):
        """The electronic edition's address template (GS1 Digital Link): checked, never fetched."""
        value = self.string(node, "edition_url", "the electronic edition's address")
        problem = template_problem(value) if value is not None else None
        if problem:
            self.problem(node, "edition_url", f"{self.quoted(value)}: {problem}")
            return None
        return value

    def country(self, node, path):
        """The pharmacy's country as an ISO 3166-1 alpha-2 code (GB, US, IE …)."""
        value = self.string(node, path, "the country code")
        code = reporting.country_code(value) if value is not None else None
        if value is not None and code is None:
            self.problem(node, path, f"{self.quoted(value)} is not a two-letter country code (ISO 3166-1) such as "
                                     "GB, US or IE")
        return code
