"""Options are taken only as written in full: an abbreviation is a usage error (exit 2, one
line), so adding an option never changes what an existing script's shortened one meant."""

from __future__ import annotations

import pytest

from kzcoder.cli.main import main


@pytest.mark.parametrize("argv, unknown", [
    (["new", "{p}", "--samp"], "--samp"),
    (["export", "{p}", "--form", "csv", "-o", "{out}"], "--form"),
    (["export", "{p}", "--format", "csv", "-o", "{out}", "--forc"], "--forc"),
    (["segments", "{p}", "--js"], "--js"),
    (["--self"], "--self"),
])
def test_an_abbreviated_option_is_refused(tmp_path, capfd, argv, unknown):
    project = tmp_path / "p.kzc"
    assert main(["new", str(project)]) == 0
    capfd.readouterr()
    args = [a.format(p=project, out=tmp_path / "out.csv") for a in argv]
    assert main(args) == 2
    err = capfd.readouterr().err
    assert unknown in err and err.count("\n") == 1
    assert not (tmp_path / "out.csv").exists()


def test_the_full_option_still_works(tmp_path, capfd):
    project = tmp_path / "p.kzc"
    assert main(["new", str(project), "--sample"]) == 0
    assert main(["export", str(project), "--format", "csv", "-o", str(tmp_path / "o.csv")]) == 0
    assert (tmp_path / "o.csv").stat().st_size > 0
