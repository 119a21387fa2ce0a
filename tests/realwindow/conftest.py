"""The real-window test starts its own X server; the marker lets a run select or skip it
(``-m realwindow`` / ``-m "not realwindow"``)."""

from __future__ import annotations


def pytest_configure(config) -> None:  # noqa: ANN001
    config.addinivalue_line(
        "markers", "realwindow: starts Xvfb, openbox and the app in child processes (serial)")
    # pytest-xdist's marker, registered here too so that --strict-markers accepts it without
    config.addinivalue_line("markers", "xdist_group(name): run in one pytest-xdist worker")
