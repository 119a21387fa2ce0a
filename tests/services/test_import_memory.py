"""Issue 20: a large plain-text import stays within about twice the file's size (a 200 MB
.txt with CRLF line ends peaked at 2.7 times: its bytes were still held while the newlines
were normalised). Measured in a child process (its own ru_maxrss)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PEAK = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from kzcoder.services.documents import import_paths
    from kzcoder.services.project import Project
    import kzcoder.exchange.readers.text
    with Project.create(Path(sys.argv[2])) as project:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        report = import_paths(project, [Path(sys.argv[1])]).value
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        length = report.imported[0].length
    print(json.dumps({"peak_mib": (after - before) / 1024, "length": length}))
""")


def test_a_large_text_file_is_imported_in_about_twice_its_size(tmp_path):
    line = "The quick brown fox jumps over the lazy dog. " * 2 + "\r\n"
    lines = 64 * 2**20 // len(line)
    path = tmp_path / "big.txt"
    with path.open("w", encoding="ascii", newline="") as out:
        for _ in range(lines // 1000):
            out.write(line * 1000)
    size_mib = path.stat().st_size / 2**20
    result = subprocess.run([sys.executable, "-c", PEAK, str(path), str(tmp_path / "p.kzc")],
                            capture_output=True, text=True, check=True, timeout=600)
    measured = json.loads(result.stdout)
    assert measured["length"] == (lines // 1000) * 1000 * (len(line) - 1)  # CRLF became LF
    assert measured["peak_mib"] < 2.25 * size_mib, (measured, size_mib)
