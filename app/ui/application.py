"""Start the Qt application on a qasync loop, connect to an account, show the window."""

from __future__ import annotations

import argparse
import asyncio
import sys

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import data_dir
from app.platform.account import PlatformKind
from app.platform.connect import connect
from app.services.practice import PracticeShop, PracticeShopError
from app.ui.fonts import apply_cjk_font
from app.ui.recent_orders_window import RecentOrdersWindow


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="shopdesk", description="ShopDesk 商家工作台")
    p.add_argument("--platform", choices=[k.value for k in PlatformKind], default=PlatformKind.APIFM.value,
                   help="dialect the practice shop is used through (default apifm)")
    p.add_argument("--quit-after-load", action="store_true", help="exit once the first orders are shown (smoke test)")
    return p.parse_args(argv)


def run(argv: list[str]) -> int:
    args = parse(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ShopDesk")
    app.setOrganizationName("ShopDesk")
    apply_cjk_font(app)
    shop = PracticeShop(data_dir() / "practice" / "practice-shop.sqlite", kind=PlatformKind(args.platform))
    try:
        account = shop.start()
    except PracticeShopError as exc:
        QMessageBox.critical(None, "ShopDesk", str(exc))
        return 1
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    platform = connect(account)
    window = RecentOrdersWindow(platform, "ShopDesk 商家工作台 — 练习模式 / Practice mode")
    window.show()
    exit_code = 0

    async def first_load() -> None:
        nonlocal exit_code
        await window.refresh()
        if args.quit_after_load:
            exit_code = 0 if window.model.rowCount() > 0 else 1
            app.quit()

    QTimer.singleShot(0, lambda: asyncio.ensure_future(first_load()))
    try:
        with loop:
            app.aboutToQuit.connect(loop.stop)
            loop.run_forever()
            loop.run_until_complete(platform.aclose())
    finally:
        shop.stop()
    return exit_code
