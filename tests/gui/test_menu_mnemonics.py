"""Every menu's Alt-letters are unique, so that a letter always triggers its item (two items
sharing one only move the highlight between them, as the real window showed for File: 'Open
&recent' and 'Import a &REFI-QDA project…')."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QMenu


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _menus(window) -> list[QMenu]:
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    found: list[QMenu] = []
    while menus:
        menu = menus.pop()
        found.append(menu)
        menus += [a.menu() for a in menu.actions() if a.menu() is not None]
    return found


def test_no_menu_has_two_items_with_one_letter(window):
    menus = _menus(window)
    assert len(menus) >= 6
    bar = [_mnemonic(a.text()) for a in window.menuBar().actions()]
    assert len(bar) == len(set(bar)), bar
    for menu in menus:
        letters = [(m, a.text()) for a in menu.actions()
                   if not a.isSeparator() and (m := _mnemonic(a.text())) is not None]
        seen: dict[str, str] = {}
        for letter, text in letters:
            assert letter not in seen, \
                f"{menu.title()}: {seen[letter]!r} and {text!r} share '{letter}'"
            seen[letter] = text
