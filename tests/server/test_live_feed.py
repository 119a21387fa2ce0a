"""The live feed the window follows (services/server/live.py), against a simple model: a
second client adds, removes and re-codes codings, and the feed's connection is terminated at
random points; whatever happened, once the feed has caught up, the codings it told about are
exactly the server's (no change missed, none applied twice wrongly, a removed one gone)."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcoder.cli.main import main
from kzcoder.core.changes import Changes
from kzcoder.services import codings
from kzcoder.services.codebook import editing
from kzcoder.services.project import Project
from kzcoder.services.server import events, live
from tests.server.conftest import fresh_database

TEXT = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen."


@pytest.fixture(scope="module")
def coded(pg_cluster, pg_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    url = fresh_database(pg_cluster, pg_template)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    assert main(["import", url, str(folder / "a.txt")]) == 0
    with Project.open(url) as project:
        editing.add_code(project, "Theme", "#00FF00")
        editing.add_code(project, "Other", "#0000FF")
    return url


def server_codings(url: str) -> dict[int, tuple[int, int, int]]:
    with psycopg.connect(url) as db:
        return {row[0]: tuple(row[1:]) for row in db.execute(
            'SELECT id, start, "end", code_id FROM codings')}


def drop_feed(url: str) -> None:
    """Terminate the feed's LISTEN connection (its backend), as a network failure would."""
    database = url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                   "AND application_name = 'kzcoder watch'", (database,))


operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 60), st.integers(1, 15), st.sampled_from([1, 2])),
    st.tuples(st.just("remove"), st.integers(0, 1_000)),
    st.tuples(st.just("recode"), st.integers(0, 1_000), st.sampled_from([1, 2])),
    st.tuples(st.just("drop")))


@given(ops=st.lists(operation, max_size=10))
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_feed_tells_every_change_across_dropped_connections(coded, ops):
    with Project.open(coded) as project:
        start = events.last_event_id(project)
    model = server_codings(coded)  # what a window showed when it opened
    told: list[int] = []
    states: list[str] = []
    lock = threading.Lock()

    def on_changes(changes: Changes, last: int) -> None:
        with lock:
            for coding_id in changes.codings:
                segment = changes.segments[coding_id]  # the feed always knows it
                if segment is None:
                    model.pop(coding_id, None)
                else:
                    model[coding_id] = (segment.start, segment.end, segment.code_id)
            told.append(last)

    stop = threading.Event()
    follower = threading.Thread(target=live.follow_changes,
                                args=(coded, start, on_changes, states.append, stop),
                                kwargs={"wait_s": 0.1})
    follower.start()
    try:
        with Project.open(coded) as other:
            for op in ops:
                ids = sorted(server_codings(coded))
                if op[0] == "add":
                    _, begin, length, code = op
                    codings.add_coding(other, 1, code, begin, begin + length, coder="kzadmin")
                elif op[0] == "remove" and ids:
                    codings.remove_coding(other, ids[op[1] % len(ids)])
                elif op[0] == "recode" and ids:
                    codings.update_coding(other, ids[op[1] % len(ids)], code=op[2])
                elif op[0] == "drop":
                    drop_feed(coded)
            last = events.last_event_id(other)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (not told or told[-1] < last) and last > start:
            time.sleep(0.02)
    finally:
        stop.set()
        follower.join(10)
    assert not follower.is_alive()
    assert told == sorted(told)  # in order, each batch after the last
    assert (told[-1] if told else start) == last
    with lock:
        assert model == server_codings(coded)
    # every loss said once, every recovery said: the states alternate, lost first
    assert all(bool(s) == (i % 2 == 0) for i, s in enumerate(states))
