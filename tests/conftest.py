"""Shared fixtures. No test touches the user's real data folder or needs a display."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KZCODER_HOME", str(tmp_path_factory.mktemp("kzhome")))
    # run_gui sets the window's short lock wait; each test starts without it and leaves none
    monkeypatch.delenv("KZCODER_BUSY_TIMEOUT_MS", raising=False)


@pytest.fixture
def project(tmp_path: Path):
    """A new empty project."""
    from kzcoder.services.project import Project

    with Project.create(tmp_path / "empty.kzc") as opened:
        yield opened


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project, built once; tests copy it."""
    from kzcoder.services.sample import create_project

    path = tmp_path_factory.mktemp("template") / "sample.kzc"
    create_project(path, sample=True).close()
    return path


@pytest.fixture
def sample_project(tmp_path: Path, sample_template: Path):
    """A fresh copy of the sample project."""
    import shutil

    from kzcoder.services.project import Project

    path = tmp_path / "sample.kzc"
    shutil.copy(sample_template, path)
    with Project.open(path) as opened:
        yield opened
