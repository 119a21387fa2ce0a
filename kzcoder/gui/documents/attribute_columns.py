"""Attribute columns in *Documents*: right-click the list's header to show or hide a column
for any attribute the documents have (period, region, ...), beside Title, Outlet and Date."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QHeaderView, QMenu, QWidget

#: attributes that have columns of their own
OWN_COLUMNS = frozenset({"title", "outlet", "published"})


def attribute_names(attributes: Iterable[dict[str, str]]) -> list[str]:
    """Every attribute name the documents use, but those with their own columns, sorted."""
    names = {name for each in attributes for name in each} - OWN_COLUMNS
    return sorted(names, key=lambda n: (n.casefold(), n))


def column_menu(parent: QWidget, names: list[str], shown: list[str],
                toggle: Callable[[str, bool], None]) -> QMenu:
    """A menu with one checkable entry per attribute name; choosing one calls
    ``toggle(name, show)``."""
    menu = QMenu(parent, objectName="attributeColumnsMenu")
    if not names:
        menu.addAction("(no other attributes: Ctrl+E adds some)").setEnabled(False)
    for name in names:
        action = menu.addAction(name)
        action.setObjectName(f"attributeColumn_{name}")
        action.setCheckable(True)
        action.setChecked(name in shown)
        action.toggled.connect(lambda on, n=name: toggle(n, on))
    return menu


def attach(header: QHeaderView, names: Callable[[], list[str]], shown: Callable[[], list[str]],
           toggle: Callable[[str, bool], None]) -> None:
    """Open the column menu on a right click of *header*."""
    from PySide6.QtCore import Qt

    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(pos: QPoint) -> None:
        column_menu(header, names(), shown(), toggle).exec(header.mapToGlobal(pos))

    header.customContextMenuRequested.connect(show_menu)
