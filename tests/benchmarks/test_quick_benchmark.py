"""`benchmarks/run.py --quick` keeps working: every key present and positive (times are not
asserted: this machine is shared and noisy; docs/performance.md has the full run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks.run import KEYS
from tests.conftest import REPO


def test_quick_benchmark_reports_every_key(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KZCODER_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick",
                             "--json", str(out)], capture_output=True, text=True, env=env,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    required = {"open_doc_1m_ms", "baseline_plain_1m_ms", "open_ratio", "add_coding_ms_p50",
                "add_coding_ms_p95", "add_coding_small_ms_p50", "retrieve_code_ms",
                "import_1k_docs_s", "startup_ms", "startup_baseline_ms", "peak_rss_mb"}
    assert required <= set(KEYS) <= set(results)
    for key in KEYS:
        assert isinstance(results[key], float | int) and results[key] > 0, key
    assert results["retrieved_segments"] > 0
    for key in KEYS:  # the printed table names every key too
        assert key in result.stdout
