"""rxleaflet: structured medicine content (YAML) to an accessible, printable PDF leaflet.

The Python API (see :mod:`rxleaflet.api`)::

    import rxleaflet
    leaflet = rxleaflet.load("content/diazepam-2mg.yaml")   # validated model
    pdf = rxleaflet.build(leaflet, paper="letter")            # PDF bytes

No module of the package imports this one: it only gathers the API, and
imports it when first used, so that ``rxleaflet --version`` (every command
imports this package first) does not wait for YAML and ReportLab.
"""
from __future__ import annotations

import sys
import types

from .errors import Problem, UserError
from .version import __version__

__all__ = ["load", "load_prescription", "load_pharmacy", "build", "Problem", "UserError", "__version__"]
_API = ("build", "load_prescription", "load_pharmacy")


class _Package(types.ModuleType):
    """The package, whose ``load`` is the API function even though a submodule has that name too.

    Importing the submodule ``rxleaflet.load`` binds it as the package's
    ``load``; this property keeps the function there instead (the submodule
    stays reachable as ``sys.modules["rxleaflet.load"]`` and by ``from
    rxleaflet.load import …``).
    """

    @property
    def load(self):
        from .api import load

        return load

    @load.setter
    def load(self, submodule) -> None:
        pass  # the import system binding the submodule: the function stays


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'rxleaflet' has no attribute '{name}'")


sys.modules[__name__].__class__ = _Package
