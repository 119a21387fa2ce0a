"""The layer rules of docs/architecture.md: import-linter's contracts (also run by `make test`),
lazy imports it can see, and no import cycles. See tests/layer_rules.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.layer_rules import cycles, layer_offences, lazy_import_offences

REPO = Path(__file__).resolve().parent.parent


def test_the_real_tree_keeps_its_layers():
    offences = layer_offences(REPO)
    assert not offences, "\n".join(offences)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the real tree to break."""
    shutil.copytree(REPO / "kzcoder", tmp_path / "kzcoder",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    return tmp_path


def matching(offences: list[str], text: str) -> list[str]:
    return [offence for offence in offences if text in offence]


@pytest.mark.parametrize("layer", ["core", "db", "exchange", "services"])
def test_the_check_fails_when_a_lower_layer_imports_qt(tree, layer):
    (tree / "kzcoder" / layer / "leak.py").write_text("from PySide6 import QtCore\n")
    assert matching(layer_offences(tree), f"kzcoder.{layer}.leak -> PySide6")


def test_the_check_fails_when_the_gui_imports_the_db_layer(tree):
    (tree / "kzcoder" / "gui" / "leak.py").write_text("from kzcoder.db.models import Coding\n")
    assert matching(layer_offences(tree),
                    "The gui never talks SQL: kzcoder.gui.leak -> kzcoder.db.models (l.1)")


LAZY_LEAK = 'from kzcoder.gui.lazy import lazy_import\n\nx = lazy_import("sqlalchemy")\n'


def test_the_check_fails_on_a_lazy_import_without_its_type_checking_mirror(tree):
    (tree / "kzcoder" / "gui" / "leak.py").write_text(LAZY_LEAK)
    offences = layer_offences(tree)
    assert 'kzcoder/gui/leak.py:3: lazy_import("sqlalchemy") has no TYPE_CHECKING import' \
        in offences, "\n".join(offences)


def test_the_mirror_of_a_forbidden_lazy_import_breaks_the_contract(tree):
    (tree / "kzcoder" / "gui" / "leak.py").write_text(
        "from typing import TYPE_CHECKING\n\n" + LAZY_LEAK
        + "\nif TYPE_CHECKING:\n    import sqlalchemy\n")
    offences = layer_offences(tree)
    assert not matching(offences, "kzcoder/gui/leak.py"), "\n".join(offences)
    assert matching(offences, "The gui never talks SQL: kzcoder.gui.leak -> sqlalchemy (l.8)")


def test_the_check_fails_on_a_cycle_of_type_checking_imports(tree):
    gui = tree / "kzcoder" / "gui"
    (gui / "ping.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import kzcoder.gui.pong\n")
    (gui / "pong.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from kzcoder.gui import ping\n")
    offences = layer_offences(tree)
    assert "import cycle: kzcoder.gui.ping -> kzcoder.gui.pong -> kzcoder.gui.ping" in offences, \
        "\n".join(offences)


# The lazy-import scan on its own (no lint-imports, no grimp): what counts as a mirror, and the
# ways around the rule that it still catches.

CODEBOOK = "kzcoder.services.codebook.editing"
TC = "from typing import TYPE_CHECKING\n\nfrom kzcoder.gui.lazy import lazy_import\n\n"


@pytest.mark.parametrize("mirror", [
    f"import {CODEBOOK}",
    f"import {CODEBOOK} as codebook_module",
    f"from {CODEBOOK} import CodebookError",
    "from kzcoder.services.codebook import editing",
    "from ..services.codebook import editing",
])
def test_a_type_checking_import_mirrors_a_lazy_import(tmp_path, mirror):
    scanned = tmp_path / "kzcoder" / "gui" / "view.py"
    scanned.parent.mkdir(parents=True)
    scanned.write_text(f'{TC}if TYPE_CHECKING:\n    {mirror}\n\nc = lazy_import("{CODEBOOK}")\n')
    assert lazy_import_offences(tmp_path) == []


UNMIRRORED = f'lazy_import("{CODEBOOK}") has no TYPE_CHECKING import'


@pytest.mark.parametrize(("source", "offence"), [
    (f'{TC}c = lazy_import("{CODEBOOK}")\n', UNMIRRORED),
    (f'{TC}import {CODEBOOK}\n\nc = lazy_import("{CODEBOOK}")\n', UNMIRRORED),  # eager: no mirror
    (f'{TC}if TYPE_CHECKING:\n    pass\nelse:\n    import {CODEBOOK}\n'
     f'c = lazy_import("{CODEBOOK}")\n', UNMIRRORED),
    (f'{TC}if TYPE_CHECKING:\n    import kzcoder.services\nc = lazy_import("{CODEBOOK}")\n',
     UNMIRRORED),
    (f'from kzcoder.gui.lazy import lazy_import as load\n\nc = load("{CODEBOOK}")\n', UNMIRRORED),
    (f'from kzcoder.gui import lazy\n\nc = lazy.lazy_import("{CODEBOOK}")\n', UNMIRRORED),
    (f'{TC}name = "{CODEBOOK}"\nc = lazy_import(name)\n',
     "lazy_import(name) has no string literal argument"),
    (f'{TC}c = lazy_import(f"kzcoder.services.{{1}}")\n',
     "lazy_import(f'kzcoder.services.{1}') has no string literal argument"),
    (f'{TC}c = list(map(lazy_import, ["{CODEBOOK}"]))\n',
     "lazy_import is used other than as a direct call"),
])
def test_the_scan_reports_a_lazy_import_it_cannot_match(tmp_path, source, offence):
    scanned = tmp_path / "kzcoder" / "gui" / "view.py"
    scanned.parent.mkdir(parents=True)
    scanned.write_text(source)
    last_line = len(source.splitlines())
    assert lazy_import_offences(tmp_path) == [f"kzcoder/gui/view.py:{last_line}: {offence}"]


def test_cycles_show_every_import_of_a_strongly_connected_component():
    graph = {"window": ["actions", "menus", "util"], "actions": ["window", "util"],
             "menus": ["files", "window"], "files": ["window"], "util": [], "a": ["a"]}
    assert cycles(graph) == [["actions", "window", "actions"],
                             ["files", "window", "menus", "files"],
                             ["menus", "window", "menus"]]
