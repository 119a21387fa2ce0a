"""agreement_1m_ms: two coders with 10,000 codings each on the 1,000,000-character document,
against an in-run floor: reading those 20,000 codings (what any agreement figure must read)."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks import datasets, gui_bench
from kzcoder.services.agreement import agreement
from kzcoder.services.codebook.editing import list_codes
from kzcoder.services.codings import add_codings, document_spans
from kzcoder.services.documents import list_documents
from kzcoder.services.project import Project

SECOND = "second coder"


def measure_agreement(doc_project: Path, big_id: int, codings: int, reps: int
                      ) -> dict[str, float]:
    """Medians of ``agreement`` for the benchmark's coder and a second one on the big
    document, and of the floor, each over *reps* runs."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "agreement.kzc"
        shutil.copy(doc_project, path)
        rng = random.Random(datasets.SEED + 7)
        with Project.open(path) as project:
            codes = [c.id for c in list_codes(project)]
            length = next(d.length for d in list_documents(project) if d.id == big_id)
            items = [(big_id, rng.choice(codes), s, e)
                     for s, e in datasets.random_spans(rng, length, codings)]
            add_codings(project, items, coder=SECOND)

            def floor() -> float:
                start = time.perf_counter()
                document_spans(project, big_id)
                return time.perf_counter() - start

            def compute() -> float:
                start = time.perf_counter()
                agreement(project, ["bench", SECOND], documents=[big_id])
                return time.perf_counter() - start

            floor_s = gui_bench.median_of(reps, floor)
            agreement_s = gui_bench.median_of(reps, compute)
    return {"agreement_1m_ms": agreement_s * 1000, "agreement_floor_ms": floor_s * 1000,
            "agreement_ratio": agreement_s / floor_s}
