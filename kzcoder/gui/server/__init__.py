"""A project on a PostgreSQL server in the window: opening a URL, live updates (docs/server.md)."""
