"""REFI-QDA projects (.qdpx): export (exporting.py), import into a new project (importing.py) and
the sources inside an archive (sources.py)."""
