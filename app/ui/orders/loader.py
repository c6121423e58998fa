"""Reading a filter's rows off the GUI thread, newest request first.

A filter change (a keystroke in the search box, a tab) asks for three things in turn:
the count and first rows (painted at once), the whole id list in the sort order (an
``OrderView``: up to a second on a million orders), and the tab counts. One worker
thread with its own read connection does them; a request superseded by a newer one
stops at its next step, and its answers are dropped.
"""

from __future__ import annotations

import threading
from array import array
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal

from app.store import queries
from app.store.database import Cache
from app.store.queries import OrderFilter

FIRST = 200  # rows painted before the whole list is read: more than a screen


class ViewLoader(QObject):
    # (request, ids, count), (request, ids), (request, {tab: count}); emitted from the
    # worker thread, delivered on the GUI thread (queued connections).
    first = Signal(int, list, int)
    full = Signal(int, object)
    counts = Signal(int, dict)
    failed = Signal(int, str)

    def __init__(self, cache: Cache) -> None:
        super().__init__()
        self._cache = cache
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="orders-view")
        self._latest = 0
        self._lock = threading.Lock()

    def request(self, flt: OrderFilter, sort: str) -> int:
        with self._lock:
            self._latest += 1
            request = self._latest
        self._pool.submit(self._load, request, flt, sort)
        return request

    def _current(self, request: int) -> bool:
        return request == self._latest

    def _load(self, request: int, flt: OrderFilter, sort: str) -> None:
        try:
            if not self._current(request):
                return
            conn = self._cache.read  # this thread's own connection
            count = queries.count(conn, flt)
            first = queries.window_ids(conn, flt, sort, 0, FIRST)
            self.first.emit(request, first, count)
            if not self._current(request):
                return
            if count > FIRST:
                view = queries.OrderView(conn, flt, sort)
                if not self._current(request):
                    return
                self.full.emit(request, view.ids)
            else:
                self.full.emit(request, array("q", first))
            if not self._current(request):
                return
            self.counts.emit(request, queries.tab_counts(conn, flt))
        except Exception as exc:  # a broken cache file: said in the panel, not lost in a thread
            self.failed.emit(request, str(exc))

    def close(self) -> None:
        with self._lock:
            self._latest += 1  # whatever is queued stops at its first step
        self._pool.submit(self._cache.close_reader)
        self._pool.shutdown(wait=True, cancel_futures=False)
