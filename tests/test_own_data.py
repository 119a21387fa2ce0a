"""A clone alone runs every test: nothing under tests/ or benchmarks/ reads ../shared, and the
vendored data is there with its provenance."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# a path built to it: a string that starts with ../shared, `/ "shared"`, or the old variable
READS_SHARED = re.compile(r"""(["']\.\./shared|/\s*["']shared["']|KZCODER_SHARED)""")


def test_no_test_or_benchmark_reads_the_shared_folder():
    offenders = [str(p.relative_to(REPO)) for folder in ("tests", "benchmarks")
                 for p in (REPO / folder).rglob("*.py")
                 if p != Path(__file__) and READS_SHARED.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_vendored_file_is_listed_with_its_checksum():
    data = REPO / "tests" / "data"
    provenance = (data / "PROVENANCE.md").read_text(encoding="utf-8")
    for path in (data / "refi-qda").rglob("*"):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert f"`{path.relative_to(data / 'refi-qda')}`: `{digest}`" in provenance, path


def test_the_check_sees_a_read_of_the_shared_folder():
    assert READS_SHARED.search('Path(__file__).parents[2].parent / "shared" / "refi-qda"')
    assert READS_SHARED.search("open('../shared/corpus/a.txt')")
    assert not READS_SHARED.search("shared-mime-info")
    assert not READS_SHARED.search("# the contracts of ../shared/DESIGN.md")


def test_no_two_test_modules_share_a_name():
    """pytest imports test modules by their base name (no packages): two of one name stop the
    whole run at collection."""
    from collections import Counter
    from pathlib import Path

    names = Counter(path.name for path in Path(__file__).parent.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
