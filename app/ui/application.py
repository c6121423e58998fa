"""Start the Qt application on a qasync loop, connect to an account, show the window, sync.

The account is the one chosen in the accounts dialog; with none, the practice shop (the
sandbox started as a child process). On quit, and on a switch to another account,
everything is taken down in the reverse order it was built: the sync task, the platform
client, the cache, the practice shop.
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
from dataclasses import dataclass

import qasync
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import data_dir
from app.platform.account import Account, PlatformKind
from app.platform.api import Platform
from app.platform.connect import connect
from app.platform.errors import OfflineError, PlatformError, UnsupportedError
from app.services.accounts import (
    PRACTICE_ID,
    AccountError,
    AccountRegistry,
    account_for,
    load_current,
    window_title,
)
from app.services.outbox import OutboxService
from app.services.practice import PracticeShop, PracticeShopError
from app.services.secrets import SecretStore, SecretStoreError
from app.services.sync import SyncService
from app.store.database import Cache, CacheError
from app.ui import theme
from app.ui.accounts.dialog import AccountsDialog
from app.ui.fonts import apply_cjk_font
from app.ui.i18n import install_translations, ui_language
from app.ui.shell.main_window import MainWindow, app_settings
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


class SessionError(Exception):
    """An account could not be opened; the message says why and what to do."""


@dataclass
class Session:
    """One account at work: its cache and window (shown first, from the cache), then its
    platform (the practice shop's child process for practice) and desk. Switching
    accounts closes one and opens another."""

    account_id: str
    account: Account | None  # None: the practice shop's, known once it has started
    cache: Cache
    window: MainWindow
    shop: PracticeShop | None = None
    desk: Desk | None = None
    starting: asyncio.Task[None] | None = None  # held: the loop keeps only a weak reference

    def start(self, done: Callable[[asyncio.Task[None]], None]) -> None:
        self.starting = asyncio.ensure_future(self.connect())
        self.starting.add_done_callback(done)

    async def connect(self) -> None:
        """Start the platform and the desk. Raises SessionError when the practice shop
        does not start; the window goes on showing the cache."""
        account = self.account
        if self.shop is not None:
            try:
                # A thread: it waits for the child to say it is ready (seconds on a first run).
                account = await asyncio.to_thread(self.shop.start)
            except PracticeShopError as exc:
                self.window.set_online(False, str(exc))  # the banner says why nothing syncs
                raise SessionError(str(exc)) from exc
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


def open_session(args: argparse.Namespace, registry: AccountRegistry, account_id: str,
                 account: Account | None) -> Session:
    """The account's cache and window, ready to show; ``Session.connect`` starts the rest."""
    try:
        cache = Cache(registry.cache_path(account_id))
    except (CacheError, sqlite3.DatabaseError) as exc:
        raise SessionError(QCoreApplication.translate("application", "本地缓存无法打开：{error}").format(
            error=exc)) from exc
    shop = None
    if account is None:
        shop = PracticeShop(data_dir() / "practice" / "practice-shop.sqlite", kind=PlatformKind(args.platform))
    window = MainWindow(cache, window_title(account, TITLE, ui_language()), practice=account is None or account.practice)
    return Session(account_id, account, cache, window, shop)


def run(argv: list[str]) -> int:
    args = parse(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ShopDesk")
    app.setOrganizationName("ShopDesk")
    settings = app_settings()
    install_translations(app, settings)
    theme.install(app, settings)
    apply_cjk_font(app)
    CrashHandler().install()
    registry, secrets = AccountRegistry(), SecretStore()
    problem = ""
    account_id = registry.current
    try:
        account = load_current(registry, secrets)
    except (AccountError, SecretStoreError) as exc:
        # The chosen account stays chosen (staff fix its secret and switch back); today's
        # work goes on in the practice shop meanwhile, and the dialog says what is wrong.
        account, account_id, problem = None, PRACTICE_ID, exc.message(ui_language())
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    exit_code = 1 if args.quit_after_load else 0
    switch_to: list[tuple[str, Account | None]] = []

    def open_accounts(session: Session, message: str = "") -> None:
        dialog = AccountsDialog(registry, secrets, session.account_id, parent=session.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def switch(new_id: str) -> None:
            try:
                target = None if new_id == PRACTICE_ID else account_for(registry, secrets, new_id)
            except (AccountError, SecretStoreError) as exc:  # checked before anything stops
                dialog.show_result(exc.message(ui_language()), "error")
                return
            switch_to.append((new_id, target))
            loop.stop()

        dialog.switch_requested.connect(switch)
        if message:
            dialog.show_result(message, "error")
        dialog.show()

    with loop:
        while True:
            try:
                session = open_session(args, registry, account_id, account)
            except SessionError as exc:
                if account is None:
                    return _fail(args, str(exc))
                # A real account's cache would not open: say so, and work in the practice shop.
                problem, account_id, account = str(exc), PRACTICE_ID, None
                continue
            window = session.window
            window.set_open_accounts(lambda s=session: open_accounts(s))
            window.show()
            app.setQuitOnLastWindowClosed(True)

            def connected(task: asyncio.Task[None]) -> None:
                if task.cancelled():
                    return
                error = task.exception()
                if isinstance(error, SessionError):
                    if args.quit_after_load:
                        print(error, file=sys.stderr)
                        app.quit()
                elif error is not None:
                    report_bug(error)

            # The cache's rows are painted first; the platform and the sync start after.
            QTimer.singleShot(0, lambda s=session: s.start(connected))
            if problem:
                QTimer.singleShot(0, lambda s=session, text=problem: open_accounts(s, text))
                problem = ""
            if args.quit_after_load:
                watch = QTimer(window)

                def loaded(s: Session = session) -> None:
                    nonlocal exit_code
                    if s.desk is not None and s.desk.orders_synced and s.window.orders_panel.model.rowCount() > 0:
                        exit_code = 0
                        app.quit()

                watch.timeout.connect(loaded)
                watch.start(200)
                QTimer.singleShot(LOAD_TIMEOUT_MS, app.quit)
            app.aboutToQuit.connect(loop.stop)
            try:
                loop.run_forever()
            finally:
                app.aboutToQuit.disconnect(loop.stop)
                # Closing the old window must not end the app while the next one opens.
                app.setQuitOnLastWindowClosed(False)
                loop.run_until_complete(session.close())
            if not switch_to:
                break
            account_id, account = switch_to.pop()
            registry.set_current(account_id)
    return exit_code
