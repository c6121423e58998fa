"""Shipping one order, or adding tracking numbers to one already shipped.

Staff pick the courier (typing a name, an alias or a code; the last one used comes
preselected), scan or type one number a line (several lines: several parcels), and see
each number checked as it arrives. What will be sent is said in full above the button.
Errors keep the button from sending; warnings need a second click. Nothing typed is lost
when a check fails: the dialog stays open with the field marked.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.couriers import courier_for
from app.domain.models import Courier
from app.platform.api import Capability
from app.services import ship_one
from app.services.order_actions import InputError
from app.ui import theme
from app.ui.forms import error_label
from app.ui.i18n import ui_language

LAST_COURIER = "shipping/last_courier"
BAD_FIELD = "QPlainTextEdit, QComboBox { border: 1px solid $error_border; border-radius: 3px; }"
CHECK_DELAY_MS = 30  # a scanner types a whole number in a few ms: check once it has finished


def courier_words(couriers: Sequence[Courier]) -> list[str]:
    """What the courier box completes: the platform's names, then the aliases staff type."""
    words = [c.name for c in couriers]
    for c in couriers:
        info = courier_for(c.code) or courier_for(c.name)
        if info is not None:
            words += [a for a in (info.code, *info.aliases) if a not in words]
    return words


class ShipDialog(QDialog):
    def __init__(self, conn: sqlite3.Connection, order_id: int, couriers: Sequence[Courier],
                 supports: Callable[[Capability], bool], settings: QSettings, *, adding: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conn = conn
        self.order_id = order_id
        self.couriers = list(couriers)
        self.settings = settings
        self.adding = adding
        self.plan: ship_one.ShipPlan | None = None
        self.checks: list[ship_one.NumberCheck] = []
        self._confirmed: tuple[str, ...] | None = None  # the warnings staff have seen and clicked through
        row = conn.execute("SELECT number, receiver_name, receiver_mobile, province, city, district, address, "
                           "goods_names FROM orders WHERE id = ?", (order_id,)).fetchone()
        self.number = str(row[0]) if row else str(order_id)
        self.setWindowTitle(self.tr("补充快递单号 — 订单 {number}").format(number=self.number) if adding
                            else self.tr("发货 — 订单 {number}").format(number=self.number))

        intro = QLabel()
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if row:
            intro.setText(f"{row[1]}  {row[2]}\n{row[3]}{row[4]}{row[5]}{row[6]}\n{row[7]}")

        self.courier = QComboBox()
        self.courier.setEditable(True)
        self.courier.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for c in self.couriers:
            self.courier.addItem(c.name, c.id)
        completer = QCompleter(courier_words(self.couriers), self.courier)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "丰" finds 顺丰速运
        self.courier.setCompleter(completer)
        self.courier.lineEdit().setPlaceholderText(self.tr("输入名称、简称或代码，如 顺丰、SF"))
        last = settings.value(LAST_COURIER)
        index = self.courier.findData(int(last)) if str(last or "").lstrip("-").isdigit() else -1
        self.courier.setCurrentIndex(index)
        if index < 0:
            self.courier.setEditText("")
        self.courier_hint = QLabel()
        theme.style(self.courier_hint, "color: $muted;")

        self.numbers = QPlainTextEdit()
        self.numbers.setPlaceholderText(self.tr("每行一个快递单号，扫码枪扫完会自动换行。\n几个单号就是几个包裹。"))
        self.numbers.setTabChangesFocus(True)
        self.numbers.setFixedHeight(self.fontMetrics().height() * 5 + 12)
        self.checked = QLabel()
        self.checked.setWordWrap(True)
        self.checked.setTextFormat(Qt.TextFormat.RichText)
        self.checked.setMinimumHeight(self.fontMetrics().height() + 4)  # room for one check before it grows

        self.without = QCheckBox(self.tr("无需快递单号（同城配送、自己送货等）"))
        self.without.setVisible(not adding and supports(Capability.SHIP_WITHOUT_TRACKING))
        self.partial = QCheckBox(self.tr("部分发货：只发下面选择的商品和数量"))
        self.lines = ship_one.lines(conn, order_id)
        self.spins: dict[int, QSpinBox] = {}
        self.items_box = QWidget()
        grid = QGridLayout(self.items_box)
        grid.setContentsMargins(18, 0, 0, 0)
        for r, line in enumerate(x for x in self.lines if x.unshipped > 0):
            name = QLabel(f"{line.name}  {line.spec}".strip())
            name.setWordWrap(True)
            spin = QSpinBox()
            spin.setRange(0, line.unshipped)
            spin.setValue(line.unshipped)
            spin.setSuffix(self.tr(" 件"))
            spin.valueChanged.connect(self._changed)
            self.spins[line.item_id] = spin
            grid.addWidget(name, r, 0)
            grid.addWidget(spin, r, 1)
            grid.addWidget(QLabel(self.tr("未发 {count} 件").format(count=line.unshipped)), r, 2)
        grid.setColumnStretch(0, 1)
        can_split = not adding and supports(Capability.PARTIAL_SHIPMENT) and len(self.spins) > 0 and (
            len(self.spins) > 1 or any(s.maximum() > 1 for s in self.spins.values()))
        self.partial.setVisible(can_split)
        self.items_box.setVisible(False)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("summary")
        self.error = error_label()

        buttons = QDialogButtonBox()
        self.send = QPushButton(self.tr("补充单号") if adding else self.tr("发货"))
        self.send.setDefault(True)
        buttons.addButton(self.send, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.send.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("快递公司"), self.courier)
        form.addRow("", self.courier_hint)
        form.addRow(self.tr("快递单号"), self.numbers)
        form.addRow("", self.checked)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.without)
        layout.addWidget(self.partial)
        layout.addWidget(self.items_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self._changed)
        self.numbers.textChanged.connect(self._timer.start)
        self.courier.currentTextChanged.connect(lambda _t: self._changed())
        self.without.toggled.connect(self._without_toggled)
        self.partial.toggled.connect(self._partial_toggled)
        self._changed()
        (self.numbers if self.chosen_courier() is not None else self.courier).setFocus()

    # ---- reading the form

    def chosen_courier(self) -> Courier | None:
        text = self.courier.currentText()
        index = self.courier.currentIndex()
        if index >= 0 and self.courier.itemText(index) == text:
            return next((c for c in self.couriers if c.id == self.courier.itemData(index)), None)
        return ship_one.find_courier(text, self.couriers)

    def chosen_items(self) -> list[tuple[int, int]]:
        if not self.partial.isChecked():
            return []
        return [(item_id, spin.value()) for item_id, spin in self.spins.items()]

    def warnings(self) -> tuple[str, ...]:
        lang = ui_language()
        return tuple(p.text(lang) for c in self.checks for p in c.problems if p.level == "warning")

    # ---- reacting

    def _without_toggled(self, on: bool) -> None:
        self.numbers.setEnabled(not on)  # kept, not cleared: unticking brings the numbers back
        self._changed()

    def _partial_toggled(self, on: bool) -> None:
        self.items_box.setVisible(on)
        self.adjustSize()
        self._changed()

    def _changed(self) -> None:
        self._timer.stop()
        lang = ui_language()
        courier = self.chosen_courier()
        typed = self.courier.currentText().strip()
        if courier is not None and typed != courier.name:
            self.courier_hint.setText(self.tr("→ {name}").format(name=courier.name))
        elif courier is None and typed:
            self.courier_hint.setText(self.tr("平台的快递公司列表中没有“{text}”").format(text=typed))
        else:
            self.courier_hint.setText("")
        self.courier_hint.setVisible(bool(self.courier_hint.text()))
        use_numbers = self.adding or not self.without.isChecked()
        numbers = ship_one.split_numbers(self.numbers.toPlainText()) if use_numbers else []
        self.checks = ship_one.check_numbers(self.conn, self.order_id, courier, numbers)
        self.checked.setText(self._checks_html(lang))
        for w in (self.numbers, self.courier):
            theme.style(w, "")
        self.error.hide()
        try:
            plan = self._plan()
        except InputError:
            self.summary.setText("")
        else:
            self.summary.setText(plan.summary(lang))
        if self._confirmed is not None and self._confirmed != self.warnings():
            self._confirmed = None
        self.send.setText(self._send_text())
        # Texts above changed length: grow the dialog now, not after the next paint, so a
        # wrapped summary never sits under the buttons.
        self.layout().activate()

    def _send_text(self) -> str:
        if self.warnings() and self._confirmed == self.warnings():
            return self.tr("仍然补充") if self.adding else self.tr("仍然发货")
        return self.tr("补充单号") if self.adding else self.tr("发货")

    def _checks_html(self, lang: str) -> str:
        rows = []
        for c in self.checks:
            if not c.problems:
                rows.append(f"<span style='color:{theme.color('online').name()}'>✓ {html.escape(c.number)}</span>")
            for p in c.problems:
                role = "error" if p.level == "error" else "warning"
                mark = "✗" if p.level == "error" else "!"
                rows.append(f"<span style='color:{theme.color(role).name()}'>{mark} {html.escape(p.text(lang))}</span>")
        return "<br>".join(rows)

    def _plan(self) -> ship_one.ShipPlan:
        return ship_one.plan(self.order_id, self.number, self.chosen_courier(), self.checks,
                             without_tracking=self.without.isChecked(), items=self.chosen_items(),
                             all_lines=self.lines, adding=self.adding)

    def accept(self) -> None:
        self._changed()  # what is on screen now, not what the timer last saw
        try:
            plan = self._plan()
        except InputError as exc:
            field = {"courier": self.courier, "numbers": self.numbers}.get(exc.field)
            if field is not None:
                theme.style(field, BAD_FIELD)
                field.setFocus()
            # A number's error is already beside it: say only that nothing goes until it is fixed.
            self.error.setText(self.tr("请先改正上面标 ✗ 的单号，改正前不会发货。") if exc.field == "numbers" and any(
                c.errors for c in self.checks) else exc.text(ui_language()))
            self.error.show()
            return
        warnings = self.warnings()
        if warnings and self._confirmed != warnings:
            self._confirmed = warnings
            self.send.setText(self._send_text())
            self.error.setText(self.tr("请核对上面的提醒。确认无误，再点一次“{button}”。").format(
                button=self.send.text()))
            self.error.show()
            return
        self.plan = plan
        self.settings.setValue(LAST_COURIER, plan.courier.id)
        super().accept()
