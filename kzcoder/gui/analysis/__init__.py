"""The analysis area: code matrix, co-occurrence and charts as tabs beside their tables."""
