"""The newest orders as a table: the first window, until the orders panel replaces it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.domain.models import OrderBundle

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "订单号"), ("created", "下单时间"), ("status", "状态"), ("receiver", "收货人"),
    ("mobile", "手机"), ("goods", "商品"), ("paid", "实付 (元)"), ("tracking", "快递单号"),
)


class RecentOrdersModel(QAbstractTableModel):
    """Holds one page of orders as plain domain objects; set_orders() replaces them."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[OrderBundle] = []

    def set_orders(self, rows: list[OrderBundle]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        bundle = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(bundle, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "paid":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return bundle.order.id
        return None

    @staticmethod
    def _text(bundle: OrderBundle, key: str) -> str:
        order = bundle.order
        if key == "number":
            return order.number
        if key == "created":
            return order.created_at.strftime("%Y-%m-%d %H:%M")
        if key == "status":
            text = "待自提" if order.is_pickup and order.status == 1 else order.status.zh
            return text + (f" · {order.refund_state.zh}" if order.refund_state else "")
        if key == "receiver":
            return bundle.receiver.name if bundle.receiver else "到店自提"
        if key == "mobile":
            return bundle.receiver.mobile if bundle.receiver else ""
        if key == "goods":
            return "；".join(f"{item.name} ×{item.quantity}" for item in bundle.items)
        if key == "paid":
            return f"{order.amount_paid:,.2f}"
        if key == "tracking":
            return " / ".join(p.tracking_number for p in bundle.parcels if p.tracking_number)
        return ""
