"""The short run of benchmarks/torture.py: about fifty SIGKILLs at random moments of coding,
importing, creating and backing up; nothing acknowledged is lost, every file stays sound."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_fifty_kills_lose_nothing_acknowledged(tmp_path):
    seed = int(os.environ.get("KZCODER_TORTURE_SEED", time.time_ns() % 100_000))
    out = tmp_path / "torture.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "torture.py"), "--kills", "48", "--jobs",
         "2", "--seed", str(seed), "--max-seconds", "100", "--json", str(out)],
        capture_output=True, text=True, timeout=150, cwd=REPO)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert done.returncode == 0, f"seed {seed}:\n{done.stdout}\n{done.stderr}"
    assert report["kills"] == 48 and not report["stopped_early"], done.stdout
    assert (report["lost"], report["unsound"], report["half_written"]) == (0, 0, 0)
    assert set(report["scenarios"]) == {"coding", "importing", "creating", "backing-up"}
    for scenario, figures in report["scenarios"].items():
        assert figures["acknowledged"] > 0 or scenario == "creating", (scenario, figures)
        assert figures["killed_mid_work"] > 0, (scenario, figures)
