"""The scan station against a practice platform, driven by key events as a keyboard-wedge
scanner sends them: characters, then Enter (or Tab), at the window — no field clicked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.store import outbox as store
from app.ui.shipping.scan_station import ScanStation
from tests.ui import test_shipping
from tests.ui.conftest import screenshot
from tests.ui.test_order_actions import NO_RAISE, Desk
from tests.ui.test_shipping import parcels, sf, shippable

desk = test_shipping.desk  # the shipping tests' practice shop and window
# The station is raised when opened; the offscreen platform says it cannot.
pytestmark = NO_RAISE


@pytest.fixture
def beeps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    heard: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: heard.append(1)))
    return heard


def station_of(d: Desk) -> ScanStation:
    d.window.scan_action.trigger()
    station = d.window.scan_station
    assert isinstance(station, ScanStation) and station.isVisible()
    return station


def scan(station: ScanStation, text: str, end: Qt.Key = Qt.Key.Key_Return) -> None:
    QTest.keyClicks(station, text)
    QTest.keyClick(station, end)


def ships_of(d: Desk, order_id: int) -> list[store.OutboxEntry]:
    return [e for e in store.for_target(d.cache.read, f"order:{order_id}") if e.action == "order.ship"]


def test_scan_the_order_then_the_label_and_the_order_ships_once(desk: Desk, beeps: list[int]) -> None:
    station = station_of(desk)
    assert desk.window.scan_action.shortcut().toString() == "F8"
    assert all(w.focusPolicy() == Qt.FocusPolicy.NoFocus for w in station.findChildren(type(station.step)))
    assert station.step.text() == "请扫描发货单上的订单条码" and station.count.text() == "本次已发货 0 单"
    order_id, other = shippable(desk, 2)
    number = desk.on_platform(order_id, "order_number")
    # A person typing: long gaps between characters change nothing.
    QTest.keyClicks(station, number[:5])
    QTest.qWait(300)
    QTest.keyClicks(station, number[5:])
    assert station.typed.text() == f"正在读取：{number}"
    QTest.keyClick(station, Qt.Key.Key_Return)
    assert station.step.text() == "请扫描快递面单" and station.order_number.text() == f"订单 {number}"
    assert station.receiver.text() and station.typed.text() == ""
    assert beeps == [1]
    label = f"SF{1409876540000 + order_id}"
    scan(station, label.lower(), Qt.Key.Key_Tab)  # a scanner set to end with Tab
    desk.until(lambda: station.result.text().startswith("已发货 ✓"))
    assert station.result.text() == f"已发货 ✓  订单 {number}" and station.result_role == "success"
    assert parcels(desk, order_id) == [(sf(desk), label)]
    assert station.count.text() == "本次已发货 1 单"
    assert station.step.text() == "请扫描发货单上的订单条码"
    assert station.history.item(0).text() == f"✓ 订单 {number}  顺丰速运 {label}  已发货"
    screenshot(station, "scan-station-shipped")
    # The same label on the next order is refused, and the shipped order stays shipped once.
    scan(station, desk.on_platform(other, "order_number"))
    scan(station, label)
    assert station.result_role == "error" and f"面单 {label} 刚刚已用于订单 {number}" in station.result.text()
    desk.until(lambda: desk.outbox.waiting() == [])
    assert len(ships_of(desk, order_id)) == 1 and ships_of(desk, other) == [] and parcels(desk, other) == []
    # F8 again: the same window, its count kept.
    desk.window.show_scan_station()
    assert desk.window.scan_station is station and station.count.text() == "本次已发货 1 单"


def test_a_wrong_label_shows_the_error_and_ships_nothing(desk: Desk, beeps: list[int]) -> None:
    station = station_of(desk)
    (order_id,) = shippable(desk)
    scan(station, desk.on_platform(order_id, "order_number"))
    beeps.clear()
    scan(station, "SF14098765432")  # SF and 11 digits: a digit lost
    assert station.result_role == "error" and "不是顺丰速运的单号格式" in station.result.text()
    assert "未发货" in station.result.text()
    QTest.qWait(250)  # the second beep of a failure
    assert beeps == [1, 1]
    assert station.step.text() == "请扫描快递面单"  # still waiting for this order's label
    screenshot(station, "scan-station-wrong-label")
    assert ships_of(desk, order_id) == [] and parcels(desk, order_id) == []
    assert desk.on_platform(order_id, "status") == 1
    # Esc twice: what was being read, then the order itself.
    QTest.keyClicks(station, "SF1")
    QTest.keyClick(station, Qt.Key.Key_Escape)
    assert station.typed.text() == ""
    QTest.keyClick(station, Qt.Key.Key_Escape)
    assert station.step.text() == "请扫描发货单上的订单条码" and station.result.text() == "等待扫码"


def test_an_unknown_order_number_shows_an_error(desk: Desk, beeps: list[int]) -> None:
    station = station_of(desk)
    scan(station, "26119999999999")
    assert station.result_role == "error" and station.result.text().startswith("找不到订单 26119999999999")
    assert station.step.text() == "请扫描发货单上的订单条码" and station.order_number.text() == "（还没有订单）"
    QTest.qWait(250)
    assert beeps == [1, 1]
    # Backspace mends a typing slip; a bare Enter (a scanner's second suffix) is no scan.
    QTest.keyClicks(station, "12X")
    QTest.keyClick(station, Qt.Key.Key_Backspace)
    assert station.typed.text() == "正在读取：12"
    QTest.keyClick(station, Qt.Key.Key_Escape)
    QTest.keyClick(station, Qt.Key.Key_Return)
    assert station.result.text().startswith("找不到订单")  # unchanged
