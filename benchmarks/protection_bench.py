"""Encrypted projects: what one coding costs on an encrypted copy of a project against the
same coding on the plain project, interleaved in one run (the machine is shared and noisy),
and how long opening the encrypted copy takes (the key derivation included).

``measure_encryption(project, document_id, reps)`` gives ``encrypted_add_coding_ms``,
``plain_add_coding_ms`` (medians), ``encrypted_add_coding_ratio`` (target <= 1.3) and
``encrypted_open_ms``. Run on its own it uses a generated document project::

    .venv/bin/python -m benchmarks.protection_bench [--reps 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from kzcoder.db import cipher
from kzcoder.services import protection
from kzcoder.services.codings import add_coding
from kzcoder.services.documents import list_documents
from kzcoder.services.project import Project

PASSPHRASE = "benchmark passphrase"


def measure_encryption(project_path: Path, document_id: int, reps: int) -> dict[str, float]:
    """Median milliseconds of one coding (the service call: one unit of work, one commit) on
    an encrypted copy of *project_path* and on a plain copy, alternating, and of opening the
    encrypted copy with its passphrase."""
    with tempfile.TemporaryDirectory(prefix="kzcoder-protection-bench-") as folder:
        plain = Path(folder) / "plain.kzc"
        encrypted = Path(folder) / "encrypted.kzc"
        protection.encrypt_copy(project_path, encrypted, PASSPHRASE)
        protection.decrypt_copy(encrypted, plain)  # the same pages, written the same way
        opening = []
        for _ in range(5):
            cipher.forget(encrypted)
            cipher.set_passphrase_source(lambda _path: PASSPHRASE)
            began = time.perf_counter()
            Project.open(encrypted).close()
            opening.append(time.perf_counter() - began)
        cipher.set_passphrase_source(None)
        times: dict[Path, list[float]] = {plain: [], encrypted: []}
        with Project.open(plain) as p, Project.open(encrypted) as e:
            length = next(d.length for d in list_documents(p) if d.id == document_id)
            rng = random.Random(7)
            for _ in range(reps):
                start = rng.randrange(length - 50)
                for project in (p, e) if rng.random() < 0.5 else (e, p):
                    began = time.perf_counter()
                    add_coding(project, document_id, 1, start, start + 40, coder="bench")
                    times[project.path].append(time.perf_counter() - began)
    enc, pl = statistics.median(times[encrypted]), statistics.median(times[plain])
    return {"encrypted_add_coding_ms": enc * 1000, "plain_add_coding_ms": pl * 1000,
            "encrypted_add_coding_ratio": enc / pl,
            "encrypted_open_ms": statistics.median(opening) * 1000}


def main() -> None:
    """Build a document project and print the measures."""
    from benchmarks import datasets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kzcoder-protection-") as folder:
        sizes = datasets.QUICK if args.quick else datasets.FULL
        project, big_id, _small = datasets.build_doc_project(Path(folder), sizes)
        for key, value in measure_encryption(project, big_id, args.reps).items():
            print(f"{key:<28}{value:>10.2f}")


if __name__ == "__main__":
    main()
