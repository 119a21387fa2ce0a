"""``kzcoder --self-test``: OK on a working installation, and one line naming what is missing
on a broken one (a copy of the program with a part removed, as a packager's bundle could be)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzcoder.cli.main import main
from kzcoder.selftest import steps

REPO = Path(__file__).resolve().parent.parent
OK_STEPS = [name for name, _ in steps.STEPS]


def test_self_test_passes_in_process(qapp, capsys):
    home = os.environ["KZCODER_HOME"]
    assert main(["--self-test"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("kzcoder self-test: OK in ") and out.count("\n") == 1
    assert all(f"{name} " in out for name in OK_STEPS), out
    assert os.environ["KZCODER_HOME"] == home  # the user's folder is untouched and restored
    assert not any(Path(home).iterdir())


def _copy_program(tmp_path: Path) -> Path:
    """kzcoder's package, resources and sample corpus in a folder of their own."""
    root = tmp_path / "copy"
    for part in ("kzcoder", "resources", "sample_corpus"):
        shutil.copytree(REPO / part, root / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _self_test(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test chooses offscreen itself
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "kzcoder", "--self-test"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=240)


BREAKAGES = {
    "migrations": (lambda r: shutil.rmtree(r / "kzcoder" / "db" / "migrations"),
                   "files: missing {root}/kzcoder/db/migrations/env.py (the database migrations)"),
    "one migration": (lambda r: (r / "kzcoder/db/migrations/versions/0002_covering_index.py")
                      .unlink(),
                      "files: missing {root}/kzcoder/db/migrations/versions/"
                      "0002_covering_index.py (a database migration)"),
    "sample corpus": (lambda r: shutil.rmtree(r / "sample_corpus"),
                      "files: missing {root}/sample_corpus/manifest.csv (the sample corpus)"),
    "a format's document": (lambda r: (r / "resources" / "selftest" / "article.pdf").unlink(),
                            "files: missing a self-test document for PDF in "
                            "{root}/resources/selftest"),
    # a library left out of a bundle: importing it fails (sitecustomize runs at start-up)
    "a reader's library": (lambda r: (r / "sitecustomize.py").write_text(
        "import sys\nsys.modules['pypdfium2'] = None\n"),
        "import formats: article.pdf"),
    "the SQLCipher binding": (lambda r: (r / "sitecustomize.py").write_text(
        "import sys\nsys.modules['sqlcipher3'] = None\n"),
        "encryption: sqlcipher3 is missing"),
}


@pytest.mark.parametrize("broken", sorted(BREAKAGES))
def test_a_broken_copy_fails_with_one_line_naming_what_is_missing(tmp_path, broken):
    root = _copy_program(tmp_path)
    breakage, expected = BREAKAGES[broken]
    breakage(root)
    result = _self_test(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("\n") == 1 and result.stderr == "", result.stdout + result.stderr
    assert result.stdout.startswith("kzcoder self-test: FAILED at " +
                                    expected.format(root=root)), result.stdout


def test_the_copy_itself_passes(tmp_path):
    """The breakages above are what fails: the same copy, unbroken, passes."""
    result = _self_test(_copy_program(tmp_path))
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert result.stdout.startswith("kzcoder self-test: OK in ")
