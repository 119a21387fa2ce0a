"""run_real_window.py under pytest: the app in a real X window (Xvfb + openbox), driven with
xdotool, restarted three times. Runs when Xvfb, openbox, xdotool and xprop are on PATH
(.ci/sysdeps.sh installs them); skipped otherwise."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("run_real_window.py")
TOOLS = ("Xvfb", "openbox", "xdotool", "xprop")
TIMEOUT_S = 150  # it takes about 20 s; each step has its own, shorter, limit

# One X server, one window manager and one app at a time, all its own: nothing to share with
# other tests, but it must not be split across workers (pytest-xdist: --dist loadgroup).
pytestmark = [pytest.mark.realwindow, pytest.mark.xdist_group("realwindow")]


def test_layout_and_codings_survive_restarts_in_a_real_window(tmp_path):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"no {', '.join(missing)} on PATH: the real-window test needs an X server "
                    "and a window manager (.ci/sysdeps.sh installs them on Debian/Ubuntu)")
    shots = tmp_path / "shots"
    # its own process group, so that a hung run is ended with Xvfb, openbox and the app
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
        pytest.fail(f"the real-window test took more than {TIMEOUT_S} s")
    lines = [line for line in err.splitlines() if line.strip()]
    assert proc.returncode == 0, lines[-1] if lines else f"exit {proc.returncode}: {out}"
    assert sorted(p.name for p in shots.glob("*.png")) == sorted(
        ["start0.png", "annotated.png", "narrow_codebook.png", "restart1.png", "restart2.png",
         "restart3.png",
         "small_screen.png"]
    ) or shutil.which("import") is None
