"""Drive kzcoder in a real X window, as a user would, and check that its layout survives
restarts.

    .venv/bin/python tests/realwindow/run_real_window.py SHOTS_DIR [--keep] [--verbose]

Starts Xvfb (1600x1000) with the openbox window manager, creates a sample project in a
throwaway KZCODER_HOME (coder already set, so no dialog), and runs ``python -m kzcoder
PROJECT`` with QT_QPA_PLATFORM=xcb. With xdotool it codes by a mouse drag in the left pane
(then key 3) and by a keyboard selection in the right pane (then key 1), annotates that selection
(Ctrl+Shift+N, a note typed in the dialog; screenshot ``annotated``), drags the docks narrow
(the codebook's sub-code names must end in "…", Key and Docs hidden) and back, drags the dock
separator and the divider between the panes, resizes the window to 1300x800 and closes it
with Ctrl+Q. Then it restarts the app three times; after each start it checks that every text
pane is at least 300 px wide, that the layout is the one left at the last close (within a few
pixels), and that the codings are in the project (``kzcoder segments PROJECT --json``).
Last, it starts the app once more on a 1024x700 screen: the window must fit and every pane
stay at least the readable width the app reports for that size.

The app describes its layout through its test hook (KZCODER_LAYOUT_REPORT, see
kzcoder/gui/shell/layout.py). A screenshot of the whole screen is saved in SHOTS_DIR after every
start. Exit status 0 when all is well; otherwise 1 and one line on stderr naming what failed.
Needs Xvfb, openbox, xdotool and xprop (x11-utils); screenshots need ImageMagick's ``import``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SCREEN = (1600, 1000)
SMALL_SCREEN = (1024, 700)
RESIZED = (1300, 800)
READABLE = 300  # px: every text pane at least this wide on the big screen
TOLERANCE = 4  # px: the same layout after a restart, to this many pixels
RESTARTS = 3
CODER = "Tester"
#: sub-codes whose names a narrow codebook must end in "…" (never cut bare, never nothing)
SUBCODES = (("State justification", "Terrorist / foreign-plot framing"),
            ("Dissent", "Economic grievance of oil workers"))
NARROW = 210  # px: the left docks dragged this narrow


class Failed(Exception):
    """One line saying what went wrong."""


class Run:
    def __init__(self, shots: Path, verbose: bool) -> None:
        self.shots = shots
        self.verbose = verbose
        self.work = Path(tempfile.mkdtemp(prefix="kzcoder-realwindow-"))
        self.home = self.work / "home"
        self.project = self.work / "project.kzc"
        self.xvfb: subprocess.Popen | None = None
        self.wm: subprocess.Popen | None = None
        self.app: subprocess.Popen | None = None
        self.display = ""
        self.report = self.work / "report.json"

    def say(self, text: str) -> None:
        if self.verbose:
            print(text, flush=True)

    # --- the X server and the window manager -------------------------------------------------
    def start_x(self, size: tuple[int, int]) -> None:
        read, write = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size[0]}x{size[1]}x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        number = b""
        deadline = time.monotonic() + 10
        with os.fdopen(read, "rb") as pipe:
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = pipe.read(1)
                if not chunk:
                    break
                number += chunk
        if not number.strip().isdigit():
            raise Failed("Xvfb did not start")
        self.display = f":{number.strip().decode()}"
        self.wm = subprocess.Popen(["openbox", "--sm-disable"], env=self.env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait(lambda: "window id" in self.x(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"]),
                  10, "openbox did not take the screen")
        self.say(f"X {self.display} {size[0]}x{size[1]} with openbox")

    def stop_x(self) -> None:
        for proc in (self.wm, self.xvfb):
            _end(proc)
        self.wm = self.xvfb = None

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "KZCODER_LAYOUT_REPORT")}
        env.update(DISPLAY=self.display, KZCODER_HOME=str(self.home), **extra)
        return env

    def x(self, args: list[str], check: bool = False) -> str:
        try:
            done = subprocess.run(args, env=self.env(), capture_output=True, text=True,
                                  timeout=20)
        except subprocess.TimeoutExpired:
            raise Failed(f"{' '.join(args)} did not finish in 20 s") from None
        if check and done.returncode != 0:
            raise Failed(f"{' '.join(args)} failed: {done.stderr.strip()[:200]}")
        return done.stdout

    def xdotool(self, *args: object) -> str:
        return self.x(["xdotool", *map(str, args)], check=True)

    def wait(self, condition, seconds: float, failure: str) -> None:  # noqa: ANN001
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise Failed(failure)
            time.sleep(0.05)

    # --- the app ------------------------------------------------------------------------------
    def cli(self, *args: str) -> str:
        done = subprocess.run([PYTHON, "-m", "kzcoder", *args], cwd=REPO, env=self.env(),
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise Failed(f"kzcoder {args[0]} failed: {done.stderr.strip()[:200]}")
        return done.stdout

    def start_app(self, name: str) -> tuple[str, dict]:
        """Start the window; return its X id and the layout report once the project is open."""
        report = self.report = self.work / f"{name}.json"
        log = open(self.work / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        self.app = subprocess.Popen(
            [PYTHON, "-m", "kzcoder", str(self.project)], cwd=REPO, stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env(QT_QPA_PLATFORM="xcb", KZCODER_LAYOUT_REPORT=str(report)))
        self.app.log = log
        try:
            self.wait(lambda: self.app.poll() is not None or "opened" in _read(report), 30,
                      f"{name}: the project never opened in the window")
        except Failed as failure:
            raise Failed(f"{failure} (its output ends: "
                         f"{_last_line(self.work / f'{name}.log')})") from None
        if self.app.poll() is not None:
            raise Failed(f"{name}: kzcoder exited with {self.app.returncode}: "
                         f"{_last_line(self.work / f'{name}.log')}")
        window = ""

        def found() -> bool:
            nonlocal window
            ids = self.x(["xdotool", "search", "--onlyvisible", "--pid", str(self.app.pid),
                          "--class", "kzcoder"]).split()
            window = ids[0] if ids else ""
            return bool(window)

        self.wait(found, 10, f"{name}: no visible kzcoder window")
        self.xdotool("windowactivate", "--sync", window)
        time.sleep(0.2)
        return window, _read(report)["opened"]

    def close_app(self, name: str, window: str) -> dict:
        """Close the window with Ctrl+Q (Alt+F4 through openbox if that does nothing); return
        the report written on closing."""
        self.xdotool("windowactivate", "--sync", window)
        self.xdotool("key", "--clearmodifiers", "ctrl+q")
        try:
            self.app.wait(10)
        except subprocess.TimeoutExpired:
            self.xdotool("key", "--clearmodifiers", "alt+F4")
            try:
                self.app.wait(10)
            except subprocess.TimeoutExpired:
                raise Failed(f"{name}: the window did not close on Ctrl+Q or Alt+F4") from None
        self.app.log.close()
        if self.app.returncode != 0:
            raise Failed(f"{name}: kzcoder exited with {self.app.returncode} on closing: "
                         f"{_last_line(self.work / f'{name}.log')}")
        self.app = None
        report = _read(self.work / f"{name}.json")
        if "closed" not in report:
            raise Failed(f"{name}: no layout report written on closing")
        return report["closed"]

    def screenshot(self, name: str) -> None:
        if shutil.which("import") is None:
            return
        self.shots.mkdir(parents=True, exist_ok=True)
        self.x(["import", "-window", "root", str(self.shots / f"{name}.png")])

    # --- user gestures ------------------------------------------------------------------------
    def drag(self, start: tuple[int, int], end: tuple[int, int]) -> None:
        self.xdotool("mousemove", *start)
        time.sleep(0.1)
        self.xdotool("mousedown", 1)
        for step in range(1, 6):  # a few moves, like a hand
            x = start[0] + (end[0] - start[0]) * step // 5
            y = start[1] + (end[1] - start[1]) * step // 5
            self.xdotool("mousemove", x, y)
            time.sleep(0.04)
        self.xdotool("mouseup", 1)
        time.sleep(0.15)

    def segments(self) -> list[dict]:
        return json.loads(self.cli("segments", str(self.project), "--json"))

    # --- the scenario -------------------------------------------------------------------------
    def main(self) -> None:
        self.home.mkdir()
        (self.home / "settings.ini").write_text(f"[General]\ncoder={CODER}\n", encoding="utf-8")
        self.cli("new", str(self.project), "--sample")
        for parent, name in SUBCODES:
            self.cli("code-add", str(self.project), name, "--parent", parent)
        self.start_x(SCREEN)

        window, opened = self.start_app("start0")
        self.screenshot("start0")
        check_readable("first start", opened, READABLE)
        self.code_by_mouse_and_keyboard(opened)
        self.narrow_codebook(opened)
        self.drag_separators(self.latest(lambda _r: True, "no layout after narrowing"))
        self.xdotool("windowsize", window, *RESIZED)
        self.latest(lambda r: r["window"][2:] == list(RESIZED),
                    f"first start: the window never became {RESIZED}")
        left = self.close_app("start0", window)
        if left["window"][2:] != list(RESIZED):
            raise Failed(f"first start: the window is {left['window'][2:]} after resizing to "
                         f"{list(RESIZED)}")
        check_readable("first start, at closing", left, READABLE)
        codings = self.segments()
        self.say(f"closed at {left['window']}; panes {_widths(left)}; {len(codings)} codings")

        first = None
        for number in range(1, RESTARTS + 1):
            name = f"restart{number}"
            window, opened = self.start_app(name)
            self.screenshot(name)
            self.say(f"{name}: window {opened['window']}, docks "
                     f"{ {k: v['rect'][2:] for k, v in opened['docks'].items()} }, panes "
                     f"{_widths(opened)}")
            check_readable(name, opened, READABLE)
            check_same(f"{name} against the layout left at the last close", opened, left)
            first = first or opened
            check_same(f"{name} against restart1", opened, first)
            if self.segments() != codings:
                raise Failed(f"{name}: the codings changed across the restart")
            left = self.close_app(name, window)

        self.stop_x()
        self.start_x(SMALL_SCREEN)
        window, opened = self.start_app("small_screen")
        self.screenshot("small_screen")
        self.say(f"small screen: window {opened['window']}, panes {_widths(opened)}, "
                 f"readable {opened['readable_width']}")
        frame = opened["frame"]
        if (frame[0] < 0 or frame[1] < 0 or frame[0] + frame[2] > SMALL_SCREEN[0]
                or frame[1] + frame[3] > SMALL_SCREEN[1]):
            raise Failed(f"small screen: the window {frame} does not fit {list(SMALL_SCREEN)}")
        check_readable("small screen", opened, opened["readable_width"])
        self.close_app("small_screen", window)

    def code_by_mouse_and_keyboard(self, opened: dict) -> None:
        left, right = opened["panes"][0]["text"], opened["panes"][1]["text"]
        # a drag over the first lines of the left pane, then the key of 'Force'
        self.drag((left[0] + 12, left[1] + 30), (left[0] + 220, left[1] + 62))
        self.xdotool("key", "3")
        self.wait(lambda: len(self.segments()) == 1, 10,
                  "coding by mouse: no coding after a drag and key 3")
        # a click in the right pane, three words selected with the keyboard, 'State justification'
        self.xdotool("mousemove", right[0] + 40, right[1] + 40)
        time.sleep(0.1)
        self.xdotool("click", 1)
        self.xdotool("key", "--clearmodifiers", "ctrl+Home")
        for _ in range(3):
            self.xdotool("key", "--clearmodifiers", "shift+ctrl+Right")
        self.xdotool("key", "1")
        self.wait(lambda: len(self.segments()) == 2, 10,
                  "coding by keyboard: no coding after shift+ctrl+Right and key 1")
        found = {(s["code"], s["coder"]) for s in self.segments()}
        if found != {("Force", CODER), ("State justification", CODER)}:
            raise Failed(f"coding: the project holds {sorted(found)}")
        self.annotate_selection()

    def annotate_selection(self) -> None:
        """Annotate the words still selected in the right pane (Ctrl+Shift+N, a note typed in
        the dialog, Return): the note is in the project and its mark in the margin is on
        the screenshot."""
        self.xdotool("key", "--clearmodifiers", "ctrl+shift+n")
        self.wait(lambda: bool(self.x(["xdotool", "search", "--onlyvisible", "--name",
                                       "^Annotate$"])), 10,
                  "annotating: Ctrl+Shift+N opened no 'Annotate' dialog")
        time.sleep(0.3)
        self.xdotool("type", "--delay", "20", "check this claim")
        self.xdotool("key", "--clearmodifiers", "Return")
        self.wait(lambda: self.annotations() != [], 10,
                  "annotating: no annotation in the project after the dialog's OK")
        [note] = self.annotations()
        if (note["text"], note["author"]) != ("check this claim", CODER):
            raise Failed(f"annotating: the project holds {note}")
        self.screenshot("annotated")

    def annotations(self) -> list[dict]:
        return json.loads(self.cli("annotation", str(self.project), "list", "--json"))

    def narrow_codebook(self, opened: dict) -> None:
        """Drag the left docks narrow: the codebook hides Key and Docs, and each sub-code's
        name, as painted, is its first letters and "…"; then drag them back."""
        dock = opened["docks"]["documentsDock"]["rect"]
        pane = opened["panes"][0]["rect"]
        separator_x = (dock[0] + dock[2] + pane[0]) // 2
        middle_y = dock[1] + dock[3] // 2
        self.drag((separator_x, middle_y), (dock[0] + NARROW, middle_y))
        now = self.latest(lambda r: r["docks"]["codebookDock"]["rect"][2] <= NARROW + 20,
                          f"dragging the dock separator to x={dock[0] + NARROW} did not "
                          "narrow the docks")
        time.sleep(0.3)
        now = self.latest(lambda r: r["codebook"]["hidden_columns"] == [1, 3],
                          "a narrow codebook still shows its Key and Docs columns")
        self.screenshot("narrow_codebook")
        names = {name: shown for depth, name, shown in now["codebook"]["names"] if depth == 1}
        for _parent, name in SUBCODES:
            shown = names.get(name)
            if shown is None or not shown.endswith("…") or len(shown) < 9 \
                    or not name.startswith(shown[:-1]):
                raise Failed(f"narrow codebook ({now['codebook']['width']} px): the sub-code "
                             f"'{name}' is painted as {shown!r}")
        self.say(f"narrow codebook: {sorted(names.values())}")
        self.drag((dock[0] + NARROW + 2, middle_y), (separator_x, middle_y))
        self.latest(lambda r: r["codebook"]["hidden_columns"] == []
                    and r["docks"]["documentsDock"]["rect"][2] >= dock[2] - 10,
                    "dragging the docks back did not bring back Key and Docs")

    def drag_separators(self, opened: dict) -> None:
        """Widen the left docks by 80 px and move the divider between the panes 60 px to the
        right, as a user fixing the layout by hand."""
        dock = opened["docks"]["documentsDock"]["rect"]
        pane = opened["panes"][0]["rect"]
        separator_x = (dock[0] + dock[2] + pane[0]) // 2
        middle_y = dock[1] + dock[3] // 2
        self.drag((separator_x, middle_y), (separator_x + 80, middle_y))
        now = self.latest(
            lambda r: r["docks"]["documentsDock"]["rect"][2] >= dock[2] + 60,
            f"dragging the dock separator at x={separator_x} did not widen the docks")
        first, second = now["panes"][0]["rect"], now["panes"][1]["rect"]
        divider_x = (first[0] + first[2] + second[0]) // 2
        self.drag((divider_x, first[1] + 120), (divider_x + 60, first[1] + 120))
        self.latest(lambda r: r["panes"][0]["width"] >= now["panes"][0]["width"] + 40,
                    f"dragging the divider at x={divider_x} did not widen the left pane")

    def latest(self, condition, failure: str) -> dict:  # noqa: ANN001
        """The layout the app reports after the panes were resized, once *condition* holds."""
        report: dict = {}

        def holds() -> bool:
            nonlocal report
            report = _read(self.report).get("latest", {})
            return bool(report) and condition(report)

        try:
            self.wait(holds, 5, failure)
        except Failed:
            raise Failed(f"{failure} (docks {_dock_widths(report)}, panes "
                         f"{_widths(report) if report else '?'})") from None
        return report


def check_readable(where: str, report: dict, minimum: int) -> None:
    for index, pane in enumerate(report["panes"]):
        if pane["width"] < minimum:
            raise Failed(f"{where}: text pane {index + 1} is {pane['width']} px wide "
                         f"(< {minimum}); panes {_widths(report)}")


def check_same(where: str, report: dict, expected: dict) -> None:
    def near(a: list[int], b: list[int]) -> bool:
        return len(a) == len(b) and all(abs(x - y) <= TOLERANCE for x, y in zip(a, b,
                                                                                  strict=True))

    if not near(report["window"], expected["window"]):
        raise Failed(f"{where}: window {report['window']}, expected {expected['window']}")
    for name, dock in expected["docks"].items():
        got = report["docks"].get(name)
        if got is None or got["visible"] != dock["visible"] or not near(got["rect"], dock["rect"]):
            raise Failed(f"{where}: dock {name} at {got and got['rect']}, expected "
                         f"{dock['rect']}")
    if not near(_widths(report), _widths(expected)):
        raise Failed(f"{where}: panes {_widths(report)} px wide, expected {_widths(expected)}")


def _dock_widths(report: dict) -> dict:
    return {name: dock["rect"][2:] for name, dock in report.get("docks", {}).items()}


def _widths(report: dict) -> list[int]:
    return [pane["width"] for pane in report["panes"]]


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _last_line(path: Path) -> str:
    lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def _end(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shots", type=Path, help="folder for the screenshots")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    missing = [tool for tool in ("Xvfb", "openbox", "xdotool", "xprop")
               if shutil.which(tool) is None]
    if missing:
        print(f"real window: missing {', '.join(missing)}", file=sys.stderr)
        return 1
    run = Run(args.shots, args.verbose)
    started = time.monotonic()
    # ended by a timeout (SIGTERM): still stop the app, openbox and Xvfb in the finally below
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("real window: stopped (SIGTERM)"))
    try:
        run.main()
    except Failed as failure:
        print(f"real window: {failure}", file=sys.stderr)
        return 1
    finally:
        if run.app is not None:
            _end(run.app)
        run.stop_x()
        if args.keep:
            print(f"kept {run.work}", file=sys.stderr)
        else:
            shutil.rmtree(run.work, ignore_errors=True)
    print(f"real window: ok ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
