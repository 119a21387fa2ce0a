"""The layer rules of ../shared/DESIGN.md, checked by import-linter (also run by `make test`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=env, capture_output=True, text=True, check=False)


def test_the_real_tree_keeps_its_layers():
    result = lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("layer", ["core", "db", "exchange", "services"])
def test_the_check_fails_when_a_lower_layer_imports_qt(tmp_path, layer):
    shutil.copytree(REPO / "kzcoder", tmp_path / "kzcoder",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    (tmp_path / "kzcoder" / layer / "leak.py").write_text("from PySide6 import QtCore\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert f"kzcoder.{layer}.leak -> PySide6" in result.stdout
