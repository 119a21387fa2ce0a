"""Protected projects in the window: the passphrase dialog (and, later, the history view)."""
