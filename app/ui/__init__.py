"""Everything Qt: windows, panels, models, dialogs. The only package that imports PySide6."""
