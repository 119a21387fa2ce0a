"""The memory a large plain-text import costs: ``import_peak_ratio``, the growth of the
process's peak resident memory while one 24 MB text (Cyrillic) is imported into a project,
search index included, divided by the file's size (target <= 2.67: twice the file plus 16 MB).

Each measurement is a new process (``python -m benchmarks.import_peak_bench FOLDER``), with
glibc's mmap threshold fixed so that freed large blocks go back to the system at once.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZE = 24_000_000
LINE = "Митинг полиция власти оппозиция площадь рабочие нефть 2022.\n"


def _status(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for row in status:
            if row.startswith(key):
                return int(row.split()[1]) * 1024
    raise RuntimeError(f"no {key} in /proc/self/status")


def child(folder: Path) -> None:
    """In this process: import the big file into a new project; print size and growth."""
    from kzcoder.services.documents import import_paths
    from kzcoder.services.project import Project

    big = folder / "big.txt"
    big.write_text(LINE * (SIZE // len(LINE.encode())), encoding="utf-8")
    (folder / "warm.txt").write_text("warm up", encoding="utf-8")
    path = folder / "peak.kzc"
    Project.create(path).close()
    with Project.open(path) as project:
        import_paths(project, [folder / "warm.txt"])
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        base = _status("VmRSS")
        assert len(import_paths(project, [big]).value.imported) == 1
        print(big.stat().st_size, _status("VmHWM") - base)


def measure_import_peak(work: Path, reps: int) -> dict[str, float]:
    """``import_peak_ratio``, the median of *reps* new processes (Linux only: /proc)."""
    ratios = []
    for number in range(reps):
        folder = work / f"peak-{number}"
        folder.mkdir()
        out = subprocess.run([sys.executable, "-m", "benchmarks.import_peak_bench", str(folder)],
                             check=True, capture_output=True, text=True, cwd=REPO,
                             env=dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072")).stdout
        size, growth = map(int, out.split())
        ratios.append(growth / size)
        for name in ("big.txt", "peak.kzc"):
            (folder / name).unlink()
    return {"import_peak_ratio": statistics.median(ratios)}


if __name__ == "__main__":
    child(Path(sys.argv[1]))
