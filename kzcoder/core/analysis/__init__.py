"""Comparing codes across documents as pure functions over plain records: the code matrix, the
co-occurrence of codes (overlap, paragraph, document) with the c-coefficient, and the roll-up
of sub-codes into their parents."""
