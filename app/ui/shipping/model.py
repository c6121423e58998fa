"""The shipping queue's table: the orders model's ids and blocks, with the queue's columns.

Waiting time is measured from payment at paint time, so a queue left open keeps counting;
rows waiting longer than the limit are tinted through the theme's warning roles.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.services.order_columns import Column, cell_text
from app.services.ship_one import waiting_hours, waiting_text
from app.ui import theme
from app.ui.orders.model import OrdersModel

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[Column, ...] = (
    Column("number", "订单号", "Order no.", "number_asc", "number_asc"),
    Column("paid_at", "付款时间", "Paid at", "paid_at_asc", "paid_at_desc"),
    Column("waiting", "已等待", "Waiting", "paid_at_desc", "paid_at_asc"),
    Column("receiver", "收货人", "Receiver", "receiver_asc", "receiver_asc"),
    Column("region", "地区", "Region"),
    Column("goods", "商品", "Goods"),
    Column("courier", "快递", "Courier"),
    Column("printed", "打印", "Printed"),
)
KEYS = [c.key for c in COLUMNS]
DEFAULT_LIMIT_HOURS = 48


class ShippingModel(OrdersModel):
    COLUMNS = COLUMNS  # the queue's own: headers, sorting and counts come from OrdersModel
    def __init__(self, read: Callable[[], Any], courier_names: Callable[[], dict[int, str]],
                 now: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(read)
        self._courier_names = courier_names  # the platform's list, read by the panel (no DB reads here)
        self._now = now
        self.limit_hours = DEFAULT_LIMIT_HOURS

    def overdue(self, row: Any) -> bool:
        hours = waiting_hours(row["paid_at"], self._now())
        return hours is not None and hours > self.limit_hours

    def text(self, row: Any, key: str) -> str:
        if key == "paid_at":
            return (row["paid_at"] or "")[:16]
        if key == "waiting":
            return waiting_text(row["paid_at"], self._now(), self.lang)
        if key == "courier":
            names = self._courier_names()
            ids = [int(i) for i in str(row["courier_ids"] or "").split(",") if i.strip().lstrip("-").isdigit()]
            return "、".join(names.get(i, "") for i in ids if names.get(i))
        if key == "receiver" and not row["needs_delivery"]:
            pickup = self.tr("到店自提")
            return f"{pickup} · {row['receiver_name']}" if row["receiver_name"] else pickup
        return cell_text(row, key, self.lang)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount() or not 0 <= index.column() < len(COLUMNS):
            return None
        key = COLUMNS[index.column()].key
        row = self._row(index.row())
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 and index.row() >= len(self.ids()):
                return self.tr("读取中…")
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.text(row, key)
            if role == Qt.ItemDataRole.ToolTipRole:
                if key == "waiting" and self.overdue(row):
                    return self.tr("付款后已超过 {hours} 小时未发货").format(hours=self.limit_hours)
                return text if key in ("goods", "region", "receiver", "courier") and text else None
            return text
        if role == Qt.ItemDataRole.BackgroundRole and self.overdue(row):
            return theme.color("warning_bg")  # a role, read at paint time: a theme switch recolours it
        if role == Qt.ItemDataRole.ForegroundRole and key == "waiting" and self.overdue(row):
            return theme.color("warning")
        if role == Qt.ItemDataRole.FontRole and key == "waiting" and self.overdue(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "waiting":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        return None
