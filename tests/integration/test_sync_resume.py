"""The first sync survives a real SIGKILL: started again, it goes on where it stopped and
ends with exactly the platform's orders."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.domain.models import OrderQuery
from app.platform.connect import connect
from app.platform.errors import ServerError
from app.sandbox.server import SandboxServer
from app.services.sync import SyncService
from app.store import bulk_load, queries, sync_state
from app.store.database import Cache
from tests.conftest import apifm_account
from tests.integration import sync_child

ROOT = Path(__file__).resolve().parents[2]
ORDERS = 1500
PAGES = ORDERS // sync_child.PAGE_SIZE


def child(server: SandboxServer, cache_path: Path, kind: str, writer: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.integration.sync_child", server.base_url, str(cache_path),
                             kind, writer], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def progress(cache_path: Path) -> sync_state.SyncState | None:
    """The child's progress as a reader sees it, from the file (read-only, never blocking it)."""
    try:
        conn = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    conn.row_factory = sqlite3.Row
    try:
        return sync_state.load(conn, "orders")
    except sqlite3.Error:
        return None  # not created yet
    finally:
        conn.close()


def holders(path: Path) -> list[int]:
    """Other processes with the file open (Linux: /proc/*/fd)."""
    found = []
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        pid = int(fd_dir.parent.name)
        if pid == os.getpid():
            continue
        try:
            if any(os.readlink(fd) == str(path) for fd in fd_dir.iterdir()):
                found.append(pid)
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


@pytest.mark.parametrize(("kind", "writer"), [("apifm", "thread"), ("ruanmao", "thread"), ("apifm", "process")])
def test_killed_first_sync_resumes_and_ends_exact(make_sandbox: Callable[..., SandboxServer], tmp_path: Path,
                                                  kind: str, writer: str) -> None:
    server = make_sandbox(orders=ORDERS, chaos="latency=30ms")
    cache_path = tmp_path / "cache.sqlite"

    first = child(server, cache_path, kind, writer)
    deadline = time.monotonic() + 60
    state = None
    while time.monotonic() < deadline and first.poll() is None:
        state = progress(cache_path)
        if state is not None and len(state.pages_done) >= PAGES // 6:
            break
        time.sleep(0.01)
    assert first.poll() is None, f"the sync ended before it could be killed: {first.communicate()}"
    assert state is not None and len(state.pages_done) < PAGES // 2, "too late to kill it in the middle"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    assert first.returncode == -signal.SIGKILL
    if sys.platform == "linux":  # the page process ends with it, not minutes or never later
        deadline = time.monotonic() + 10
        while holders(cache_path) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert holders(cache_path) == [], "a process still holds the killed sync's cache open"
    # A page process outlives its parent by the page it was writing (or any it was sent):
    # wait until the file stops changing before reading what the killed run left.
    settled = progress(cache_path)
    for _ in range(40):
        time.sleep(0.25)
        now = progress(cache_path)
        if now is not None and settled is not None and now.pages_done == settled.pages_done:
            break
        settled = now

    # What the killed run left is a sound cache: every page it recorded as done is there, whole.
    cache = Cache(cache_path)
    assert cache.read.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    killed = sync_state.load(cache.read, "orders")
    cached = cache.read.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    assert not killed.full_done and killed.total_pages == PAGES
    assert 0 < len(killed.pages_done) < PAGES
    assert cached == len(killed.pages_done) * sync_child.PAGE_SIZE  # each page with its record, or neither
    # The search index waits for the end of the first sync; searching reads the documents meanwhile.
    assert bulk_load.active(cache.read)
    assert cache.read.execute("SELECT COUNT(*) FROM deferred_indexes").fetchone()[0] == len(bulk_load.DEFERRED_INDEXES)
    number = cache.read.execute("SELECT number FROM orders ORDER BY id LIMIT 1").fetchone()[0]
    assert [r["number"] for r in queries.search(cache.read, number)] == [number]
    cache.close()

    second = child(server, cache_path, kind, writer)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["full_done"]
    assert report["done_before"] == sorted(killed.pages_done)
    # It went on from where it stopped: only the pages not done before were fetched.
    assert set(report["fetched"]) == set(range(1, PAGES + 1)) - killed.pages_done
    assert len(report["fetched"]) == len(set(report["fetched"])) < PAGES

    cache = Cache(cache_path)
    have = {r[0]: (r[1], r[2]) for r in cache.read.execute("SELECT id, status, updated_at FROM orders")}
    want = {r[0]: (r[1], r[2]) for r in server.state.conn.execute("SELECT id, status, date_update FROM orders")}
    assert have == want
    assert cache.read.execute("SELECT COUNT(*) FROM order_search_fts_docsize").fetchone()[0] == ORDERS
    assert not bulk_load.active(cache.read)
    assert cache.read.execute("SELECT COUNT(*) FROM deferred_indexes").fetchone()[0] == 0
    assert cache.read.execute("SELECT COUNT(*) FROM order_search_queue").fetchone()[0] == 0
    # The tab counters, kept per page during the load, count what the kill left and the rest.
    assert {(r[0], r[1]): r[2] for r in cache.read.execute("SELECT status, refund_state, n FROM order_counts") if r[2]} == {
        (r[0], r[1]): r[2] for r in cache.read.execute(
            "SELECT status, refund_state, COUNT(*) FROM orders GROUP BY status, refund_state")}
    names = {r[0] for r in cache.read.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(bulk_load.DEFERRED_INDEXES) <= names
    for fts in ("order_search_fts", "order_grams_fts"):  # the index says exactly what its documents say
        cache.writer.run_sync(lambda c, fts=fts: c.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"))
    assert cache.read.execute("SELECT COUNT(DISTINCT order_id) FROM order_items").fetchone()[0] == ORDERS
    cache.close()


@pytest.mark.asyncio
async def test_a_failed_page_stops_the_first_sync_cleanly_and_the_next_goes_on(
        make_sandbox: Callable[..., SandboxServer], tmp_path: Path) -> None:
    server = make_sandbox(orders=400, chaos="latency=20ms")
    cache = Cache(tmp_path / "cache.sqlite")
    async with connect(apifm_account(server)) as platform:
        listing = platform.orders.list_flat  # what a first sync reads its pages with
        fail_page: int | None = 5

        async def flaky(query: OrderQuery) -> Any:
            if query.page == fail_page and query.created_to is not None:
                raise ServerError("HTTP 503")
            return await listing(query)

        platform.orders.list_flat = flaky  # type: ignore[method-assign]
        service = SyncService(platform, cache, page_size=20, concurrency=3)
        with pytest.raises(ServerError):
            await service.sync("orders")
        # Nothing of the failed attempt is still running or still writing.
        assert asyncio.all_tasks() == {asyncio.current_task()}
        stopped = sync_state.load(cache.read, "orders")
        await asyncio.sleep(0.2)
        assert sync_state.load(cache.read, "orders") == stopped
        assert 5 not in stopped.pages_done and not stopped.full_done
        assert cache.read.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 20 * len(stopped.pages_done)

        fail_page = None
        result = await service.sync("orders")
    assert result.full and sync_state.load(cache.read, "orders").full_done
    have = {r[0]: (r[1], r[2]) for r in cache.read.execute("SELECT id, status, updated_at FROM orders")}
    want = {r[0]: (r[1], r[2]) for r in server.state.conn.execute("SELECT id, status, date_update FROM orders")}
    assert have == want
    cache.close()
