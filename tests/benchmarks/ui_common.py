"""Shared by the UI benchmarks: child processes, the "first painted" probe, RSS, the machine line.

Only the standard library is imported at the top: the children import this module too,
and what it costs to import must be the same small amount for the empty window and for
the app, so the start-up ratio compares Qt against ShopDesk and nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.benchmarks.common import CACHE, machine

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from app.store.database import Cache
    from app.ui.shell.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = CACHE / "cache-1000000.sqlite"
WINDOW_SIZE = (1280, 800)  # MainWindow's own default size: the empty window gets the same pixels to paint
TITLE = "ShopDesk 商家工作台"


def clock() -> float:
    """System-wide monotonic seconds: a child's stamp is comparable with the parent's."""
    return time.monotonic()


def emit(label: str, value: float | str) -> None:
    """One ``label value`` line for the parent; flushed at once, the child may _exit next."""
    print(f"@{label} {value}", flush=True)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Compiled modules, as a user's Python has them (pip compiles them at install, PyInstaller
    # ships them). With PYTHONDONTWRITEBYTECODE set (as it is in some workspaces) every child
    # would compile the app's sources again, ~35 ms a start, while the Qt and standard-library
    # modules come compiled: the warm-up run writes the app's __pycache__ instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # The children run a script from tests/benchmarks; the repo root makes ``app`` importable.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def run_child(script: Path, args: list[str], timeout: float = 600) -> tuple[float, dict[str, str]]:
    """Start ``script --child ...`` and return (the clock just before Popen, its ``@label value`` lines)."""
    env = child_env()
    cmd = [sys.executable, str(script), "--child", *args]
    started = clock()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    out, err = proc.communicate(timeout=timeout)
    values = {}
    for line in out.splitlines():
        if line.startswith("@"):
            label, _, value = line[1:].partition(" ")
            values[label] = value
    if proc.returncode != 0 or "done" not in values:
        raise SystemExit(f"child {' '.join(args)} failed ({proc.returncode}):\n{out}\n{err}")
    return started, values


def versions() -> str:
    """Machine, Python and Qt versions; imports PySide6, so call it in the parent only at the end."""
    import PySide6
    from PySide6.QtCore import qVersion

    return f"{machine()}, PySide6 {PySide6.__version__} (Qt {qVersion()}), QT_QPA_PLATFORM=offscreen"


def rss_mb() -> tuple[float, float]:
    """(resident now, peak resident) of this process in MB, from /proc (psutil is not a dependency)."""
    now = peak = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    except OSError:  # not Linux: psutil if it is there, else nothing to report
        try:
            import psutil  # type: ignore[import-untyped]
        except ImportError:
            return 0.0, 0.0
        info = psutil.Process().memory_info()
        now = info.rss / 1e6
        peak = getattr(info, "peak_wset", info.rss) / 1e6
    return now, peak


def sqlite_mb() -> float | None:
    """Memory SQLite holds in this process (page caches of every connection), in MB: the
    same libsqlite3 the sqlite3 module is linked against, asked through ctypes. None when
    that library cannot be found (a statically linked sqlite3 module, say)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("sqlite3")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    return lib.sqlite3_memory_used() / 1e6


def temp_settings() -> QSettings:
    """A QSettings on an empty INI file of its own: the user's real settings stay untouched
    and no saved geometry or view changes what is measured."""
    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="shopdesk-bench-")
    return QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)


def open_cache(path: Path) -> Cache:
    """The cache as the app opens it. Cache() migrates an old schema (which writes and first
    copies the file aside), so refuse anything but the current schema: the big file must
    not be rewritten by a benchmark."""
    import sqlite3

    from app.store.database import Cache
    from app.store.migrations import MIGRATIONS

    if not path.exists():
        raise SystemExit(f"{path} is missing: run bench_sync.py --orders 1000000 --rounds 1 --keep first")
    probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = probe.execute("PRAGMA user_version").fetchone()[0]
    finally:
        probe.close()
    if version != MIGRATIONS[-1][0]:
        raise SystemExit(f"{path} has schema {version}, the app wants {MIGRATIONS[-1][0]}: rebuild it "
                         "(bench_sync.py --orders 1000000 --rounds 1 --keep) rather than let a benchmark migrate it")
    return Cache(path)


def make_app() -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    return app


def app_window(cache: Cache) -> MainWindow:
    """The main window as application.run builds it (CJK font, no practice banner), not yet shown."""
    from app.ui.fonts import apply_cjk_font
    from app.ui.shell.main_window import MainWindow

    apply_cjk_font(make_app())
    return MainWindow(cache, TITLE, practice=False, settings=temp_settings())


def on_painted(widget: QWidget, when: Callable[[], bool], then: Callable[[], None], once: bool = True) -> QObject:
    """Call ``then`` just after ``widget`` has finished a paint that began while ``when()`` held.

    The filter sees the Paint event before the widget paints; a zero timer started there
    runs once the whole repaint (the model's data() calls included) is done. The empty
    window and the app use this same probe, so "first painted" means the same for both.
    Keep the returned object alive as long as the probe is wanted.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Probe(QObject):
        def __init__(self) -> None:
            super().__init__(widget)
            self.armed = True

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if self.armed and event.type() == QEvent.Type.Paint and when():
                if once:
                    self.armed = False
                QTimer.singleShot(0, then)
            return False

    probe = Probe()
    widget.installEventFilter(probe)
    return probe


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Process events until ``condition()`` or the timeout; whether it held."""
    from PySide6.QtCore import QEventLoop

    app = make_app()
    deadline = clock() + timeout
    while not condition():
        if clock() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.001)  # processEvents returns at once when nothing is queued: do not spin a core
    return True


def median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def as_float(values: dict[str, Any], label: str) -> float:
    return float(values[label])
