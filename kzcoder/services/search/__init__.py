"""Searching the corpus (the full-text index, the query language, autocoding hits, word counts)."""
