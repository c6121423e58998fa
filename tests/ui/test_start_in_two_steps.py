"""The window at start: the orders list first, the rest straight after its first paint
(MainWindow(complete=False), then complete()), with nothing lost or out of place."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from app.services import order_actions as oa
from app.store.database import Cache
from app.store.queries import OrderFilter
from app.ui.orders.detail import OrderDetailPane, OrderDetailWindow
from app.ui.orders.detail_empty import EMPTY
from app.ui.orders.loader import FIRST, ViewLoader
from app.ui.shell.main_window import MainWindow
from app.ui.shipping.panel import ShippingPanel
from tests.ui.test_shell import (
    NO_RAISE,
    TITLE,
    private_settings,  # noqa: F401 - autouse: the user's settings stay untouched
    settings_file,
    write,
)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    write(c, range(1, FIRST + 31))  # more than the first window: the whole list comes after it
    yield c
    c.close()


def light_window(qtbot: QtBot, cache: Cache, tmp_path: Path) -> MainWindow:
    w = MainWindow(cache, TITLE, practice=True, settings=settings_file(tmp_path), complete=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.orders_panel.answered)
    return w


def menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for a in window.orders_menu.actions()]


def test_the_first_paint_has_the_orders_list_and_completing_adds_the_rest_in_place(
        qtbot: QtBot, cache: Cache, tmp_path: Path) -> None:
    w = light_window(qtbot, cache, tmp_path)
    panel = w.orders_panel
    assert not w.completed and not panel.completed
    assert [w.nav.item(i).text() for i in range(w.nav.count())] == ["订单"]
    stand_in = panel.splitter.widget(1)
    assert isinstance(stand_in, QLabel) and stand_in.text() == EMPTY  # the pane's own empty state
    assert menu_texts(w) == ["", "待发送队列…(&Q)", "扫码发货…"]  # the order actions come with complete()
    assert panel.model.loading  # the first rows only: the whole list is held back (hold_after_first)
    qtbot.wait(200)
    assert panel.model.loading
    sizes = panel.splitter.sizes()  # as laid out, not the sizes the splitter was built with

    w.complete()
    assert w.completed and panel.completed
    assert panel.splitter.widget(1) is panel.detail and isinstance(panel.detail, OrderDetailPane)
    qtbot.wait(50)  # the splitter lays the new pane out on the next turn of the loop
    assert panel.splitter.sizes() == sizes  # nothing moves on screen
    assert [w.nav.item(i).text() for i in range(w.nav.count())] == ["订单", "发货"]
    assert isinstance(w.shipping_panel, ShippingPanel) and w.stack.currentWidget() is panel
    texts = menu_texts(w)
    assert texts[:2] == [w.order_actions.actions[name].text() for name in (oa.CHANGE_PRICE, oa.REMARK)]
    assert texts[-3:] == ["", "待发送队列…(&Q)", "扫码发货…"]  # still last, after one separator
    assert len(texts) == 6 + 2 + 3  # six actions in three groups, then the queue and the scanner
    assert set(w.order_actions.all()) <= set(w.actions())  # their shortcuts work from the window
    qtbot.waitUntil(lambda: not panel.model.loading)  # released: the whole list came
    assert panel.model.rowCount() == FIRST + 30
    w.complete()  # a second time changes nothing
    assert [w.nav.item(i).text() for i in range(w.nav.count())] == ["订单", "发货"]
    w.close()


@NO_RAISE
def test_what_needs_the_rest_before_it_is_built_builds_it_first(qtbot: QtBot, cache: Cache, tmp_path: Path) -> None:
    w = light_window(qtbot, cache, tmp_path)
    panel = w.orders_panel
    panel.table.selectRow(0)  # a click before completion: the footer counts it, the pane shows it later
    assert "已选 1 笔" in panel.footer.text()
    w.open_order(panel.model.order_id(0) or 0)  # a double-click before completion
    assert w.completed
    assert panel.detail.order_id == panel.model.order_id(0)  # the selection made before is shown
    assert any(isinstance(child, OrderDetailWindow) for child in w.findChildren(QMainWindow))
    w.close()


def test_a_window_closed_before_it_was_completed_keeps_the_shipping_panels_saved_state(
        qtbot: QtBot, cache: Cache, tmp_path: Path) -> None:
    settings = settings_file(tmp_path)
    saved = '{"sort": "waiting_desc", "overdue_hours": 12}'
    settings.setValue("shipping/view", saved)
    settings.sync()
    w = light_window(qtbot, cache, tmp_path)
    w.close()  # saves the orders panel's state; nothing of a shipping panel that never was
    again = settings_file(tmp_path)
    assert again.value("main/panel") == "orders"
    assert again.value("shipping/view") == saved


def test_a_window_that_last_showed_another_panel_is_built_whole(qtbot: QtBot, cache: Cache, tmp_path: Path) -> None:
    settings = settings_file(tmp_path)
    settings.setValue("main/panel", "shipping")
    settings.sync()
    w = MainWindow(cache, TITLE, practice=True, settings=settings_file(tmp_path), complete=False)
    qtbot.addWidget(w)
    assert w.completed  # its first paint is the shipping queue: nothing to gain from two steps
    assert w.stack.currentWidget() is w.shipping_panel
    w.close()


def test_a_held_loader_sends_the_first_rows_and_the_rest_only_when_released(qtbot: QtBot, cache: Cache) -> None:
    loader = ViewLoader(cache)
    firsts: list[int] = []
    fulls: list[int] = []
    loader.first.connect(lambda _r, ids, _n: firsts.append(len(ids)))
    loader.full.connect(lambda _r, ids: fulls.append(len(ids)))
    loader.hold_after_first()
    loader.request(OrderFilter(), "created_desc")
    qtbot.waitUntil(lambda: firsts == [FIRST])
    qtbot.wait(200)
    assert fulls == []
    loader.release()
    qtbot.waitUntil(lambda: fulls == [FIRST + 30])
    loader.close()


def test_closing_a_held_loader_does_not_wait_for_the_hold(qtbot: QtBot, cache: Cache) -> None:
    loader = ViewLoader(cache)
    firsts: list[int] = []
    loader.first.connect(lambda _r, ids, _n: firsts.append(len(ids)))
    loader.hold_after_first()
    loader.request(OrderFilter(), "created_desc")
    qtbot.waitUntil(lambda: bool(firsts))
    closing = threading.Thread(target=loader.close)
    closing.start()
    closing.join(1.0)  # HOLD_AT_MOST is 3 s: a close that waited for it would still be running
    assert not closing.is_alive()


def test_a_newer_request_does_not_wait_behind_a_held_one(qtbot: QtBot, cache: Cache) -> None:
    """At start the panel asks twice (its default view, then the saved one): the second must
    not queue behind the first's hold."""
    loader = ViewLoader(cache)
    firsts: list[int] = []
    loader.first.connect(lambda request, _ids, _n: firsts.append(request))
    loader.hold_after_first()
    older = loader.request(OrderFilter(), "created_desc")
    qtbot.waitUntil(lambda: firsts == [older])  # held now, after its first rows
    newer = loader.request(OrderFilter(text="张敏"), "created_desc")
    qtbot.waitUntil(lambda: firsts == [older, newer], timeout=1_000)  # the hold lasts 3 s
    loader.close()
