"""The start's plain-Python modules are imported before PySide6 (see app/ui/__init__.py).

Once PySide6 is loaded, its import hook reads the source of every module imported after
it. A store or service module the first window needs, imported only after PySide6, costs
the cold start its file read: this says which one to add to ``PLAIN_AT_START``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# In a fresh interpreter, as the app starts: the order modules were first imported in.
PROBE = """
import json, sys
import app.ui.application
print(json.dumps([[n, getattr(m, "__file__", None)] for n, m in list(sys.modules.items())]))
"""


def _import_order() -> list[tuple[str, str | None]]:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    return [(name, file) for name, file in json.loads(out.stdout.splitlines()[-1])]


def test_plain_modules_of_the_start_come_before_pyside6() -> None:
    order = _import_order()
    names = [name for name, _ in order]
    assert "PySide6" in names, "the start no longer imports PySide6?"
    late = [name for name, file in order[names.index("PySide6"):]
            if name.startswith("app.") and not name.startswith("app.ui") and file is not None
            and "PySide6" not in Path(file).read_text(encoding="utf-8")]
    assert not late, f"add to PLAIN_AT_START in app/ui/__init__.py: {late}"

