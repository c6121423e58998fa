"""Writing a first sync's pages in a process of its own.

A first sync of a big shop is CPU-bound, and one Python process runs Python on one core
at a time: mapping pages and writing them took turns. Here the sync maps each page and
makes its rows (``orders.prepare``: plain values, cheap to send), and this process
applies them to the cache with a connection of its own — the same ``orders.apply`` the
writer thread runs — each page in one transaction with its "page done" record. SQLite
serialises it with the app's own writer, so a write from staff waits at most one page.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from app.store import orders, sync_state
from app.store.database import in_transaction, open_writer

_conn: sqlite3.Connection | None = None


def _open(path: str) -> None:
    global _conn
    _conn = open_writer(Path(path))


def _write(resource: str, page_no: int, page: orders.Prepared) -> int:
    assert _conn is not None

    def write(conn: sqlite3.Connection) -> int:
        written = orders.apply(conn, page)
        sync_state.add_page_done(conn, resource, page_no)
        return written

    return in_transaction(_conn, write)


class PageProcess:
    """One writer process for one first sync; ``close()`` when it is over."""

    def __init__(self, path: Path) -> None:
        # spawn, not fork: the app has threads (Qt, the writer), and forking those is unsafe.
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_open, initargs=(str(path),))

    async def write(self, resource: str, page_no: int, page: orders.Prepared) -> int:
        return await asyncio.wrap_future(self._pool.submit(_write, resource, page_no, page))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
