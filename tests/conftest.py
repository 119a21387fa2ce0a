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


# Under CI every skip fails the run unless its reason is one of these platform limits: a clone
# alone must run the whole suite (the data the tests need is in tests/data, beside them).
PLATFORM_SKIPS = ("Linux /proc only", "POSIX permissions",
                  "file permissions cannot be made to bind")
_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
        if not any(allowed in reason for allowed in PLATFORM_SKIPS):
            _skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skips and os.environ.get("CI") == "true" and exitstatus == 0:
        session.config.get_terminal_writer().line(
            "CI allows no skip outside platform limits:\n  " + "\n  ".join(_skips), red=True)
        session.exitstatus = 1
