"""Keeping the cache in step with the platform.

First sync of a resource: a snapshot of what existed at ``full_started_at`` (listed with
``created_to`` so the set cannot shift while it is paged), pages fetched with bounded
concurrency, each page written in one transaction together with the record that it is
done. Killed in the middle, it resumes with the pages not yet done.

After that, incremental sync walks forward from a cursor on ``updated_at``: every request
is anchored at the newest change already written, so a record changing during the walk
can move but never slip past unseen. Small resources (couriers, categories, banners…)
are fetched whole and replace what the cache holds, so deletions show too.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain.enums import LedgerKind
from app.domain.flat import FlatOrder
from app.domain.models import (
    Article,
    Banner,
    Category,
    CmsPage,
    Coupon,
    Courier,
    FreightRule,
    InfoPost,
    ListQuery,
    Notice,
    OrderBundle,
    OrderQuery,
    Page,
)
from app.platform.api import Capability, Platform
from app.platform.errors import NotFoundError, PlatformError, UnsupportedError
from app.store import bulk_load, resources, sync_state
from app.store import orders as store_orders
from app.store.database import Cache
from app.store.page_process import PageProcess

log = logging.getLogger(__name__)

PAGES_WAITING = 20  # fetched pages that may wait for the page process (~10 MB at 200 orders a page)
OVERLAP = timedelta(minutes=2)  # re-read a little behind the cursor: platform clocks tick in seconds
Fetch = Callable[[Platform, int, int, datetime | None, datetime | None], Awaitable[Page[Any]]]
Progress = Callable[[str, int, int], None]


def _fmt(value: datetime) -> str:
    return value.isoformat(" ", "seconds")


@dataclass(frozen=True)
class Paged:
    """A resource listed page by page, with a time to walk forward on."""

    name: str
    interval: float  # seconds between incremental syncs while online
    fetch: Fetch  # (platform, page, page_size, changed_since, created_until)
    stamp: Callable[[Any], datetime]  # the record's updated (or created, for logs) time
    capability: Capability | None = None
    bulk_indexed: bool = False  # its first sync builds its indexes once, at the end (store.bulk_load)
    # The first sync's pages as plain values (app.domain.flat) where the store takes them:
    # a first sync only carries each record from the page to its rows.
    fetch_flat: Fetch | None = None

    def write(self, conn: Any, items: Sequence[Any]) -> int:
        if items and isinstance(items[0], FlatOrder):
            return store_orders.apply(conn, store_orders.prepare_flat(items))
        if items and isinstance(items[0], OrderBundle):
            return store_orders.write_bundles(conn, items)
        return resources.write(conn, items)


@dataclass(frozen=True)
class Whole:
    """A small resource fetched whole each time."""

    name: str
    interval: float
    fetch: Callable[[Platform], Awaitable[Sequence[Any]]]
    type: type
    capability: Capability | None = None


def _orders(p: Platform, page: int, size: int, since: datetime | None, until: datetime | None) -> Awaitable[Page[Any]]:
    return p.orders.list(OrderQuery(page=page, page_size=size, updated_from=since, created_to=until))


def _orders_flat(p: Platform, page: int, size: int, since: datetime | None,
                 until: datetime | None) -> Awaitable[Page[Any]]:
    return p.orders.list_flat(OrderQuery(page=page, page_size=size, updated_from=since, created_to=until))


def _q(page: int, size: int, since: datetime | None, until: datetime | None) -> ListQuery:
    return ListQuery(page=page, page_size=size, updated_from=since, created_to=until)


def _ledger(kind: LedgerKind) -> Fetch:
    def fetch(p: Platform, page: int, size: int, since: datetime | None, until: datetime | None) -> Awaitable[Page[Any]]:
        # Logs are append-only: walk forward on their creation time.
        return p.wallet.ledger(kind, ListQuery(page=page, page_size=size, created_from=since, created_to=until))

    return fetch


async def _every_page(fetch: Callable[[int], Awaitable[Page[Any]]]) -> list[Any]:
    """All rows of a short list (CMS, coupons): fetched whole so deletions show too."""
    first = await fetch(1)
    rest = [await fetch(n) for n in range(2, first.total_pages + 1)]
    return [item for page in (first, *rest) for item in page.items]


PAGE_KEYS = ("aboutUs", "terms")  # the single pages both platforms have


async def _pages(p: Platform) -> list[CmsPage]:
    found = []
    for key in PAGE_KEYS:
        try:
            found.append(await p.cms.page(key))
        except NotFoundError:
            continue  # not written yet on this shop
    return found


RESOURCES: tuple[Paged | Whole, ...] = (
    Paged("orders", 30, _orders, lambda b: b.order.updated_at, bulk_indexed=True, fetch_flat=_orders_flat),
    Paged("refunds", 60, lambda p, n, s, a, b: p.refunds.list(_q(n, s, a, b)), lambda r: r.updated_at),
    Paged("users", 300, lambda p, n, s, a, b: p.users.list(_q(n, s, a, b)), lambda u: u.updated_at),
    Paged("withdrawals", 120, lambda p, n, s, a, b: p.wallet.withdrawals(_q(n, s, a, b)), lambda w: w.updated_at),
    Paged("ledger.balance", 120, _ledger(LedgerKind.BALANCE), lambda e: e.created_at),
    Paged("ledger.points", 300, _ledger(LedgerKind.POINTS), lambda e: e.created_at),
    Paged("ledger.frozen", 300, _ledger(LedgerKind.FROZEN), lambda e: e.created_at, Capability.FROZEN_LOG),
    Paged("ledger.token", 300, _ledger(LedgerKind.TOKEN), lambda e: e.created_at, Capability.TOKENS),
    Paged("vouchers", 120, lambda p, n, s, a, b: p.vouchers.list(_q(n, s, a, b)), lambda v: v.updated_at,
          Capability.VOUCHERS),
    Paged("user_coupons", 300, lambda p, n, s, a, b: p.vouchers.user_coupons(_q(n, s, a, b)),
          lambda c: c.updated_at, Capability.COUPONS),
    Whole("couriers", 3600, lambda p: p.couriers.list(), Courier),
    Whole("freight_rules", 3600, lambda p: p.couriers.freight_rules(), FreightRule, Capability.FREIGHT_RULES),
    Whole("categories", 900, lambda p: p.cms.categories(), Category, Capability.ARTICLES),
    Whole("banners", 900, lambda p: p.cms.banners(), Banner, Capability.BANNERS),
    Whole("articles", 900, lambda p: _every_page(lambda n: p.cms.articles(ListQuery(page=n, page_size=100))),
          Article, Capability.ARTICLES),
    Whole("notices", 900, lambda p: _every_page(lambda n: p.cms.notices(ListQuery(page=n, page_size=100))),
          Notice, Capability.NOTICES),
    Whole("info_posts", 900, lambda p: _every_page(lambda n: p.cms.info_posts(ListQuery(page=n, page_size=100))),
          InfoPost, Capability.INFO_BOARD),
    Whole("coupons", 900, lambda p: _every_page(lambda n: p.vouchers.coupons(ListQuery(page=n, page_size=100))),
          Coupon, Capability.COUPONS),
    Whole("cms_pages", 900, _pages, CmsPage),
)
BY_NAME = {r.name: r for r in RESOURCES}


@dataclass
class SyncResult:
    resource: str
    written: int
    pages: int
    full: bool
    skipped: int = 0


class SyncService:
    def __init__(self, platform: Platform, cache: Cache, *, page_size: int = 200, concurrency: int = 4,
                 on_progress: Progress | None = None, clock: Callable[[], datetime] | None = None,
                 process_from: int = 20_000, index_every: int = bulk_load.FLUSH_EVERY) -> None:
        self.platform = platform
        self.cache = cache
        self.page_size = page_size
        self.concurrency = concurrency
        self.on_progress = on_progress
        self.process_from = process_from  # orders in a first sync from which pages are written by a process
        self.index_every = index_every  # orders the page process writes between two search index flushes
        # The platform's clock, not the desk's: cursors and snapshots are compared with its dates.
        self.clock = clock or platform.server_now
        self._locks: dict[str, asyncio.Lock] = {}

    def resources(self) -> list[Paged | Whole]:
        return [r for r in RESOURCES if r.capability is None or self.platform.supports(r.capability)]

    def _progress(self, name: str, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(name, done, total)

    def _skipped(self) -> int:
        """Rows the adapters dropped as unreadable so far.

        Both adapters total their count on the platform (API工厂 keeps one counter in its
        client, not on each area); an area's own ``skipped`` is the fallback for others.
        """
        total = getattr(self.platform, "skipped", None)
        if isinstance(total, int):
            return total
        return sum(int(getattr(getattr(self.platform, area, None), "skipped", 0) or 0)
                   for area in ("orders", "refunds", "users", "wallet", "vouchers", "cms", "couriers"))

    async def sync(self, name: str) -> SyncResult:
        resource = BY_NAME[name]
        lock = self._locks.setdefault(name, asyncio.Lock())
        async with lock:
            before = self._skipped()
            if isinstance(resource, Whole):
                result = await self._whole(resource)
            else:
                state = sync_state.load(self.cache.read, name)
                result = await (self._incremental(resource, state) if state.full_done else self._full(resource, state))
            result.skipped = self._skipped() - before
            if result.skipped:
                log.warning("%s: skipped %d unreadable records", name, result.skipped)
                await self.cache.writer.run(lambda c: c.execute(
                    "UPDATE sync_state SET skipped = skipped + ? WHERE resource = ?", (result.skipped, name)))
            return result

    async def sync_all(self) -> list[SyncResult]:
        results = []
        for resource in self.resources():
            try:
                results.append(await self.sync(resource.name))
            except UnsupportedError:
                continue
        return results

    async def _whole(self, resource: Whole) -> SyncResult:
        self._progress(resource.name, 0, 1)
        items = list(await resource.fetch(self.platform))
        stamp = _fmt(self.clock())

        def write(conn: Any) -> int:
            n = resources.replace_all(conn, resource.type, items)
            state = sync_state.SyncState(resource.name, full_done=True, synced_at=stamp)
            sync_state.save(conn, state)
            return n

        written = await self.cache.writer.run(write)
        self._progress(resource.name, 1, 1)
        return SyncResult(resource.name, written, 1, True)

    async def _full(self, resource: Paged, state: sync_state.SyncState) -> SyncResult:
        if not state.full_started_at:
            state.full_started_at = _fmt(self.clock())

            def start(conn: Any) -> None:
                sync_state.save(conn, state)
                if resource.bulk_indexed:
                    bulk_load.start(conn)

            await self.cache.writer.run(start)
        snapshot = datetime.fromisoformat(state.full_started_at)
        fetch = resource.fetch_flat or resource.fetch
        first = None
        if not state.total_pages or 1 not in state.pages_done:
            first = await fetch(self.platform, 1, self.page_size, None, snapshot)
            state.total_pages = max(first.total_pages, 1)
            await self.cache.writer.run(lambda c: sync_state.save(c, state))
        todo = [p for p in range(1, state.total_pages + 1) if p not in state.pages_done]
        written = 0
        handed = 0  # pages handed to the page process
        done = len(state.pages_done)
        self._progress(resource.name, done, state.total_pages)
        # A big first sync of orders writes its pages from a process of its own (see
        # store.page_process); a small one is not worth starting a process for.
        process = (PageProcess(self.cache.path, self.index_every)
                   if resource.bulk_indexed and len(todo) * self.page_size >= self.process_from else None)
        slots = asyncio.Semaphore(self.concurrency)
        # Pages fetched but not yet written: when the writer is the slower side, fetching
        # further ahead only fills memory. The page process, though, stops for ~0.2 s at each
        # search index flush: with room for only a few pages the fetching stopped too, and
        # one of the two cores stood idle (~1.4 of 18 core-seconds at 100k orders).
        ahead = asyncio.Semaphore(self.concurrency + (PAGES_WAITING if process is not None else self.concurrency))

        async def one(page_no: int) -> None:
            async with ahead:
                await fetch_and_write(page_no)

        async def fetch_and_write(page_no: int) -> None:
            nonlocal written, done, handed
            async with slots:
                page = first if (page_no == 1 and first is not None) else await fetch(
                    self.platform, page_no, self.page_size, None, snapshot)
            items = list(page.items)
            del page  # pages may wait for the writer by the dozen: each keeps only what it needs
            if process is not None:
                prepare = store_orders.prepare_flat if resource.fetch_flat else store_orders.prepare
                packed = PageProcess.pack(prepare(items))
                del items
                handed += 1
                n = await process.write(resource.name, page_no, packed, (len(todo) - handed) * self.page_size)
            else:
                def write(conn: Any) -> int:
                    n = resource.write(conn, items)
                    sync_state.add_page_done(conn, resource.name, page_no)
                    return n

                n = await self.cache.writer.run(write)  # not `written += await …`: it would read written first
            state.pages_done.add(page_no)
            written += n
            done += 1
            self._progress(resource.name, done, state.total_pages)

        if process is not None:
            # A big first sync makes millions of short-lived objects, and each full garbage
            # collection would walk everything the app already holds as well (its modules,
            # Qt's wrappers): frozen, those are left out. ~15% of the app's CPU at 100k orders.
            gc.freeze()
            # (Collections stay as frequent as ever: rarer ones saved ~1 µs an order, but the
            # HTTP client leaves a few objects of every request in reference cycles, and left
            # there for 50,000 young objects they pinned the memory of the pages around them:
            # ~170 MB more at the peak of 100k orders.)
        tasks = [asyncio.ensure_future(one(p)) for p in todo]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            # gather leaves the other pages running: stop them, so nothing of this attempt
            # writes after it has failed. A page already handed to the writer still lands whole
            # with its record; the writer runs jobs in order, so one more job waits for it.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.cache.writer.run(lambda conn: None)
            raise
        finally:
            if process is not None:
                process.close()
                gc.unfreeze()
        state.full_done = True
        state.cursor = _fmt(snapshot - OVERLAP)
        state.pages_done = set()
        state.synced_at = _fmt(self.clock())

        def finish(conn: Any) -> None:
            if resource.bulk_indexed and bulk_load.active(conn):
                bulk_load.finish(conn)
            sync_state.save(conn, state)

        await self.cache.writer.run(finish)
        # What changed while the snapshot was being listed comes in through the cursor.
        more = await self._incremental(resource, state)
        return SyncResult(resource.name, written + more.written, len(todo) + more.pages, True)

    async def _incremental(self, resource: Paged, state: sync_state.SyncState) -> SyncResult:
        anchor = datetime.fromisoformat(state.cursor) if state.cursor else None
        page_no, pages, written = 1, 0, 0
        while True:
            skipped_before = self._skipped()
            page = await resource.fetch(self.platform, page_no, self.page_size, anchor, None)
            # Rows the adapter dropped as unreadable still filled the page on the platform.
            listed = len(page.items) + self._skipped() - skipped_before
            pages += 1
            items = list(page.items)
            newest = max((resource.stamp(i) for i in items), default=anchor)
            cursor = max(filter(None, (newest, anchor)), default=None)
            if cursor is not None:
                # A record stamped in the future (a platform bug, a skewed clock) must not carry
                # the cursor past the platform's "now": changes made until then would be missed.
                cursor = min(cursor, self.clock())

            def write(conn: Any, items: list[Any] = items, cursor: datetime | None = cursor) -> int:
                n = resource.write(conn, items)
                if cursor is not None:
                    state.cursor = _fmt(cursor)
                state.synced_at = _fmt(self.clock())
                sync_state.save(conn, state)
                return n

            written += await self.cache.writer.run(write)
            self._progress(resource.name, pages, max(pages, page.total_pages))
            if listed < self.page_size or page.total_pages <= page_no:
                break
            if newest is not None and (anchor is None or newest > anchor):
                anchor, page_no = newest, 1  # re-anchor: later rows cannot have slid past
            else:
                page_no += 1  # a full page all in one second: step within it
        return SyncResult(resource.name, written, pages, False)

    async def refresh_order(self, order_id: int) -> None:
        """Fetch one order now (detail, logs, refunds) and write it."""
        detail = await self.platform.orders.get(order_id)
        await self.cache.writer.run(lambda c: store_orders.write_detail(c, detail))

    async def run_forever(self, online: Callable[[], bool] = lambda: True, *, tick: float = 1.0,
                          on_result: Callable[[str, Exception | None], None] | None = None) -> None:
        """The schedule: each resource at its own interval while online, looked at every ``tick`` s.

        ``on_result(name, error)`` hears each attempt: error None when it synced, the
        PlatformError when it was postponed (how the window knows it is offline).
        """
        due: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for resource in self.resources():
                if online() and due.get(resource.name, 0) <= now:
                    try:
                        await self.sync(resource.name)
                    except UnsupportedError:
                        due[resource.name] = float("inf")
                        continue
                    except PlatformError as exc:
                        log.info("sync %s postponed: %s", resource.name, exc)
                        due[resource.name] = now + min(resource.interval, 30)
                        if on_result is not None:
                            on_result(resource.name, exc)
                        continue
                    due[resource.name] = now + resource.interval
                    if on_result is not None:
                        on_result(resource.name, None)
            await asyncio.sleep(tick)
