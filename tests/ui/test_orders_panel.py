"""The orders panel over a real cache: tabs and counts, search as you type, filters,
sorting, selection kept across cache changes, saved views, and the model's contract."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.enums import OrderStatus
from app.services.order_columns import KEYS as COLUMN_KEYS
from app.store import orders as store_orders
from app.store import queries
from app.store.database import Cache
from app.store.queries import OrderFilter, OrderTab
from app.ui.orders.model import OrdersModel
from app.ui.orders.panel import TABS, OrdersPanel
from tests.ui.conftest import screenshot
from tests.unit.test_store import make_bundle

STATUSES = [OrderStatus.UNPAID, OrderStatus.TO_SHIP, OrderStatus.SHIPPED, OrderStatus.DONE, OrderStatus.CLOSED]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    bundles = [make_bundle(i, status=STATUSES[i % 5], pickup=i % 11 == 0) for i in range(1, 301)]
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


@pytest.fixture
def panel(qtbot: QtBot, cache: Cache) -> Iterator[OrdersPanel]:
    p = OrdersPanel(cache)
    qtbot.addWidget(p)
    p.resize(1400, 800)
    p.show()
    settle(qtbot, p)
    yield p
    p.shutdown()


def settle(qtbot: QtBot, panel: OrdersPanel) -> None:
    """Wait until the newest request's rows and counts are in."""
    qtbot.waitUntil(lambda: not panel.model.loading and "读取中" not in panel.footer.text()
                    and panel.tabs.tabText(0) != OrderTab.ALL.label(), timeout=5000)


def shown_ids(panel: OrdersPanel) -> list[int]:
    return [panel.model.order_id(r) for r in range(panel.model.rowCount())]  # type: ignore[misc]


def test_rows_newest_first_with_tab_counts(panel: OrdersPanel, cache: Cache) -> None:
    assert shown_ids(panel) == list(range(300, 0, -1))
    counts = queries.tab_counts(cache.read)
    for i, tab in enumerate(TABS):
        assert panel.tabs.tabText(i) == f"{tab.label()} {counts[tab]:,}"
    row = panel.model.row_of(42)
    assert panel.model.index(row, 0).data() == "26110000000042"
    assert panel.model.index(row, 3).data() == "王伟芳"  # NAMES[42 % 6], and 芳 for a multiple of 3
    assert panel.model.index(row, 7).data() == "60.00"  # paid 18 + 42, from cents
    assert "共 300 笔订单" in panel.footer.text()
    screenshot(panel.window(), "orders-panel")


def test_a_tab_shows_its_orders_and_the_counts_follow_the_filters(qtbot: QtBot, panel: OrdersPanel,
                                                                   cache: Cache) -> None:
    panel.tabs.setCurrentIndex(TABS.index(OrderTab.TO_SHIP))
    settle(qtbot, panel)
    assert set(shown_ids(panel)) == {i for i in range(1, 301) if i % 5 == 1}
    panel.filters.set_state({"pickup": True})
    qtbot.waitUntil(lambda: panel.model.rowCount() == len([i for i in range(1, 301) if i % 5 == 1 and i % 11 == 0]))
    settle(qtbot, panel)
    # The tabs count under the filters, not the whole shop.
    pickups = OrderFilter(pickup=True)
    assert panel.tabs.tabText(TABS.index(OrderTab.ALL)) == f"全部 {queries.count(cache.read, pickups):,}"


def test_search_as_you_type(qtbot: QtBot, panel: OrdersPanel) -> None:
    qtbot.keyClicks(panel.search, "13800130123")
    qtbot.waitUntil(lambda: shown_ids(panel) == [123], timeout=5000)
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 300, timeout=5000)
    panel.search.setText("大闸蟹")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 75, timeout=5000)
    panel.search.setText("没有这样的订单")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5000)
    assert "共 0 笔订单" in panel.footer.text()


def test_header_click_sorts_in_sql(qtbot: QtBot, panel: OrdersPanel) -> None:
    header = panel.table.horizontalHeader()
    header.setSortIndicator(7, Qt.SortOrder.DescendingOrder)  # 实付
    qtbot.waitUntil(lambda: panel.sort == "paid_desc" and panel.model.order_id(0) == 300)
    header.setSortIndicator(7, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: panel.model.order_id(0) == 1)
    header.setSortIndicator(4, Qt.SortOrder.AscendingOrder)  # 手机: not sortable, the arrow goes back
    assert panel.sort == "paid_asc" and header.sortIndicatorSection() == 7


def test_selection_survives_a_cache_change(qtbot: QtBot, panel: OrdersPanel, cache: Cache) -> None:
    panel.show_order(42)
    assert panel.selected_ids() == [42]
    changed = replace(make_bundle(42, status=STATUSES[2]), order=replace(
        make_bundle(42, status=STATUSES[2]).order, admin_remark="加急"))
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [changed, make_bundle(301)]))
    panel.cache_changed()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 301, timeout=5000)
    settle(qtbot, panel)
    assert panel.selected_ids() == [42]
    assert "加急" in panel.model.index(panel.model.row_of(42), 10).data()


def test_show_order_outside_the_current_view_switches_to_all(qtbot: QtBot, panel: OrdersPanel) -> None:
    panel.tabs.setCurrentIndex(TABS.index(OrderTab.CLOSED))
    settle(qtbot, panel)
    assert panel.model.row_of(42) is None
    panel.show_order(42)
    qtbot.waitUntil(lambda: panel.selected_ids() == [42], timeout=5000)
    assert panel.tabs.currentIndex() == 0


def test_copy_numbers_and_open(qtbot: QtBot, panel: OrdersPanel) -> None:
    panel.table.selectRow(0)
    panel.table.selectionModel().select(panel.model.index(1, 0), panel.table.selectionModel().SelectionFlag.Select
                                        | panel.table.selectionModel().SelectionFlag.Rows)
    panel.copy_numbers.trigger()
    assert QApplication.clipboard().text() == "26110000000300\n26110000000299"
    with qtbot.waitSignal(panel.order_activated) as opened:
        panel.table.doubleClicked.emit(panel.model.index(0, 0))
    assert opened.args == [300]


def test_saved_views_and_state_persist(qtbot: QtBot, panel: OrdersPanel, cache: Cache, tmp_path: Path) -> None:
    panel.tabs.setCurrentIndex(TABS.index(OrderTab.SHIPPED))
    panel.filters.set_state({"printed": False, "dates": "custom", "from": "2026-11-01", "to": "2026-11-01"})
    panel.set_sort("paid_desc")
    settle(qtbot, panel)
    panel.save_view("已发货未打印")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    panel.save_state(settings)
    settings.sync()

    again = OrdersPanel(cache)
    qtbot.addWidget(again)
    again.restore_state(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settle(qtbot, again)
    assert again.state() == panel.state()
    assert again.views == {"已发货未打印": panel.state()}
    assert shown_ids(again) == shown_ids(panel) != []
    again.set_state({})
    settle(qtbot, again)
    assert again.model.rowCount() == 300
    again.set_state(again.views["已发货未打印"])
    settle(qtbot, again)
    assert shown_ids(again) == shown_ids(panel)
    again.shutdown()


def test_columns_can_be_hidden_and_stay_hidden(qtbot: QtBot, panel: OrdersPanel, cache: Cache,
                                               tmp_path: Path) -> None:
    header = panel.table.horizontalHeader()
    menu = panel.column_menu()
    mobile = next(a for a in menu.actions() if a.text() == "手机")
    mobile.setChecked(False)
    assert header.isSectionHidden(COLUMN_KEYS.index("mobile"))
    settings = QSettings(str(tmp_path / "cols.ini"), QSettings.Format.IniFormat)
    panel.save_state(settings)
    again = OrdersPanel(cache)
    qtbot.addWidget(again)
    again.restore_state(settings)
    assert again.table.horizontalHeader().isSectionHidden(COLUMN_KEYS.index("mobile"))
    again.shutdown()
    for i in range(len(COLUMN_KEYS)):  # down to one column: that one cannot be hidden
        if i != 0:
            header.setSectionHidden(i, True)
    last = panel.column_menu().actions()[0]
    assert last.isChecked() and not last.isEnabled()
    every = next(a for a in panel.column_menu().actions() if a.text() == "显示全部列")
    every.trigger()
    assert not any(header.isSectionHidden(i) for i in range(len(COLUMN_KEYS)))


def test_model_contract(qtmodeltester, cache: Cache) -> None:  # type: ignore[no-untyped-def]
    model = OrdersModel(lambda: cache.read)
    view = queries.OrderView(cache.read, OrderFilter())
    model.show_ids(view.ids[:50], len(view.ids))  # first rows known, the rest loading
    qtmodeltester.check(model)
    assert model.loading and model.index(200, 0).data() == "读取中…"
    model.complete(view.ids)
    qtmodeltester.check(model)
    assert not model.loading and model.index(200, 0).data() == "26110000000100"


def test_rows_shown_before_the_count_are_kept_when_the_rest_arrives(qtmodeltester, qtbot: QtBot,  # type: ignore[no-untyped-def]
                                                                     cache: Cache) -> None:
    model = OrdersModel(lambda: cache.read)
    view = queries.OrderView(cache.read, OrderFilter())
    model.show_ids(view.ids[:200], -1)  # a search's first rows, not counted yet
    assert model.counting and model.rowCount() == 200 and not model.loading
    qtmodeltester.check(model)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        assert model.complete(view.ids) is False  # appended, not reset: scroll and selection stay
    assert not model.counting and model.rowCount() == 300
    qtmodeltester.check(model)
    model.show_ids(view.ids[:200], -1)
    model.complete(view.ids[:200])  # exactly as many as were shown
    assert not model.counting and model.rowCount() == 200


def test_a_search_with_many_results_shows_rows_first_and_counts_after(qtbot: QtBot, panel: OrdersPanel) -> None:
    panel.search.setText("2611")  # every order: more than the first window
    qtbot.waitUntil(lambda: panel.model.rowCount() == 300 and not panel.model.counting, timeout=5000)
    assert "共 300 笔订单" in panel.footer.text()


def test_scrolling_keeps_a_bounded_number_of_rows(cache: Cache) -> None:
    model = OrdersModel(lambda: cache.read)
    model.BLOCK, model.KEEP_BLOCKS = 10, 3
    view = queries.OrderView(cache.read, OrderFilter())
    model.complete(view.ids)
    for row in range(0, 300, 7):
        assert model.index(row, 0).data() is not None
    assert len(model._blocks) <= 3


def test_an_export_of_the_view_runs_off_the_gui_thread(qtbot: QtBot, panel: OrdersPanel, tmp_path: Path) -> None:
    from app.ui.orders.export_dialog import ExportJob

    panel.tabs.setCurrentIndex(TABS.index(OrderTab.TO_SHIP))
    settle(qtbot, panel)
    job = ExportJob(panel.cache, panel.model.ids(), ["number", "status"], tmp_path / "待发货.csv")
    with qtbot.waitSignal(job.finished, timeout=5000) as done:
        job.start()
    assert done.args == [60, str(tmp_path / "待发货.csv")]
    lines = (tmp_path / "待发货.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "订单号,状态" and lines[1] == "26110000000296,待发货" and len(lines) == 61
    bad = ExportJob(panel.cache, [1], ["number"], tmp_path / "订单.txt")
    with qtbot.waitSignal(bad.failed, timeout=5000) as failed:
        bad.start()
    assert ".xlsx 或 .csv" in failed.args[0]
