"""rxleaflet: structured medicine content (YAML) to an accessible, printable PDF leaflet.

The Python API (see :mod:`rxleaflet.api`)::

    import rxleaflet
    leaflet = rxleaflet.load("content/diazepam-2mg.yaml")   # validated model
    pdf = rxleaflet.build(leaflet, paper="letter")            # PDF bytes

No module of the package imports this one: it only gathers the API.
"""
from __future__ import annotations

# api imports the submodule rxleaflet.load first, so the function bound here as
# ``load`` is not replaced by that module afterwards.
from .api import build, load, load_pharmacy, load_prescription
from .errors import Problem, UserError
from .version import __version__

__all__ = ["load", "load_prescription", "load_pharmacy", "build", "Problem", "UserError", "__version__"]
