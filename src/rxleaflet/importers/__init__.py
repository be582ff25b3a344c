"""Importing official leaflets (FDA SPL, HL7 ePI) as content files: one entry point for the CLI and API.

``import_label`` reads a label, writes the content file (and its pictures) and returns the
warnings; each step is its own module: ``source`` reads safely, ``spl``/``epi`` know the
formats, ``narrative`` and ``outline`` turn markup into structure, ``images`` places the
pictures, ``writer`` prints the YAML.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import epi, nodes, spl
from .images import Pictures
from .writer import dump, to_data

KINDS = ("spl", "epi")


@dataclass
class Imported:
    yaml: str
    warnings: list[str]
    pictures: Pictures


def import_label(kind: str, path, folder, section=None, drop_missing_images: bool = False) -> Imported:
    """Read a label into a content file's text; ``folder`` is where the content file will go
    (its pictures go into ``images/`` there). Raises UserError for files that cannot be imported."""
    log = nodes.Log(str(path))
    pictures = Pictures(Path(folder), drop_missing_images, log)
    if kind == "spl":
        leaflet = spl.read(path, section, pictures, log)
    elif kind == "epi":
        leaflet = epi.read(path, pictures, log)
    else:
        raise ValueError(f"unknown label kind {kind!r}")
    return Imported(dump(to_data(leaflet, log.warnings, log.notes)), list(log.warnings), pictures)
