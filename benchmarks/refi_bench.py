"""REFI-QDA benchmarks: the whole corpus_1k project (1,000 documents, 100,000 codings) exported
as a ``.qdpx`` and imported into a new project.

``measure_refi(corpus_project, reps)`` gives ``export_qdpx_s`` and ``import_qdpx_s``, medians
over *reps* runs (targets: at most 5 s and 10 s). Run on its own it builds corpus_1k with the
full sizes in a temporary folder first::

    .venv/bin/python -m benchmarks.refi_bench [--reps 3] [--work DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from kzcoder.services.project import Project
from kzcoder.services.refi.exporting import export_qdpx
from kzcoder.services.refi.importing import import_qdpx, report_path


def measure_refi(corpus_project: Path, reps: int) -> dict[str, float]:
    """Median seconds to export *corpus_project* as a ``.qdpx`` and to import that archive
    into a new project, over *reps* runs each (files written in a temporary folder)."""
    exports: list[float] = []
    imports: list[float] = []
    with tempfile.TemporaryDirectory(prefix="kzcoder-refi-bench-") as folder:
        archive = Path(folder) / "corpus.qdpx"
        with Project.open(corpus_project) as project:
            for _ in range(reps):
                began = time.perf_counter()
                export_qdpx(project, archive, overwrite=True)
                exports.append(time.perf_counter() - began)
        for number in range(reps):
            target = Path(folder) / f"imported-{number}.kzc"
            began = time.perf_counter()
            import_qdpx(archive, target)
            imports.append(time.perf_counter() - began)
            target.unlink()
            report_path(target).unlink(missing_ok=True)
    return {"export_qdpx_s": statistics.median(exports),
            "import_qdpx_s": statistics.median(imports)}


def main() -> None:
    """Build corpus_1k (full sizes) and print the measures."""
    from benchmarks import datasets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder to build in (kept)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kzcoder-corpus-"))
    work.mkdir(parents=True, exist_ok=True)
    project = work / "corpus_1k.kzc"
    if not project.exists():
        files = datasets.write_corpus_files(work, datasets.FULL)
        datasets.build_corpus_project(work, files, datasets.FULL)
    try:
        for key, value in measure_refi(project, args.reps).items():
            print(f"{key}: {value:.2f}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
