"""Where things are: bundled resources and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "kzcoder"
DEFAULT_PROJECT_NAME = "default.kzc"


def _root() -> Path:
    """Where ``resources/`` and ``sample_corpus/`` are: a PyInstaller bundle's folder, the
    installed package (a wheel puts them inside ``kzcoder/``), or the source checkout."""
    bundle = getattr(sys, "_MEIPASS", None)  # set inside a PyInstaller bundle
    if bundle:
        return Path(bundle)
    package = Path(__file__).resolve().parent
    return package if (package / "resources").is_dir() else package.parent


def resource(*parts: str) -> Path:
    """A file shipped with kzcoder (``resources/``, ``sample_corpus/``); works in a bundle too."""
    return _root().joinpath(*parts)


def data_home() -> Path:
    """The folder for the user's projects: ``$KZCODER_HOME`` or the platform's user data folder."""
    override = os.environ.get("KZCODER_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_project_path() -> Path:
    """The project opened when none is named."""
    return data_home() / DEFAULT_PROJECT_NAME
