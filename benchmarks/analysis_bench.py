"""Compare benchmarks on 1,000 documents x 100 codes x 100,000 codings (the corpus_1k texts,
each with a date of publication from 2005 to 2024):

- ``matrix_100k_ms``: ``kzcoder matrix PROJECT --format json`` (codes by document),
- ``matrix_year_100k_ms``: the same ``--by published:year``,
- ``cooccurrence_100k_ms``: ``kzcoder cooccurrence PROJECT`` (overlap),

each the median time of the command above the command line's start-up: in a new process per
repetition, ``kzcoder codes PROJECT --json`` runs first (``analysis_cli_floor_ms``: Python,
kzcoder and SQLAlchemy loaded, the project opened, a little printed), then runs again, timed
(the parser built and the project opened once more, warm), then the command is timed, output
to /dev/null, as the command line runs it (``cli.main.main``); the key is the command's time
minus that second run's.
``matrix_tab_refresh_ms``: the window's matrix tab (by document, 100 x 1,000) brought up to
date after a coding, table and heat map repainted, in process. Run on its own::

    .venv/bin/python -m benchmarks.analysis_bench [--reps 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import datasets
from kzcoder.services.codebook.editing import add_code
from kzcoder.services.codings import add_codings
from kzcoder.services.documents import import_paths, update_document
from kzcoder.services.project import Project

CODES = 100


def build_analysis_project(folder: Path, files: Path, sizes: datasets.Sizes) -> Path:
    """The corpus texts with 100 codes (ten parents of nine sub-codes each) and the corpus's
    number of codings spread over them; every document dated in 2005-2024."""
    rng = random.Random(datasets.SEED + 23)
    path = folder / "analysis_1k.kzc"
    with Project.create(path) as project:
        codes: list[int] = []
        for group in range(CODES // 10):
            parent = add_code(project, f"Theme {group + 1}",
                              datasets.COLORS[group % len(datasets.COLORS)]).value.id
            codes.append(parent)
            codes += [add_code(project, f"Theme {group + 1}.{i + 1}",
                               datasets.COLORS[(group + i) % len(datasets.COLORS)],
                               parent=parent).value.id for i in range(9)]
        docs = import_paths(project, [files]).value.imported
        for doc in docs:
            update_document(project, doc.id, set_attributes={
                "published": f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-"
                             f"{rng.randint(1, 28):02d}",
                "outlet": rng.choice(("IWPR", "RFE/RL", "Taipei Times", "Reuters"))})
        per_doc = sizes.corpus_codings // len(docs)
        items = [(doc.id, rng.choice(codes), s, e) for doc in docs
                 for s, e in datasets.random_spans(rng, doc.length, per_doc)]
        add_codings(project, items, coder="bench")
    return path


_PROBE = """
import json, os, sys, time
start = time.perf_counter()
from kzcoder.cli.main import main
with open(os.devnull, "w") as sink:
    real, sys.stdout = sys.stdout, sink
    main(json.loads(sys.argv[1]))
    started = time.perf_counter()
    main(json.loads(sys.argv[1]))  # again: the parser built and the project opened, warm
    floor = time.perf_counter()
    main(json.loads(sys.argv[2]))
    done = time.perf_counter()
    sys.stdout = real
print(json.dumps([(started - start) * 1000, ((done - floor) - (floor - started)) * 1000]))
"""


def _cli_ms(floor: list[str], args: list[str], env: dict[str, str]) -> tuple[float, float]:
    import json

    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(floor), json.dumps(args)],
                         check=True, env=env, capture_output=True, text=True).stdout
    started, took = json.loads(out.strip().splitlines()[-1])
    return started, took


def measure_analysis(project: Path, reps: int) -> dict[str, float]:
    """The keys of the module docstring, medians over *reps* interleaved runs."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    floor = ["codes", str(project), "--json"]
    commands = {"matrix_100k_ms": ["matrix", str(project), "--format", "json"],
                "matrix_year_100k_ms": ["matrix", str(project), "--by", "published:year",
                                        "--format", "json"],
                "cooccurrence_100k_ms": ["cooccurrence", str(project)]}
    times: dict[str, list[float]] = {key: [] for key in [*commands, "analysis_cli_floor_ms"]}
    for _ in range(reps):
        for key, args in commands.items():
            started, took = _cli_ms(floor, args, env)
            times["analysis_cli_floor_ms"].append(started)
            times[key].append(took)
    found = {key: statistics.median(values) for key, values in times.items()}
    found["matrix_tab_refresh_ms"] = _tab_refresh_ms(project, reps)
    return found


def _tab_refresh_ms(project_path: Path, reps: int) -> float:
    from PySide6.QtWidgets import QApplication

    from kzcoder.gui.analysis.tabs import MatrixTab

    app = QApplication.instance() or QApplication([])
    with Project.open(project_path) as project:
        tab = MatrixTab()
        tab.resize(1200, 700)
        tab.show()
        tab.set_scope(project, None)
        tab.by.setCurrentIndex(tab.by.findData("document"))
        app.processEvents()
        from kzcoder.services.codebook.editing import list_codes
        from kzcoder.services.codings import add_coding
        from kzcoder.services.documents import list_documents

        code = list_codes(project)[5].id
        ids = [d.id for d in list_documents(project)]
        samples = []
        for number in range(reps):
            document_id = ids[number * 37 % len(ids)]
            add_coding(project, document_id, code, 0, 5, coder="bench")
            start = time.perf_counter()  # what the area does one turn after a coding
            tab.update_documents({document_id})
            app.processEvents()  # the table and the heat map painted
            samples.append((time.perf_counter() - start) * 1000)
        tab.close()
        tab.deleteLater()
        app.processEvents()
    return statistics.median(samples)


def main() -> None:
    """Build the data set and print the measures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--work", type=Path, help="folder to build in (kept)")
    args = parser.parse_args()
    sizes = datasets.QUICK if args.quick else datasets.FULL
    work = args.work or Path(tempfile.mkdtemp(prefix="kzcoder-analysis-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KZCODER_HOME", str(work / "home"))
    project = work / "analysis_1k.kzc"
    try:
        if not project.exists():
            files = datasets.write_corpus_files(work, sizes)
            build_analysis_project(work, files, sizes)
        for key, value in measure_analysis(project, args.reps).items():
            print(f"{key}: {value:.1f}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
