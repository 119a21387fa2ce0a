"""A throwaway PostgreSQL cluster for the server tests (benchmarks/pg_cluster.py), and the
``project`` / ``sample_project`` fixtures on it: the service tests imported under tests/server
run against a real server database with these fixtures instead of a file's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.pg_cluster import Cluster, available, start_cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Cluster:
    why = available()
    if why:
        pytest.skip(why)
    cluster = start_cluster()
    yield cluster
    cluster.close()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Cluster) -> str:
    """A database holding a new empty project, copied by each test (CREATE ... TEMPLATE)."""
    from kzcoder.services.project import Project

    url = pg_cluster.create_database("kz_empty")
    Project.create(url).close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:  # named like the file fixture's
        connection.execute("UPDATE project SET name = 'empty'")
    return "kz_empty"


def fresh_database(cluster: Cluster, template: str | None = None) -> str:
    """The URL of a new database, empty or a copy of *template*."""
    return cluster.fresh_database(template)


@pytest.fixture
def server_url(pg_cluster: Cluster) -> str:
    """A new empty database."""
    return fresh_database(pg_cluster)


@pytest.fixture
def project(pg_cluster: Cluster, pg_template: str):
    """A new empty project, on the server."""
    from kzcoder.services.project import Project

    with Project.open(fresh_database(pg_cluster, pg_template)) as opened:
        yield opened


@pytest.fixture(scope="session")
def sample_server_template(pg_cluster: Cluster, sample_template: Path) -> str:
    from kzcoder.services.server.publishing import publish

    publish(sample_template, pg_cluster.create_database("kz_sample"))
    return "kz_sample"


@pytest.fixture
def sample_project(pg_cluster: Cluster, sample_server_template: str):
    """A fresh copy of the sample project, on the server."""
    from kzcoder.services.project import Project

    with Project.open(fresh_database(pg_cluster, sample_server_template)) as opened:
        yield opened


@pytest.fixture
def file_or_server(request: pytest.FixtureRequest, tmp_path: Path, pg_cluster: Cluster,
                   pg_template: str):
    """An empty project on each backend in turn (``params`` by indirect parametrisation)."""
    from kzcoder.services.project import Project

    if request.param == "file":
        where = tmp_path / "empty.kzc"
        Project.create(where).close()
    else:
        where = fresh_database(pg_cluster, pg_template)
    with Project.open(where) as opened:
        yield opened
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)
