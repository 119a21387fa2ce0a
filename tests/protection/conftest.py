"""Encrypted projects: each test starts and ends with no key held and the default source."""

from __future__ import annotations

import pytest

from kzcoder.db import cipher

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(cipher.PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(cipher.NEW_PASSPHRASE_ENV, raising=False)
    cipher.set_passphrase_source(None)
    yield
    cipher.set_passphrase_source(None)
    with cipher._lock:
        cipher._keys.clear()


def forget_all() -> None:
    """Drop every key held, as a new process would start."""
    with cipher._lock:
        cipher._keys.clear()
