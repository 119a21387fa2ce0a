"""Server benchmarks (docs/server.md): a throwaway PostgreSQL cluster on this machine.

``measure_server(quick)`` gives

- ``server_add_coding_ratio``: one ``kzcoder code`` (the command line's work, in-process:
  open, add one coding, close) on the server project over the same on the project file,
  medians interleaved (target <= 1.5);
- ``server_event_ms``: from a coding's commit in one client to its event handed to another
  client that follows the feed (LISTEN, then catch-up by id), median (target <= 1000);
- ``server_10_coders_p95_ms``: ten coders, each its own connection, each adding a coding
  every second (a minute; quick: 5 s): the p95 of an add's time (target <= 100), with
  ``server_10_coders_errors`` (target 0);
- ``server_window_add_coding_p95_ms``: a coding added through the window's own command path
  (``CodingActions.code_selection`` on a window showing the server project, live updates
  running) until the pane is repainted, p95 (target <= 30); its floor
  ``server_window_add_coding_floor_ms`` is one plain psycopg INSERT + commit of the same row
  and the same repaint, median, measured interleaved.
- ``server_open_1k_ratio``: opening corpus_1k (1,000 documents, 100,000 codings; quick: the
  small corpus) as the window does, through services — the project, its documents, its
  codebook with counts, its coders, the first document's text and codings — on the server
  over the same on the file, medians interleaved (target <= 2);
- ``server_search_ms`` / ``file_search_ms`` (and ``server_search_ratio``): a search in the
  open corpus_1k that the index narrows to one document (``"Document 123"``), and
  ``server_search_scan_ms``, the same search reading every text as a server search did
  before it had an index; reported, no target.

It returns {} and says why on standard error when no server can be started. Alone::

    .venv/bin/python -m benchmarks.server_bench [--quick]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.pg_cluster import available, start_cluster

TEXT = "The quick brown fox jumps over the lazy dog. " * 200


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure_server(quick: bool) -> dict[str, float]:
    """The server keys, or {} (with a note on standard error) when no server can start."""
    why = available()
    if why:
        print(f"server benchmarks skipped: {why}", file=sys.stderr)
        return {}
    from kzcoder.services.codebook import editing
    from kzcoder.services.documents import import_paths
    from kzcoder.services.project import Project
    from kzcoder.services.server.publishing import publish

    cluster = start_cluster()
    work = Path(tempfile.mkdtemp(prefix="kzbench-server-"))
    try:
        (work / "doc.txt").write_text(TEXT, encoding="utf-8")
        local = work / "bench.kzc"
        with Project.create(local) as project:
            import_paths(project, [work / "doc.txt"])
            editing.add_code(project, "Theme", "#336699")
        url = cluster.fresh_database()
        publish(local, url)
        found = _cli_ratio(local, url, 10 if quick else 40)
        found["server_event_ms"] = _event_ms(url, 10 if quick else 30)
        found.update(_window_add_coding(url, 20 if quick else 100))
        p95, errors = _ten_coders(url, 5 if quick else 60)
        found["server_10_coders_p95_ms"] = p95
        found["server_10_coders_errors"] = float(errors)
        found.update(_corpus_keys(cluster, work, quick))
        return found
    finally:
        cluster.close()
        shutil.rmtree(work, ignore_errors=True)


def _cli_ratio(local: Path, url: str, reps: int) -> dict[str, float]:
    import contextlib
    import io

    from kzcoder.cli.main import main

    times: dict[str, list[float]] = {"file": [], "server": []}
    for n in range(reps):
        for kind, where in (("file", str(local)), ("server", url)):
            began = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                status = main(["code", where, "1", "1", str(n % 100), str(n % 100 + 20),
                               "--coder", "kzadmin"])
            times[kind].append(time.perf_counter() - began)
            if status != 0:
                raise RuntimeError(f"kzcoder code failed on {kind}")
    file_ms, server_ms = (statistics.median(times[k]) * 1000 for k in ("file", "server"))
    return {"server_code_cli_ms": server_ms, "file_code_cli_ms": file_ms,
            "server_add_coding_ratio": server_ms / file_ms}


def _event_ms(url: str, reps: int) -> float:
    from kzcoder.services import codings
    from kzcoder.services.project import Project
    from kzcoder.services.server import events

    delays: list[float] = []
    with Project.open(url) as watcher, Project.open(url) as writer:
        for n in range(reps):
            after = events.last_event_id(watcher)
            committed: list[float] = []

            def write(n: int = n, committed: list[float] = committed) -> None:
                codings.add_coding(writer, 1, 1, n, n + 5, coder="kzadmin")
                committed.append(time.perf_counter())

            timer = threading.Timer(0.2, write)
            timer.start()
            seen: list[float] = []

            def got(batch: list, seen: list[float] = seen) -> None:
                seen.append(time.perf_counter())

            events.follow(watcher, after, got, stop=lambda seen=seen: bool(seen), poll_s=5.0)
            timer.join()
            delays.append((seen[0] - committed[0]) * 1000)
    return statistics.median(delays)


def _window_add_coding(url: str, reps: int) -> dict[str, float]:
    """The window's add-coding path on the server project, against a psycopg floor."""
    import os
    import random
    import uuid
    from datetime import UTC, datetime

    import psycopg

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from benchmarks.gui_bench import _INSERT_CODING, settle
    from kzcoder.gui.operations.session import open_server_session
    from kzcoder.gui.shell.main_window import MainWindow
    from kzcoder.gui.shell.settings import Settings

    app = QApplication.instance() or QApplication([])
    window = MainWindow(open_server_session(url, "kzadmin"), Settings())
    window.resize(1300, 850)
    window.show()
    settle()
    times: list[float] = []
    floors: list[float] = []
    try:
        pane = window.workspace.panes()[0]
        window.workspace.open_document(pane, 1)
        window.workspace.set_active(pane)
        view = pane.view
        settle()
        length = len(view.stored_text)
        place = random.Random(5)
        view.select_span(0, 9)  # a first coding, untimed: it makes the coder, warms the pool
        if not window.coding.code_selection(1):
            raise RuntimeError("the window refused a coding on the server")
        settle()
        floor = psycopg.connect(url)
        coder = floor.execute("SELECT id FROM coders WHERE name = 'kzadmin'").fetchone()[0]
        insert = _INSERT_CODING.replace("?", "%s") + " RETURNING id"
        for i in range(reps):
            for step in ("coding", "floor") if i % 2 == 0 else ("floor", "coding"):
                start = place.randrange(0, length - 60)
                end = start + place.randint(5, 50)
                view.select_span(start, end)
                settle()
                window.repaint()
                began = time.perf_counter()
                if step == "coding":
                    if not window.coding.code_selection(1):
                        raise RuntimeError("the window refused a coding on the server")
                    view.viewport().repaint()
                    times.append((time.perf_counter() - began) * 1000)
                else:
                    at = datetime.now(UTC).replace(microsecond=0).isoformat()
                    row = floor.execute(insert, (str(uuid.uuid4()), 1, 1, coder, start, end,
                                                 "", at)).fetchone()[0]
                    floor.commit()
                    view.highlighter.rehighlightBlock(view.textCursor().block())
                    view.viewport().repaint()
                    floors.append((time.perf_counter() - began) * 1000)
                    floor.execute("DELETE FROM codings WHERE id = %s", (row,))
                    floor.commit()
                settle()
        floor.close()
    finally:
        window.close()
        app.processEvents()
    p95 = _percentile(times, 0.95)
    floor_ms = statistics.median(floors)
    return {"server_window_add_coding_p95_ms": p95,
            "server_window_add_coding_p50_ms": statistics.median(times),
            "server_window_add_coding_floor_ms": floor_ms,
            "server_window_add_coding_ratio": p95 / floor_ms}


def _corpus_keys(cluster, work: Path, quick: bool) -> dict[str, float]:  # noqa: ANN001
    from benchmarks import datasets
    from kzcoder.services.server.publishing import publish

    sizes = datasets.QUICK if quick else datasets.FULL
    files = datasets.write_corpus_files(work, sizes)
    local, _code = datasets.build_corpus_project(work, files, sizes)
    url = cluster.fresh_database()
    publish(local, url)
    reps = 3 if quick else 7
    opened = _interleaved(reps, {"file": local, "server": url}, _open_as_the_window_does)
    found = {"file_open_1k_ms": opened["file"], "server_open_1k_ms": opened["server"],
             "server_open_1k_ratio": opened["server"] / opened["file"]}
    query = '"Document 12"' if quick else '"Document 123"'
    from kzcoder.services.project import Project

    with Project.open(local) as file, Project.open(url) as server:  # as an open window
        searched = _interleaved(reps, {"file": file, "server": server},
                                lambda project: _search(project, query))
        found.update({"file_search_ms": searched["file"],
                      "server_search_ms": searched["server"],
                      "server_search_ratio": searched["server"] / searched["file"]})
        found["server_search_scan_ms"] = _interleaved(
            reps, {"scan": server}, lambda project: _search(project, query, scan=True))["scan"]
    return found


def _interleaved(reps: int, places: dict, run) -> dict[str, float]:  # noqa: ANN001
    """The median milliseconds of *run(place)* for each place, taken in turns."""
    times: dict[str, list[float]] = {name: [] for name in places}
    for _ in range(reps):
        for name, where in places.items():
            began = time.perf_counter()
            run(where)
            times[name].append(time.perf_counter() - began)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def _open_as_the_window_does(where: object) -> None:
    from kzcoder.services import coders, codings, documents
    from kzcoder.services.codebook import editing
    from kzcoder.services.project import Project

    with Project.open(where) as project:
        listed = documents.list_documents(project)
        editing.list_codes(project)
        codings.code_counts(project)
        coders.list_coders(project)
        documents.document_text(project, listed[0].id)
        codings.document_spans(project, listed[0].id)


def _search(project, query: str, scan: bool = False) -> None:  # noqa: ANN001
    from unittest import mock

    from kzcoder.db.backends import text_index
    from kzcoder.services.search import searching

    if not scan:
        hits = searching.search(project, query)
    else:  # every document a candidate: what a server search did before its index
        with mock.patch.object(searching, "text_index",
                               lambda session: text_index.EveryDocument()):
            hits = searching.search(project, query)
    if not hits:
        raise RuntimeError(f"the benchmark search {query} found nothing")


def _ten_coders(url: str, seconds: int) -> tuple[float, int]:
    from kzcoder.core.errors import KzError
    from kzcoder.services import codings
    from kzcoder.services.project import Project

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def coder(number: int) -> None:
        with Project.open(url) as project:
            began = time.perf_counter()
            for tick in range(seconds):
                start = time.perf_counter()
                try:
                    codings.add_coding(project, 1, 1, tick, tick + 7, coder=f"coder{number}")
                except KzError as exc:
                    with lock:
                        errors.append(str(exc))
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)
                time.sleep(max(0.0, began + tick + 1 - time.perf_counter()))

    threads = [threading.Thread(target=coder, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
        time.sleep(0.1)  # spread over the second, as people would be
    for thread in threads:
        thread.join()
    return _percentile(latencies, 0.95), len(errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps(measure_server(args.quick), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
