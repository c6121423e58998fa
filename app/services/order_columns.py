"""The orders table's columns as text: what the table shows and an export writes."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from app.domain.enums import OrderRefundState, OrderStatus


class Column(NamedTuple):
    key: str
    zh: str
    en: str
    ascending: str | None = None  # the sort (queries.SORTS) of a click, None: not sortable
    descending: str | None = None


COLUMNS: tuple[Column, ...] = (
    Column("number", "订单号", "Order no.", "number_asc", "number_asc"),
    Column("created", "下单时间", "Placed", "created_asc", "created_desc"),
    Column("status", "状态", "Status", "status_asc", "status_asc"),
    Column("receiver", "收货人", "Receiver", "receiver_asc", "receiver_asc"),
    Column("mobile", "手机", "Mobile"),
    Column("region", "地区", "Region"),
    Column("goods", "商品", "Goods"),
    Column("paid", "实付 (元)", "Paid (¥)", "paid_asc", "paid_desc"),
    Column("tracking", "快递单号", "Tracking no."),
    Column("printed", "打印", "Printed"),
    Column("remark", "备注", "Remarks"),
)
KEYS = [c.key for c in COLUMNS]

def _zh(lang: str) -> bool:
    return lang.startswith("zh")


def status_text(status: int, refund_state: int, needs_delivery: bool, lang: str = "zh") -> str:
    try:
        text = OrderStatus(status).label(lang)
    except ValueError:
        text = f"状态 {status}" if _zh(lang) else f"Status {status}"
    if status == int(OrderStatus.TO_SHIP) and not needs_delivery:
        text = "待自提" if _zh(lang) else "To pick up"
    if refund_state:
        try:
            text += f" · {OrderRefundState(refund_state).label(lang)}"
        except ValueError:
            pass
    return text


def cell_text(row: sqlite3.Row, key: str, lang: str = "zh") -> str:
    """What a cell shows; also what an export writes (in the UI's language)."""
    if key == "number":
        return row["number"]
    if key == "created":
        return (row["created_at"] or "")[:16]
    if key == "status":
        return status_text(row["status"], row["refund_state"], bool(row["needs_delivery"]), lang)
    if key == "receiver":
        return row["receiver_name"] or (("到店自提" if _zh(lang) else "In-store pickup") if not row["needs_delivery"] else "")
    if key == "mobile":
        return row["receiver_mobile"] or ""
    if key == "region":
        return " ".join(p for p in (row["province"], row["city"], row["district"]) if p)
    if key == "goods":
        return row["goods_names"] or ""
    if key == "paid":
        return f"{row['amount_paid'] / 100:,.2f}"
    if key == "tracking":
        return row["tracking_numbers"] or ""
    if key == "printed":
        return ("已打印" if _zh(lang) else "Printed") if row["printed"] else ""
    if key == "remark":
        return " / ".join(r for r in (row["buyer_remark"], row["admin_remark"]) if r)
    raise KeyError(key)
