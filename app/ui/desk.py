"""The running desk of one account: its platform client, sync schedule and outbox, and the
session that ties them to the account's cache and window.

Imported by ``app.ui.application`` only once the window has painted the cache's rows:
the HTTP client, the asyncio/Qt bridge and the keyring are a good part of a start.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.paths import data_dir
from app.platform.account import Account, PlatformKind
from app.platform.api import Platform
from app.platform.connect import connect
from app.platform.errors import OfflineError, PlatformError, UnsupportedError
from app.services.accounts import PRACTICE_ID, AccountError, AccountRegistry, account_for
from app.services.outbox import OutboxService
from app.services.practice import PracticeShop, PracticeShopError
from app.services.secrets import SecretStore, SecretStoreError
from app.services.sync import SyncService
from app.store.database import Cache
from app.ui.application import PROBE_EVERY, SessionError, open_window
from app.ui.i18n import ui_language
from app.ui.shell.main_window import MainWindow
from app.ui.tasks import cancel_running, report_bug

log = logging.getLogger(__name__)
OnResult = Callable[[str, Exception | None], None]


class Reachability:
    """Whether the schedule may call the platform now.

    Always while it answers. Once it has not (no network, connection refused), one try
    every PROBE_EVERY seconds: otherwise each of the ~20 resources would wait out its own
    timeouts in turn, and orders would be tried again only after all of them.
    """

    def __init__(self, probe_every: float = PROBE_EVERY, clock: Callable[[], float] = time.monotonic) -> None:
        self.probe_every = probe_every
        self.clock = clock
        self.down_at: float | None = None

    def allows(self) -> bool:
        return self.down_at is None or self.clock() - self.down_at >= self.probe_every

    def record(self, error: Exception | None) -> None:
        if error is None:
            self.down_at = None
        elif isinstance(error, OfflineError):
            self.down_at = self.clock()


async def sync_everything(service: SyncService, on_result: OnResult) -> None:
    """F5: every resource now, each reported like a scheduled attempt. An unreachable
    platform stops the round (the rest would fail the same way); other errors are raised
    once the others have had their turn."""
    failed: PlatformError | None = None
    for resource in service.resources():
        try:
            await service.sync(resource.name)
        except UnsupportedError:
            continue
        except PlatformError as exc:
            on_result(resource.name, exc)
            if isinstance(exc, OfflineError):
                raise
            failed = failed or exc
            continue
        on_result(resource.name, None)
    if failed is not None:
        raise failed


def operator_name() -> str:
    """Who is at this desk, for the outbox and the audit log: the OS login."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers and services)
        return "本机用户"


class Desk:
    """The running app's parts, started once the window shows and stopped in order.

    The outbox's writes follow the platform's reachability: when a sync finds it down,
    new writes queue without trying; while anything waits, a replay tries once every
    probe interval (so a write goes out as soon as the platform is back, not at the next
    scheduled sync), and a sync that gets through replays at once.
    """

    def __init__(self, platform: Platform, cache: Cache, window: MainWindow, *, account: str = "practice",
                 operator: str | None = None) -> None:
        self.platform = platform
        self.window = window
        self.reach = Reachability()
        self.orders_synced = False
        self.service = SyncService(platform, cache, on_progress=window.on_sync_progress)
        self.outbox = OutboxService(platform, cache, operator=operator or operator_name(), account=account,
                                    refresh_order=self.service.refresh_order)
        self.task: asyncio.Task[None] | None = None
        self.watch: asyncio.Task[None] | None = None
        window.set_sync_now(lambda: sync_everything(self.service, self.on_result))
        window.set_outbox(self.outbox)
        window.set_capabilities(platform.supports)
        window.set_refresh_order(self.service.refresh_order)
        window.outbox_client.changed.connect(self._outbox_changed)

    def on_result(self, resource: str, error: Exception | None) -> None:
        was_down = self.reach.down_at is not None or not self.outbox.online
        self.reach.record(error)
        self.window.on_sync_result(resource, error)
        if resource == "orders" and error is None:
            self.orders_synced = True
        if isinstance(error, OfflineError):
            self.outbox.online = False  # queue new writes at once instead of waiting out timeouts
        elif error is None and was_down:
            self.window.outbox_client.replay()

    def _outbox_changed(self) -> None:
        # A write found the platform unreachable before any sync did: say so the same way.
        if not self.outbox.online and self.window.online is not False:
            self.reach.record(OfflineError())
            self.window.set_online(False, OfflineError().message("zh"))

    def start(self) -> None:
        self.task = asyncio.ensure_future(self.service.run_forever(self.reach.allows, on_result=self.on_result))
        self.task.add_done_callback(self._ended)
        self.watch = asyncio.ensure_future(self._keep_sending())
        self.watch.add_done_callback(self._ended)

    async def _keep_sending(self) -> None:
        """Settle what was in flight when the app last stopped, then, while writes wait,
        try them once per probe interval."""
        try:
            await self.outbox.reconcile()
        except PlatformError as exc:  # unreachable at start: the entries stay and are tried below
            log.info("outbox not reconciled yet: %s", exc)
        self.window.outbox_client.changed.emit()
        while True:
            if self.outbox.waiting() and self.reach.allows():
                task = self.window.outbox_client.replay()
                if task is not None:
                    await asyncio.gather(task, return_exceptions=True)
                    if self.outbox.online:
                        self.reach.record(None)
                        self.window.set_online(True)
                    else:
                        self.reach.record(OfflineError())
            await asyncio.sleep(self.reach.probe_every)

    @staticmethod
    def _ended(task: asyncio.Task[None]) -> None:
        # The schedule only ends by being cancelled; anything else is a bug to see.
        if not task.cancelled() and task.exception() is not None:
            report_bug(task.exception())  # type: ignore[arg-type]

    async def stop(self) -> None:
        for task in (self.task, self.watch):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        await cancel_running()  # an F5 sync, say: nothing may use the client once it is closed
        await self.platform.aclose()


@dataclass
class Session:
    """One account at work: its cache and window (shown first, from the cache), then its
    platform (the practice shop's child process for practice) and desk. Switching
    accounts closes one and opens another."""

    account_id: str
    account: Account | None  # None: known at connect (the practice shop's, or read from the secrets)
    cache: Cache
    window: MainWindow
    shop: PracticeShop | None = None
    load_account: Callable[[], Account] | None = None  # a real account whose secret is read at connect
    desk: Desk | None = None
    starting: asyncio.Task[None] | None = None  # held: the loop keeps only a weak reference

    def start(self, done: Callable[[asyncio.Task[None]], None]) -> None:
        self.starting = asyncio.ensure_future(self.connect())
        self.starting.add_done_callback(done)

    async def connect(self) -> None:
        """Start the platform and the desk. Raises SessionError when the practice shop does
        not start or the account's secret cannot be read; the window goes on showing the
        cache, with a banner that says why nothing syncs."""
        account = self.account
        try:
            if self.shop is not None:
                # A thread: it waits for the child to say it is ready (seconds on a first run).
                account = await asyncio.to_thread(self.shop.start)
            elif account is None and self.load_account is not None:
                account = self.load_account()
        except PracticeShopError as exc:
            self.window.set_online(False, str(exc))
            raise SessionError(str(exc)) from exc
        except (AccountError, SecretStoreError) as exc:
            message = exc.message(ui_language())
            self.window.set_online(False, message)
            raise SessionError(message) from exc
        assert account is not None
        self.account = account
        self.desk = Desk(connect(account), self.cache, self.window, account=self.account_id)
        self.desk.start()

    async def close(self) -> None:
        try:
            self.window.close()  # saves the window's state, stops the panel's reader thread
            if self.starting is not None:  # a shop half-started would be left running
                await asyncio.gather(self.starting, return_exceptions=True)
            if self.desk is not None:
                await self.desk.stop()
        finally:
            self.cache.close()
            if self.shop is not None:
                self.shop.stop()


def session_for(args: argparse.Namespace, registry: AccountRegistry, account_id: str, account: Account | None,
                cache: Cache, window: MainWindow, secrets: SecretStore | None = None) -> Session:
    """The session of an open window: the practice shop to start, or the account to connect."""
    if account is not None:
        return Session(account_id, account, cache, window)
    if account_id == PRACTICE_ID:
        shop = PracticeShop(data_dir() / "practice" / "practice-shop.sqlite", kind=PlatformKind(args.platform))
        return Session(account_id, None, cache, window, shop=shop)
    store = secrets or SecretStore()
    return Session(account_id, None, cache, window, load_account=lambda: account_for(registry, store, account_id))


def open_session(args: argparse.Namespace, registry: AccountRegistry, account_id: str, account: Account | None,
                 secrets: SecretStore | None = None) -> Session:
    """The account's cache and window, ready to show; ``Session.connect`` starts the rest."""
    cache, window = open_window(registry, account_id)
    window.complete()
    return session_for(args, registry, account_id, account, cache, window, secrets)
