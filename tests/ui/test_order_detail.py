"""The order's detail pane and window, on a cache filled in the test, with pictures
served by a small local HTTP server."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.store import audit, resources
from app.store import orders as store_orders
from app.store.database import Cache
from app.ui.fonts import apply_cjk_font
from app.ui.orders.detail import EMPTY, MISSING, OrderDetailPane, OrderDetailWindow
from app.ui.orders.detail_sections import CopyButton, Fields, Timeline, yuan
from app.ui.orders.images import ImageCache, Thumbnail
from tests.ui.conftest import screenshot
from tests.unit.test_order_detail_store import BUYER, make_detail

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160">'
       b'<rect width="160" height="160" fill="#17bebb"/></svg>')


def _png() -> bytes:
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("#e4572e"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


class PictureServer:
    """Serves /goods.png and /goods.svg; anything else is a 404. Counts requests."""

    def __init__(self) -> None:
        png = _png()
        hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                body, kind = {"/goods.png": (png, "image/png"), "/goods.svg": (SVG, "image/svg+xml")}.get(
                    self.path, (b"", ""))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", kind or "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.hits = hits
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()


@pytest.fixture
def pictures() -> Iterator[PictureServer]:
    server = PictureServer()
    yield server
    server.stop()


@pytest.fixture
def cache(tmp_path: Path, qapp: QApplication, pictures: PictureServer) -> Iterator[Cache]:
    apply_cjk_font(qapp)
    c = Cache(tmp_path / "cache.sqlite")
    shipped = make_detail(7, pics=(f"{pictures.base}/goods.png", f"{pictures.base}/missing.png"))
    pickup = make_detail(8, pickup=True)

    def fill(conn: sqlite3.Connection) -> None:
        store_orders.write_detail(conn, shipped)
        store_orders.write_bundles(conn, [pickup.bundle])
        resources.write(conn, [BUYER])
        audit.append(conn, operator="店长", account="practice:apifm", action="order.remark", target="order:7",
                     before=None, after={"params": {"order_id": 7, "remark": "周末再发"}}, result="done: ok")

    c.writer.run_sync(fill)
    yield c
    c.close()


@pytest.fixture
def images(tmp_path: Path) -> ImageCache:
    return ImageCache(tmp_path / "images")


def _pane(qtbot: QtBot, cache: Cache, images: ImageCache, order_id: int | None, width: int = 420) -> OrderDetailPane:
    pane = OrderDetailPane(cache, images=images)
    qtbot.addWidget(pane)
    pane.resize(width, 900)
    pane.show_order(order_id)
    pane.show()
    return pane


def _section(pane: OrderDetailPane, name: str) -> QWidget:
    widget = pane.section(name)
    assert widget is not None, name
    return widget


def _fields(pane: OrderDetailPane, section: str) -> Fields:
    found = _section(pane, section).findChild(Fields)
    assert found is not None
    return found


def _value(pane: OrderDetailPane, section: str, name: str) -> str:
    return _fields(pane, section).values[name].text()


def test_shows_number_status_receiver_buyer_and_amounts(qtbot: QtBot, cache: Cache, images: ImageCache,
                                                        pictures: PictureServer) -> None:
    pane = _pane(qtbot, cache, images, 7)
    header = _section(pane, "header")
    assert header.findChild(QLabel, "number").text() == "26111100000007"
    assert header.findChild(QLabel, "status").text() == "已发货 · 退款中"
    assert _value(pane, "header", "配送方式") == "快递配送"
    assert _value(pane, "header", "付款时间") == "2026-11-11 09:32"
    assert _value(pane, "receiver", "收货人") == "王伟芳"
    assert _value(pane, "receiver", "地址") == "浙江省杭州市西湖区文三路 90 号 东部软件园 2 号楼 501 室"
    assert _value(pane, "receiver", "邮编") == "310012"
    assert (_value(pane, "buyer", "昵称"), _value(pane, "buyer", "手机")) == ("橙子爱好者", "13900139000")
    amounts = {name: _value(pane, "amounts", name) for name in ("商品金额", "运费", "优惠", "实付", "已退款")}
    assert amounts == {"商品金额": "¥1,234.50", "运费": "¥8.00", "优惠": "-¥20.00", "实付": "¥1,222.50",
                       "已退款": "¥99.90"}
    texts = [label.text() for label in _section(pane, "items").findChildren(QLabel)]
    assert "赣南脐橙 5斤装 当季现摘" in texts and "¥567.30 × 2" in texts and "¥1,134.60" in texts
    assert "售后：仅退款 · 待处理" in texts  # the refund is on the tea, the second item
    trace_titles = _section(pane, "parcels").findChild(Timeline).titles
    assert trace_titles[0].startswith("【上海市】") and trace_titles[1] == "【杭州市】已揽收"  # newest first
    assert _value(pane, "refunds", "原因") == "不想要了"
    assert _section(pane, "logs").findChild(Timeline).titles == ["发货", "支付", "下单"]
    assert _section(pane, "audit").findChild(Timeline).titles == ["修改备注 — 店长"]
    assert _value(pane, "remarks", "商家备注") == "周末再发"
    qtbot.waitUntil(lambda: not images.is_pending(f"{pictures.base}/goods.png"))
    screenshot(pane, "order-detail-side-pane")
    pane.scroll.verticalScrollBar().setValue(pane.scroll.verticalScrollBar().maximum())
    screenshot(pane, "order-detail-side-pane-bottom")


def test_money_format() -> None:
    assert yuan(Decimal("1234567.5")) == "¥1,234,567.50"
    assert yuan(Decimal("0")) == "¥0.00"
    assert yuan(Decimal("-3.1")) == "-¥3.10"


def test_copy_buttons_put_the_text_on_the_clipboard(qtbot: QtBot, cache: Cache, images: ImageCache) -> None:
    pane = _pane(qtbot, cache, images, 7)
    clipboard = QGuiApplication.clipboard()
    receiver = _fields(pane, "receiver")
    for name, expected in (("收货人", "王伟芳"), ("手机", "13800138000"),
                           ("地址", "浙江省杭州市西湖区文三路 90 号 东部软件园 2 号楼 501 室")):
        qtbot.mouseClick(receiver.buttons[name], Qt.MouseButton.LeftButton)
        assert clipboard.text() == expected
        assert receiver.buttons[name].text() == "已复制"
    everything = _section(pane, "receiver").findChild(CopyButton, "copy_all")
    qtbot.mouseClick(everything, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "王伟芳 13800138000 浙江省杭州市西湖区文三路 90 号 东部软件园 2 号楼 501 室"
    qtbot.mouseClick(_fields(pane, "parcels").buttons["单号"], Qt.MouseButton.LeftButton)
    assert clipboard.text() == "SF1234567890123"
    number_button = next(b for b in _section(pane, "header").findChildren(CopyButton)
                         if b.copy_text == "26111100000007")
    qtbot.mouseClick(number_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "26111100000007"
    qtbot.waitUntil(lambda: number_button.text() == "复制订单号", timeout=3000)  # the "已复制" note goes away


def test_empty_state_and_missing_order(qtbot: QtBot, cache: Cache, images: ImageCache) -> None:
    pane = _pane(qtbot, cache, images, None)
    assert pane.stack.currentWidget() is pane.message and pane.message.text() == EMPTY
    screenshot(pane, "order-detail-empty")
    pane.show_order(404)
    assert pane.message.text() == MISSING and pane.view is None
    pane.show_order(7)
    assert pane.stack.currentWidget() is pane.scroll and pane.view is not None
    cache.writer.run_sync(lambda conn: conn.execute("DELETE FROM orders WHERE id = 7"))
    pane.refresh()
    assert pane.stack.currentWidget() is pane.message and pane.message.text() == MISSING
    assert pane.section("header") is None
    pane.show_order(None)
    assert pane.message.text() == EMPTY


def test_pickup_order_without_receiver_parcels_log_or_refunds(qtbot: QtBot, cache: Cache,
                                                              images: ImageCache) -> None:
    pane = _pane(qtbot, cache, images, 8)

    def notes(section: str) -> list[str]:
        return [label.text() for label in _section(pane, section).findChildren(QLabel)]

    assert _value(pane, "header", "配送方式") == "到店自提" and _value(pane, "header", "自提码") == "884213"
    assert "到店自提，没有收货地址" in notes("receiver")
    assert "到店自提，无需发货" in notes("parcels")
    assert "没有售后申请" in notes("refunds")
    assert "本地缓存中没有该订单的日志（同步订单详情后显示）" in notes("logs")
    assert "本机没有对该订单的操作记录" in notes("audit")
    # Both items have empty pictures: they keep the placeholder and nothing is fetched.
    thumbnails = _section(pane, "items").findChildren(Thumbnail)
    assert len(thumbnails) == 2 and all(t.is_placeholder for t in thumbnails)


def test_refresh_picks_up_a_changed_remark_and_keeps_scroll(qtbot: QtBot, cache: Cache,
                                                            images: ImageCache) -> None:
    pane = _pane(qtbot, cache, images, 7, width=380)
    qtbot.waitUntil(lambda: pane.scroll.verticalScrollBar().maximum() > 200)
    items_widget, header_widget = pane.section("items"), pane.section("header")
    pane.scroll.verticalScrollBar().setValue(150)
    pane.refresh()  # nothing changed: nothing rebuilt
    assert pane.section("header") is header_widget
    good, bad = (i.pic for i in store_orders.items(cache.read, 7))
    detail = make_detail(7, admin_remark="加急处理，周六前必须到", pics=(good, bad))

    def remark_written(conn: sqlite3.Connection) -> None:  # what the outbox does after 修改备注
        store_orders.write_bundles(conn, [detail.bundle])
        audit.append(conn, operator="小王", account="practice:apifm", action="order.remark", target="order:7",
                     before=None, after={"params": {"order_id": 7}}, result="done: ok")

    cache.writer.run_sync(remark_written)
    pane.refresh()
    assert _value(pane, "remarks", "商家备注") == "加急处理，周六前必须到"
    assert _section(pane, "audit").findChild(Timeline).titles == ["修改备注 — 小王", "修改备注 — 店长"]
    assert pane.section("items") is items_widget  # pictures are not reloaded for a remark
    assert pane.scroll.verticalScrollBar().value() == 150


def test_pictures_load_in_background_are_cached_on_disk_and_failures_keep_placeholder(
        qtbot: QtBot, cache: Cache, images: ImageCache, pictures: PictureServer, tmp_path: Path) -> None:
    good, bad = (i.pic for i in store_orders.items(cache.read, 7))
    pane = _pane(qtbot, cache, images, 7)
    thumbs = {t.url: t for t in _section(pane, "items").findChildren(Thumbnail)}
    assert thumbs[good].is_placeholder  # shown at once, grey until the picture arrives
    qtbot.waitUntil(lambda: not thumbs[good].is_placeholder, timeout=5000)
    qtbot.waitUntil(lambda: images.has_failed(bad), timeout=5000)
    assert thumbs[bad].is_placeholder
    assert images.path_for(good).is_file() and not images.path_for(bad).exists()
    assert images.path_for(good).parent == tmp_path / "images"
    assert pictures.hits.count("/goods.png") == 1

    # A new session reads the picture from disk: the server is gone, the picture is not.
    pictures.stop()
    later = _pane(qtbot, cache, ImageCache(tmp_path / "images"), 7)
    thumbs = {t.url: t for t in _section(later, "items").findChildren(Thumbnail)}
    assert not thumbs[good].is_placeholder


def test_svg_pictures_like_the_practice_shop_load(qtbot: QtBot, images: ImageCache, pictures: PictureServer,
                                                  qapp: QApplication) -> None:
    thumb = Thumbnail(images, f"{pictures.base}/goods.svg")
    qtbot.addWidget(thumb)
    qtbot.waitUntil(lambda: not thumb.is_placeholder, timeout=5000)


def test_unreachable_host_and_relative_path_keep_placeholder(qtbot: QtBot, images: ImageCache,
                                                             qapp: QApplication) -> None:
    dead = Thumbnail(images, "http://127.0.0.1:9/goods.png")
    relative = Thumbnail(images, "/img/goods/1.svg")
    qtbot.addWidget(dead)
    qtbot.addWidget(relative)
    qtbot.waitUntil(lambda: images.has_failed("http://127.0.0.1:9/goods.png"), timeout=5000)
    assert dead.is_placeholder and relative.is_placeholder and images.has_failed("/img/goods/1.svg")


def test_window_title_and_refresh(qtbot: QtBot, cache: Cache, images: ImageCache,
                                  pictures: PictureServer) -> None:
    window = OrderDetailWindow(cache, 7, images=images)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "订单 26111100000007"
    qtbot.waitUntil(lambda: not images.is_pending(f"{pictures.base}/goods.png"))
    screenshot(window, "order-detail-window")
    bundle = store_orders.bundle(cache.read, 7)
    assert bundle is not None
    changed = replace(bundle, order=replace(bundle.order, buyer_remark="请下午送"))
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [changed]))
    window.refresh()
    assert _value(window.pane, "remarks", "买家留言") == "请下午送"
    cache.writer.run_sync(lambda conn: conn.execute("DELETE FROM orders WHERE id = 7"))
    window.refresh()
    assert window.windowTitle() == "订单 26111100000007" and window.pane.message.text() == MISSING


def test_narrow_side_pane_never_scrolls_sideways(qtbot: QtBot, cache: Cache, images: ImageCache) -> None:
    pane = _pane(qtbot, cache, images, 7, width=360)
    qtbot.waitUntil(lambda: pane.content.width() > 0)
    assert pane.content.minimumSizeHint().width() <= pane.scroll.viewport().width()
    screenshot(pane, "order-detail-360px")
