"""Comparing across the corpus: code matrices, co-occurrence, document filters and sets, and
the data behind the charts."""
