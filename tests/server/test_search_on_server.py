"""The search, autocode and word-frequency service tests of tests/services, run again on a
PostgreSQL server (same hits as the file's FTS5 path: both are checked against plain regular
expressions over the stored texts), and the server's own index: a superset of the true hits
whatever the text's script, asked without reading every text."""

from __future__ import annotations

import pytest

from tests.server.conftest import fresh_database
from tests.services import test_search_service as _search
from tests.services.test_autocode_words import *  # noqa: F403
from tests.services.test_search_service import *  # noqa: F403

# about the project file itself: its FTS5 table made by upgrading a 0004 file
del test_a_0004_project_gets_its_index_on_upgrade  # noqa: F821


@pytest.fixture(autouse=True)
def _projects_on_the_server(monkeypatch, pg_cluster, pg_template):
    from kzcoder.services.project import Project

    monkeypatch.setattr(_search, "NEW_PROJECT", lambda tmp_path, name: Project.open(
        fresh_database(pg_cluster, pg_template)))
