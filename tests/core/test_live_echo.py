"""``core.changes.without_echo`` against a model: a window's own changes and another coder's
interleave in any order, the change feed hands them over in batches that read the server's
state as it is when read; whatever is skipped as an echo, once the feed has caught up the
window shows exactly the server's state."""

from __future__ import annotations

from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from kzcoder.core.changes import Changes, without_echo

ID = st.integers(1, 2)
STATE = st.one_of(st.none(), st.integers(0, 1))  # None: removed; else a stand-in segment
STEP = st.one_of(st.tuples(st.just("own"), ID, STATE),
                 st.tuples(st.just("other"), ID, STATE),
                 st.tuples(st.just("feed"), st.integers(1, 5)))


def feed_batch(pending: list[int], server: dict[int, int | None], count: int) -> Changes:
    ids, pending[:count] = set(pending[:count]), []
    return Changes(codings=frozenset(ids),
                   segments=MappingProxyType({i: server.get(i) for i in ids}))


@given(st.lists(STEP, max_size=30))
@settings(max_examples=600)
def test_the_window_ends_showing_the_server_whatever_the_echoes(steps):
    server: dict[int, int | None] = {}
    shown: dict[int, int | None] = {}
    own: dict[int, int | None] = {}
    pending: list[int] = []  # the events not yet handed over, oldest first

    def apply(changes: Changes) -> None:
        for coding_id in changes.codings:
            shown[coding_id] = changes.segments[coding_id]

    for step in [*steps, ("feed", 10_000)]:
        if step[0] == "own":  # the window's command: the server, then its own views
            _, coding_id, state = step
            server[coding_id] = shown[coding_id] = own[coding_id] = state
            pending.append(coding_id)
        elif step[0] == "other":
            _, coding_id, state = step
            server[coding_id] = state
            pending.append(coding_id)
        else:
            apply(without_echo(feed_batch(pending, server, step[1]), own))
    assert {k: v for k, v in shown.items()} == {k: server.get(k) for k in shown}
    assert not own.keys() - shown.keys()


def test_an_echo_alone_announces_nothing_and_other_changes_stay():
    own = {7: 1}
    echo = Changes(codings=frozenset({7}), coded_documents=frozenset({2}),
                   code_counts=frozenset({3}), segments=MappingProxyType({7: 1}),
                   counts=MappingProxyType({3: 5}))
    assert not without_echo(echo, own) and own == {}
    own = {7: 1}
    mixed = Changes(codings=frozenset({7, 8}), segments=MappingProxyType({7: 1, 8: 2}),
                    memos=True)
    left = without_echo(mixed, own)
    assert left.codings == {8} and dict(left.segments) == {8: 2} and left.memos
