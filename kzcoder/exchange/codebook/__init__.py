"""Codebook files: REFI-QDA `.qdc`, the JSON form the default codebook ships in, and the
CSV / Markdown tables."""
