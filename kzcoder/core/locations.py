"""Whether a project location someone typed is a server URL rather than a file path.

Pure, so that the window's start-up and its recent-projects menu tell them apart without
loading the data layer (``db/backends/location.py`` parses the URL itself).
"""

from __future__ import annotations

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def looks_like_server_url(text: object) -> bool:
    """Whether *text* is a ``postgresql://`` URL (not a file path)."""
    return isinstance(text, str) and text.strip().lower().startswith(SERVER_SCHEMES)
