"""The command line's refusals: ambiguous references, and the file's own troubles (locked,
read-only, full disk, damaged, newer) each as one plain line with exit status 1; escaped
tab-separated output; --memo-file."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kzcoder.cli.main import main
from kzcoder.db import engine as db_engine
from kzcoder.services.codebook.editing import add_code
from kzcoder.services.documents import import_paths, update_document
from kzcoder.services.project import Project


def run(capfd, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    return code, out, err


def snapshot(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def one_line(code: int, err: str) -> str:
    """The single line of a refusal (exit 1), without 'kzcoder: '."""
    assert code == 1, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kzcoder: "), err
    assert "unexpected error" not in err and "Traceback" not in err
    return lines[0][len("kzcoder: "):]


@pytest.fixture
def sample(tmp_path, capfd):
    path = tmp_path / "p.kzc"
    assert run(capfd, "new", path, "--sample")[0] == 0
    return path


# --- references ---------------------------------------------------------------------------

@pytest.fixture
def numbered(tmp_path, capfd):
    """Files 1.txt, 2.txt, 3.txt imported as 3, 1, 2: document 2 is named '1', '2' is id 3."""
    path = tmp_path / "n.kzc"
    assert run(capfd, "new", path)[0] == 0
    for name in ("1", "2", "3"):
        (tmp_path / f"{name}.txt").write_text(f"text of {name}", encoding="utf-8")
    code, out, err = run(capfd, "import", path, *(tmp_path / f"{n}.txt" for n in "312"))
    assert code == 0, err
    assert out.splitlines()[:3] == ["1\t3\t9", "2\t1\t9", "3\t2\t9"]
    with Project.open(path) as project:
        add_code(project, "Force", "#CC79A7")
    return path


def test_a_number_that_names_one_document_and_numbers_another_is_refused(numbered, capfd):
    before = snapshot(numbered)
    line = one_line(*run(capfd, "code", numbered, "2", "Force", 0, 4, "--coder", "a")[::2])
    assert line == ("'2' is ambiguous: document named '2' (id 3) and document id 2 ('1'); "
                    "write id:2 or name:2")
    assert snapshot(numbered) == before


def test_id_and_name_code_the_document_meant(numbered, capfd):
    assert run(capfd, "code", numbered, "id:2", "Force", 0, 6, "--coder", "a")[0] == 0
    assert run(capfd, "code", numbered, "name:2", "Force", 0, 9, "--coder", "a")[0] == 0
    segments = json.loads(run(capfd, "segments", numbered, "--json")[1])
    # id:2 is document 2, named "1"; name:2 is the document named "2", id 3
    assert [(s["document"], s["text"]) for s in segments] == [("1", "text o"),
                                                              ("2", "text of 2")]
    line = one_line(*run(capfd, "segments", numbered, "--doc", "2")[::2])
    assert line.startswith("'2' is ambiguous")
    out = run(capfd, "segments", numbered, "--doc", "id:2", "--code", "name:Force")[1]
    assert out == "1\t1\tForce\ta\t0-6\ttext o\n"


@pytest.mark.parametrize(("doc", "message"), [
    ("99999999999999999999", "no document named or numbered '99999999999999999999'"),
    ("id:99999999999999999999", "no document numbered 99999999999999999999"),
    ("²", "no document named or numbered '²'"),
    ("id:²", "no document numbered '²'"),
    ("-1", "no document named or numbered '-1'"),
    ("id:-1", "no document numbered -1"),
])
def test_numbers_no_document_can_have_are_plain_refusals(numbered, capfd, doc, message):
    assert one_line(*run(capfd, "code", numbered, "--", doc, "Force", 0, 1)[::2]) == message


def test_a_coding_number_past_sqlite_is_a_plain_refusal(numbered, capfd):
    line = one_line(*run(capfd, "uncode", numbered, "99999999999999999999")[::2])
    assert line == "no coding numbered 99999999999999999999"


# --- the file's own troubles --------------------------------------------------------------

@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setenv(db_engine.BUSY_TIMEOUT_ENV, "200")


@pytest.mark.parametrize("holder_mode", ["wal", "delete"])
def test_a_held_lock_is_one_line(sample, capfd, short_busy_timeout, holder_mode):
    before = snapshot(sample)
    holder = sqlite3.connect(sample, isolation_level=None)
    holder.execute(f"PRAGMA journal_mode={holder_mode}")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO coders (guid, name) VALUES ('h', 'holder')")
    try:
        line = one_line(*run(capfd, "code", sample, "1", "Force", 0, 5, "--coder", "a")[::2])
        said = re.fullmatch(re.escape(f"{sample} is locked by another program (it kept the "
                                      "project busy; waited ") + r"(\d+\.\d) s\); try again "
                            "when it has finished", line)
        assert said, line
        # a WAL project's change waits the whole timeout; a rollback-mode file held by a
        # writer cannot even be switched to WAL, and SQLite says so at once (honestly: 0.0 s)
        assert float(said[1]) >= 0.2 if holder_mode == "wal" else float(said[1]) < 0.2
        if holder_mode == "wal":  # readers do not wait for a writer
            assert len(json.loads(run(capfd, "docs", sample, "--json")[1])) == 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert snapshot(sample) == before
    assert run(capfd, "code", sample, "1", "Force", 0, 5, "--coder", "a")[0] == 0


@pytest.fixture
def full_disk(monkeypatch):
    """Every connection may not grow the file: SQLite says 'database or disk is full'."""
    no_room_left(monkeypatch)


def no_room_left(monkeypatch) -> None:  # noqa: ANN001
    real = db_engine.configure

    def no_room(connection, **kwargs):  # noqa: ANN001, ANN003
        real(connection, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(db_engine, "configure", no_room)


def test_a_full_disk_is_one_line_and_changes_nothing(sample, tmp_path, capfd, full_disk):
    before = snapshot(sample)
    big = tmp_path / "memo.txt"
    big.write_text("μ" * 300_000, encoding="utf-8")
    full = f"{sample}: the disk is full; your change was not saved, the project is as it was"
    assert one_line(*run(capfd, "code", sample, "1", "Force", 0, 5, "--coder", "a",
                         "--memo-file", big)[::2]) == full
    (tmp_path / "long.txt").write_text("word " * 200_000, encoding="utf-8")
    line = one_line(*run(capfd, "import", sample, tmp_path / "long.txt")[::2])
    assert line == f"refused long.txt: not imported: {full}"
    assert len(json.loads(run(capfd, "docs", sample, "--json")[1])) == 5  # reading still works
    assert snapshot(sample) == before


def test_a_full_disk_at_opening_is_not_called_a_bad_file(sample, capfd, monkeypatch):
    def full(*_args, **_kwargs):  # noqa: ANN002, ANN003
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode, error.sqlite_errorname = 13, "SQLITE_FULL"
        raise error

    monkeypatch.setattr(db_engine, "connect", full)
    line = one_line(*run(capfd, "docs", sample)[::2])
    assert line == f"{sample}: the disk is full; free some space, then open it again"


def _garbage(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:16] + os.urandom(8192))


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def _truncated_header(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:60])


@pytest.mark.parametrize(("damage", "reason"), [
    (_garbage, "file is not a database"),
    (_truncated, "database disk image is malformed"),
    (_truncated_header, "database disk image is malformed"),
])
def test_a_damaged_file_is_one_line_and_nothing_is_created_beside(sample, capfd, damage,
                                                                   reason):
    damage(sample)
    content = sample.read_bytes()
    listing = beside(sample)
    for args in (["docs"], ["code", "1", "Force", "0", "5"]):
        line = one_line(*run(capfd, args[0], sample, *args[1:])[::2])
        assert line == f"{sample} is damaged: {reason}; restore it from a backup"
    assert beside(sample) == listing and sample.read_bytes() == content


@pytest.mark.parametrize("wal", [False, True])
def test_a_newer_project_is_one_line_and_nothing_is_created_beside(sample, capfd, wal):
    connection = sqlite3.connect(sample)
    connection.execute("UPDATE alembic_version SET version_num='9999_future'")
    connection.commit()
    if wal:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    listing = beside(sample)
    line = one_line(*run(capfd, "docs", sample)[::2])
    assert line == (f"{sample}: written by a newer version of kzcoder (schema 9999_future); "
                    "update kzcoder to open it")
    assert beside(sample) == listing


def test_each_trouble_has_its_own_line(sample, tmp_path, capfd, monkeypatch):
    """Locked, read-only file, read-only folder, full, damaged, newer: distinct messages."""
    lines = {}
    big = tmp_path / "memo.txt"
    big.write_text("m" * 300_000, encoding="utf-8")
    coding = ("code", sample, "1", "Force", "0", "5", "--coder", "a", "--memo-file", big)
    with monkeypatch.context() as patched:
        no_room_left(patched)
        lines["full"] = one_line(*run(capfd, *coding)[::2])
    real = db_engine.may_write
    for key, denied in (("file", sample), ("folder", sample.parent)):
        monkeypatch.setattr(db_engine, "may_write", lambda p, d=denied: p != d and real(p))
        lines[key] = one_line(*run(capfd, *coding)[::2])
    monkeypatch.setattr(db_engine, "may_write", real)
    monkeypatch.setenv(db_engine.BUSY_TIMEOUT_ENV, "100")
    holder = sqlite3.connect(sample, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO coders (guid, name) VALUES ('h', 'holder')")
    lines["locked"] = one_line(*run(capfd, *coding)[::2])
    holder.execute("ROLLBACK")
    holder.close()
    newer = tmp_path / "newer.kzc"
    shutil.copy(sample, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num='9999_future'")
    connection.close()
    lines["newer"] = one_line(*run(capfd, "docs", newer)[::2])
    _garbage(sample)
    lines["damaged"] = one_line(*run(capfd, *coding)[::2])
    assert "read-only (you may not write to the file)" in lines["file"]
    assert f"read-only (its folder {sample.parent} is read-only" in lines["folder"]
    assert "not a kzcoder project" not in " ".join(lines.values())
    kinds = {line.replace(str(newer), "P").replace(str(sample), "P") for line in lines.values()}
    assert len(kinds) == len(lines) == 6


# --- real permissions ---------------------------------------------------------------------

def _drop_root_overrides() -> None:
    """In the child, before exec: root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH in its
    bounding set obeys file permissions like anyone (the files stay root's own)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@dataclass
class Restricted:
    """A folder, and programs run where file permissions bind (root's overrides dropped)."""

    folder: Path
    as_root: bool

    def run(self, *args: object) -> subprocess.CompletedProcess:
        return self.python("-m", "kzcoder", *args)

    def python(self, *args: object) -> subprocess.CompletedProcess:
        env = {**os.environ, "KZCODER_HOME": str(self.folder / ".home")}
        env.pop("KZCODER_DEBUG", None)
        return subprocess.run([sys.executable, *map(str, args)], capture_output=True,
                              text=True, env=env, check=False,
                              preexec_fn=_drop_root_overrides if self.as_root else None)


@pytest.fixture
def restricted(tmp_path):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    folder = tmp_path / "restricted"
    folder.mkdir()
    probe = folder / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    checked = Restricted(folder, os.geteuid() == 0).python(
        "-c", f"open({str(probe)!r}, 'a')")
    probe.unlink()
    if checked.returncode == 0 or "PermissionError" not in checked.stderr:
        pytest.skip(f"file permissions cannot be made to bind here: {checked.stderr[-200:]}")
    yield Restricted(folder, os.geteuid() == 0)
    folder.chmod(0o755)


def _new(restricted: Restricted) -> Path:
    path = restricted.folder / "p.kzc"
    result = restricted.run("new", path, "--sample")
    assert result.returncode == 0, result.stderr
    return path


def _code(restricted: Restricted, path: Path) -> subprocess.CompletedProcess:
    return restricted.run("code", path, "1", "Force", "0", "5", "--coder", "a")


def test_a_read_only_file_is_read_and_never_written(restricted):
    path = _new(restricted)
    path.chmod(0o444)
    content = path.read_bytes()
    result = restricted.run("docs", path)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 5, result.stderr
    result = _code(restricted, path)
    assert (result.returncode, result.stderr) == (1, f"kzcoder: {path} is read-only (you may "
                                                     "not write to the file); your change was "
                                                     "not saved\n")
    assert beside(path) == ["p.kzc"] and path.read_bytes() == content
    path.chmod(0o644)  # the permission is fixed: nothing stale keeps it unwritable
    assert _code(restricted, path).returncode == 0
    assert beside(path) == ["p.kzc"]


def test_a_read_only_folder_is_read_and_never_written(restricted):
    path = _new(restricted)
    restricted.folder.chmod(0o555)
    result = restricted.run("docs", path)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 5, result.stderr
    result = _code(restricted, path)
    assert (result.returncode, result.stderr) == (
        1, f"kzcoder: {path} is read-only (its folder {path.parent} is read-only, and SQLite "
           "must create files beside it); your change was not saved\n")
    restricted.folder.chmod(0o755)
    assert beside(path) == ["p.kzc"]
    assert _code(restricted, path).returncode == 0


def _wal_on_disk(path: Path) -> None:
    """Leave *path* in WAL mode with no -wal or -shm, as kzcoder closed projects before."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.close()


def test_a_read_only_wal_file_is_read_with_nothing_created_beside(restricted):
    path = _new(restricted)
    _wal_on_disk(path)
    path.chmod(0o444)
    result = restricted.run("docs", path)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 5, result.stderr
    assert _code(restricted, path).returncode == 1
    assert beside(path) == ["p.kzc"]


def test_read_only_wal_files_left_by_an_older_kzcoder_do_not_keep_it_unwritable(restricted):
    path = _new(restricted)
    _wal_on_disk(path)
    path.chmod(0o444)
    # what opening it read-only did before: SQLite made -wal and -shm with the file's mode 444
    script = ("import sqlite3, sys; c = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', "
              "uri=True); c.execute('SELECT count(*) FROM documents').fetchone(); c.close()")
    assert restricted.python("-c", script, path).returncode == 0
    assert beside(path) == ["p.kzc", "p.kzc-shm", "p.kzc-wal"]
    assert not os.access(f"{path}-shm", os.W_OK) or os.geteuid() == 0
    path.chmod(0o644)
    result = _code(restricted, path)
    assert result.returncode == 0, result.stderr
    assert beside(path) == ["p.kzc"]


# --- output ---------------------------------------------------------------------------------

NASTY = "a\nb\tc\x1b[31md\x7fe\x85f\x9bg\u2028h\\i"
ESCAPED = "a\\nb\\tc\\x1b[31md\\x7fe\\x85f\\x9bg\\u2028h\\\\i"


def test_control_characters_are_escaped_in_tab_separated_output(sample, tmp_path, capfd):
    (tmp_path / "x.txt").write_text(f"start {NASTY} end", encoding="utf-8")
    with Project.open(sample) as project:
        doc = import_paths(project, [tmp_path / "x.txt"]).value.imported[0]
        update_document(project, doc.id, name=f"doc {NASTY}", set_attributes={"k": NASTY})
        code = add_code(project, f"code {NASTY}", "#112233", description=f"one\n{NASTY}").value
    assert run(capfd, "code", sample, f"id:{doc.id}", f"id:{code.id}", 6, 6 + len(NASTY),
               "--coder", f"coder {NASTY}")[0] == 0
    raw_controls = set(map(chr, (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0), 0x2028)))

    docs = run(capfd, "docs", sample)[1].splitlines()
    assert len(docs) == 6
    assert docs[5] == f"{doc.id}\tdoc {ESCAPED}\t{doc.length}\tk={ESCAPED}"
    segments = run(capfd, "segments", sample)[1].splitlines()
    assert segments == [f"1\tdoc {ESCAPED}\tcode {ESCAPED}\tcoder {ESCAPED}\t"
                        f"6-{6 + len(NASTY)}\t{ESCAPED}"]
    codes = run(capfd, "codes", sample)[1]
    assert f"{code.id}\tcode {ESCAPED}\t#112233\tkey=-\n\tone\n\ta\n" in codes
    for out in ("\n".join(docs), "\n".join(segments), codes):
        assert not raw_controls & set(out)
    # JSON is unchanged: it escapes by itself
    segment = json.loads(run(capfd, "segments", sample, "--json")[1])[0]
    assert (segment["document"], segment["code"], segment["coder"], segment["text"]) == (
        f"doc {NASTY}", f"code {NASTY}", f"coder {NASTY}", NASTY)


def test_an_error_naming_something_odd_stays_one_line(sample, capfd):
    line = one_line(*run(capfd, "show", sample, "no\nsuch\x1b[2Jdoc")[::2])
    assert line == "no document named or numbered 'no\\nsuch\\x1b[2Jdoc'"


def test_memo_file_reads_utf8_and_drops_one_final_newline(sample, tmp_path, capfd):
    memo = tmp_path / "memo.txt"
    memo.write_bytes("\ufeffline one\r\nline two — μ\r\n".encode())
    code, out, err = run(capfd, "code", sample, "1", "Force", 0, 5, "--coder", "a",
                         "--memo-file", memo)
    assert code == 0, err
    segment = json.loads(run(capfd, "segments", sample, "--json")[1])[0]
    assert segment["memo"] == "line one\nline two — μ"


def test_memo_file_dash_reads_standard_input(sample):
    result = subprocess.run([sys.executable, "-m", "kzcoder", "code", str(sample), "1", "Force",
                             "0", "5", "--coder", "a", "--memo-file", "-"], input="from stdin\n",
                            capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stderr
    listed = subprocess.run([sys.executable, "-m", "kzcoder", "segments", str(sample), "--json"],
                            capture_output=True, text=True, encoding="utf-8", check=True)
    assert json.loads(listed.stdout)[0]["memo"] == "from stdin"


def test_memo_file_refusals(sample, tmp_path, capfd):
    before = snapshot(sample)
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    coding = ("code", sample, "1", "Force", "0", "5", "--coder", "a")
    assert one_line(*run(capfd, *coding, "--memo-file", tmp_path / "latin1.txt")[::2]) == (
        f"{tmp_path / 'latin1.txt'}: the memo is not UTF-8 text (byte 3)")
    assert one_line(*run(capfd, *coding, "--memo-file", tmp_path / "none.txt")[::2]) == (
        f"{tmp_path / 'none.txt'}: cannot be read (No such file or directory)")
    code, _, err = run(capfd, *coding, "--memo", "x", "--memo-file", tmp_path / "latin1.txt")
    assert code == 2 and "not allowed with argument" in err
    assert snapshot(sample) == before


@pytest.mark.parametrize(("text", "field", "message"), [
    ("plain — μ 😀", "plain — μ 😀", "plain — μ 😀"),
    ("a\r\nb", "a\\r\\nb", "a\\r\\nb"),
    ("nul\x00 bel\x07 us\x1f", "nul\\x00 bel\\x07 us\\x1f", "nul\\x00 bel\\x07 us\\x1f"),
    ("C1 \x80\x9f, NEL \x85, DEL \x7f", "C1 \\x80\\x9f, NEL \\x85, DEL \\x7f",
     "C1 \\x80\\x9f, NEL \\x85, DEL \\x7f"),
    ("\u2028\u2029", "\\u2028\\u2029", "\\u2028\\u2029"),
    ("C:\\Users\\ana", "C:\\\\Users\\\\ana", "C:\\Users\\ana"),
    # issue 20: bidi overrides and invisible characters went out raw
    ("photo\u202egpj.exe", "photo\\u202egpj.exe", "photo\\u202egpj.exe"),
    ("a\u200bb\u2066c\u2069\u200f\ufeff", "a\\u200bb\\u2066c\\u2069\\u200f\\ufeff",
     "a\\u200bb\\u2066c\\u2069\\u200f\\ufeff"),
    ("ZWNJ stays: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
     "ZWNJ stays: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
     "ZWNJ stays: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
])
def test_escaping(text, field, message):
    from kzcoder.core.escaping import escape_controls, escape_field

    assert escape_field(text) == field
    assert escape_controls(text) == message


def test_a_read_only_project_is_backed_up_by_an_ordinary_user(restricted):
    """Issue 20: the temporary copy took the project's 0444 and could not be finished; the
    error blamed the destination and an empty backups/ stayed behind."""
    path = _new(restricted)
    path.chmod(0o444)
    result = restricted.run("backup", path)
    assert result.returncode == 0, result.stderr
    copies = list((restricted.folder / "backups").iterdir())
    assert len(copies) == 1 and copies[0].stat().st_mode & 0o777 == 0o600
    copy = restricted.folder / "copy.kzc"
    result = restricted.run("backup", path, "-o", copy)
    assert result.returncode == 0, result.stderr
    assert restricted.run("docs", copy).stdout.count("\n") == 5


def test_a_backup_that_cannot_be_written_leaves_no_empty_folder(restricted):
    path = _new(restricted)
    folder = restricted.folder / "backups"
    folder.mkdir(mode=0o500)  # made by someone else, unwritable: the copy fails inside it
    result = restricted.run("backup", path)
    assert result.returncode == 1 and str(folder) in result.stderr, result.stderr
    folder.chmod(0o700)
    assert list(folder.iterdir()) == []
    folder.rmdir()
    restricted.folder.chmod(0o500)  # now backups/ cannot even be made
    try:
        result = restricted.run("backup", path)
        assert result.returncode == 1 and "cannot be created" in result.stderr, result.stderr
        assert not folder.exists()
    finally:
        restricted.folder.chmod(0o755)
