"""kill -9 at random moments on encrypted projects: nothing acknowledged is lost, the file
stays sound and encrypted; a killed ``new --encrypt`` leaves no project or a whole one; a
killed passphrase change leaves the old passphrase or the new one, never a broken file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from kzcoder.core.errors import PassphraseError
from kzcoder.db import cipher
from kzcoder.services.project import Project
from kzcoder.services.sample import create_project

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"
CODER = """
import sys
from kzcoder.services.codings import add_coding
from kzcoder.services.project import Project
with Project.open(sys.argv[1]) as project:
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        coding = add_coding(project, 1 + n % 5, 1 + n % 4, n % 200, n % 200 + 30,
                            coder="killed")
        print(coding.value.guid, flush=True)
"""


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), **extra)
    env.pop("KZCODER_NEW_PASSPHRASE", None)
    return env


def _forget() -> None:
    with cipher._lock:
        cipher._keys.clear()


def _sound(path: Path, passphrase: str = PASSPHRASE) -> set[str]:
    """The file opens with *passphrase*, passes integrity_check; its codings' GUIDs."""
    _forget()
    cipher.set_passphrase_source(lambda _path: passphrase)
    with Project.open(path) as project:
        db = cipher.connect(path)
        try:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            return {row[0] for row in db.execute("SELECT guid FROM codings")}
        finally:
            db.close()
            assert not project.read_only


def test_kills_while_coding_lose_nothing_acknowledged(tmp_path):
    path = tmp_path / "e.kzc"
    create_project(path, sample=True, passphrase=PASSPHRASE).close()
    rng = random.Random(os.environ.get("KZCODER_TORTURE_SEED", time.time_ns()))
    acknowledged: set[str] = set()
    for _kill in range(8):
        child = subprocess.Popen([sys.executable, "-c", CODER, str(path)], cwd=REPO,
                                 stdout=subprocess.PIPE, text=True,
                                 env=_env(KZCODER_PASSPHRASE=PASSPHRASE))
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(child.pid, signal.SIGKILL)
        lines = child.stdout.read().split()
        child.wait()
        acknowledged |= set(lines)
        assert acknowledged <= _sound(path)
        assert not path.read_bytes().startswith(b"SQLite format 3")
    assert len(acknowledged) > 8


def test_a_killed_new_encrypt_leaves_nothing_or_a_whole_project(tmp_path):
    rng = random.Random(os.environ.get("KZCODER_TORTURE_SEED", time.time_ns()))
    for number in range(4):
        path = tmp_path / f"n{number}.kzc"
        child = subprocess.Popen([sys.executable, "-m", "kzcoder", "new", str(path),
                                  "--sample", "--encrypt"], cwd=REPO,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=_env(KZCODER_PASSPHRASE=PASSPHRASE))
        time.sleep(rng.uniform(0.3, 2.5))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        if path.exists():
            _sound(path)
    leftovers = [p.name for p in tmp_path.iterdir() if not p.name.endswith(".kzc")]
    assert all(name.startswith(".n") for name in leftovers)  # partial files, cleaned by new


def test_a_killed_passphrase_change_leaves_one_passphrase_that_opens_it(tmp_path):
    path = tmp_path / "e.kzc"
    create_project(path, sample=True, passphrase=PASSPHRASE).close()
    rng = random.Random(os.environ.get("KZCODER_TORTURE_SEED", time.time_ns()))
    current = PASSPHRASE
    for number in range(5):
        new = f"new passphrase {number}"
        child = subprocess.Popen([sys.executable, "-m", "kzcoder", "passphrase", str(path)],
                                 cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=_env(KZCODER_PASSPHRASE=current,
                                          KZCODER_NEW_PASSPHRASE=new))
        time.sleep(rng.uniform(0.1, 0.6))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        opens = []
        for passphrase in (current, new):  # as a user would: open it with one, then the other
            try:
                _sound(path, passphrase)
            except PassphraseError:
                continue
            opens.append(passphrase)
        assert len(opens) == 1, (number, opens)
        current = opens[0]
