"""run_server_window.py under pytest: a server project in a real X window (Xvfb + openbox),
another client coding, the server stopped and started. Runs when Xvfb, openbox, xdotool and
xprop are on PATH and PostgreSQL is installed (.ci/sysdeps.sh installs them)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.pg_cluster import available

SCRIPT = Path(__file__).with_name("run_server_window.py")
TOOLS = ("Xvfb", "openbox", "xdotool", "xprop")
TIMEOUT_S = 150  # it takes about 25 s

pytestmark = [pytest.mark.realwindow, pytest.mark.xdist_group("realwindow")]


def test_a_server_project_in_a_real_window_shows_others_codings_and_survives_a_restart(
        tmp_path):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"no {', '.join(missing)} on PATH: the real-window test needs an X server "
                    "and a window manager (.ci/sysdeps.sh installs them on Debian/Ubuntu)")
    why = available()
    if why:
        pytest.skip(why)
    shots = tmp_path / "shots"
    proc = subprocess.Popen([sys.executable, str(SCRIPT), str(shots)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        pytest.fail(f"the server real-window test took more than {TIMEOUT_S} s")
    lines = [line for line in err.splitlines() if line.strip()]
    assert proc.returncode == 0, lines[-1] if lines else f"exit {proc.returncode}: {out}"
    assert sorted(p.name for p in shots.glob("*.png")) == sorted(
        ["server_open.png", "server_live.png", "server_lost.png", "server_back.png"]
    ) or shutil.which("import") is None
