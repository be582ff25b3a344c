"""Pharmacy settings read into the model: the pharmacy's name, address and phone, its footer and default edition, its library."""
from __future__ import annotations

from pathlib import Path

from .. import model
from .nodes import NodeReader
from .yamlfile import compose_file, read_content_bytes

PHARMACY_KEYS = ("name", "address", "phone", "paper", "footer", "large_print", "library", "library_lang")  # 3 required


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
        footer = ()
        if "footer" in keys:
            nodes = self.sequence(keys["footer"][1], "footer", "footer lines")
            footer = tuple(self.string(n, f"footer[{i}]", "a footer line") for i, n in enumerate(nodes))
        library = self.string(keys["library"][1], "library", "the library folder") if "library" in keys else None
        library_lang = self.language(keys["library_lang"][1], "library_lang") if "library_lang" in keys else None
        if len(values) < 3 or None in values.values() or None in footer or self.problems:
            return None
        if library is not None:  # relative to the settings file, wherever rxleaflet runs
            library = str(Path(self.name).parent / Path(library).expanduser())
        return model.Pharmacy(values["name"], values["address"], values["phone"], paper, footer, bool(large_print),
                              library, library_lang)
