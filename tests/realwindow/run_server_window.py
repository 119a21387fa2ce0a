"""Drive kzcoder on a server project in a real X window (issue 25).

    .venv/bin/python tests/realwindow/run_server_window.py SHOTS_DIR [--keep] [--verbose]

Starts a throwaway PostgreSQL cluster (benchmarks/pg_cluster.py), publishes a new sample
project into it, and runs ``python -m kzcoder postgresql://kzadmin@127.0.0.1:PORT/DB`` (the
password from PGPASSWORD, never on the command line) under Xvfb + openbox, as
run_real_window.py does. Then:

1. a second client codes the first pane's document through the command line; the window's
   pane shows one coding more (its layout report, written after the window is resized);
2. the server is stopped (``pg_ctl stop -m immediate``): the status bar says
   "connection lost — reconnecting";
3. the server is started again: the message goes, and a coding made by the second client
   after the restart shows too (caught up);
4. the window is closed with Ctrl+Q: the recent projects in settings.ini hold the URL and no
   password.

A screenshot of the screen is saved after each step (server_open, server_live, server_lost,
server_back). Exit 0 when all is well; otherwise 1 and one line on stderr.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.pg_cluster import SUPERPASSWORD, available, start_cluster  # noqa: E402
from tests.realwindow.run_real_window import CODER, SCREEN, Failed, Run, _end  # noqa: E402

LOST = "connection lost — reconnecting"


class ServerRun(Run):
    def __init__(self, shots: Path, verbose: bool) -> None:
        super().__init__(shots, verbose)
        self.cluster = None
        self.sizes = iter([(1400, 880), (1380, 860), (1360, 840), (1340, 820), (1320, 800)])

    def env(self, **extra: str) -> dict[str, str]:
        return super().env(PGPASSWORD=SUPERPASSWORD, PGPASSFILE=str(self.work / "none"),
                           **extra)

    def coded(self, window: str, condition, failure: str) -> dict:  # noqa: ANN001
        """Resize the window (so that it writes its report) until *condition* holds."""
        deadline = time.monotonic() + 15
        while True:
            self.xdotool("windowsize", window, *next(self.sizes, (1300, 790)))
            try:
                return self.latest(condition, failure)
            except Failed:
                if time.monotonic() > deadline:
                    raise
                self.sizes = iter([(1400, 880), (1380, 860), (1360, 840), (1340, 820)])

    def main(self) -> None:
        self.home.mkdir()
        (self.home / "settings.ini").write_text(f"[General]\ncoder={CODER}\n", encoding="utf-8")
        self.cli("new", str(self.project), "--sample")
        self.cluster = start_cluster()
        database = "team"
        self.cluster.create_database(database)
        url = self.cluster.url(database, password=None)
        self.cli("publish", str(self.project), url)
        self.project = url  # what the window is started on
        self.start_x(SCREEN)

        window, opened = self.start_app("server0")
        self.screenshot("server_open")
        pane = opened["panes"][0]
        if pane["document_id"] is None:
            raise Failed("the server project opened with no document in the first pane")
        before = pane["codings"]
        self.say(f"opened {url}: pane 0 shows document {pane['document_id']}, {before} codings")

        self.cli("code", url, str(pane["document_id"]), "1", "0", "40")
        self.coded(window, lambda r: r["panes"][0]["codings"] == before + 1,
                   "the second client's coding never showed in the window")
        self.screenshot("server_live")

        self.cluster.stop("immediate")
        try:
            self.coded(window, lambda r: r.get("connection") == LOST,
                       "the status bar never said the connection was lost")
            self.screenshot("server_lost")
        finally:
            self.cluster.start()
        self.coded(window, lambda r: r.get("connection") == "",
                   "the window never said it was connected again")
        self.cli("code", url, str(pane["document_id"]), "1", "50", "90")
        self.coded(window, lambda r: r["panes"][0]["codings"] == before + 2,
                   "a coding made after the restart never showed in the window")
        self.screenshot("server_back")

        self.close_app("server0", window)
        settings = (self.home / "settings.ini").read_text(encoding="utf-8")
        if SUPERPASSWORD in settings:
            raise Failed("settings.ini holds the server password")
        if f"127.0.0.1:{self.cluster.port}/{database}" not in settings:
            raise Failed("the server URL is not among the recent projects")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shots", type=Path, help="folder for the screenshots")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    missing = [tool for tool in ("Xvfb", "openbox", "xdotool", "xprop")
               if shutil.which(tool) is None]
    why = available()
    if missing or why:
        print(f"server window: {why or 'missing ' + ', '.join(missing)}", file=sys.stderr)
        return 1
    run = ServerRun(args.shots, args.verbose)
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("server window: stopped (SIGTERM)"))
    try:
        run.main()
    except Failed as failure:
        print(f"server window: {failure}", file=sys.stderr)
        return 1
    finally:
        if run.app is not None:
            _end(run.app)
        run.stop_x()
        if run.cluster is not None:
            run.cluster.close()
        if args.keep:
            print(f"kept {run.work}", file=sys.stderr)
        else:
            shutil.rmtree(run.work, ignore_errors=True)
    print(f"server window: ok ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
