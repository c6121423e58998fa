"""Writing a first sync's pages in a process of its own.

A first sync of a big shop is CPU-bound, and one Python process runs Python on one core
at a time: mapping pages and writing them took turns. Here the sync maps each page and
makes its rows (``orders.prepare``: plain values, cheap to send), and this process
applies them to the cache with a connection of its own — the same ``orders.apply`` the
writer thread runs — each page in one transaction with its "page done" record, and every
~10,000 orders puts the waiting documents into the search index (``bulk_load.flush``), so
the sync's end has little left to index. SQLite serialises it with the app's own writer,
so a write from staff waits at most one page and a flush.
"""

from __future__ import annotations

import asyncio
import gc
import marshal
import multiprocessing
import multiprocessing.connection
import os
import sqlite3
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from app.store import bulk_load, orders, sync_state
from app.store.database import in_transaction, open_writer

_conn: sqlite3.Connection | None = None
_unindexed = 0  # orders written since the search index last took the queue
_index_every = bulk_load.FLUSH_EVERY
_caught_up = False  # indexed what waited when the sync's last pages came near


def _end_with_parent() -> None:
    """Exit when the app does, however it ends. Killed (SIGKILL, a crash) the app never
    shuts the pool down, and this process would wait for its next page for ever, holding
    the cache open: its own copy of the queue's pipe keeps the pipe from closing. A page
    being written is rolled back, as for a killed app; the next sync writes it again."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _open(path: str, index_every: int) -> None:
    global _conn, _index_every
    _end_with_parent()
    _conn = open_writer(Path(path))
    _index_every = index_every
    gc.freeze()  # what start-up made lives as long as the process: no collection need walk it
    # What a page makes dies with the page, and none of it is in a cycle: collect rarely.
    gc.set_threshold(50_000, *gc.get_threshold()[1:])


def _write(resource: str, page_no: int, packed: bytes, orders_left: int) -> int:
    assert _conn is not None
    page = orders.Prepared(*marshal.loads(packed))

    def write(conn: sqlite3.Connection) -> int:
        global _unindexed, _caught_up
        written = orders.apply(conn, page)
        sync_state.add_page_done(conn, resource, page_no)
        _unindexed += written
        # What still waits at the end is indexed in the sync's last step, when nothing else
        # runs: so what waits is indexed once more when the last few pages come near (while
        # they are still being fetched), and that last step only has those few to do.
        near_end = orders_left <= _index_every // 4
        if _unindexed >= _index_every or (near_end and not _caught_up):
            bulk_load.flush(conn)
            _unindexed = 0
            _caught_up = near_end
        return written

    return in_transaction(_conn, write)


class PageProcess:
    """One writer process for one first sync; ``close()`` when it is over."""

    def __init__(self, path: Path, index_every: int = bulk_load.FLUSH_EVERY) -> None:
        # spawn, not fork: the app has threads (Qt, the writer), and forking those is unsafe.
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_open, initargs=(str(path), index_every))

    @staticmethod
    def pack(page: orders.Prepared) -> bytes:
        """The page as ``write`` sends it: marshal, not pickle, for its lists of tuples of ints
        and strings (both processes are the same Python), ~25% faster both ways; and a
        fifth of the memory while it waits."""
        return marshal.dumps(tuple(page))

    async def write(self, resource: str, page_no: int, packed: bytes, orders_left: int) -> int:
        """Write one page (from ``pack``); ``orders_left``: about how many orders the sync
        hands over after it."""
        return await asyncio.wrap_future(self._pool.submit(_write, resource, page_no, packed, orders_left))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
