"""rxleaflet: structured medicine content (YAML) to an accessible, printable PDF leaflet.

The Python API::

    import rxleaflet
    leaflet = rxleaflet.load("content/diazepam-2mg.yaml")   # validated model
    pdf = rxleaflet.build(leaflet, paper="letter")            # PDF bytes
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import Problem, UserError  # noqa: E402

# Imported here, before ``def load`` below: importing the submodule later would
# rebind the package attribute ``load`` to the module and hide the function.
from .load import read_leaflet  # noqa: E402


def load(path):
    """Read and validate a content file; raises :class:`UserError` on bad input."""
    from . import fonts

    return read_leaflet(path, printable=fonts.covers)


def load_prescription(path, leaflet):
    """Read one prescription's dispensing details (YAML or JSON) for ``leaflet``.

    Refused (UserError) if its medicine is not the leaflet's medicine.
    """
    from . import fonts
    from .load import read_prescription

    return read_prescription(path, leaflet.medicine, printable=fonts.covers)


def load_pharmacy(path):
    """Read pharmacy settings: name, address, phone, default paper, footer lines."""
    from . import fonts
    from .load import read_pharmacy

    return read_pharmacy(path, printable=fonts.covers)


def build(leaflet, paper=None, prescription=None, pharmacy=None, large_print=None) -> bytes:
    """The leaflet as PDF bytes.  ``leaflet`` is a model from :func:`load` or a path.

    ``paper`` (a4, letter, legal, a5) and ``large_print`` default to the
    pharmacy's settings, else A4 and standard print.
    """
    from .model import Leaflet
    from .theme import LARGE_PRINT, STANDARD
    from .write import render

    if not isinstance(leaflet, Leaflet):
        leaflet = load(leaflet)
    paper = paper or (pharmacy.paper if pharmacy is not None else None) or "a4"
    if large_print is None:
        large_print = pharmacy is not None and pharmacy.large_print
    theme = LARGE_PRINT if large_print else STANDARD
    return render(leaflet, paper=paper, theme=theme, prescription=prescription, pharmacy=pharmacy)


__all__ = ["load", "load_prescription", "load_pharmacy", "build", "Problem", "UserError", "__version__"]
