"""Search in the window: find in a pane, the corpus search dock, word frequencies."""
