"""rxleaflet: structured medicine content (YAML) to an accessible, printable PDF leaflet.

The Python API (see :mod:`rxleaflet.api`)::

    import rxleaflet
    leaflet = rxleaflet.load("content/diazepam-2mg.yaml")   # validated model
    pdf = rxleaflet.build(leaflet, paper="letter")            # PDF bytes

The package is one pipeline, a wing per stage, around the plain data model
(:mod:`rxleaflet.model`); each wing's ``__init__`` says what it holds and what it
may import, and no wing imports one above it:

    text/       fonts, scripts and the fixed words by language
    content/    what the author wrote: YAML read into the model, inline markup, codes, the library
    pdf/        the tagged canvas (PDF/UA structure), print jobs
    layout/     the model set as text and blocks on pages, written as a PDF
    api.py      load and build
    pharmacy/   batches, the service, safe writes, clean stops
    importers/  official labels (SPL, ePI) to content files
    cli.py      the command line

No module of the package imports this one: it only gathers the API, and
imports it when first used, so that ``rxleaflet --version`` (every command
imports this package first) does not wait for YAML and ReportLab.
"""
from __future__ import annotations

from .errors import Problem, UserError
from .version import __version__

__all__ = ["load", "load_prescription", "load_pharmacy", "build", "Problem", "UserError", "__version__"]
_API = ("load", "build", "load_prescription", "load_pharmacy")


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'rxleaflet' has no attribute '{name}'")
