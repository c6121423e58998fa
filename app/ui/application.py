"""Start the app: the window over the account's cache first, then the platform and the sync.

The account is the one chosen in the accounts dialog; with none, the practice shop (the
sandbox started as a child process). What staff wait for at start is their orders on the
screen, so this module imports only what the window needs: once the cache's first rows
are painted, ``app.ui.desk`` brings in the HTTP client, the asyncio/Qt loop and the
keyring, and connects. On quit, and on a switch to another account, everything is taken
down in the reverse order it was built: the sync task, the platform client, the cache,
the practice shop.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from app.platform.account import PlatformKind
from app.services.accounts import PRACTICE_ID, AccountError, AccountRegistry, window_title
from app.store.database import Cache, CacheError, schema_behind
from app.ui import theme
from app.ui.fonts import apply_cjk_font
from app.ui.i18n import install_translations, ui_language
from app.ui.shell.main_window import MainWindow, app_settings
from app.ui.tasks import CrashHandler, report_bug

if TYPE_CHECKING:
    import asyncio

    from app.platform.account import Account
    from app.ui.desk import Session

TITLE = "ShopDesk 商家工作台"
LOAD_TIMEOUT_MS = 120_000  # --quit-after-load: a practice shop's first orders sync takes seconds, not minutes
FIRST_PAINT_MS = 1500  # at most this long before connecting, if the cache is slow to answer
PROBE_EVERY = 10.0  # s between tries while the platform cannot be reached


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="shopdesk", description="ShopDesk 商家工作台")
    p.add_argument("--platform", choices=[k.value for k in PlatformKind], default=PlatformKind.APIFM.value,
                   help="dialect the practice shop is used through (default apifm)")
    p.add_argument("--quit-after-load", action="store_true",
                   help="exit 0 once the orders table shows synced orders, 1 if none within 120 s (smoke test)")
    return p.parse_args(argv)


class SessionError(Exception):
    """An account could not be opened; the message says why and what to do."""


def open_window(registry: AccountRegistry, account_id: str) -> tuple[Cache, MainWindow]:
    """The account's cache and its window, ready to show (nothing of the platform yet)."""
    try:
        title = window_title(None if account_id == PRACTICE_ID else registry.get(account_id), TITLE, ui_language())
    except AccountError as exc:
        raise SessionError(exc.message(ui_language())) from exc
    try:
        cache = open_cache(registry.cache_path(account_id))
    except (CacheError, sqlite3.DatabaseError) as exc:
        raise SessionError(QCoreApplication.translate("application", "本地缓存无法打开：{error}").format(
            error=exc)) from exc
    # Completed by the caller once the first rows are painted (show_first_rows).
    return cache, MainWindow(cache, title, practice=account_id == PRACTICE_ID, complete=False)


def open_cache(path: Path) -> Cache:
    """The account's cache. Opening one written by an older ShopDesk migrates it first
    (for a million orders, about half a minute, once): meanwhile a notice says so, and the
    migration runs off the GUI thread so that the notice is drawn and the app answers."""
    if schema_behind(path) is None:
        return Cache(path)
    notice = QProgressDialog(QCoreApplication.translate(
        "application", "正在升级本地缓存，只需这一次。订单很多时需要一两分钟，请不要关闭。"), "", 0, 0)
    notice.setWindowTitle("ShopDesk")
    notice.setCancelButton(None)  # stopping halfway would only roll it back and leave it for next time
    notice.setMinimumDuration(0)
    notice.show()
    outcome: dict[str, Any] = {}

    def migrate() -> None:
        try:
            outcome["cache"] = Cache(path)
        except BaseException as exc:  # handed to the GUI thread, which raises it
            outcome["error"] = exc

    worker = threading.Thread(target=migrate, name="cache-migration")
    worker.start()
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: worker.is_alive() or loop.quit())
    poll.start(50)
    loop.exec()
    poll.stop()
    worker.join()
    notice.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["cache"]  # type: ignore[no-any-return]


class _Painted(QObject):
    """Ends a local event loop at the first paint of the orders table once the cache has
    answered (rows, or none). Asked of the panel, not of its loader's signal: the answer
    may come before this probe exists."""

    def __init__(self, window: MainWindow, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.panel = window.orders_panel
        self.viewport = self.panel.table.viewport()
        self.viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport and event.type() == QEvent.Type.Paint and self.panel.answered:
            QTimer.singleShot(0, self.loop.quit)
        return False


def show_first_rows(window: MainWindow, timeout_ms: int = FIRST_PAINT_MS) -> None:
    """Show the window and let Qt run until its first order rows are painted."""
    loop = QEventLoop()
    probe = _Painted(window, loop)
    QTimer.singleShot(timeout_ms, loop.quit)
    window.show()
    loop.exec()
    probe.viewport.removeEventFilter(probe)


def _fail(args: argparse.Namespace, text: str) -> int:
    if args.quit_after_load:  # headless: a message box would wait for a click forever
        print(text, file=sys.stderr)
    else:
        QMessageBox.critical(None, "ShopDesk", text)
    return 1


def open_accounts(registry: AccountRegistry, session: Session, switch_to: list[tuple[str, Account | None]],
                  loop: asyncio.AbstractEventLoop, message: str = "") -> None:
    """The accounts dialog over the window; choosing another account ends this session's
    loop with the switch to make (checked first: a bad target leaves this desk alone)."""
    from app.services.accounts import account_for
    from app.services.secrets import SecretStore, SecretStoreError
    from app.ui.accounts.dialog import AccountsDialog

    secrets = SecretStore()
    dialog = AccountsDialog(registry, secrets, session.account_id, parent=session.window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def switch(new_id: str) -> None:
        try:
            target = None if new_id == PRACTICE_ID else account_for(registry, secrets, new_id)
        except (AccountError, SecretStoreError) as exc:
            dialog.show_result(exc.message(ui_language()), "error")
            return
        switch_to.append((new_id, target))
        loop.stop()

    dialog.switch_requested.connect(switch)
    if message:
        dialog.show_result(message, "error")
    dialog.show()


def work(app: QApplication, loop: asyncio.AbstractEventLoop, args: argparse.Namespace, registry: AccountRegistry,
         session: Session, switch_to: list[tuple[str, Account | None]], problem: str = "") -> bool:
    """Connect the session and run until quit or a switch; True if --quit-after-load saw
    synced orders on the screen."""
    loaded = False
    window = session.window
    window.set_open_accounts(lambda: open_accounts(registry, session, switch_to, loop))
    app.setQuitOnLastWindowClosed(True)

    def connected(task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is None and not args.quit_after_load:
            from app.ui.shipping.batch_dialog import offer_resume

            offer_resume(window)  # a batch shipment cut short last time: go on with it?
        elif isinstance(error, SessionError):
            if args.quit_after_load:
                print(error, file=sys.stderr)
                app.quit()
            elif session.account_id != PRACTICE_ID:  # its secret, say: the dialog is where to fix it
                open_accounts(registry, session, switch_to, loop, str(error))
        elif error is not None:
            report_bug(error)

    QTimer.singleShot(0, lambda: session.start(connected))
    if problem:
        QTimer.singleShot(0, lambda: open_accounts(registry, session, switch_to, loop, problem))
    if args.quit_after_load:
        watch = QTimer(window)

        def check() -> None:
            nonlocal loaded
            if session.desk is not None and session.desk.orders_synced and window.orders_panel.model.rowCount() > 0:
                loaded = True
                app.quit()

        watch.timeout.connect(check)
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
    return loaded


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
    registry = AccountRegistry()
    account_id = registry.current
    account: Account | None = None  # known after a switch (checked before it); else read at connect
    problem = ""
    loaded = False
    switch_to: list[tuple[str, Account | None]] = []
    loop = None
    try:
        while True:
            try:
                cache, window = open_window(registry, account_id)
            except SessionError as exc:
                if account_id == PRACTICE_ID:
                    return _fail(args, str(exc))
                # A real account's cache would not open: say so, and work in the practice shop.
                problem, account_id, account = str(exc), PRACTICE_ID, None
                continue
            show_first_rows(window)
            if not window.isVisible():  # closed (and its state saved) while its first rows were coming
                cache.close()
                break
            window.complete()
            # Only now what the platform needs (see the module's docstring).
            import asyncio

            import qasync

            from app.ui import desk

            if loop is None:
                loop = qasync.QEventLoop(app)
                asyncio.set_event_loop(loop)
            session = desk.session_for(args, registry, account_id, account, cache, window)
            loaded = work(app, loop, args, registry, session, switch_to, problem) or loaded
            problem = ""
            if not switch_to:
                break
            account_id, account = switch_to.pop()
            registry.set_current(account_id)
    finally:
        if loop is not None:
            loop.close()
    return 0 if loaded or not args.quit_after_load else 1
