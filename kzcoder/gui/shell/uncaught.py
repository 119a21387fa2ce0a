"""The window's last line of defence: an exception no slot caught (a view refreshing just as a
server went away, say) becomes one line in the status bar, not a traceback on a terminal the
user does not see. A ``KzError`` is said as it is; anything else as "unexpected error", with
the traceback kept on standard error for a bug report."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from kzcoder.core.errors import KzError
from kzcoder.core.escaping import escape_controls

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def message_for(exc: BaseException) -> str:
    """The one line the window shows for *exc*."""
    if isinstance(exc, KzError):
        return escape_controls(str(exc))
    return (f"unexpected error: {type(exc).__name__}: {escape_controls(str(exc))} "
            "(details on standard error)")


def install(tell: Callable[[str], None]) -> Hook:
    """Make uncaught exceptions call *tell* with their line; returns the hook it replaced."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        if not isinstance(exc, KzError):
            traceback.print_exception(kind, exc, tb, file=sys.stderr)
        try:
            tell(message_for(exc))
        except Exception:  # noqa: BLE001 - the window itself is gone: stderr has it
            previous(kind, exc, tb)

    sys.excepthook = hook
    return previous
