"""`benchmarks/run.py --quick` keeps working: every key present and positive (times are not
asserted: this machine is shared and noisy; docs/performance.md has the full run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks.run import EXTRA_KEYS, KEYS, SERVER_KEYS, as_json, median_of_runs, table
from tests.conftest import REPO

REQUIRED = {"open_doc_1m_ms", "baseline_plain_1m_ms", "open_ratio", "add_coding_ms_p50",
            "add_coding_ms_p95", "add_coding_small_ms_p50", "add_coding_floor_ms",
            "add_coding_ratio", "retrieve_code_ms", "import_1k_docs_s", "startup_ms",
            "startup_baseline_ms", "peak_rss_mb", "merge_code_ms"}


def test_quick_benchmark_reports_every_key(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KZCODER_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick",
                             "--json", str(out)], capture_output=True, text=True, env=env,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert REQUIRED <= set(KEYS) <= set(results)
    for key in KEYS:
        assert isinstance(results[key], float | int) and results[key] > 0, key
    assert results["retrieved_segments"] > 0
    for key in SERVER_KEYS:  # a server can be started here (make test installs PostgreSQL)
        assert isinstance(results[key], float | int) and key in result.stdout, key
    assert results["server_10_coders_errors"] == 0 and results["server_event_ms"] > 0
    for key in KEYS:  # the printed table names every key too
        assert key in result.stdout


def _fake_run(scale: float) -> dict[str, float]:
    return {key: scale * (n + 1) for n, key in enumerate(KEYS + EXTRA_KEYS)}


def test_several_runs_report_the_median_and_each_run():
    runs = [_fake_run(1.0), _fake_run(3.0), _fake_run(2.0)]
    median = median_of_runs(runs)
    assert median == _fake_run(2.0)
    assert as_json(runs) == {"median": median, "runs": runs}
    assert as_json(runs[:1]) == runs[0]  # one run: the flat shape of before
    lines = table(runs).splitlines()
    assert "median" in lines[0] and "run 3" in lines[0]
    ratio = next(line for line in lines if line.startswith("add_coding_ratio "))
    index = KEYS.index("add_coding_ratio") + 1
    assert ratio.split()[:5] == [
        "add_coding_ratio", f"{2.0 * index:.2f}", f"{1.0 * index:.2f}", f"{3.0 * index:.2f}",
        f"{2.0 * index:.2f}"]
    for key in KEYS + EXTRA_KEYS:
        assert any(line.startswith(f"{key} ") for line in lines), key
