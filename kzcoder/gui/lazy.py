"""Modules imported on first use (importlib's LazyLoader).

The services pull in SQLAlchemy, whose import alone takes several times as long as showing a
Qt window. GUI modules reach services through ``lazy_import`` so that the main window is on
screen before the data layer has loaded. (PyInstaller does not follow these string imports: a
spec file must list the ``kzcoder.services`` modules as hidden imports.)
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """*name*'s module, executed when one of its attributes is first read."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}")
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
