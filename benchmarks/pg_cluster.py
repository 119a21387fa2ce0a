"""A throwaway PostgreSQL cluster for the tests and benchmarks: initdb into a temporary folder,
a server on a unix socket in that folder (and 127.0.0.1 on a free port), removed at the end.

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` (or
``nobody``) account and is run through ``runuser``. ``available()`` says why none can be made
(no PostgreSQL installed), so that a caller can skip with that note.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SEARCH = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin",
          "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/14/bin")
SUPERUSER = "kzadmin"
SUPERPASSWORD = "kzadmin-secret"


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    for folder in SEARCH:
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def available() -> str:
    """"" when a cluster can be started here, else why not."""
    if binaries() is None:
        return "PostgreSQL is not installed (bash .ci/sysdeps.sh installs it)"
    if os.geteuid() == 0 and _account() is None or shutil.which("runuser") is None:
        return "running as root without a postgres or nobody account to run PostgreSQL"
    return ""


def _account() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    """A running throwaway server; ``url(db)`` is the superuser's URL of a database."""

    folder: Path
    port: int
    bindir: Path
    account: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", user: str = SUPERUSER,
            password: str | None = SUPERPASSWORD) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL program as the cluster's owner."""
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.account:
            command = ["runuser", "-u", self.account, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                 "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
                 " -c fsync=off -c max_connections=60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def create_database(self, name: str) -> str:
        """A new empty database owned by the superuser; its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 '
                               "ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
        return self.url(name)

    def fresh_database(self, template: str | None = None) -> str:
        """The URL of a new database (a unique name), empty or a copy of *template*."""
        import uuid

        import psycopg

        name = f"kz_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template0"}"'
                               + ("" if template else
                                  " ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"))
        return self.url(name)

    def close(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    """initdb and start a new cluster (RuntimeError with PostgreSQL's words if it fails)."""
    why = available()
    if why:
        raise RuntimeError(why)
    bindir = binaries()
    assert bindir is not None
    account = _account()
    folder = Path(tempfile.mkdtemp(prefix="kzcoder-pg-"))
    if account:
        entry = pwd.getpwnam(account)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    folder.chmod(0o700)
    secret = folder / "pw"
    secret.write_text(SUPERPASSWORD + "\n")
    if account:
        os.chown(secret, pwd.getpwnam(account).pw_uid, -1)
    cluster = Cluster(folder, _free_port(), bindir, account)
    try:
        cluster.run("initdb", "-D", str(cluster.data), "-U", SUPERUSER, "--pwfile", str(secret),
                    "-A", "scram-sha-256", "-E", "UTF8", "--locale=C")
        cluster.start()
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL could not start: {exc.stderr or exc.stdout}") from exc
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if cluster.run("pg_isready", "-h", "127.0.0.1", "-p", str(cluster.port),
                       check=False).returncode == 0:
            return cluster
        time.sleep(0.1)
    cluster.close()
    raise RuntimeError("PostgreSQL did not accept connections within 20 s")
