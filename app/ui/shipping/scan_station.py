"""The scan station: a window for a barcode scanner that types like a keyboard.

Scan the order barcode on the slip, then the courier label, and the order ships. Packing
staff hold a parcel and a scanner, not a mouse: there is no field to click into first.
The window takes every key itself (no child can take focus), gathers characters and ends
a scan at Enter, Return or Tab — whatever suffix the scanner is set to send. There is no
timeout between characters, so a number typed by hand on the keyboard works the same.

What to do next, the order and the result are shown in very large text, coloured by the
theme's success and error roles, with a sound: PySide6-Essentials has no QtMultimedia
(QSoundEffect), so the sound is the system beep — once for a good scan, twice for a bad
one. The steps and checks are app.services.scan_flow's; a shipment is one
``order.ship`` through the outbox client, and "已发货 ✓" shows only when the outbox says
the platform took it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.services import ship_one
from app.services.scan_flow import Outcome, ScanFlow
from app.store import outbox as outbox_store
from app.store import shipping
from app.ui import theme
from app.ui.i18n import ui_language
from app.ui.outbox import OutboxClient
from app.ui.shipping.ship_dialog import LAST_COURIER

if TYPE_CHECKING:
    import asyncio

SCAN_COURIER = "shipping/scan_courier"  # the default courier for numbers whose form names none
SCAN_ENDS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
SECOND_BEEP_MS = 180  # apart enough to hear two beeps, close enough to belong together
HISTORY = 50  # rows kept in the list of this session's shipments

# Sizes in px, not pt: the station is read from a step away, whatever the desktop's scaling.
STEP_STYLE = "font-size: 34px; font-weight: bold;"
ORDER_STYLE = "font-size: 26px;"
DETAIL_STYLE = "font-size: 20px;"
RESULT_STYLE = "font-size: 30px; font-weight: bold; color: {c}; border: 3px solid {c}; padding: 12px;"
MUTED_STYLE = "font-size: 16px; color: $muted;"
COUNT_STYLE = "font-size: 22px; font-weight: bold;"


class ScanStation(QWidget):
    def __init__(self, client: OutboxClient, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.client = client
        self.settings = settings
        self.setWindowTitle(self.tr("扫码发货"))
        self.buffer = ""
        self.shipped = 0  # orders the platform confirmed this session
        self.flow = ScanFlow(client.cache.read, shipping.couriers(client.cache.read))
        self._latest: int | None = None  # the submission the result area shows (an order id)
        self._rows: dict[int, QListWidgetItem] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.result_role = "muted"

        self.step = QLabel()
        self.step.setObjectName("step")
        self.step.setWordWrap(True)
        theme.style(self.step, STEP_STYLE)
        self.order_number = QLabel()
        self.order_number.setObjectName("order_number")
        theme.style(self.order_number, ORDER_STYLE)
        self.receiver = QLabel()
        self.receiver.setWordWrap(True)
        theme.style(self.receiver, DETAIL_STYLE)
        self.goods = QLabel()
        self.goods.setWordWrap(True)
        theme.style(self.goods, DETAIL_STYLE)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.setMinimumHeight(90)
        self.typed = QLabel()
        self.typed.setObjectName("typed")
        theme.style(self.typed, MUTED_STYLE)
        self.count = QLabel()
        self.count.setObjectName("count")
        theme.style(self.count, COUNT_STYLE)

        self.courier = QComboBox()
        self.courier.setObjectName("default_courier")
        self.courier.setToolTip(self.tr("纯数字的快递单号（中通、申通、韵达等）看不出是哪家快递，按这里选择的发货"))
        self._fill_couriers()
        self.courier.currentIndexChanged.connect(self._courier_chosen)

        self.history = QListWidget()
        self.history.setObjectName("history")
        theme.style(self.history, "font-size: 15px;")
        self.history.setMaximumHeight(150)

        order_box = QFrame()
        order_box.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(order_box)
        box.addWidget(self.order_number)
        box.addWidget(self.receiver)
        box.addWidget(self.goods)

        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        courier_caption = QLabel(self.tr("默认快递（纯数字单号）"))
        theme.style(courier_caption, MUTED_STYLE)
        top.addWidget(courier_caption)
        top.addWidget(self.courier)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(self.step)
        layout.addWidget(order_box)
        layout.addWidget(self.result)
        layout.addWidget(self.typed)
        layout.addWidget(self.history, 1)
        hint = QLabel(self.tr("无需点击输入框：直接扫码。Esc 清除正在读的内容，再按一次放弃当前订单。"))
        hint.setWordWrap(True)
        theme.style(hint, MUTED_STYLE)
        layout.addWidget(hint)

        # Every key comes to the window: nothing inside may take focus away from it.
        for child in self.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.resize(900, 720)
        self._show_step()
        self._show_result(None)
        self._show_count()

    # ---- the default courier

    def _fill_couriers(self) -> None:
        self.courier.blockSignals(True)
        self.courier.clear()
        self.courier.addItem(self.tr("（未选择）"), None)
        for c in self.flow.couriers:
            self.courier.addItem(c.name, c.id)
        saved = self.settings.value(SCAN_COURIER, self.settings.value(LAST_COURIER))
        index = self.courier.findData(int(saved)) if str(saved or "").lstrip("-").isdigit() else -1
        self.courier.setCurrentIndex(max(index, 0))
        self.courier.blockSignals(False)
        self.flow.default_courier_id = self.courier.currentData()

    def _courier_chosen(self, _index: int) -> None:
        self.flow.default_courier_id = self.courier.currentData()
        if self.flow.default_courier_id is None:
            self.settings.remove(SCAN_COURIER)
        else:
            self.settings.setValue(SCAN_COURIER, self.flow.default_courier_id)
        self.setFocus()  # the combo popup had the keys; the scanner needs them back

    # ---- keys

    def event(self, event: QEvent) -> bool:
        # Here, not in keyPressEvent: QWidget.event spends Tab on moving the focus first.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and event.text():
            event.accept()  # a scanned character is never a shortcut
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self.key(event)
            return True
        return super().event(event)

    def key(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in SCAN_ENDS:
            self.finish_scan()
        elif key == Qt.Key.Key_Backspace:
            self.buffer = self.buffer[:-1]
        elif key == Qt.Key.Key_Escape:
            if self.buffer:
                self.buffer = ""
            else:
                self.flow.reset()
                self._show_step()
                self._show_result(None)
        else:
            text = event.text()
            if text and text.isprintable():
                self.buffer += text
        self.typed.setText(self.tr("正在读取：{text}").format(text=self.buffer) if self.buffer else "")

    def finish_scan(self) -> None:
        raw, self.buffer = self.buffer, ""
        self.typed.setText("")
        if not raw.strip():
            return  # a scanner set to send Tab and Enter ends each code twice
        self.scan(raw)

    # ---- scans

    def scan(self, raw: str) -> Outcome:
        """One complete scan, as if typed and ended with Enter."""
        # The platform's courier list may have been synced since the window opened.
        couriers = shipping.couriers(self.client.cache.read)
        if couriers != list(self.flow.couriers):
            self.flow.couriers = couriers
            self._fill_couriers()
        outcome = self.flow.scan(raw)
        if outcome.kind == "ship" and outcome.plan is not None:
            self._send(outcome)
        else:
            self._latest = None
            self._show_result(outcome.text(ui_language()), "error" if not outcome.ok else "success")
            self._sound(outcome.ok)
        self._show_step(outcome)
        return outcome

    def _send(self, outcome: Outcome) -> None:
        plan = outcome.plan
        assert plan is not None
        task = self.client.submit_steps(plan.steps())
        if task is None:  # not connected: nothing recorded, so the order still waits for this label
            self.flow.forget(plan)
            self.flow.order, self.flow.state = outcome.order, "label"
            self._latest = None
            self._show_result(self.tr("尚未连接平台，未发货。请稍候再扫一次面单。"), "error")
            self._sound(False)
            return
        self._latest = plan.order_id
        item = QListWidgetItem(self.tr("… 订单 {number}  {courier} {tracking}  发送中").format(
            number=plan.order_number, courier=plan.courier.name, tracking=plan.numbers[0]))
        self.history.insertItem(0, item)
        self._rows[plan.order_id] = item
        while self.history.count() > HISTORY:
            self.history.takeItem(self.history.count() - 1)
        self._show_result(self.tr("正在发送：{what}").format(what=outcome.text(ui_language())), "pending")
        self._sound(True)
        self._tasks.add(task)
        task.add_done_callback(lambda t, p=plan: self._sent(t, p))

    def _sent(self, task: asyncio.Task[None], plan: ship_one.ShipPlan) -> None:
        self._tasks.discard(task)
        if not isValid(self):
            return  # the window closed while the platform answered: the outbox still reports
        entries = [e for e in outbox_store.for_target(self.client.cache.read, f"order:{plan.order_id}")
                   if e.action == ship_one.SHIP]
        entry = entries[-1] if entries else None
        state = entry.state if entry is not None else "failed"
        n, tracking = plan.order_number, plan.numbers[0]
        if state == "done":
            self.shipped += 1
            self._show_count()
            text, role = self.tr("已发货 ✓  订单 {number}").format(number=n), "success"
            row = self.tr("✓ 订单 {number}  {courier} {tracking}  已发货")
        elif state in outbox_store.OPEN_STATES:
            text, role = self.tr("订单 {number} 已加入待发送队列，恢复连接后自动发送").format(number=n), "pending"
            row = self.tr("… 订单 {number}  {courier} {tracking}  待发送")
        else:
            self.flow.forget(plan)  # not shipped: the slip and the label may come again
            error = entry.error if entry is not None and entry.error else self.tr("发送未完成")
            text = self.tr("订单 {number} 未发货：{error}").format(number=n, error=error)
            role = "error"
            row = self.tr("✗ 订单 {number}  {courier} {tracking}  未发货")
        item = self._rows.get(plan.order_id)
        if item is not None:
            item.setText(row.format(number=n, courier=plan.courier.name, tracking=tracking))
            item.setForeground(theme.color(role))
        if self._latest == plan.order_id:
            self._show_result(text, role)
        if role != "pending":
            self._sound(role == "success")

    # ---- showing

    def _show_step(self, outcome: Outcome | None = None) -> None:
        order = self.flow.order if self.flow.state == "label" else None
        self.step.setText(self.tr("请扫描快递面单") if order is not None else self.tr("请扫描发货单上的订单条码"))
        shown = order or (outcome.order if outcome is not None and outcome.kind == "ship" else None)
        if shown is None:
            self.order_number.setText(self.tr("（还没有订单）"))
            self.receiver.setText("")
            self.goods.setText("")
            return
        self.order_number.setText(self.tr("订单 {number}").format(number=shown.number))
        self.receiver.setText(f"{shown.receiver}\n{shown.address}".strip())
        self.goods.setText(shown.goods)

    def _show_result(self, text: str | None, role: str = "muted") -> None:
        if not text:
            text, role = self.tr("等待扫码"), "muted"
        self.result.setText(text)
        self.result_role = role  # for tests: which theme colour the result is in
        theme.style(self.result, RESULT_STYLE.format(c=f"${role}"))

    def _show_count(self) -> None:
        self.count.setText(self.tr("本次已发货 {count} 单").format(count=self.shipped))

    def _sound(self, ok: bool) -> None:
        QApplication.beep()
        if not ok:
            QTimer.singleShot(SECOND_BEEP_MS, QApplication.beep)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()
        self.setFocus()
