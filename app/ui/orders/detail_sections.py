"""The parts of an order's detail, each built from an OrderView by one function.

Each section declares which part of the view it shows (its key): on a refresh the pane
rebuilds only the sections whose part changed, so a new remark does not reload pictures
or reset a half-read trace list.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import OrderItem, Parcel, Refund
from app.services.order_actions import action_name
from app.store.audit import AuditEntry
from app.store.order_detail import OrderView
from app.ui import theme
from app.ui.i18n import tr_label, ui_language
from app.ui.orders.images import ImageCache, Thumbnail

# theme.style templates: colours come from the theme in force and follow a switch.
MUTED = "color: $muted;"
ACCENT = "color: $accent;"
WARN = "color: $warning;"
NONE = "—"


def yuan(value: Decimal) -> str:
    """'¥1,234.50'; a negative amount as '-¥20.00'."""
    return f"-¥{-value:,.2f}" if value < 0 else f"¥{value:,.2f}"


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else NONE


def status_text(view: OrderView) -> str:
    order = view.bundle.order
    lang = ui_language()
    text = (tr_label("OrderDetail", "待自提") if order.is_pickup and order.status == OrderStatus.TO_SHIP
            else order.status.label(lang))
    if order.refund_state != OrderRefundState.NONE:
        text += f" · {order.refund_state.label(lang)}"
    return text


def address_line(view: OrderView) -> str:
    """'name mobile full-address' on one line: what staff paste into a courier's site."""
    r = view.bundle.receiver
    return "" if r is None else " ".join(p for p in (r.name, r.mobile, r.full_address) if p)


# ---- small widgets --------------------------------------------------------------------


class CopyButton(QToolButton):
    """Puts a fixed text on the clipboard and says so for a moment."""

    def __init__(self, text: str, label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.copy_text = text
        self._label = label or self.tr("复制")
        self.setText(self._label)
        self.setToolTip(self.tr("复制：{text}").format(text=text))
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Hardly taller than a line of text, so a row with a button lines up with one without.
        # Through theme.style although it names no colour: a widget with a style sheet keeps
        # the palette it was polished with, and only a re-applied sheet takes a new theme's.
        theme.style(self, "QToolButton { padding: 0px 4px; }")
        self.setFixedHeight(self.fontMetrics().height() + 2)
        self.setEnabled(bool(text))
        # A child timer dies with the button, so no callback reaches a deleted widget.
        self._reset = QTimer(self, singleShot=True, interval=1200)
        self._reset.timeout.connect(lambda: self.setText(self._label))
        self.clicked.connect(self._copy)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.copy_text)
        self.setText(self.tr("已复制"))
        self._reset.start()


def text_label(text: str, *, muted: bool = False, bold: bool = False, selectable: bool = True,
               size_delta: float = 0) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # platform text is never markup
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if muted:
        theme.style(label, MUTED)
    if bold or size_delta:
        font = QFont(label.font())
        font.setBold(bold)
        if size_delta:
            font.setPointSizeF(font.pointSizeF() + size_delta)
        label.setFont(font)
    return label


def note(text: str) -> QLabel:
    """A line that says what is missing, in place of data."""
    return text_label(text, muted=True, selectable=False)


# Every caption a Fields shows, so that each section's values start at the same x in any
# language: the captions' column is as wide as the widest of them.
CAPTIONS = (
    QT_TRANSLATE_NOOP("OrderDetail", "配送方式"), QT_TRANSLATE_NOOP("OrderDetail", "自提码"),
    QT_TRANSLATE_NOOP("OrderDetail", "下单时间"), QT_TRANSLATE_NOOP("OrderDetail", "付款时间"),
    QT_TRANSLATE_NOOP("OrderDetail", "关闭时间"), QT_TRANSLATE_NOOP("OrderDetail", "更新时间"),
    QT_TRANSLATE_NOOP("OrderDetail", "收货人"), QT_TRANSLATE_NOOP("OrderDetail", "手机"),
    QT_TRANSLATE_NOOP("OrderDetail", "地址"), QT_TRANSLATE_NOOP("OrderDetail", "邮编"),
    QT_TRANSLATE_NOOP("OrderDetail", "用户 ID"), QT_TRANSLATE_NOOP("OrderDetail", "昵称"),
    QT_TRANSLATE_NOOP("OrderDetail", "商品金额"), QT_TRANSLATE_NOOP("OrderDetail", "运费"),
    QT_TRANSLATE_NOOP("OrderDetail", "优惠"), QT_TRANSLATE_NOOP("OrderDetail", "实付"),
    QT_TRANSLATE_NOOP("OrderDetail", "已退款"), QT_TRANSLATE_NOOP("OrderDetail", "买家留言"),
    QT_TRANSLATE_NOOP("OrderDetail", "商家备注"), QT_TRANSLATE_NOOP("OrderDetail", "快递"),
    QT_TRANSLATE_NOOP("OrderDetail", "单号"), QT_TRANSLATE_NOOP("OrderDetail", "发货时间"),
    QT_TRANSLATE_NOOP("OrderDetail", "包裹商品"), QT_TRANSLATE_NOOP("OrderDetail", "类型"),
    QT_TRANSLATE_NOOP("OrderDetail", "金额"), QT_TRANSLATE_NOOP("OrderDetail", "商品"),
    QT_TRANSLATE_NOOP("OrderDetail", "原因"), QT_TRANSLATE_NOOP("OrderDetail", "说明"),
    QT_TRANSLATE_NOOP("OrderDetail", "退货单号"), QT_TRANSLATE_NOOP("OrderDetail", "拒绝原因"),
    QT_TRANSLATE_NOOP("OrderDetail", "申请时间"),
)


def caption(text: str) -> str:
    """One of CAPTIONS, in the UI's language."""
    return tr_label("OrderDetail", text)


def caption_width(metrics: QFontMetrics) -> int:
    return max(metrics.horizontalAdvance(caption(c)) for c in CAPTIONS)


class Fields(QWidget):
    """Label / value / optional copy button rows; values wrap, labels and buttons do not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.values: dict[str, QLabel] = {}
        self.buttons: dict[str, CopyButton] = {}

    def add(self, name: str, value: str, *, copy: bool = False, bold: bool = False,
            align_right: bool = False) -> QLabel:
        row = self.grid.rowCount()
        shown_name = QLabel(name)
        theme.style(shown_name, MUTED)
        shown_name.setMinimumWidth(caption_width(shown_name.fontMetrics()))  # see CAPTIONS
        self.grid.addWidget(shown_name, row, 0, Qt.AlignmentFlag.AlignTop)
        shown = text_label(value or NONE, bold=bold)
        horizontal = Qt.AlignmentFlag.AlignRight if align_right else Qt.AlignmentFlag.AlignLeft
        # Text at the top of its cell, in line with the caption when a copy button makes the
        # row taller or the value wraps.
        shown.setAlignment(horizontal | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(shown, row, 1)
        self.values[name] = shown
        if copy and value:
            button = CopyButton(value)
            self.grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            self.buttons[name] = button
        return shown


class _Rail(QWidget):
    """The dot and line left of a timeline entry; entries sit flush so the lines join."""

    DOT_Y = 10

    def __init__(self, first: bool, last: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first, self._last = first, last
        self.setFixedWidth(18)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = self.width() / 2
        painter.setPen(QPen(theme.color("rail"), 2))  # asked at paint time: follows a theme switch
        top = self.DOT_Y if self._first else 0
        bottom = self.DOT_Y if self._last else self.height()
        if bottom > top:
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.color("accent") if self._first else theme.color("rail_dot"))
        radius = 5 if self._first else 4
        painter.drawEllipse(QPointF(x, self.DOT_Y), radius, radius)
        painter.end()


@dataclass(frozen=True)
class Moment:
    """One timeline entry: what happened, when, and an optional detail line."""

    title: str
    time: str
    detail: str = ""
    tooltip: str = ""


class Timeline(QWidget):
    """Entries top to bottom, the first one highlighted: callers pass them newest first."""

    def __init__(self, moments: Sequence[Moment], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.titles: list[str] = []
        for i, moment in enumerate(moments):
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(8)
            row.addWidget(_Rail(first=i == 0, last=i == len(moments) - 1))
            text = QVBoxLayout()
            text.setContentsMargins(0, 0, 0, 10)
            text.setSpacing(1)
            title = text_label(moment.title, bold=i == 0)
            if moment.tooltip:
                title.setToolTip(moment.tooltip)
            text.addWidget(title)
            if moment.detail:
                text.addWidget(text_label(moment.detail))
            text.addWidget(text_label(moment.time, muted=True))
            row.addLayout(text, 1)
            outer.addLayout(row)
            self.titles.append(moment.title)


def section(title: str, name: str) -> tuple[QFrame, QVBoxLayout]:
    box = QFrame()
    box.setObjectName(name)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 6, 0, 10)
    layout.setSpacing(6)
    heading = QLabel(title)
    font = QFont(heading.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() + 1)
    heading.setFont(font)
    layout.addWidget(heading)
    rule = QFrame()
    rule.setFrameShape(QFrame.Shape.HLine)
    theme.style(rule, "color: $rule;")
    layout.addWidget(rule)
    return box, layout


def _item_names(view: OrderView) -> dict[int, OrderItem]:
    return {i.id: i for i in view.bundle.items}


# ---- the sections ---------------------------------------------------------------------


def header(view: OrderView, _images: ImageCache) -> QWidget:
    order = view.bundle.order
    box, layout = section(tr_label("OrderDetail", "订单"), "header")
    top = QHBoxLayout()
    number = text_label(order.number, bold=True, size_delta=3)
    number.setObjectName("number")
    top.addWidget(number, 1)
    top.addWidget(CopyButton(order.number, tr_label("OrderDetail", "复制订单号")), 0, Qt.AlignmentFlag.AlignTop)
    layout.addLayout(top)
    status = text_label(status_text(view), bold=True, selectable=False)
    status.setObjectName("status")
    theme.style(status, WARN if order.refund_state != OrderRefundState.NONE else ACCENT)
    layout.addWidget(status)
    fields = Fields()
    if order.is_pickup:
        fields.add(caption("配送方式"), tr_label("OrderDetail", "到店自提"))
        fields.add(caption("自提码"), order.pickup_code, copy=True)
    else:
        fields.add(caption("配送方式"), tr_label("OrderDetail", "快递配送"))
    fields.add(caption("下单时间"), when(order.created_at))
    fields.add(caption("付款时间"), when(order.paid_at) if order.is_paid or order.paid_at
               else tr_label("OrderDetail", "未付款"))
    if order.closed_at is not None:
        fields.add(caption("关闭时间"), when(order.closed_at))
    fields.add(caption("更新时间"), when(order.updated_at))
    layout.addWidget(fields)
    return box


def receiver(view: OrderView, _images: ImageCache) -> QWidget:
    box, layout = section(tr_label("OrderDetail", "收货信息"), "receiver")
    r = view.bundle.receiver
    if r is None:
        layout.addWidget(note(tr_label("OrderDetail", "到店自提，没有收货地址") if view.bundle.order.is_pickup
                              else tr_label("OrderDetail", "该订单没有收货信息")))
        return box
    fields = Fields()
    fields.add(caption("收货人"), r.name, copy=True)
    fields.add(caption("手机"), r.mobile, copy=True)
    fields.add(caption("地址"), r.full_address, copy=True)
    if r.postcode:
        fields.add(caption("邮编"), r.postcode, copy=True)
    layout.addWidget(fields)
    everything = CopyButton(address_line(view), tr_label("OrderDetail", "复制全部（收货人 手机 地址）"))
    everything.setObjectName("copy_all")
    everything.setAutoRaise(False)
    theme.style(everything, "QToolButton { padding: 2px 10px; }")  # see CopyButton
    everything.setFixedHeight(everything.fontMetrics().height() + 10)
    row = QHBoxLayout()
    row.addWidget(everything)
    row.addStretch(1)
    layout.addLayout(row)
    return box


def buyer(view: OrderView, _images: ImageCache) -> QWidget:
    box, layout = section(tr_label("OrderDetail", "买家"), "buyer")
    fields = Fields()
    fields.add(caption("用户 ID"), str(view.bundle.order.uid), copy=True)
    if view.buyer is not None:
        fields.add(caption("昵称"), view.buyer.nick)
        fields.add(caption("手机"), view.buyer.mobile, copy=True)
    layout.addWidget(fields)
    if view.buyer is None:
        layout.addWidget(note(tr_label("OrderDetail", "买家资料尚未同步到本地")))
    return box


def _refund_of_item(view: OrderView) -> dict[int, Refund]:
    # Refunds are newest first: the first one seen for an item is its current after-sale.
    found: dict[int, Refund] = {}
    for refund in view.refunds:
        found.setdefault(refund.order_item_id, refund)
    return found


def _item_row(item: OrderItem, refund: Refund | None, images: ImageCache) -> QWidget:
    row = QWidget()
    row.setObjectName(f"item-{item.id}")
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 2, 0, 2)
    layout.setSpacing(10)
    picture = Thumbnail(images, item.pic)
    picture.setObjectName("thumbnail")
    layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
    text = QVBoxLayout()
    text.setSpacing(2)
    text.addWidget(text_label(item.name, bold=True))
    if item.property:
        text.addWidget(text_label(item.property, muted=True))
    money = QHBoxLayout()
    money.addWidget(text_label(f"{yuan(item.unit_price)} × {item.quantity}", muted=True), 1)
    amount = text_label(yuan(item.amount))
    amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    money.addWidget(amount, 1)
    text.addLayout(money)
    if item.quantity_unshipped:
        text.addWidget(text_label(tr_label("OrderDetail", "待发货 {count} 件").format(count=item.quantity_unshipped),
                                  muted=True))
    if refund is not None:
        lang = ui_language()
        after_sale = text_label(tr_label("OrderDetail", "售后：{kind} · {state}").format(
            kind=refund.type.label(lang), state=refund.status.label(lang)))
        theme.style(after_sale, WARN)
        text.addWidget(after_sale)
    layout.addLayout(text, 1)
    return row


def items(view: OrderView, images: ImageCache) -> QWidget:
    box, layout = section(tr_label("OrderDetail", "商品（{count} 件）").format(
        count=sum(i.quantity for i in view.bundle.items)), "items")
    if not view.bundle.items:
        layout.addWidget(note(tr_label("OrderDetail", "本地缓存中没有该订单的商品")))
        return box
    refunds = _refund_of_item(view)
    for item in view.bundle.items:
        layout.addWidget(_item_row(item, refunds.get(item.id), images))
    return box


def amounts(view: OrderView, _images: ImageCache) -> QWidget:
    order = view.bundle.order
    box, layout = section(tr_label("OrderDetail", "金额"), "amounts")
    fields = Fields()
    fields.add(caption("商品金额"), yuan(order.amount_goods), align_right=True)
    fields.add(caption("运费"), yuan(order.amount_freight), align_right=True)
    fields.add(caption("优惠"), yuan(-order.amount_discount), align_right=True)
    fields.add(caption("实付"), yuan(order.amount_paid), bold=True, align_right=True)
    refunded = fields.add(caption("已退款"), yuan(order.amount_refunded), align_right=True)
    if order.amount_refunded:
        theme.style(refunded, WARN)
    layout.addWidget(fields)
    return box


def remarks(view: OrderView, _images: ImageCache) -> QWidget:
    order = view.bundle.order
    box, layout = section(tr_label("OrderDetail", "备注"), "remarks")
    fields = Fields()
    nothing = tr_label("OrderDetail", "无")
    fields.add(caption("买家留言"), order.buyer_remark or nothing)
    fields.add(caption("商家备注"), order.admin_remark or nothing).setObjectName("admin_remark")
    layout.addWidget(fields)
    return box


def _parcel_box(parcel: Parcel, names: dict[int, OrderItem]) -> QWidget:
    box = QFrame()
    box.setObjectName(f"parcel-{parcel.id}")
    box.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(10, 8, 10, 8)
    layout.setSpacing(6)
    fields = Fields()
    fields.add(caption("快递"), parcel.courier_name or NONE, bold=True)
    fields.add(caption("单号"), parcel.tracking_number, copy=True)
    fields.add(caption("发货时间"), when(parcel.shipped_at))
    contents = tr_label("OrderDetail", "、").join(
        f"{names[p.order_item_id].name} ×{p.quantity}" if p.order_item_id in names
        else tr_label("OrderDetail", "商品 #{id} ×{count}").format(id=p.order_item_id, count=p.quantity)
        for p in parcel.items)
    fields.add(caption("包裹商品"), contents or tr_label("OrderDetail", "未注明"))
    layout.addWidget(fields)
    traces = sorted(parcel.traces, key=lambda t: t.time, reverse=True)
    if traces:
        layout.addWidget(Timeline([Moment(t.text, when(t.time)) for t in traces]))
    else:
        layout.addWidget(note(tr_label("OrderDetail", "暂无物流轨迹")))
    return box


def parcels(view: OrderView, _images: ImageCache) -> QWidget:
    order = view.bundle.order
    box, layout = section(tr_label("OrderDetail", "物流"), "parcels")
    if not view.bundle.parcels:
        if order.is_pickup:
            why = tr_label("OrderDetail", "到店自提，无需发货")
        elif order.status in (OrderStatus.UNPAID, OrderStatus.TO_SHIP):
            why = tr_label("OrderDetail", "尚未发货")
        elif order.status == OrderStatus.CLOSED:
            why = tr_label("OrderDetail", "订单已关闭，没有包裹")
        else:
            why = tr_label("OrderDetail", "本地缓存中没有包裹信息")
        layout.addWidget(note(why))
        return box
    names = _item_names(view)
    for parcel in view.bundle.parcels:
        layout.addWidget(_parcel_box(parcel, names))
    return box


def refunds(view: OrderView, _images: ImageCache) -> QWidget:
    box, layout = section(tr_label("OrderDetail", "售后"), "refunds")
    if not view.refunds:
        layout.addWidget(note(tr_label("OrderDetail", "没有售后申请")))
        return box
    names = _item_names(view)
    lang = ui_language()
    for refund in view.refunds:
        fields = Fields()
        fields.setObjectName(f"refund-{refund.id}")
        fields.add(caption("类型"), f"{refund.type.label(lang)} · {refund.status.label(lang)}", bold=True)
        fields.add(caption("金额"), yuan(refund.amount))
        item = names.get(refund.order_item_id)
        fields.add(caption("商品"), f"{item.name} ×{refund.quantity}" if item else tr_label("OrderDetail", "整单"))
        fields.add(caption("原因"), refund.reason)
        if refund.remark:
            fields.add(caption("说明"), refund.remark)
        if refund.return_tracking:
            fields.add(caption("退货单号"), f"{refund.return_courier} {refund.return_tracking}".strip(), copy=True)
        if refund.refuse_reason:
            fields.add(caption("拒绝原因"), refund.refuse_reason)
        fields.add(caption("申请时间"), when(refund.created_at))
        layout.addWidget(fields)
    return box


def logs(view: OrderView, _images: ImageCache) -> QWidget:
    box, layout = section(tr_label("OrderDetail", "订单日志"), "logs")
    if not view.logs:
        layout.addWidget(note(tr_label("OrderDetail", "本地缓存中没有该订单的日志（同步订单详情后显示）")))
        return box
    layout.addWidget(Timeline([Moment(log.text, when(log.time), log.remark) for log in view.logs]))
    return box


_RESULTS = {"done": QT_TRANSLATE_NOOP("OrderDetail", "已完成"), "conflict": QT_TRANSLATE_NOOP("OrderDetail", "冲突"),
            "failed": QT_TRANSLATE_NOOP("OrderDetail", "失败"), "pending": QT_TRANSLATE_NOOP("OrderDetail", "待发送")}


def _audit_moment(entry: AuditEntry) -> Moment:
    state, _, message = entry.result.partition(": ")
    result = tr_label("OrderDetail", _RESULTS[state]) if state in _RESULTS else state
    if message and message != "ok":
        result = tr_label("OrderDetail", "{result}：{message}").format(result=result, message=message)
    try:
        params = json.loads(entry.after).get("params") if entry.after else None
    except (ValueError, AttributeError):
        params = None
    tooltip = json.dumps(params, ensure_ascii=False) if params else ""
    return Moment(f"{action_name(entry.action, ui_language())} — {entry.operator}", entry.time[:16], result, tooltip)


def audit(view: OrderView, _images: ImageCache) -> QWidget:
    box, layout = section(tr_label("OrderDetail", "本机操作记录"), "audit")
    if not view.audit:
        layout.addWidget(note(tr_label("OrderDetail", "本机没有对该订单的操作记录")))
        return box
    layout.addWidget(Timeline([_audit_moment(e) for e in view.audit]))
    return box


def _header_key(view: OrderView) -> Hashable:
    o = view.bundle.order
    return (o.number, o.status, o.refund_state, o.needs_delivery, o.pickup_code, o.is_paid, o.created_at,
            o.paid_at, o.closed_at, o.updated_at)


def _amounts_key(view: OrderView) -> Hashable:
    o = view.bundle.order
    return (o.amount_goods, o.amount_freight, o.amount_discount, o.amount_paid, o.amount_refunded)


@dataclass(frozen=True)
class Section:
    name: str
    key: Callable[[OrderView], Hashable]
    build: Callable[[OrderView, ImageCache], QWidget]


SECTIONS: tuple[Section, ...] = (
    Section("header", lambda v: _header_key(v), header),
    Section("receiver", lambda v: (v.bundle.receiver, v.bundle.order.needs_delivery), receiver),
    Section("buyer", lambda v: (v.bundle.order.uid, v.buyer), buyer),
    Section("items", lambda v: (v.bundle.items, v.refunds), items),
    Section("amounts", lambda v: _amounts_key(v), amounts),
    Section("remarks", lambda v: (v.bundle.order.buyer_remark, v.bundle.order.admin_remark), remarks),
    Section("parcels", lambda v: (v.bundle.parcels, v.bundle.items, v.bundle.order.status,
                                  v.bundle.order.needs_delivery), parcels),
    Section("refunds", lambda v: (v.refunds, v.bundle.items), refunds),
    Section("logs", lambda v: v.logs, logs),
    Section("audit", lambda v: v.audit, audit),
)
