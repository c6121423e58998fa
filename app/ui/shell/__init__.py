"""The app shell: the main window, its status bar, global search."""
