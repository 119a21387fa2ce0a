"""Window layout, recent projects and the coder name, in an INI file beside the projects
(so that ``KZCODER_HOME`` isolates tests and portable installs completely)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from kzcoder.paths import data_home

MAX_RECENT = 8


class Settings:
    def __init__(self) -> None:
        self._qs = QSettings(str(data_home() / "settings.ini"), QSettings.Format.IniFormat)

    def coder(self) -> str:
        return str(self._qs.value("coder", "") or "")

    def set_coder(self, name: str) -> None:
        self._qs.setValue("coder", name)

    def recent_projects(self) -> list[Path]:
        value = self._qs.value("recent", []) or []
        items = [value] if isinstance(value, str) else list(value)
        return [Path(p) for p in items if p]

    def add_recent(self, path: Path) -> None:
        items = [p for p in self.recent_projects() if p != path]
        self._qs.setValue("recent", [str(p) for p in [path, *items][:MAX_RECENT]])

    def last_project(self) -> Path | None:
        recent = self.recent_projects()
        return recent[0] if recent else None

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self._qs.value("window/geometry"), self._qs.value("window/state")

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)

    def open_documents(self, project: Path) -> list[int] | None:
        """The documents open in panes when *project* was last closed (None: never opened)."""
        value = self._qs.value(f"panes/{_key(project)}")
        if value is None:
            return None
        items = [value] if isinstance(value, str) else list(value)
        return [int(v) for v in items if str(v).lstrip("-").isdigit()]

    def set_open_documents(self, project: Path, document_ids: list[int]) -> None:
        self._qs.setValue(f"panes/{_key(project)}", [str(i) for i in document_ids])

    def sync(self) -> None:
        self._qs.sync()


def _key(path: Path) -> str:
    return str(path).replace("/", "|").replace("\\", "|")
