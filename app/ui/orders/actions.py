"""The merchant's actions on orders: change price, remark, mark paid, pay from balance,
close, set success — as QActions for toolbars, context menus and the 订单 menu.

Each action is enabled only when the order's status allows it (app.services.order_actions
decides, and its reason becomes the tooltip), says what will happen before anything is
sent, and goes through the outbox (OutboxClient). With several orders selected, close,
set success and remark work on all of them after one confirmation that names the ones
skipped and why; the others need exactly one order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services import order_actions as oa
from app.ui import theme
from app.ui.forms import ERROR_STYLE, error_label, ok_cancel
from app.ui.i18n import ui_language
from app.ui.outbox import OutboxClient

# Source strings marked for lupdate; shown through tr() (the language is fixed for a run).
LABELS = {
    oa.CHANGE_PRICE: QT_TRANSLATE_NOOP("OrderActions", "改价…"),
    oa.REMARK: QT_TRANSLATE_NOOP("OrderActions", "修改备注…"),
    oa.MARK_PAID: QT_TRANSLATE_NOOP("OrderActions", "设为已付款…"),
    oa.PAY_BALANCE: QT_TRANSLATE_NOOP("OrderActions", "余额支付…"),
    oa.CLOSE: QT_TRANSLATE_NOOP("OrderActions", "关闭订单…"),
    oa.SUCCESS: QT_TRANSLATE_NOOP("OrderActions", "设为交易成功…"),
}
SHORTCUTS = {
    oa.CHANGE_PRICE: "Ctrl+Shift+P", oa.REMARK: "Ctrl+Shift+R", oa.MARK_PAID: "Ctrl+Shift+Y",
    oa.PAY_BALANCE: "Ctrl+Shift+B", oa.CLOSE: "Ctrl+Shift+X", oa.SUCCESS: "Ctrl+Shift+D",
}
CONFIRM_BUTTONS = {oa.MARK_PAID: QT_TRANSLATE_NOOP("OrderActions", "设为已付款"),
                   oa.PAY_BALANCE: QT_TRANSLATE_NOOP("OrderActions", "从余额扣款"),
                   oa.CLOSE: QT_TRANSLATE_NOOP("OrderActions", "关闭订单"),
                   oa.SUCCESS: QT_TRANSLATE_NOOP("OrderActions", "设为交易成功")}
NONE_SELECTED = QT_TRANSLATE_NOOP("OrderActions", "先在列表中选择订单")
PLAN_AT_TRIGGER = 2000  # bigger selections are checked when the action is chosen, not on every click
# theme.style templates: the colours follow the theme, also after a switch.
BAD_FIELD = "QLineEdit { border: 1px solid $error_border; border-radius: 3px; padding: 2px; }"


def money(value: Decimal) -> str:
    return f"{value:.2f}"


class PriceDialog(QDialog):
    """New total and freight, with the current ones shown; a bad value keeps what was typed."""

    def __init__(self, order: oa.Facts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order = order
        self.change: oa.PriceChange | None = None
        self.setWindowTitle(self.tr("改价 — 订单 {number}").format(number=order.number))
        intro = QLabel(self.tr("买家将按新的总价付款。总价已包含运费；运费留空则不变。"))
        intro.setWordWrap(True)
        self.total = QLineEdit(money(order.amount_paid))
        self.freight = QLineEdit(money(order.amount_freight))
        self.freight.setPlaceholderText(self.tr("留空则不变"))
        for edit in (self.total, self.freight):
            edit.textEdited.connect(self._edited)
        form = QFormLayout()
        form.addRow(self.tr("当前总价"), QLabel(self.tr("¥{total}（其中运费 ¥{freight}）").format(
            total=f"{order.amount_paid:,.2f}", freight=f"{order.amount_freight:,.2f}")))
        form.addRow(self.tr("新总价（元）"), self.total)
        form.addRow(self.tr("新运费（元）"), self.freight)
        self.error = error_label()
        buttons = ok_cancel(self, self.tr("改价"), self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.total.selectAll()

    def _edited(self) -> None:
        for edit in (self.total, self.freight):
            theme.style(edit, "")
        self.error.hide()

    def accept(self) -> None:
        try:
            self.change = oa.parse_price(self.order, self.total.text(), self.freight.text())
        except oa.InputError as exc:
            field = self.freight if exc.field == "freight" else self.total
            theme.style(field, BAD_FIELD)
            field.setFocus()
            self.error.setText(exc.text(ui_language()))
            self.error.show()
            return
        super().accept()


class RemarkDialog(QDialog):
    """The admin remark, several lines; for many orders it replaces each one's remark."""

    def __init__(self, current: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remark = ""
        self.setWindowTitle(self.tr("修改商家备注"))
        label = QLabel(intro)
        label.setWordWrap(True)
        self.text = QPlainTextEdit(current)
        self.text.setPlaceholderText(self.tr("只有商家能看到的备注，如“周末送货”“已电话确认”；留空则清空备注"))
        self.text.textChanged.connect(self._count)
        self.counter = QLabel()
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.error = error_label()
        buttons = ok_cancel(self, self.tr("保存备注"), self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.counter)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, 300)
        self._count()

    def _count(self) -> None:
        length = len(self.text.toPlainText().strip())
        self.counter.setText(f"{length} / {oa.MAX_REMARK}")
        theme.style(self.counter, ERROR_STYLE if length > oa.MAX_REMARK else "")
        self.error.hide()

    def accept(self) -> None:
        try:
            self.remark = oa.check_remark(self.text.toPlainText())
        except oa.InputError as exc:
            self.error.setText(exc.text(ui_language()))
            self.error.show()
            return
        super().accept()


class OrderActions(QObject):
    """The six actions over whichever orders ``targets()`` names (the selection, or one order)."""

    def __init__(self, client: OutboxClient, targets: Callable[[], list[int]], parent: QWidget, *,
                 bulk: bool, balance_supported: bool = True) -> None:
        super().__init__(parent)
        self.client = client
        self.targets = targets
        self.widget = parent
        self.bulk = bulk
        self.balance_supported = balance_supported
        self.dialog: QDialog | QMessageBox | None = None  # the one open now, for tests and to keep it alive
        self.actions: dict[str, QAction] = {}
        for name in oa.ORDER_ACTIONS:
            action = QAction(self.tr(LABELS[name]), parent)
            action.setShortcut(QKeySequence(SHORTCUTS[name]))
            action.triggered.connect(lambda _checked=False, n=name: self.trigger(n))
            self.actions[name] = action
        client.changed.connect(self.update)
        self.update()

    def all(self) -> list[QAction]:
        return list(self.actions.values())

    def fill_menu(self, menu: QMenu, before: QAction | None = None) -> None:
        """The actions in groups, at the menu's end or before ``before``."""
        menu.setToolTipsVisible(True)  # a disabled action's tooltip says why
        groups = ((oa.CHANGE_PRICE, oa.REMARK), (oa.MARK_PAID, oa.PAY_BALANCE), (oa.SUCCESS, oa.CLOSE))
        for i, group in enumerate(groups):
            if i:
                menu.insertSeparator(before)  # None: at the end
            for name in group:
                menu.insertAction(before, self.actions[name])

    # ---- enabled or not, and why

    def _state(self) -> tuple[list[oa.Facts], dict[int, list[str]]]:
        ids = self.targets()
        if len(ids) > PLAN_AT_TRIGGER:
            return [], {}
        conn = self.client.cache.read
        return oa.load_facts(conn, ids), oa.waiting_actions(conn, ids)

    def update(self) -> None:
        ids = self.targets()
        orders, waiting = self._state()
        lang = ui_language()
        for name, action in self.actions.items():
            ok, why = self._allowed(name, ids, orders, waiting)
            action.setEnabled(ok)
            key = SHORTCUTS[name]
            tip = why if not ok else (
                self.tr("对所选 {count} 笔订单{action}（{key}）").format(
                    count=len(ids), action=oa.action_name(name, lang), key=key) if len(ids) > 1
                else self.tr("{action}（{key}）").format(action=oa.action_name(name, lang), key=key))
            action.setToolTip(tip)
            action.setStatusTip(tip)

    def _allowed(self, name: str, ids: list[int], orders: list[oa.Facts],
                 waiting: dict[int, list[str]]) -> tuple[bool, str]:
        lang = ui_language()
        if self.client.outbox is None:
            return False, self.tr("尚未连接平台")
        if not ids:
            return False, self.tr(NONE_SELECTED)
        if len(ids) > 1:
            if not self.bulk or name not in oa.BULK_ACTIONS:
                return False, self.tr("一次只能对一笔订单{action}").format(action=oa.action_name(name, lang))
            if len(ids) > PLAN_AT_TRIGGER:
                return True, ""
            plan = oa.plan_bulk(name, orders, waiting, balance_supported=self.balance_supported)
            if not plan.doable:
                skipped = plan.skipped_in(lang)
                return False, (self.tr("所选订单都不能{action}：{reason}").format(
                    action=oa.action_name(name, lang), reason=skipped[0][1]) if skipped else self.tr(NONE_SELECTED))
            return True, ""
        if not orders:
            return False, self.tr("该订单已不在本地缓存中")
        found = oa.availability(name, orders[0], waiting.get(ids[0], ()), balance_supported=self.balance_supported)
        return found.ok, found.reason(lang)

    # ---- doing

    def trigger(self, name: str) -> None:
        ids = self.targets()
        conn = self.client.cache.read
        orders, waiting = oa.load_facts(conn, ids), oa.waiting_actions(conn, ids)
        ok, why = self._allowed(name, ids, orders, waiting)
        if not ok or not orders:  # the order changed since the button was drawn
            self.client.report(why or self.tr(NONE_SELECTED))
            self.update()
            return
        if len(orders) > 1:
            self._bulk(name, oa.plan_bulk(name, orders, waiting, balance_supported=self.balance_supported))
            return
        order = orders[0]
        if name == oa.CHANGE_PRICE:
            price = PriceDialog(order, self.widget)
            price.accepted.connect(lambda: self._send(name, [price.change.params(order.id)]) if price.change else None)
            self._open(price)
        elif name == oa.REMARK:
            remark = RemarkDialog(order.admin_remark, self.tr("订单 {number} 的商家备注（买家看不到）：").format(
                number=order.number), self.widget)
            remark.accepted.connect(lambda: self._send(name, [{"order_id": order.id, "remark": remark.remark}]))
            self._open(remark)
        else:
            self._confirm(name, oa.confirmation(name, order, ui_language()), [{"order_id": order.id}])

    def _bulk(self, name: str, plan: oa.BulkPlan) -> None:
        summary = plan.summary(lang=ui_language())
        if not plan.doable:
            self.client.report(summary)
            return
        if name == oa.REMARK:
            remark = RemarkDialog("", summary + "\n\n" + self.tr("新的商家备注（将替换这些订单原有的备注）："),
                                  self.widget)
            remark.accepted.connect(lambda: self._send(name, [{"order_id": f.id, "remark": remark.remark}
                                                              for f in plan.doable]))
            self._open(remark)
            return
        self._confirm(name, summary, [{"order_id": f.id} for f in plan.doable])

    def _confirm(self, name: str, text: str, params: list[dict[str, object]]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, oa.action_name(name, ui_language()), text,
                          QMessageBox.StandardButton.NoButton, self.widget)
        label = self.tr(CONFIRM_BUTTONS[name])
        if len(params) > 1:
            label += self.tr("（{count} 笔）").format(count=len(params))
        yes = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        # Closing cannot be undone: Enter pressed out of habit must not do it.
        box.setDefaultButton(no if name == oa.CLOSE else yes)
        box.buttonClicked.connect(lambda button: self._send(name, params) if button is yes else None)
        self._open(box)

    def _open(self, dialog: QDialog | QMessageBox) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        self.dialog = dialog
        dialog.open()  # never exec(): a nested loop would stall the coroutines on the qasync loop

    def _send(self, name: str, params: Sequence[dict[str, object]]) -> None:
        self.client.submit(name, list(params))
