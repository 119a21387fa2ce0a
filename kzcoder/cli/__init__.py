"""The command line: `main.py` builds the parser from one module per feature (coding, codebook,
memo, exchange, backup, merge, agreement); each module adds its sub-commands and runs them over
services, with no Qt imported unless the window is asked for."""
