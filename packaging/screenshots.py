"""Screenshots of the main screens for the README, and to look for clipped or unreadable text.

    python packaging/screenshots.py OUTPUT_FOLDER [--orders 400]

Starts a practice shop in this process, syncs it into a cache in a temporary folder (the
user's own settings, cache and pictures are never touched), and saves at 1280x800:
main-zh-light.png, main-zh-dark.png, main-en-light.png (the orders with an order's detail
beside them), shipping-zh-light.png (the shipping queue), detail-window-zh-light.png, change-price-zh-dark.png and queue-zh-dark.png.
Runs offscreen unless QT_QPA_PLATFORM says otherwise; QT_SCALE_FACTOR=2 gives high-DPI shots.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the app is beside this folder

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.platform.account import Account, PlatformKind  # noqa: E402
from app.platform.api import Platform  # noqa: E402
from app.platform.connect import connect  # noqa: E402
from app.sandbox import credentials  # noqa: E402
from app.sandbox.server import SandboxConfig, SandboxServer  # noqa: E402
from app.services import order_actions as oa  # noqa: E402
from app.services.sync import SyncService  # noqa: E402
from app.store import outbox as outbox_store  # noqa: E402
from app.store.database import Cache  # noqa: E402
from app.ui import i18n, theme  # noqa: E402
from app.ui.fonts import apply_cjk_font  # noqa: E402
from app.ui.orders.actions import PriceDialog  # noqa: E402
from app.ui.orders.detail import OrderDetailWindow  # noqa: E402
from app.ui.shell.main_window import MainWindow  # noqa: E402

SIZE = (1280, 800)
TITLE = "ShopDesk 商家工作台"


def _wait(app: QApplication, done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Run Qt's events until ``done`` (the table's rows are read by worker threads)."""
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the window to fill")
        app.processEvents()
        time.sleep(0.01)


def _settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="folder for the PNG files")
    parser.add_argument("--orders", type=int, default=400, help="orders in the practice shop")
    args = parser.parse_args(argv)
    out: Path = args.output
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="shopdesk-shots-"))
    os.environ["SHOPDESK_HOME"] = str(work / "home")  # the .qm and pictures go here, not the user's cache

    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(work / "settings"))
    found = QApplication.instance()
    app = found if isinstance(found, QApplication) else QApplication([sys.argv[0]])
    apply_cjk_font(app)
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)

    server = SandboxServer(SandboxConfig(data=work / "sandbox.sqlite", orders=args.orders))
    server.start()
    cache = Cache(work / "cache.sqlite")
    try:
        account = Account(kind=PlatformKind.APIFM, base_url=server.base_url,
                          merchant_no=credentials.APIFM_MERCHANT_NO, merchant_key=credentials.APIFM_MERCHANT_KEY,
                          sub_domain=credentials.APIFM_SUB_DOMAIN, practice=True)
        shown = asyncio.run(_fill(cache, connect(account)))
        unpaid = cache.read.execute("SELECT id FROM orders WHERE status = 0 ORDER BY created_at DESC LIMIT 1"
                                    ).fetchone()
        _queue(cache)

        def window(scheme: theme.Scheme) -> MainWindow:
            theme.apply_theme(scheme)
            # Settings of its own: a closed window saves its column widths, which would
            # otherwise carry the Chinese widths into the English shot.
            own = QSettings(str(work / f"settings-{len(os.listdir(work))}.ini"), QSettings.Format.IniFormat)
            main_window = MainWindow(cache, TITLE, practice=True, settings=own)
            main_window.resize(*SIZE)
            main_window.show()
            panel = main_window.orders_panel
            _wait(app, lambda: not panel.model.loading and panel.model.rowCount() > 0)
            panel.show_order(shown)
            _wait(app, lambda: panel.detail.order_id == shown)
            main_window.set_online(True)
            main_window.update_queue()
            _settle(app)
            return main_window

        light = window("light")
        light.grab().save(str(out / "main-zh-light.png"))
        light.show_panel("shipping")
        _wait(app, lambda: light.shipping_panel.model.rowCount() > 0)
        _settle(app)
        light.grab().save(str(out / "shipping-zh-light.png"))
        light.show_panel("orders")
        detail = OrderDetailWindow(cache, shown, light)
        detail.resize(760, 900)
        detail.show()
        _settle(app)
        detail.grab().save(str(out / "detail-window-zh-light.png"))
        detail.close()
        light.close()

        dark = window("dark")
        dark.grab().save(str(out / "main-zh-dark.png"))
        if unpaid is not None:
            facts = oa.load_facts(cache.read, [unpaid[0]])[0]
            price = PriceDialog(facts, dark)
            price.total.setText("abc")
            price.accept()  # shows the error line and the red field: the dark theme's error colours
            price.show()
            _settle(app)
            price.grab().save(str(out / "change-price-zh-dark.png"))
            price.close()
        dark.set_online(False, "无法连接到平台。请检查网络；已缓存的数据仍可查看，操作会在恢复联网后发送。")
        dark.show_queue()
        queue = dark.outbox_view
        assert queue is not None
        refused = next((r for r in range(queue.model.rowCount())
                        if (e := queue.model.entry(r)) is not None and e.state == "failed"), 0)
        queue.table.selectRow(refused)  # its whole message shows below the table
        _settle(app)
        queue.grab().save(str(out / "queue-zh-dark.png"))
        dark.close()

        # English last: a translator belongs to the whole app, and every widget is built anew.
        i18n.save_choice(settings, "en")
        if i18n.install_translations(app, settings) != "en":
            raise SystemExit("English is not available (is lrelease installed?)")
        english = window("light")
        english.grab().save(str(out / "main-en-light.png"))
        english.close()
    finally:
        cache.close()
        server.stop()
    for name in sorted(out.glob("*.png")):
        print(name)
    return 0


async def _fill(cache: Cache, platform: Platform) -> int:
    """Sync the practice shop into the cache; returns a shipped order (parcels, a log) to show."""
    service = SyncService(platform, cache)
    try:
        await service.sync_all()
        conn = cache.read
        row = conn.execute("SELECT o.id FROM orders o JOIN parcels p ON p.order_id = o.id "
                           "ORDER BY o.created_at DESC LIMIT 1").fetchone() \
            or conn.execute("SELECT id FROM orders ORDER BY created_at DESC LIMIT 1").fetchone()
        await service.refresh_order(int(row[0]))  # its log and traces, as a selection would fetch them
    finally:
        await platform.aclose()
    return int(row[0])


def _queue(cache: Cache) -> None:
    """Two writes waiting and one the platform refused, for the queue's screenshot."""
    rows = cache.read.execute("SELECT id FROM orders WHERE status = 0 ORDER BY id LIMIT 3").fetchall()

    def write(conn: sqlite3.Connection) -> None:
        for i, (order_id,) in enumerate(rows):
            if i == 0:
                params = {"order_id": order_id, "total": "66.60", "freight": "5.00"}
                entry = outbox_store.record(conn, oa.CHANGE_PRICE, f"order:{order_id}", params, "小王")
                outbox_store.mark(conn, entry.id, "failed", error="订单状态已变化，不能改价")
            else:
                outbox_store.record(conn, oa.REMARK, f"order:{order_id}",
                                    {"order_id": order_id, "remark": "周末送货，请先电话联系"}, "小王")

    cache.writer.run_sync(write)


if __name__ == "__main__":
    sys.exit(main())
