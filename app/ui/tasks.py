"""The one way the UI runs an async operation, and where bugs end up.

``run_task(coro, disable=button)`` disables the control, awaits the operation on the
qasync loop, reports a ``PlatformError`` (something staff can act on) as a non-modal
message, sends any other exception to ``sys.excepthook`` (the crash handler), and
enables the control again, whatever happened.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable, Coroutine, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget
from shiboken6 import isValid

from app import __version__
from app.platform.errors import PlatformError
from app.services.crash_report import redact
from app.ui.i18n import ui_language

if TYPE_CHECKING:  # imported where a task is run: the window's start needs no asyncio
    import asyncio

log = logging.getLogger(__name__)
T = TypeVar("T")
Control = QWidget | QAction
Report = Callable[[str], None]
MESSAGE_MS = 15_000  # long enough to read a sentence, short enough not to go stale

# asyncio keeps only weak references to tasks: one nobody holds can vanish mid-await.
_running: set[asyncio.Task[Any]] = set()


def _controls(disable: Control | Iterable[Control] | None) -> list[Control]:
    if disable is None:
        return []
    if isinstance(disable, QWidget | QAction):
        return [disable]
    return list(disable)


def _status_bar_of(controls: list[Control]) -> Report | None:
    """The status bar of the window the first control lives in, if it is a main window."""
    for control in controls:
        widget = control if isinstance(control, QWidget) else control.parent()
        window = widget.window() if isinstance(widget, QWidget) else None
        if isinstance(window, QMainWindow):
            bar = window.statusBar()
            return lambda text: bar.showMessage(text, MESSAGE_MS)
    return None


def report_bug(exc: BaseException) -> None:
    """Hand an unexpected exception to the one crash handler."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


def run_task(coro: Coroutine[Any, Any, T], *, disable: Control | Iterable[Control] | None = None,
             report: Report | None = None, on_success: Callable[[T], None] | None = None) -> asyncio.Task[None]:
    """Run ``coro`` on the event loop; see the module docstring for what happens around it.

    ``report`` receives the staff message of a PlatformError; without one, it goes to the
    status bar of the disabled control's main window (and to the log when there is none).
    """
    import asyncio

    controls = _controls(disable)
    tell = report or _status_bar_of(controls) or (lambda text: log.warning("unreported: %s", text))
    for control in controls:
        control.setEnabled(False)

    async def guarded() -> None:
        try:
            result = await coro
            if on_success is not None:
                on_success(result)
        except PlatformError as exc:
            log.info("operation failed: %r", exc)
            tell(exc.message(ui_language()))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            report_bug(exc)
        finally:
            for control in controls:
                if isValid(control):  # the window may have closed while we waited
                    control.setEnabled(True)

    task = asyncio.get_event_loop().create_task(guarded())
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


async def cancel_running() -> None:
    """Cancel every task run_task started and wait for them (the app is quitting)."""
    import asyncio

    tasks = list(_running)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def about() -> str:
    """The first lines of a report: what was running where."""
    import platform  # a crash report's, not the start's

    return (f"ShopDesk {__version__}, Python {platform.python_version()}, Qt {qVersion()}, "
            f"{platform.platform()}\n\n")


class CrashHandler:
    """``sys.excepthook`` for the app: logs the bug and shows it once, non-modally, with a
    copyable report (the same traceback twice shows one box, not a stack of them)."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, ...]] = set()
        self.boxes: list[QMessageBox] = []

    def __call__(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = redact(about() + "".join(traceback.format_exception(kind, exc, tb)))
        log.error("unexpected error:\n%s", text)
        key = (*(f"{f.filename}:{f.lineno}" for f in traceback.extract_tb(tb)), kind.__name__)
        if key in self.seen or QApplication.instance() is None:
            return
        self.seen.add(key)
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("CrashHandler", "ShopDesk 出错了"),
                          QCoreApplication.translate(
                              "CrashHandler",
                              "ShopDesk 遇到了一个程序错误。您的数据已保存在本地缓存中；请复制下面的报告发给开发者。"))
        box.setDetailedText(text)
        box.finished.connect(lambda _result: self.boxes.remove(box))
        self.boxes.append(box)
        box.open()  # never exec(): that would nest an event loop inside a coroutine

    def install(self) -> None:
        sys.excepthook = self
