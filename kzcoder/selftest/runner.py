"""Runs the self-test's steps in order and prints its one line (see ``kzcoder.selftest``)."""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from kzcoder.selftest.failure import SelfTestFailure

#: a step that hangs (a dialog nobody answers, a lock) fails the self-test instead
TIMEOUT_S = 300


def run_self_test(stream: TextIO | None = None) -> int:
    """Run every step in a temporary folder; print one line; 0 if all held, else 1."""
    from kzcoder.selftest import steps

    # a windowed program on Windows has no standard output: the line goes to a file instead
    out = stream or sys.stdout or (Path.home() / "kzcoder-self-test.txt").open("a")
    timings: list[tuple[str, float]] = []
    saved_home = os.environ.get("KZCODER_HOME")
    watchdog = threading.Timer(TIMEOUT_S, _give_up, args=(out, timings))
    watchdog.daemon = True
    watchdog.start()
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="kzcoder-self-test-") as folder:
            work = Path(folder)
            os.environ["KZCODER_HOME"] = str(work / "home")  # settings and default project
            context = steps.Context(work)
            for name, step in steps.STEPS:
                _timed(name, step, context, timings)
    except SelfTestFailure as failure:
        out.write(f"kzcoder self-test: FAILED at {failure.args[0]}\n")
        return 1
    finally:
        watchdog.cancel()
        if saved_home is None:
            os.environ.pop("KZCODER_HOME", None)
        else:
            os.environ["KZCODER_HOME"] = saved_home
    total = time.perf_counter() - started
    out.write(f"kzcoder self-test: OK in {total:.1f} s ({_describe(timings)})\n")
    out.flush()
    return 0


def _timed(name: str, step: Callable[[object], None], context: object,
           timings: list[tuple[str, float]]) -> None:
    started = time.perf_counter()
    try:
        step(context)
    except SelfTestFailure as failure:
        raise SelfTestFailure(f"{name}: {failure}") from failure
    except Exception as exc:  # any failure is one line naming the step, never a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise SelfTestFailure(f"{name}: {type(exc).__name__}"
                              f"{': ' + first if first else ''}") from exc
    timings.append((name, time.perf_counter() - started))


def _describe(timings: list[tuple[str, float]]) -> str:
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings)


def _give_up(out: TextIO, timings: list[tuple[str, float]]) -> None:
    done = ", ".join(name for name, _ in timings) or "nothing"
    out.write(f"kzcoder self-test: FAILED: no answer after {TIMEOUT_S} s (finished: {done})\n")
    out.flush()
    os._exit(1)
