"""Reading a filter's rows off the GUI thread, newest request first.

A filter change (a keystroke in the search box, a tab) asks for three things in turn:
the count and first rows (painted at once), the whole id list in the sort order (an
``OrderView``: up to a second on a million orders), and the tab counts. One worker
thread with its own read connection does them; a request superseded by a newer one
is interrupted in the middle of its query (a one-letter search counts a million rows),
and its answers are dropped.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal

from app.store import queries
from app.store.database import Cache
from app.store.queries import OrderFilter

FIRST = 200  # rows painted before the whole list is read: more than a screen
HOLD_AT_MOST = 3.0  # s: a hold (see hold_after_first) that nobody releases ends by itself


class ViewLoader(QObject):
    # (request, ids, count), (request, ids), (request, {tab: count}); emitted from the
    # worker thread, delivered on the GUI thread (queued connections). A count of -1: not
    # known until the whole list arrives.
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
        self._changed = threading.Condition(self._lock)  # a newer request, or the hold released
        self._conn: sqlite3.Connection | None = None  # the worker's, to interrupt from here
        self._closed = False
        self._held = False  # stop after the first rows (hold_after_first)

    def request(self, flt: OrderFilter, sort: str) -> int:
        with self._lock:
            self._latest += 1
            self._changed.notify_all()  # a request held after its first rows has lost: it ends
            request = self._latest
            conn = self._conn
            if self._closed:  # a late timer or signal after the panel shut down: nothing to read
                return request
        if conn is not None:
            # Typing "杜" then "杜鹃": the count for "杜" must not hold up the one for "杜鹃".
            conn.interrupt()
        self._pool.submit(self._load, request, flt, sort)
        return request

    def hold_after_first(self) -> None:
        """Read the first rows, then wait for ``release()`` before the whole list and the
        counts. At start: reading a million ids holds the GIL in turns with the GUI thread,
        which is painting those first rows, and on two cores both would take longer."""
        with self._lock:
            self._held = True

    def release(self) -> None:
        with self._lock:
            self._held = False
            self._changed.notify_all()

    def _current(self, request: int) -> bool:
        return request == self._latest

    def _load(self, request: int, flt: OrderFilter, sort: str) -> None:
        for _attempt in range(3):
            try:
                self._steps(request, flt, sort)
                return
            except sqlite3.OperationalError as exc:
                if not self._current(request):
                    return  # interrupted on purpose: a newer request is queued
                if "interrupt" not in str(exc):
                    self.failed.emit(request, str(exc))
                    return
                # An interrupt meant for the request before can outlive it by a statement: again.
            except Exception as exc:  # a broken cache file: said in the panel, not lost in a thread
                self.failed.emit(request, str(exc))
                return
        self.failed.emit(request, "interrupted")

    def _steps(self, request: int, flt: OrderFilter, sort: str) -> None:
        if not self._current(request):
            return
        conn = self._cache.read  # this thread's own connection
        with self._lock:
            self._conn = conn
        first = queries.first_window_ids(conn, flt, sort, FIRST)
        # A count by itself can cost as much as the whole id list (a one-letter search reads
        # every order): the rows are painted first and the list that follows says how many.
        # A plain tab is counted by the cache's counters, at once.
        count = len(first) if len(first) < FIRST else queries.count(conn, flt) if flt.is_tab_only else -1
        self.first.emit(request, first, count)
        with self._lock:
            self._changed.wait_for(lambda: not self._held or request != self._latest, HOLD_AT_MOST)
        if not self._current(request):
            return
        if count < 0 or count > FIRST:
            view = queries.OrderView(conn, flt, sort)
            if not self._current(request):
                return
            self.full.emit(request, view.ids)
        else:
            self.full.emit(request, array("q", first))
        if not self._current(request):
            return
        self.counts.emit(request, queries.tab_counts(conn, flt))

    def close(self) -> None:
        with self._lock:
            if self._closed:  # a second close (a window closed twice) has nothing left to stop
                return
            self._closed = True
            self._latest += 1  # whatever is queued stops at its first step
            self._changed.notify_all()
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.interrupt()
        self._pool.submit(self._cache.close_reader)
        self._pool.shutdown(wait=True, cancel_futures=False)
