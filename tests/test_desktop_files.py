"""The desktop integration files in ``resources/`` pass the freedesktop validators and agree.

The validators come from ``bash .ci/sysdeps.sh`` (desktop-file-utils, appstream,
shared-mime-info); a missing one fails the test rather than skipping it.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

import kzcoder

REPO = Path(__file__).resolve().parent.parent
RES = REPO / "resources"
APPID = "io.github.kzcoder.KzCoder"
DESKTOP = RES / f"{APPID}.desktop"
METAINFO = RES / f"{APPID}.metainfo.xml"
MIME = RES / "kzcoder-mime.xml"
MIME_TYPE = "application/x-kzcoder-project"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def run(tool: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed: run 'bash .ci/sysdeps.sh' (as root)")
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True, timeout=60)


def report(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n{done.stdout}{done.stderr}"


def desktop_entry(path: Path = DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_validates():
    done = run("desktop-file-validate", DESKTOP)
    assert done.returncode == 0, report(done)


def test_desktop_validator_rejects_a_broken_file(tmp_path: Path):
    broken = tmp_path / DESKTOP.name
    lines = DESKTOP.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join(ln for ln in lines if not ln.startswith("Name=")), encoding="utf-8")
    done = run("desktop-file-validate", broken)
    assert done.returncode != 0, report(done)
    assert "Name" in done.stdout + done.stderr, report(done)


def test_metainfo_validates():
    done = run("appstreamcli", "validate", "--no-net", "--pedantic", METAINFO)
    assert done.returncode == 0, report(done)


def test_metainfo_validator_rejects_a_broken_file(tmp_path: Path):
    broken = tmp_path / METAINFO.name
    text = METAINFO.read_text(encoding="utf-8")
    broken.write_text(text.replace("<summary>", "<!--").replace("</summary>", "-->"),
                      encoding="utf-8")
    done = run("appstreamcli", "validate", "--no-net", broken)
    assert done.returncode != 0, report(done)


def test_mime_file_compiles(tmp_path: Path):
    """update-mime-database compiles it without complaint into the glob, parent and magic."""
    (tmp_path / "packages").mkdir()
    shutil.copy(MIME, tmp_path / "packages" / MIME.name)
    done = run("update-mime-database", "-V", tmp_path)
    assert done.returncode == 0, report(done)
    assert "error" not in done.stderr.lower() and "warning" not in done.stderr.lower(), report(done)
    assert f"{MIME_TYPE}:*.kzc" in (tmp_path / "globs2").read_text(encoding="utf-8")
    parents = (tmp_path / "subclasses").read_text(encoding="utf-8").splitlines()
    assert f"{MIME_TYPE} application/vnd.sqlite3" in parents
    magic = (tmp_path / "magic").read_bytes()
    assert f"[20:{MIME_TYPE}]".encode() in magic and b"SQLite format 3\x00" in magic


def test_mime_file_declares_the_project_type():
    (mime_type,) = ET.parse(MIME).getroot().iter(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime_type.iter(f"{MIME_NS}glob")] == ["*.kzc"]
    assert mime_type.findtext(f"{MIME_NS}comment") == "kzcoder project"
    (magic,) = mime_type.iter(f"{MIME_NS}magic")
    assert int(magic.get("priority", "50")) < 50  # the glob, not the magic, tells it from SQLite


def test_files_agree_with_each_other_and_the_package():
    entry = desktop_entry()
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APPID == entry["Icon"]
    assert component.findtext("launchable") == DESKTOP.name
    assert entry["MimeType"] == f"{MIME_TYPE};"
    assert [m.text for m in component.iter("mediatype")] == [MIME_TYPE]
    releases = [r.get("version") for r in component.iter("release")]
    assert releases[0] == kzcoder.__version__, "the newest <release> must be this version"
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert entry["Exec"].split()[0] in project["gui-scripts"]  # the window, no console
    assert component.findtext("provides/binary") == entry["Exec"].split()[0]


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_icon_has_its_size(size: int):
    path = RES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APPID}.png"
    with Image.open(path) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (size, size), "RGBA")


def test_scalable_icon_is_the_source_svg():
    scalable = RES / "icons" / "hicolor" / "scalable" / "apps" / f"{APPID}.svg"
    assert scalable.read_bytes() == (RES / "kzcoder.svg").read_bytes(), \
        "run .venv/bin/python resources/make_icons.py after changing resources/kzcoder.svg"


def test_ico_and_icns_open():
    with Image.open(RES / "kzcoder.ico") as ico:
        assert ico.format == "ICO"
        assert {(n, n) for n in (16, 24, 32, 48, 64, 128, 256)} <= set(ico.info["sizes"])
    with Image.open(RES / "kzcoder.icns") as icns:
        assert icns.format == "ICNS"
        assert {(16, 16, 2), (128, 128, 1), (512, 512, 1), (512, 512, 2)} <= set(icns.info["sizes"])
        icns.load()
        assert icns.size == (1024, 1024)
