"""Dialect-specific pieces behind one small interface each (full-text index, locking,
notifications): SQLite here, other servers beside it. Services never ask which backend they
run on."""
