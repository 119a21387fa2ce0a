"""A shared project on a PostgreSQL server: opening one, publish and clone, the change feed
(events, watch), members and their roles (docs/server.md)."""
