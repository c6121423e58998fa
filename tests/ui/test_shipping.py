"""The shipping queue and shipping one order, in the window, against a practice platform:
only orders to ship, waiting times and overdue rows; ship with one number, several parcels,
part of the items, no number; bad and duplicate numbers; add numbers; pickup; address."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import qasync
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.regions import regions
from app.platform.connect import connect
from app.sandbox.server import SandboxServer
from app.services import ship_one
from app.services.order_actions import InputError
from app.services.outbox import OutboxService
from app.services.ship_sheet import HEADER, default_name
from app.services.sync import SyncService
from app.store import outbox as store
from app.store.database import Cache
from app.store.queries import OrderFilter, OrderTab, count
from app.ui.shell.main_window import MainWindow
from app.ui.shipping.actions import ADD, PICKUP, RECEIVER, SHIP
from app.ui.shipping.model import COLUMNS
from app.ui.shipping.receiver_dialog import ReceiverDialog
from app.ui.shipping.ship_dialog import LAST_COURIER, ShipDialog
from app.ui.tasks import cancel_running
from tests.conftest import apifm_account
from tests.ui.conftest import screenshot
from tests.ui.test_order_actions import NO_RAISE, TITLE, Desk


@pytest.fixture
def desk(qtbot: QtBot, loop: qasync.QEventLoop, fresh_sandbox: SandboxServer, tmp_path: Path) -> Iterator[Desk]:
    # The demo shop's orders to ship are all deliveries: two become pickup orders (自提).
    with fresh_sandbox.state.conn as conn:
        conn.execute("UPDATE orders SET is_need_logistics = 0, hx_number = '8800' || id WHERE id IN "
                     "(SELECT id FROM orders WHERE status = 1 AND refund_status = 0 AND id NOT IN "
                     "(SELECT order_id FROM refund_applies) ORDER BY id DESC LIMIT 2)")
    with shipping_desk(fresh_sandbox, loop, tmp_path) as d:
        panel = d.window.shipping_panel
        qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and not panel.model.loading)
        yield d


@contextmanager
def shipping_desk(server: SandboxServer, loop: qasync.QEventLoop, tmp_path: Path) -> Iterator[Desk]:
    """The window on the shipping panel, over a cache synced from ``server`` (orders and
    couriers), online; closed and taken down after."""
    cache = Cache(tmp_path / "cache.sqlite")
    platform = connect(apifm_account(server), retries=1, backoff=0.01)
    sync = SyncService(platform, cache)
    loop.run_until_complete(sync.sync("orders"))
    loop.run_until_complete(sync.sync("couriers"))
    window = MainWindow(cache, TITLE, practice=True,
                        settings=QSettings(str(tmp_path / "shopdesk.ini"), QSettings.Format.IniFormat))
    outbox = OutboxService(platform, cache, operator="小王", account="practice", refresh_order=sync.refresh_order)
    window.set_outbox(outbox)
    window.set_capabilities(platform.supports)
    window.set_online(True)
    window.show()
    window.show_panel("shipping")
    yield Desk(window, cache, platform, outbox, server, loop)
    loop.run_until_complete(cancel_running())
    window.close()
    loop.run_until_complete(platform.aclose())
    cache.close()


def shippable(d: Desk, n: int = 1, *, lines: int = 1, units: int = 1) -> list[int]:
    """Paid delivery orders, nothing shipped, no after-sale, with at least ``lines`` lines
    and ``units`` pieces in all."""
    return [r[0] for r in d.server.state.conn.execute(
        "SELECT id FROM orders o WHERE status = 1 AND is_need_logistics = 1 AND refund_status = 0"
        " AND NOT EXISTS (SELECT 1 FROM parcels p WHERE p.order_id = o.id)"
        " AND NOT EXISTS (SELECT 1 FROM refund_applies a WHERE a.order_id = o.id AND a.status IN (0, 3))"
        " AND (SELECT COUNT(*) FROM order_goods g WHERE g.order_id = o.id) >= ?"
        " AND (SELECT SUM(number) FROM order_goods g WHERE g.order_id = o.id) >= ?"
        " ORDER BY id LIMIT ?", (lines, units, n))]


def parcels(d: Desk, order_id: int) -> list[tuple[int, str]]:
    return [(r[0], r[1]) for r in d.server.state.conn.execute(
        "SELECT courier_id, tracking_number FROM parcels WHERE order_id = ? ORDER BY id", (order_id,))]


def sf(d: Desk) -> int:
    return int(d.server.state.conn.execute("SELECT id FROM couriers WHERE name = '顺丰速运'").fetchone()[0])


def open_ship(d: Desk, order_id: int, name: str = SHIP) -> ShipDialog:
    panel = d.window.shipping_panel
    if name == ADD:
        d.window.order_shipping.targets = lambda: [order_id]
        d.window.order_shipping.trigger(ADD)
        dialog = d.window.order_shipping.dialog
    else:
        panel.select([order_id])
        assert panel.actions.actions[name].isEnabled(), panel.actions.actions[name].toolTip()
        panel.actions.actions[name].trigger()
        dialog = panel.actions.dialog
    assert isinstance(dialog, ShipDialog)
    return dialog


def choose(dialog: ShipDialog, text: str) -> None:
    dialog.courier.setEditText(text)


def type_numbers(dialog: ShipDialog, text: str) -> None:
    dialog.numbers.setPlainText(text)
    dialog._changed()  # what the typing timer does a moment later


def test_the_queue_shows_only_orders_to_ship_with_their_waiting_time(desk: Desk, qtmodeltester: object) -> None:
    panel = desk.window.shipping_panel
    assert desk.window.current_panel().key == "shipping" and desk.window.panels[1].label == "发货"
    assert desk.window.panels[1].action.shortcut().toString() == "Ctrl+2"
    expected = count(desk.cache.read, OrderFilter(tab=OrderTab.TO_SHIP))
    assert panel.model.rowCount() == expected > 0
    shown = [panel.model.order_id(r) for r in range(panel.model.rowCount())]
    statuses = {desk.cache.read.execute("SELECT status FROM orders WHERE id = ?", (i,)).fetchone()[0] for i in shown}
    assert statuses == {1}
    pickups = [i for i in shown if not desk.cache.read.execute(
        "SELECT needs_delivery FROM orders WHERE id = ?", (i,)).fetchone()[0]]
    assert pickups, "the practice shop has pickup orders waiting"
    # Oldest payment first, and the waiting time in words.
    paid = [desk.cache.read.execute("SELECT paid_at FROM orders WHERE id = ?", (i,)).fetchone()[0] for i in shown]
    assert paid == sorted(paid)
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == ["订单号", "付款时间", "已等待", "收货人", "地区", "商品", "快递", "打印"]
    first = panel.model.index(0, 2)
    assert panel.model.data(first).endswith(("分钟", "小时", "天"))
    # Past the limit: coloured, with a tooltip that says why; below it, plain.
    panel.limit.setValue(1)
    assert panel.model.data(first, Qt.ItemDataRole.BackgroundRole) is not None
    assert panel.model.data(first, Qt.ItemDataRole.ToolTipRole) == "付款后已超过 1 小时未发货"
    panel.limit.setValue(24 * 30)
    newest = panel.model.index(panel.model.rowCount() - 1, 2)
    paid_newest = datetime.fromisoformat(paid[-1])
    if datetime.now() - paid_newest < timedelta(days=30):
        assert panel.model.data(newest, Qt.ItemDataRole.BackgroundRole) is None
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
    panel.limit.setValue(48)
    screenshot(desk.window, "shipping-queue")


def test_the_queue_filters_by_goods_region_and_delivery(desk: Desk, qtbot: QtBot) -> None:
    panel = desk.window.shipping_panel
    total = panel.model.rowCount()
    row = desk.cache.read.execute(
        "SELECT goods_names, province FROM orders WHERE status = 1 AND needs_delivery = 1 LIMIT 1").fetchone()
    word = row[0].split()[0][:2]
    panel.goods.setText(word)
    qtbot.waitUntil(lambda: 0 < panel.model.rowCount() < total or panel.model.rowCount() == count(
        desk.cache.read, OrderFilter(tab=OrderTab.TO_SHIP, goods=word)))
    qtbot.waitUntil(lambda: panel.model.rowCount() == count(desk.cache.read, OrderFilter(tab=OrderTab.TO_SHIP,
                                                                                         goods=word)))
    panel.goods.clear()
    panel.region.setCurrentIndex(panel.region.findData(row[1]))
    wanted = count(desk.cache.read, OrderFilter(tab=OrderTab.TO_SHIP, province=row[1]))
    qtbot.waitUntil(lambda: panel.model.rowCount() == wanted and not panel.model.loading)
    assert 0 < wanted < total
    assert all(row[1] in panel.model.data(panel.model.index(r, 4)) for r in range(wanted))
    panel.reset_filters()
    panel.delivery.setCurrentIndex(panel.delivery.findData(True))  # pickup only
    pickups = [r[0] for r in desk.cache.read.execute("SELECT id FROM orders WHERE status = 1 AND needs_delivery = 0")]
    qtbot.waitUntil(lambda: sorted(panel.model.ids()) == sorted(pickups) and not panel.model.loading)
    assert panel.model.data(panel.model.index(0, 3)).startswith("到店自提")
    # The filters are kept with the window's settings under "shipping/".
    desk.window.save_state()
    assert '"pickup": true' in str(desk.window.settings.value("shipping/view"))


def test_the_to_ship_sheet_holds_the_selection_or_else_the_whole_queue(desk: Desk, qtbot: QtBot) -> None:
    panel = desk.window.shipping_panel
    folder = desk.cache.path.parent
    panel.table.clearSelection()
    chooser = panel.choose_ship_sheet()
    assert chooser is not None and chooser.isVisible()
    assert Path(chooser.selectedFiles()[0]).name == default_name(datetime.now())
    chooser.selectFile(str(folder / "queue.xlsx"))
    chooser.accept()  # the file chosen: written off the GUI thread, said in the status bar
    qtbot.waitUntil(lambda: "已导出" in desk.window.statusBar().currentMessage())
    total = panel.model.rowCount()
    assert desk.window.statusBar().currentMessage() == f"已导出 {total:,} 笔订单到 {folder / 'queue.xlsx'}"
    numbers = [r[0] for r in load_workbook(folder / "queue.xlsx").active.iter_rows(min_row=2, values_only=True)]
    number_of = dict(desk.cache.read.execute("SELECT id, number FROM orders").fetchall())
    queue = [number_of[i] for i in panel.model.ids()]  # in the queue's order
    assert numbers == queue and len(numbers) == total
    assert panel.sheet.isEnabled()
    chosen = list(panel.model.ids()[:2])
    panel.select(chosen)
    job = panel.write_ship_sheet(panel.ship_sheet_ids() or [], folder / "two.xlsx")
    job.wait(10)
    rows = list(load_workbook(folder / "two.xlsx").active.iter_rows(values_only=True))
    assert rows[0] == HEADER and [r[0] for r in rows[1:]] == queue[:2]
    job = panel.write_ship_sheet(chosen, folder / "nowhere" / "x.xlsx")
    qtbot.waitUntil(lambda: "不存在" in desk.window.statusBar().currentMessage())
    assert panel.sheet.isEnabled()


@NO_RAISE
def test_ship_with_one_number_says_what_will_happen_and_remembers_the_courier(desk: Desk) -> None:
    (order_id,) = shippable(desk)
    number = f"SF{1234567000000 + order_id}"
    dialog = open_ship(desk, order_id)
    choose(dialog, "顺丰")  # an alias
    assert dialog.chosen_courier() is not None and dialog.chosen_courier().name == "顺丰速运"
    assert dialog.courier_hint.text() == "→ 顺丰速运"
    type_numbers(dialog, f" {number.lower()}\n")  # a scanner's newline, lower case: cleaned
    order_no = desk.on_platform(order_id, "order_number")
    assert dialog.summary.text() == (f"订单 {order_no} 将以 顺丰速运 {number} 发货，共 1 个包裹。"
                                     "发货信息在微信中只能修改一次。")
    screenshot(dialog, "shipping-ship-dialog")
    dialog.accept()
    assert not dialog.isVisible()
    desk.until(lambda: desk.on_platform(order_id, "status") == 2 and desk.outbox.waiting() == [])
    assert parcels(desk, order_id) == [(sf(desk), number)]
    assert int(desk.window.settings.value(LAST_COURIER)) == sf(desk)
    # Gone from the queue once the platform's answer is in the cache.
    panel = desk.window.shipping_panel
    desk.window._refresh_views()
    desk.until(lambda: panel.model.row_of(order_id) is None and not panel.model.loading)
    # The next order starts with the courier used last.
    (other,) = shippable(desk)
    again = open_ship(desk, other)
    assert again.courier.currentText() == "顺丰速运"
    again.reject()


@NO_RAISE
def test_two_numbers_make_two_parcels(desk: Desk) -> None:
    (order_id,) = shippable(desk)
    first, second = f"SF{2000000000000 + order_id}", f"SF{3000000000000 + order_id}"
    dialog = open_ship(desk, order_id)
    choose(dialog, "顺丰速运")
    type_numbers(dialog, f"{first}\n{second}")
    assert "共 2 个包裹" in dialog.summary.text()
    dialog.accept()
    desk.until(lambda: len(parcels(desk, order_id)) == 2 and desk.outbox.waiting() == [])
    assert [n for _c, n in parcels(desk, order_id)] == [first, second]
    assert desk.on_platform(order_id, "status") == 2
    done = store.in_state(desk.cache.read, "done")
    assert [e.action for e in done] == ["order.ship", "order.add_tracking"]


@NO_RAISE
def test_partial_shipment_sends_only_the_chosen_items(desk: Desk) -> None:
    (order_id,) = shippable(desk, units=2)
    before = dict(desk.server.state.conn.execute(
        "SELECT id, number_no_fahuo FROM order_goods WHERE order_id = ?", (order_id,)).fetchall())
    dialog = open_ship(desk, order_id)
    assert dialog.partial.isVisibleTo(dialog)
    choose(dialog, "顺丰速运")
    type_numbers(dialog, f"SF{4000000000000 + order_id}")
    dialog.partial.setChecked(True)
    first = next(iter(dialog.spins))
    for item_id, spin in dialog.spins.items():
        spin.setValue(max(spin.maximum() - 1, 1) if item_id == first else 0)  # one piece less than all
    sent = dialog.spins[first].value()
    assert f"部分发货（{sent} 件）" in dialog.summary.text()
    screenshot(dialog, "shipping-partial")
    dialog.accept()
    desk.until(lambda: len(parcels(desk, order_id)) == 1 and desk.outbox.waiting() == [])
    left = dict(desk.server.state.conn.execute(
        "SELECT id, number_no_fahuo FROM order_goods WHERE order_id = ?", (order_id,)).fetchall())
    assert left[first] == before[first] - sent
    assert sum(left.values()) == sum(before.values()) - sent > 0
    assert desk.on_platform(order_id, "status") == 1  # still to ship: the rest waits


@NO_RAISE
def test_ship_without_a_tracking_number(desk: Desk) -> None:
    (order_id,) = shippable(desk)
    dialog = open_ship(desk, order_id)
    assert dialog.without.isVisibleTo(dialog)
    choose(dialog, "顺丰速运")
    dialog.without.setChecked(True)
    assert not dialog.numbers.isEnabled()
    assert "不填快递单号" in dialog.summary.text()
    dialog.accept()
    desk.until(lambda: desk.on_platform(order_id, "status") == 2 and desk.outbox.waiting() == [])
    assert parcels(desk, order_id) == [(sf(desk), "")]


def test_a_bad_sf_number_is_refused_with_the_message_and_nothing_is_sent(desk: Desk) -> None:
    (order_id,) = shippable(desk)
    dialog = open_ship(desk, order_id)
    choose(dialog, "顺丰速运")
    type_numbers(dialog, "SF12345")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error.isVisible() and dialog.error.text() == "请先改正上面标 ✗ 的单号，改正前不会发货。"
    assert "单号 SF12345 有 7 位，快递单号不会这么短" in dialog.checked.text()
    assert dialog.numbers.toPlainText() == "SF12345"  # kept, to be corrected
    assert "✗" in dialog.checked.text()
    screenshot(dialog, "shipping-bad-number")
    assert store.in_state(desk.cache.read, *store.OPEN_STATES, "done") == [] and parcels(desk, order_id) == []
    dialog.reject()


@NO_RAISE
def test_a_number_on_another_order_warns_and_needs_a_second_click(desk: Desk) -> None:
    shipped = desk.cache.read.execute(
        "SELECT o.number, p.tracking_number FROM parcels p JOIN orders o ON o.id = p.order_id "
        "WHERE p.tracking_number LIKE 'SF%' LIMIT 1").fetchone()
    assert shipped is not None
    (order_id,) = shippable(desk)
    dialog = open_ship(desk, order_id)
    choose(dialog, "顺丰速运")
    type_numbers(dialog, shipped[1])
    assert f"已用于订单 {shipped[0]}" in dialog.checked.text()
    dialog.accept()
    assert dialog.isVisible() and dialog.send.text() == "仍然发货"
    assert "再点一次" in dialog.error.text()
    screenshot(dialog, "shipping-duplicate-warning")
    assert store.in_state(desk.cache.read, *store.OPEN_STATES, "done") == []
    dialog.accept()  # seen: ship anyway (one parcel may carry two orders of one buyer)
    desk.until(lambda: desk.on_platform(order_id, "status") == 2 and desk.outbox.waiting() == [])


@NO_RAISE
def test_add_a_tracking_number_to_a_shipped_order(desk: Desk) -> None:
    order_id = desk.ids("status = 2 AND is_need_logistics = 1")[0]
    before = len(parcels(desk, order_id))
    dialog = open_ship(desk, order_id, ADD)
    assert not dialog.without.isVisibleTo(dialog) and not dialog.partial.isVisibleTo(dialog)
    choose(dialog, "SF")
    extra = f"SF{5000000000000 + order_id}"
    type_numbers(dialog, extra)
    assert "将补充 顺丰速运 单号" in dialog.summary.text()
    dialog.accept()
    desk.until(lambda: len(parcels(desk, order_id)) == before + 1 and desk.outbox.waiting() == [])
    assert parcels(desk, order_id)[-1] == (sf(desk), extra)
    # Not for an order still to ship.
    desk.window.order_shipping.targets = lambda: shippable(desk)
    desk.window.order_shipping.update()
    assert not desk.window.order_shipping.actions[ADD].isEnabled()
    assert desk.window.order_shipping.actions[ADD].toolTip() == "只有已发货的快递订单可以补充快递单号"


@NO_RAISE
def test_offline_pickup_after_a_confirmation(desk: Desk) -> None:
    panel = desk.window.shipping_panel
    order_id = desk.ids("status = 1 AND is_need_logistics = 0 AND refund_status = 0 AND id NOT IN "
                        "(SELECT order_id FROM refund_applies WHERE status IN (0, 3))")[0]
    panel.select([order_id])
    assert not panel.actions.actions[SHIP].isEnabled()  # a pickup order is not shipped
    assert "到店自提" in panel.actions.actions[SHIP].toolTip()
    panel.actions.actions[PICKUP].trigger()
    box = panel.actions.dialog
    assert isinstance(box, QMessageBox) and "线下取货" in box.text()
    next(b for b in box.buttons() if b.text() == "设为线下取货").click()
    desk.until(lambda: desk.on_platform(order_id, "status") == 3 and desk.outbox.waiting() == [])


@NO_RAISE
def test_change_the_address_before_shipping(desk: Desk) -> None:
    (order_id,) = shippable(desk)
    panel = desk.window.shipping_panel
    panel.select([order_id])
    panel.actions.actions[RECEIVER].trigger()
    dialog = panel.actions.dialog
    assert isinstance(dialog, ReceiverDialog)
    assert dialog.name.text() and dialog.district.currentData()  # the current address to start from
    dialog.mobile.setText("1380013")
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == "手机号应为 11 位数字，以 13–19 开头"
    assert dialog.mobile.text() == "1380013"
    screenshot(dialog, "shipping-address-error")
    dialog.name.setText("周晓明")
    dialog.mobile.setText("13912345678")
    hangzhou = next(r for r in regions().provinces() if r.name == "浙江省")
    dialog.province.setCurrentIndex(dialog.province.findData(hangzhou.code))
    dialog.city.setCurrentIndex(1)
    dialog.district.setCurrentIndex(1)
    district = dialog.district.currentData()
    dialog.address.setText("文三路 90 号 3 幢 501")
    dialog.accept()
    desk.until(lambda: desk.on_platform(order_id, "link_man") == "周晓明" and desk.outbox.waiting() == [])
    assert desk.on_platform(order_id, "mobile") == "13912345678"
    assert desk.on_platform(order_id, "district_id") == district
    row = desk.cache.read.execute("SELECT receiver_name, district_id FROM orders WHERE id = ?", (order_id,)).fetchone()
    assert tuple(row) == ("周晓明", district)  # the platform's answer, back in the cache


def test_the_plan_checks_what_the_dialog_cannot_see() -> None:
    from app.domain.models import Courier

    courier = Courier(1, "SF", "顺丰速运")
    with pytest.raises(InputError, match="选择快递公司"):
        ship_one.plan(1, "N1", None, [])
    with pytest.raises(InputError, match="填写快递单号"):
        ship_one.plan(1, "N1", courier, [])
    lines = [ship_one.Line(10, "茶", "", 2, 2), ship_one.Line(11, "杯", "", 1, 1)]
    checks = [ship_one.NumberCheck("SF1000000000001", ()), ship_one.NumberCheck("SF1000000000002", ())]
    with pytest.raises(InputError, match="部分发货时一次只能填一个单号"):
        ship_one.plan(1, "N1", courier, checks, items=[(10, 1), (11, 0)], all_lines=lines)
    full = ship_one.plan(1, "N1", courier, checks[:1], items=[(10, 2), (11, 1)], all_lines=lines)
    assert full.items == ()  # everything in full is an ordinary shipment
    assert ship_one.check_receiver("王", "138 0013 8000", "330106000000", "文三路 1 号")["city"] == "杭州市"
    with pytest.raises(InputError, match="省、市、区县"):
        ship_one.check_receiver("王", "13800138000", "330100000000", "文三路 1 号")
    assert ship_one.waiting_text("2024-01-01 00:00:00", datetime(2024, 1, 1, 3, 20)) == "3 小时"
    assert ship_one.waiting_text("2024-01-01 00:00:00", datetime(2024, 1, 3, 1)) == "2 天"
    assert ship_one.waiting_text("2024-01-01 00:00:00", datetime(2024, 1, 1, 0, 45)) == "45 分钟"


def test_a_hidden_queue_reads_the_cache_only_when_shown(desk: Desk, qtbot: QtBot) -> None:
    panel = desk.window.shipping_panel
    desk.window.show_panel("orders")
    asked: list[object] = []
    real = panel.loader.request
    panel.loader.request = lambda *a: asked.append(a) or real(*a)  # type: ignore[method-assign]
    desk.window.shipping_panel.cache_changed()  # a sync wrote, while staff look at the orders
    assert asked == [] and panel._stale  # nothing read behind the orders list
    desk.window.show_panel("shipping")
    qtbot.waitUntil(lambda: len(asked) == 1 and not panel._stale)
