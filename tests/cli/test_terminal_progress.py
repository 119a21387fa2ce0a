"""The command line shows import progress on standard error when it is a terminal, and only
then: a pipe or a file gets the plain lines alone."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def make(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"report{i}.txt").write_text(f"report number {i}\n", encoding="utf-8")
    project = tmp_path / "p.kzc"
    subprocess.run([sys.executable, "-m", "kzcoder", "new", str(project)], cwd=REPO,
                   check=True, capture_output=True)
    return folder, project


def test_progress_goes_to_a_terminal(tmp_path):
    folder, project = make(tmp_path)
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "kzcoder", "import", str(project),
                           str(folder)], cwd=REPO, stdout=subprocess.PIPE, stderr=follower,
                          timeout=60)
    os.close(follower)
    shown = b""
    while True:
        try:
            piece = os.read(leader, 4096)
        except OSError:  # the terminal's other side is closed: all was read
            break
        if not piece:
            break
        shown += piece
    os.close(leader)
    assert done.returncode == 0
    text = shown.decode()
    for i in range(3):
        assert f"\rimporting file {i + 1} of 3: report{i}.txt" in text
    assert text.endswith("\r")  # the line is blanked at the end: the terminal is left clean
    assert b"importing" not in done.stdout


def test_no_progress_in_a_pipe(tmp_path):
    folder, project = make(tmp_path)
    done = subprocess.run([sys.executable, "-m", "kzcoder", "import", str(project),
                           str(folder)], cwd=REPO, capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stderr == b""
