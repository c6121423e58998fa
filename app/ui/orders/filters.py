"""The orders panel's filter bar: date range, refund state, courier, delivery, shipped, printed.

Its state is a plain dict (what saved views and the settings keep); ``order_filter()``
turns it into the cache's ``OrderFilter``. The printed box also holds the print journal's
two views ("printed, not shipped", "shipped, never printed"): under the same "printed" key,
as their names, so a view saved before them (True / False there) loads as it did.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QPushButton, QWidget

from app.domain.enums import OrderRefundState
from app.store.print_journal import PRINTED_STATES
from app.store.queries import OrderFilter
from app.ui.i18n import tr_label, ui_language

# Texts marked for translation here and translated when the bar is built.
DATES = (("all", QT_TRANSLATE_NOOP("FilterBar", "全部时间")), ("today", QT_TRANSLATE_NOOP("FilterBar", "今天")),
         ("7d", QT_TRANSLATE_NOOP("FilterBar", "近 7 天")), ("30d", QT_TRANSLATE_NOOP("FilterBar", "近 30 天")),
         ("custom", QT_TRANSLATE_NOOP("FilterBar", "自定义…")))
ALL_REFUNDS = QT_TRANSLATE_NOOP("FilterBar", "全部售后状态")
DELIVERY = ((None, QT_TRANSLATE_NOOP("FilterBar", "全部配送方式")), (False, QT_TRANSLATE_NOOP("FilterBar", "快递配送")),
            (True, QT_TRANSLATE_NOOP("FilterBar", "到店自提")))
SHIPPED = ((None, QT_TRANSLATE_NOOP("FilterBar", "发货：全部")), (True, QT_TRANSLATE_NOOP("FilterBar", "已发货")),
           (False, QT_TRANSLATE_NOOP("FilterBar", "未发货")))
PRINTED = ((None, QT_TRANSLATE_NOOP("FilterBar", "打印：全部")), (True, QT_TRANSLATE_NOOP("FilterBar", "已打印")),
           (False, QT_TRANSLATE_NOOP("FilterBar", "未打印")),
           ("printed_not_shipped", QT_TRANSLATE_NOOP("FilterBar", "已打印未发货")),
           ("shipped_not_printed", QT_TRANSLATE_NOOP("FilterBar", "已发货未打印")))


def _translated(choices: tuple[tuple[Any, str], ...]) -> tuple[tuple[Any, str], ...]:
    return tuple((value, tr_label("FilterBar", text)) for value, text in choices)


def _refund_choices() -> tuple[tuple[Any, str], ...]:
    # The states' own labels: the domain carries their English.
    lang = ui_language()
    return ((None, tr_label("FilterBar", ALL_REFUNDS)), *((int(s), s.label(lang)) for s in OrderRefundState))


def _combo(choices: tuple[tuple[Any, str], ...], tip: str) -> QComboBox:
    """A choice box over (value, text) pairs whose texts are already translated."""
    box = QComboBox()
    for value, text in choices:
        box.addItem(text, value)
    box.setToolTip(tip)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


def _select(box: QComboBox, value: Any) -> None:
    for i in range(box.count()):
        if box.itemData(i) == value:
            box.setCurrentIndex(i)
            return
    box.setCurrentIndex(0)


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, couriers: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dates = _combo(_translated(DATES), self.tr("下单时间"))
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit, tip in ((self.date_from, self.tr("从（含当天）")), (self.date_to, self.tr("到（含当天）"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setToolTip(tip)
            edit.setVisible(False)
        self.refund = _combo(_refund_choices(), self.tr("售后状态"))
        self.courier = _combo(((None, self.tr("全部快递")), *couriers), self.tr("快递公司（按包裹）"))
        self.delivery = _combo(_translated(DELIVERY), self.tr("快递配送还是到店自提"))
        self.shipped = _combo(_translated(SHIPPED), self.tr("是否已发货"))
        self.printed = _combo(_translated(PRINTED), self.tr("是否已打印发货单"))
        self.clear = QPushButton(self.tr("清除筛选"))
        self.clear.setToolTip(self.tr("回到全部订单（不改状态页和搜索）"))
        self.clear.clicked.connect(self.reset)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.dates, self.date_from, self.date_to, self.refund, self.courier, self.delivery, self.shipped,
                  self.printed, self.clear):
            layout.addWidget(w)
        layout.addStretch(1)
        self.dates.currentIndexChanged.connect(self._dates_changed)
        for box in (self.refund, self.courier, self.delivery, self.shipped, self.printed):
            box.currentIndexChanged.connect(self._changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._changed)
        self._quiet = False

    def _dates_changed(self) -> None:
        custom = self.dates.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self._changed()

    def _changed(self) -> None:
        self.clear.setEnabled(self.state() != {})
        if not self._quiet:
            self.changed.emit()

    def reset(self) -> None:
        self.set_state({})

    # -- state ---------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Only what differs from "everything": saved views stay short and readable."""
        out: dict[str, Any] = {}
        if (dates := self.dates.currentData()) != "all":
            out["dates"] = dates
            if dates == "custom":
                out["from"] = self.date_from.date().toString("yyyy-MM-dd")
                out["to"] = self.date_to.date().toString("yyyy-MM-dd")
        for name, box in (("refund", self.refund), ("courier", self.courier), ("pickup", self.delivery),
                          ("shipped", self.shipped), ("printed", self.printed)):
            if box.currentData() is not None:
                out[name] = box.currentData()
        return out

    def set_state(self, state: dict[str, Any]) -> None:
        self._quiet = True
        try:
            _select(self.dates, state.get("dates", "all"))
            for key, edit in (("from", self.date_from), ("to", self.date_to)):
                if key in state:
                    edit.setDate(QDate.fromString(str(state[key]), "yyyy-MM-dd"))
            _select(self.refund, state.get("refund"))
            _select(self.courier, state.get("courier"))
            _select(self.delivery, state.get("pickup"))
            _select(self.shipped, state.get("shipped"))
            _select(self.printed, state.get("printed"))
        finally:
            self._quiet = False
        self._changed()

    def order_filter(self, base: OrderFilter, today: date | None = None) -> OrderFilter:
        state, today = self.state(), today or date.today()
        start: date | None = None
        end: date | None = None
        dates = state.get("dates")
        if dates == "today":
            start = today
        elif dates == "7d":
            start = today - timedelta(days=6)
        elif dates == "30d":
            start = today - timedelta(days=29)
        elif dates == "custom":
            start = date.fromisoformat(state["from"])
            end = date.fromisoformat(state["to"])
            if end < start:
                start, end = end, start  # a range typed backwards still means the days between
        printed = state.get("printed")
        # A journal view's name, or the plain mark (bool); state() only yields values the box offers.
        view = printed if isinstance(printed, str) and printed in PRINTED_STATES else None
        return replace(
            base,
            created_from=datetime.combine(start, time.min) if start else None,
            created_to=datetime.combine(end, time(23, 59, 59)) if end else None,
            refund_state=state.get("refund"), courier_id=state.get("courier"), pickup=state.get("pickup"),
            shipped=state.get("shipped"), printed=printed if isinstance(printed, bool) else None,
            printed_state=view)
