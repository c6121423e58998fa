"""Everything Qt: windows, panels, models, dialogs. The only package that imports PySide6.

The plain-Python modules the first window needs are imported here, before any module of
this package imports PySide6: once PySide6 is loaded, its import hook reads the source
file of every module imported after it, looking for the word "PySide6" (for its
``__feature__`` switch), ~6 ms of a cold start for these and the standard library modules
they bring. ``tests/unit/test_start_imports.py`` says when one is missing.
"""

from importlib import import_module

PLAIN_AT_START = (
    "app.platform.errors",
    "app.services.accounts",
    "app.services.crash_report",
    "app.services.order_columns",
    "app.store.database",
    "app.store.queries",
    "app.store.sync_state",
)
for _name in PLAIN_AT_START:
    import_module(_name)
