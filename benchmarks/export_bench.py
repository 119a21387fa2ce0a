"""Export benchmarks on corpus_1k (1,000 documents, 100,000 codings): CSV and XLSX of every
coding, and the peak memory of a process that exports the XLSX.

    measure_exports(corpus_project, reps) -> {"export_csv_s", "export_xlsx_s",
                                              "export_peak_rss_mb"}

Targets: CSV <= 3 s, XLSX <= 15 s, peak memory <= 300 MB. Run on its own:
``python benchmarks/export_bench.py PROJECT [REPS]``; ``... rss PROJECT OUT.xlsx`` is the child
that measures memory (it prints its peak resident memory in MB on its last line).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; see probe.py on why not ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # not Linux: the best there is

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_export(project_path: Path, folder: Path, fmt: str, reps: int) -> float:
    from kzcoder.services.exports import export_segments
    from kzcoder.services.project import Project

    times = []
    with Project.open(project_path) as project:
        for rep in range(reps):
            target = folder / f"segments-{rep}.{fmt}"
            start = time.perf_counter()
            result = export_segments(project, target, fmt)
            times.append(time.perf_counter() - start)
            if result.rows == 0:
                raise SystemExit(f"{project_path}: nothing was exported")
            target.unlink()
    return statistics.median(times)


def export_peak_rss_mb(project_path: Path, folder: Path) -> float:
    """Peak resident memory of a fresh process that exports the whole project as XLSX."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "rss",
                          str(project_path), str(folder / "rss.xlsx")], capture_output=True,
                         text=True, env=env, check=True, timeout=600).stdout
    return float(out.strip().splitlines()[-1])


def measure_exports(corpus_project: Path, reps: int) -> dict[str, float]:
    """Median seconds of *reps* CSV and XLSX exports of every coding of *corpus_project*, and
    the peak memory of a process exporting its XLSX."""
    with tempfile.TemporaryDirectory(prefix="kzexport-") as folder:
        folder = Path(folder)
        return {"export_csv_s": _time_export(corpus_project, folder, "csv", reps),
                "export_xlsx_s": _time_export(corpus_project, folder, "xlsx", reps),
                "export_peak_rss_mb": export_peak_rss_mb(corpus_project, folder)}


def main(argv: list[str]) -> int:
    if argv[:1] == ["rss"]:
        from kzcoder.services.exports import export_segments
        from kzcoder.services.project import Project

        with Project.open(argv[1]) as project:
            export_segments(project, argv[2], "xlsx", overwrite=True)
        print(f"{_peak_rss_mb():.1f}")
        return 0
    results = measure_exports(Path(argv[0]), int(argv[1]) if len(argv) > 1 else 3)
    for key, value in results.items():
        print(f"{key}\t{value:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
