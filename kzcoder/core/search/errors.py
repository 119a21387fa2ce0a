"""The refusal of what a user asked a search to do (a query, a pattern, an option): the
command line says it in one line and exits 2, unlike a failure of the project file (exit 1)."""

from __future__ import annotations

from kzcoder.core.errors import KzError


class SearchInputError(KzError):
    """A query, regular expression, option or name variant that cannot be used."""
