"""The cache file: opening it safely, migrating it, and its one writer thread.

* One file per account, created with mode 0600 (it holds customers' names and phones).
* WAL, so readers on the UI thread never wait for the writer.
* ``PRAGMA user_version`` is the schema version; before a migration the file is copied
  aside (``cache.sqlite.v3.bak``) so a failed upgrade loses nothing.
* Exactly one thread writes: ``Writer`` owns the write connection and runs submitted
  functions in order, each in one transaction. Reads use their own connections.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import queue
import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from app.store.migrations import MIGRATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")


class CacheError(Exception):
    """The cache file cannot be used (newer than this app, or damaged)."""


# KiB of page cache per connection. The writer's pages are re-read by the next page's
# writes; a reader's window and count queries find the file in the OS cache anyway, and
# every thread that reads has one, so they stay small (the 1M memory benchmark: -32 MB
# each cost ~25 MB of the app's footprint for no measurable speed).
WRITER_CACHE_KIB = 32768
READER_CACHE_KIB = 8192


def _connect(path: Path, *, readonly: bool = False, cache_kib: int = WRITER_CACHE_KIB) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA cache_size=-{cache_kib}")
    conn.execute("PRAGMA temp_store=MEMORY")
    if not readonly:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def create_private_file(path: Path) -> None:
    """Create the file with 0600 before SQLite opens it (SQLite would use the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the schema to the newest version; returns the version found before."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    newest = MIGRATIONS[-1][0]
    if found > newest:
        raise CacheError(f"缓存文件来自更新版本的 ShopDesk（版本 {found}），请升级 ShopDesk。/ "
                         f"The cache was written by a newer ShopDesk (schema {found}); update ShopDesk.")
    if found == newest:
        return found
    if found > 0:
        backup = path.with_name(f"{path.name}.v{found}.bak")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, backup)
        if os.name == "posix":
            os.chmod(backup, 0o600)
        log.info("cache schema %s -> %s, backup at %s", found, newest, backup)
    for version, _what, step in MIGRATIONS:
        if version <= found:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if callable(step):
                # Imported here: sqlite-utils (and what it imports) costs ~80 ms of every
                # start, and only a migration written as a function needs it.
                from sqlite_utils import Database

                step(Database(conn))
            else:
                for statement in step:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return found


def schema_behind(path: Path) -> int | None:
    """The schema version of an existing cache file that opening it would migrate; None
    for a new or current one (a start can say so before a migration of minutes)."""
    if not path.exists():
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found: int = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return found if 0 < found < MIGRATIONS[-1][0] else None


def open_writer(path: Path) -> sqlite3.Connection:
    """A connection that writes: what the writer thread (and a sync's page process) use."""
    conn = _connect(path)
    # Checkpoint every ~40 MB of WAL rather than 4 MB: a page written by several
    # transactions in a row (a sync's pages) is copied into the file once, not each time.
    conn.execute("PRAGMA wal_autocheckpoint=10000")
    return conn


def in_transaction(conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection], T]) -> T:
    """fn(conn) in one write transaction: all of it lands, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


class Writer:
    """The single thread that writes to the cache."""

    def __init__(self, path: Path) -> None:
        self._conn = open_writer(path)
        self._jobs: queue.Queue[tuple[Callable[[sqlite3.Connection], Any], concurrent.futures.Future[Any]] | None] = (
            queue.Queue())
        self._thread = threading.Thread(target=self._run, name="cache-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                break
            fn, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = in_transaction(self._conn, fn)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)
        self._conn.close()

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._jobs.put((fn, future))
        return future

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run fn(conn) in one transaction on the writer thread and await its result."""
        import asyncio  # here: the window's start imports this module, and needs no asyncio

        return await asyncio.wrap_future(self.submit(fn))

    def run_sync(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return self.submit(fn).result()

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(30)


class Cache:
    """One account's cache: a writer and a reader connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_private_file(path)
        conn = _connect(path)
        try:
            self.migrated_from = migrate(conn, path)
        finally:
            conn.close()
        self.writer = Writer(path)
        self._local = threading.local()

    @property
    def read(self) -> sqlite3.Connection:
        """This thread's read connection (WAL: never blocked by the writer)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path, cache_kib=READER_CACHE_KIB)
            conn.execute("PRAGMA query_only=ON")
            self._local.conn = conn
        return conn

    def close_reader(self) -> None:
        """Close this thread's read connection (a worker thread, before it ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def close(self) -> None:
        self.writer.close()
        self.close_reader()
