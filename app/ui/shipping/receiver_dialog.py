"""Changing where an order goes, before it is shipped: name, mobile, region, street address.

The region is chosen from the shipped GB/T 2260 table (province → city → district), so
the platform gets codes it knows; the checks are app.services.ship_one.check_receiver.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.regions import regions
from app.services import ship_one
from app.services.order_actions import InputError
from app.ui import theme
from app.ui.forms import error_label, ok_cancel
from app.ui.i18n import ui_language

BAD_FIELD = "QLineEdit, QComboBox { border: 1px solid $error_border; border-radius: 3px; padding: 2px; }"


def _fill(box: QComboBox, codes: list[tuple[str, str]], current: str) -> None:
    box.blockSignals(True)
    box.clear()
    box.addItem("", "")
    for code, name in codes:
        box.addItem(name, code)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    box.blockSignals(False)


class ReceiverDialog(QDialog):
    def __init__(self, conn: sqlite3.Connection, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order_id = order_id
        self.params: dict[str, object] | None = None
        row = conn.execute("SELECT number, receiver_name, receiver_mobile, province_id, city_id, district_id, "
                           "address, postcode FROM orders WHERE id = ?", (order_id,)).fetchone()
        number, name, mobile, province, city, district, address, postcode = row or (order_id, "", "", "", "", "",
                                                                                     "", "")
        self.setWindowTitle(self.tr("修改收货地址 — 订单 {number}").format(number=number))
        intro = QLabel(self.tr("发货前可以修改收货地址。修改会发送到平台，买家在小程序中能看到新地址。"))
        intro.setWordWrap(True)
        self.name = QLineEdit(name)
        self.mobile = QLineEdit(mobile)
        self.mobile.setPlaceholderText(self.tr("11 位手机号"))
        self.province, self.city, self.district = QComboBox(), QComboBox(), QComboBox()
        table = regions()
        _fill(self.province, [(r.code, r.name) for r in table.provinces()], province)
        _fill(self.city, [(r.code, table.display_city(r.code)) for r in table.children(province)] if province else [],
              city)
        _fill(self.district, [(r.code, r.name) for r in table.children(city)] if city else [], district)
        self.province.currentIndexChanged.connect(self._province_changed)
        self.city.currentIndexChanged.connect(self._city_changed)
        self.address = QLineEdit(address)
        self.address.setPlaceholderText(self.tr("街道、小区、楼栋、门牌号"))
        self.postcode = QLineEdit(postcode)
        self.postcode.setPlaceholderText(self.tr("可不填"))
        self.postcode.setMaximumWidth(100)
        region = QHBoxLayout()
        for box in (self.province, self.city, self.district):
            box.setMinimumContentsLength(6)
            region.addWidget(box, 1)
        form = QFormLayout()
        form.addRow(self.tr("收货人"), self.name)
        form.addRow(self.tr("手机"), self.mobile)
        form.addRow(self.tr("省 / 市 / 区县"), region)
        form.addRow(self.tr("详细地址"), self.address)
        form.addRow(self.tr("邮编"), self.postcode)
        self.error = error_label()
        buttons = ok_cancel(self, self.tr("保存新地址"), self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        for edit in (self.name, self.mobile, self.address, self.postcode):
            edit.textEdited.connect(self._edited)

    def _province_changed(self) -> None:
        table = regions()
        code = self.province.currentData()
        _fill(self.city, [(r.code, table.display_city(r.code)) for r in table.children(code)] if code else [], "")
        self._city_changed()

    def _city_changed(self) -> None:
        code = self.city.currentData()
        _fill(self.district, [(r.code, r.name) for r in regions().children(code)] if code else [], "")
        self._edited()

    def _edited(self) -> None:
        for w in (self.name, self.mobile, self.address, self.postcode, self.district):
            theme.style(w, "")
        self.error.hide()

    def accept(self) -> None:
        try:
            fields = ship_one.check_receiver(self.name.text(), self.mobile.text(), self.district.currentData() or "",
                                             self.address.text(), self.postcode.text())
        except InputError as exc:
            field = {"name": self.name, "mobile": self.mobile, "region": self.district, "address": self.address,
                     "postcode": self.postcode}.get(exc.field, self.name)
            theme.style(field, BAD_FIELD)
            field.setFocus()
            self.error.setText(exc.text(ui_language()))
            self.error.show()
            return
        self.params = {"order_id": self.order_id, **fields}
        super().accept()
