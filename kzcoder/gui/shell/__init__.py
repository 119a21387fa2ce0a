"""The window frame: start-up, the main window, menus, the panes' workspace, layout, status bar,
settings, help, and the File menu's actions (open, import, export, backups)."""
