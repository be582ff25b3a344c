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


def build(leaflet, paper: str = "a4") -> bytes:
    """The leaflet as PDF bytes.  ``leaflet`` is a model from :func:`load` or a path."""
    from .model import Leaflet
    from .write import render

    if not isinstance(leaflet, Leaflet):
        leaflet = load(leaflet)
    return render(leaflet, paper=paper)


__all__ = ["load", "build", "Problem", "UserError", "__version__"]
