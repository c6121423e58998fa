"""A file written from the cache on a thread of its own (an export, the to-ship sheet):
progress and the end are reported on the GUI thread, through queued signals."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.services.export import ExportError
from app.store.database import Cache

# write(read, progress) -> rows written; read() is the thread's own cache connection.
Write = Callable[[Callable[[], sqlite3.Connection], Callable[[int, int], None]], int]


class FileJob(QObject):
    progress = Signal(int, int)
    finished = Signal(int, str)  # rows written, and the path
    failed = Signal(str)  # what to do about it

    def __init__(self, cache: Cache, path: Path, write: Write, name: str) -> None:
        super().__init__()
        self._cache, self._path, self._write = cache, path, write
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            n = self._write(lambda: self._cache.read, self.progress.emit)
        except ExportError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(QCoreApplication.translate("ExportJob", "无法写入“{path}”：{reason}。请换一个文件夹或文件名。")
                             .format(path=self._path, reason=exc.strerror or exc))
        else:
            self.finished.emit(n, str(self._path))
        finally:
            self._cache.close_reader()
