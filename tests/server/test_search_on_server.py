"""The search, autocode and word-frequency service tests (and the autocoding and variants
state machines) of tests/services, run again on a PostgreSQL server: the same hits as the
file's FTS5 path, both checked against plain regular expressions over the stored texts.
tests/server/test_server_search_index.py tests the server's index itself."""

from __future__ import annotations

import pytest

from tests.server.conftest import fresh_database
from tests.services import test_search_service as _search
from tests.services import test_search_state_machine as _machines
from tests.services.test_autocode_words import *  # noqa: F403
from tests.services.test_search_service import *  # noqa: F403
from tests.services.test_search_state_machine import TestAutocoding, TestVariants  # noqa: F401

# about the project file itself: its FTS5 table made by upgrading a 0004 file
del test_a_0004_project_gets_its_index_on_upgrade  # noqa: F821


@pytest.fixture(autouse=True)
def _projects_on_the_server(monkeypatch, pg_cluster, pg_template):
    from kzcoder.services.project import Project

    monkeypatch.setattr(_search, "NEW_PROJECT", lambda tmp_path, name: Project.open(
        fresh_database(pg_cluster, pg_template)))
    monkeypatch.setattr(_machines, "NEW_PROJECT", lambda folder: Project.open(
        fresh_database(pg_cluster, pg_template)))
