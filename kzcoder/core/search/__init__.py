"""Search, pure: the query language, matching a query in a text, expanding hits, word counts."""
