"""The codebook: editing codes (editing.py), the code tree's moves and merges (tree.py), and
reading or writing codebook files (exchange.py)."""
