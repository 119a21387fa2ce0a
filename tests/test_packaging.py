"""The wheel's package list covers every package folder, and resources are found where a
wheel, a bundle or a checkout puts them."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kzcoder import paths

REPO = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_in_the_wheel():
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    folders = {".".join(p.parent.relative_to(REPO).parts)
               for p in (REPO / "kzcoder").rglob("__init__.py")}
    assert folders <= listed, f"add to [tool.setuptools] packages: {sorted(folders - listed)}"
    for package, folder in setuptools["package-dir"].items():
        assert (REPO / folder).is_dir() and package in listed


def test_resources_are_found_in_a_checkout_an_installed_package_and_a_bundle(tmp_path,
                                                                            monkeypatch):
    assert paths.resource("resources", "kzcoder.svg") == REPO / "resources" / "kzcoder.svg"
    installed = tmp_path / "site-packages" / "kzcoder"
    (installed / "resources").mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(installed / "paths.py"))
    assert paths.resource("sample_corpus") == installed / "sample_corpus"
    monkeypatch.setattr(paths.sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    assert paths.resource("resources") == tmp_path / "bundle" / "resources"
