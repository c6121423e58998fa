"""Shipping actions over the orders a view names: ship, add tracking numbers, offline
pickup, change the address, and print slips, packing lists and pick lists.

Like the order actions (app.ui.orders.actions), each is enabled only when the order and
the platform allow it, with the reason as its tooltip, and every write goes through the
outbox client. The dialogs open with open(), never exec().
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.domain.enums import OrderStatus
from app.platform.api import Capability
from app.services import order_actions as oa
from app.services import ship_one
from app.services.print_templates import Kind, TemplateError
from app.store import shipping
from app.ui.outbox import OutboxClient
from app.ui.printing.dialog import PrintPreview, print_orders
from app.ui.shipping.receiver_dialog import ReceiverDialog
from app.ui.shipping.ship_dialog import ShipDialog

SHIP, ADD, PICKUP, RECEIVER = "ship", "add_tracking", "pickup", "receiver"
LABELS = {SHIP: QT_TRANSLATE_NOOP("ShipActions", "发货…"), ADD: QT_TRANSLATE_NOOP("ShipActions", "补充快递单号…"),
          PICKUP: QT_TRANSLATE_NOOP("ShipActions", "线下取货…"),
          RECEIVER: QT_TRANSLATE_NOOP("ShipActions", "修改收货地址…")}
PRINTS: dict[Kind, str] = {"slip": QT_TRANSLATE_NOOP("ShipActions", "打印发货单"),
                           "packing": QT_TRANSLATE_NOOP("ShipActions", "打印装箱单"),
                           "picklist": QT_TRANSLATE_NOOP("ShipActions", "打印拣货单")}
# Write actions each kind of action must not be queued behind (its outcome decides this one).
BLOCKING = {SHIP: ("order.ship", "order.pickup", "order.close", "order.success"),
            ADD: ("order.add_tracking",), PICKUP: ("order.ship", "order.pickup", "order.close", "order.success"),
            RECEIVER: ("order.change_receiver", "order.ship", "order.pickup")}
NONE_SELECTED = QT_TRANSLATE_NOOP("ShipActions", "先在列表中选择订单")


def never(_capability: Capability) -> bool:
    return False


class ShipActions(QObject):
    def __init__(self, client: OutboxClient, targets: Callable[[], list[int]], parent: QWidget,
                 settings: QSettings, *, shortcut_ship: bool = False) -> None:
        super().__init__(parent)
        self.client = client
        self.targets = targets
        self.widget = parent
        self.settings = settings
        self.supports: Callable[[Capability], bool] = never  # until the platform is known (set_supports)
        self.dialog: QDialog | QMessageBox | None = None  # the one open, for tests and to keep it alive
        self.previews: list[PrintPreview] = []
        self.actions: dict[str, QAction] = {}
        for name, label in LABELS.items():
            action = QAction(self.tr(label), parent)
            action.triggered.connect(lambda _c=False, n=name: self.trigger(n))
            self.actions[name] = action
        if shortcut_ship:
            # Enter on the queue's table: the one thing done to a row there.
            self.actions[SHIP].setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
            self.actions[SHIP].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.prints: dict[Kind, QAction] = {}
        for kind, label in PRINTS.items():
            action = QAction(self.tr(label), parent)
            action.triggered.connect(lambda _c=False, k=kind: self.print(k))
            self.prints[kind] = action
        client.changed.connect(self.update)
        self.update()

    def set_supports(self, supports: Callable[[Capability], bool]) -> None:
        self.supports = supports
        self.update()

    # ---- enabled or not, and why

    def _row(self, order_id: int) -> sqlite3.Row | None:
        return self.client.cache.read.execute(
            "SELECT id, number, status, needs_delivery FROM orders WHERE id = ?", (order_id,)).fetchone()

    def allowed(self, name: str) -> tuple[bool, str]:
        ids = self.targets()
        if self.client.outbox is None:
            return False, self.tr("尚未连接平台")
        if not ids:
            return False, self.tr(NONE_SELECTED)
        if len(ids) > 1:
            return False, self.tr("一次只能对一笔订单操作")
        row = self._row(ids[0])
        if row is None:
            return False, self.tr("该订单已不在本地缓存中")
        waiting = oa.waiting_actions(self.client.cache.read, ids).get(ids[0], [])
        if any(a in BLOCKING[name] for a in waiting):
            return False, self.tr("待发送队列中有这笔订单的写入，发送后再操作")
        status, delivery = OrderStatus(row["status"]), bool(row["needs_delivery"])
        if name == SHIP:
            if status != OrderStatus.TO_SHIP:
                return False, self.tr("只有待发货的订单可以发货")
            if not delivery:
                return False, self.tr("到店自提的订单不需要发货：买家到店后核销或设为线下取货")
        elif name == ADD:
            if status not in (OrderStatus.SHIPPED, OrderStatus.TO_REVIEW) or not delivery:
                return False, self.tr("只有已发货的快递订单可以补充快递单号")
        elif name == PICKUP:
            if not self.supports(Capability.OFFLINE_PICKUP):
                return False, self.tr("该平台不支持线下取货")
            if status != OrderStatus.TO_SHIP:
                return False, self.tr("只有待发货或待自提的订单可以设为线下取货")
        elif name == RECEIVER:
            if not self.supports(Capability.CHANGE_RECEIVER):
                return False, self.tr("该平台不支持修改收货地址")
            if status not in (OrderStatus.UNPAID, OrderStatus.TO_SHIP) or not delivery:
                return False, self.tr("只有未发货的快递订单可以修改收货地址")
        return True, ""

    def update(self) -> None:
        for name, action in self.actions.items():
            ok, why = self.allowed(name)
            action.setEnabled(ok)
            action.setToolTip(why or action.text())
            action.setStatusTip(why)
        count = len(self.targets())
        for action in self.prints.values():
            action.setEnabled(count > 0)
            action.setToolTip(self.tr("为所选 {count} 笔订单打印").format(count=count) if count
                              else self.tr(NONE_SELECTED))

    # ---- doing

    def trigger(self, name: str) -> None:
        ok, why = self.allowed(name)
        if not ok:  # the order changed since the menu was drawn, or Enter on a pickup order
            self.client.report(why)
            self.update()
            return
        order_id = self.targets()[0]
        conn = self.client.cache.read
        if name in (SHIP, ADD):
            dialog = ShipDialog(conn, order_id, shipping.couriers(conn), self.supports, self.settings,
                                adding=name == ADD, parent=self.widget)
            dialog.accepted.connect(lambda: self._send_plan(dialog))
            self._open(dialog)
        elif name == RECEIVER:
            receiver = ReceiverDialog(conn, order_id, self.widget)
            receiver.accepted.connect(
                lambda: self.client.submit(ship_one.CHANGE_RECEIVER, [receiver.params]) if receiver.params else None)
            self._open(receiver)
        elif name == PICKUP:
            self._confirm_pickup(order_id)

    def _send_plan(self, dialog: ShipDialog) -> None:
        if dialog.plan is not None:
            self.client.submit_steps(dialog.plan.steps())

    def _confirm_pickup(self, order_id: int) -> None:
        row = self._row(order_id)
        number = row["number"] if row else str(order_id)
        text = self.tr("订单 {number} 将设为线下取货：买家已在店里取走商品，订单不再发货，状态变为待评价。"
                       "此操作不能撤销。").format(number=number)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("线下取货"), text, QMessageBox.StandardButton.NoButton,
                          self.widget)
        yes = box.addButton(self.tr("设为线下取货"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(
            lambda button: self.client.submit(ship_one.PICKUP, [{"order_id": order_id}]) if button is yes else None)
        self._open(box)

    def _open(self, dialog: QDialog | QMessageBox) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        self.dialog = dialog
        dialog.open()  # never exec(): a nested loop would stall the coroutines on the qasync loop

    def print(self, kind: Kind) -> None:
        ids = self.targets()
        if not ids:
            self.client.report(self.tr(NONE_SELECTED))
            return
        try:
            result = print_orders(self.widget, self.client.cache, kind, ids, self.settings,
                                  on_recorded=self.client.changed.emit, report=self.client.report)
        except TemplateError as exc:  # a template the shop broke: the message names the file and line
            self.client.report(str(exc))
            return
        if result.preview is not None:
            self.previews = [p for p in self.previews if p.isVisible()] + [result.preview]
        self.client.report(result.message)
