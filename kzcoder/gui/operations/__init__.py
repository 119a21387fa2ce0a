"""How the window changes a project: every change runs through one ``ProjectSession``.

- ``ProjectSession.run_command``: an undoable command (``services.undoable``), run on the GUI
  thread and pushed on the undo stack — a keypress, a menu item.
- ``ProjectSession.run``: a quick service call that returns ``Changed``.
- ``ProjectSession.run_in_background``: a long service call (import now; export and merge
  later) in a worker thread with a progress dialog that can stop it.

Each reports a ``KzError`` (or any other failure) as one message on ``sig_error`` and, when
something changed, announces a ``Changes`` record on ``sig_changed``. Views subscribe to that
signal through ``CurrentSession`` and refresh themselves from what they are told.
"""
