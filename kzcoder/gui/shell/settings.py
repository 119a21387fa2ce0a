"""Window layout, recent projects and the coder name, in an INI file beside the projects
(so that ``KZCODER_HOME`` isolates tests and portable installs completely)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from kzcoder.core.locations import looks_like_server_url
from kzcoder.paths import data_home

MAX_RECENT = 8
#: Bumped when saved dock states must no longer be applied (2: states saved before the fix of
#: the crushed layout on restart were themselves crushed).
LAYOUT_VERSION = 2


@dataclass(frozen=True)
class SavedLayout:
    """What ``QMainWindow.saveGeometry``/``saveState`` gave, and the panes' splitter sizes."""

    geometry: QByteArray | None = None
    state: QByteArray | None = None
    pane_sizes: list[int] = field(default_factory=list)


class Settings:
    def __init__(self) -> None:
        self._qs = QSettings(str(data_home() / "settings.ini"), QSettings.Format.IniFormat)

    def coder(self) -> str:
        return str(self._qs.value("coder", "") or "")

    def set_coder(self, name: str) -> None:
        self._qs.setValue("coder", name)

    def recent_projects(self) -> list[Path | str]:
        """Project files (Path) and server URLs (str, never with a password), newest first."""
        value = self._qs.value("recent", []) or []
        items = [value] if isinstance(value, str) else list(value)
        return [str(p) if looks_like_server_url(p) else Path(p) for p in items if p]

    def add_recent(self, path: Path | str) -> None:
        """Put *path* first. A server location is kept as ``str(location)``, which has no
        password; a URL string given here must have none either."""
        entry: Path | str = str(path) if looks_like_server_url(str(path)) else Path(path)
        items = [p for p in self.recent_projects() if p != entry]
        self._qs.setValue("recent", [str(p) for p in [entry, *items][:MAX_RECENT]])

    def last_project(self) -> Path | None:
        """The last project file opened (a server is not reopened by itself at start-up)."""
        files = [p for p in self.recent_projects() if isinstance(p, Path)]
        return files[0] if files else None

    def saved_layout(self) -> SavedLayout:
        """The window's layout as last closed. A dock state saved by an older kzcoder (before
        LAYOUT_VERSION) is dropped: it was laid out wrongly (see gui/shell/layout.py)."""
        geometry = self._qs.value("window/geometry")
        current = str(self._qs.value("window/layout", "")) == str(LAYOUT_VERSION)
        state = self._qs.value("window/state") if current else None
        value = self._qs.value("window/panes", []) if current else []
        items = [value] if isinstance(value, str) else list(value or [])
        sizes = [int(v) for v in items if str(v).isdigit()]
        return SavedLayout(_bytes(geometry), _bytes(state), sizes)

    def set_layout(self, geometry: QByteArray, state: QByteArray | None = None,
                   pane_sizes: list[int] | None = None) -> None:
        """Remember the window's geometry; and its docks and panes unless *state* is None."""
        self._qs.setValue("window/geometry", geometry)
        if state is not None:
            self._qs.setValue("window/state", state)
            self._qs.setValue("window/panes", [str(s) for s in pane_sizes or []])
            self._qs.setValue("window/layout", LAYOUT_VERSION)

    def open_documents(self, project: Path) -> list[int] | None:
        """The documents open in panes when *project* was last closed (None: never opened)."""
        value = self._qs.value(f"panes/{_key(project)}")
        if value is None:
            return None
        items = [value] if isinstance(value, str) else list(value)
        return [int(v) for v in items if str(v).lstrip("-").isdigit()]

    def set_open_documents(self, project: Path, document_ids: list[int]) -> None:
        self._qs.setValue(f"panes/{_key(project)}", [str(i) for i in document_ids])

    def import_folder(self) -> Path | None:
        """The folder the last import came from (the import dialogs open there)."""
        value = self._qs.value("import/folder")
        return Path(value) if value else None

    def set_import_folder(self, folder: Path) -> None:
        self._qs.setValue("import/folder", str(folder))

    def view_state(self, project: Path) -> str:
        """The view state (gui/shell/view_state.py) of *project* as JSON text ('' if none)."""
        return str(self._qs.value(f"view/{_key(project)}", "") or "")

    def set_view_state(self, project: Path, state: str) -> None:
        self._qs.setValue(f"view/{_key(project)}", state)

    def export_folder(self) -> Path | None:
        """The folder the last export went to (the export dialogs open there)."""
        value = self._qs.value("export/folder")
        return Path(str(value)) if value else None

    def set_export_folder(self, folder: Path) -> None:
        self._qs.setValue("export/folder", str(folder))

    def snap_words(self) -> bool:
        """Coding widens a selection to whole words (on unless turned off)."""
        return str(self._qs.value("coding/snap_words", "true")).lower() != "false"

    def set_snap_words(self, on: bool) -> None:
        self._qs.setValue("coding/snap_words", "true" if on else "false")

    def sync(self) -> None:
        self._qs.sync()


def _bytes(value: object) -> QByteArray | None:
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _key(path: Path) -> str:
    return str(path).replace("/", "|").replace("\\", "|")
