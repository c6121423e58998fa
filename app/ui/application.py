"""Start the Qt application on a qasync loop, connect to an account, show the window, sync.

With no account configured (the only case so far) the account is the practice shop: the
sandbox started as a child process. On quit everything is taken down in the reverse
order it was built: the sync task, the platform client, the cache, the practice shop.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sqlite3
import sys
import time
from collections.abc import Callable

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import data_dir
from app.platform.account import PlatformKind
from app.platform.api import Platform
from app.platform.connect import connect
from app.platform.errors import OfflineError, PlatformError, UnsupportedError
from app.services.outbox import OutboxService
from app.services.practice import PracticeShop, PracticeShopError
from app.services.sync import SyncService
from app.store.database import Cache, CacheError
from app.ui.fonts import apply_cjk_font
from app.ui.shell.main_window import MainWindow
from app.ui.tasks import CrashHandler, cancel_running, report_bug

log = logging.getLogger(__name__)
TITLE = "ShopDesk 商家工作台"
LOAD_TIMEOUT_MS = 120_000  # --quit-after-load: a practice shop's first orders sync takes seconds, not minutes
PROBE_EVERY = 10.0  # s between tries while the platform cannot be reached
OnResult = Callable[[str, Exception | None], None]


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="shopdesk", description="ShopDesk 商家工作台")
    p.add_argument("--platform", choices=[k.value for k in PlatformKind], default=PlatformKind.APIFM.value,
                   help="dialect the practice shop is used through (default apifm)")
    p.add_argument("--quit-after-load", action="store_true",
                   help="exit 0 once the orders table shows synced orders, 1 if none within 120 s (smoke test)")
    return p.parse_args(argv)


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


def _fail(args: argparse.Namespace, text: str) -> int:
    if args.quit_after_load:  # headless: a message box would wait for a click forever
        print(text, file=sys.stderr)
    else:
        QMessageBox.critical(None, "ShopDesk", text)
    return 1


def run(argv: list[str]) -> int:
    args = parse(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ShopDesk")
    app.setOrganizationName("ShopDesk")
    apply_cjk_font(app)
    CrashHandler().install()
    shop = PracticeShop(data_dir() / "practice" / "practice-shop.sqlite", kind=PlatformKind(args.platform))
    try:
        account = shop.start()
    except PracticeShopError as exc:
        return _fail(args, str(exc))
    try:
        cache = Cache(data_dir() / "accounts" / "practice" / "cache.sqlite")
    except (CacheError, sqlite3.DatabaseError) as exc:
        shop.stop()
        return _fail(args, f"本地缓存无法打开 / The local cache cannot be opened: {exc}")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    exit_code = 1 if args.quit_after_load else 0
    try:
        window = MainWindow(cache, TITLE, practice=True)
        desk = Desk(connect(account), cache, window)
        window.show()
        QTimer.singleShot(0, desk.start)
        if args.quit_after_load:
            watch = QTimer(window)

            def loaded() -> None:
                nonlocal exit_code
                if desk.orders_synced and window.orders_panel.model.rowCount() > 0:
                    exit_code = 0
                    app.quit()

            watch.timeout.connect(loaded)
            watch.start(200)
            QTimer.singleShot(LOAD_TIMEOUT_MS, app.quit)
        with loop:
            app.aboutToQuit.connect(loop.stop)
            loop.run_forever()
            window.close()  # a quit from elsewhere (the smoke test, the OS) still saves the window's state
            loop.run_until_complete(desk.stop())
    finally:
        cache.close()
        shop.stop()
    return exit_code
