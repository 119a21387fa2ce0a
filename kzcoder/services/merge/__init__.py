"""Merging another project (a .kzc or a .qdpx) into this one: reading it, matching its documents,
codes, coders and codings to ours, and the merge itself as one unit of work."""
