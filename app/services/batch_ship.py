"""Batch shipping from a file: the dry run that checks every row locally, and the results.

Nothing here talks to the platform. ``read_rows`` (``app.services.batch_file``) turns a CSV
or XLSX file into rows; ``dry_run`` gives each row a verdict
against the cache — ok, warning, error or skip — with what to do about it in zh and en;
``shipments`` groups the rows that may be sent by order for the apply step; and
``write_results`` writes the file back with the verdicts added, for staff to fix and
import again. "Skip" means the row's work is already done (shipped with this very
number, or already sent from this desk): applying a file twice must never ship twice.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from app.domain import tracking
from app.domain.couriers import CourierInfo, closest_names, courier_for, courier_key
from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import Courier
from app.services.batch_file import ImportFileError as ImportFileError  # what callers catch from here
from app.services.batch_file import Note, NoteKind, Row
from app.services.batch_file import ReadResult as ReadResult
from app.services.batch_file import read_rows as read_rows
from app.services.batch_file import split_numbers as split_numbers
from app.store import shipping

Kind = Literal["ok", "warning", "error", "skip"]
@dataclass(frozen=True, slots=True)
class Verdict:
    """One row's verdict: what the apply step sends (ok and warning rows) and what staff read."""

    line: int
    order_number: str
    order_id: int | None
    courier_id: int | None  # the platform's id
    courier_name: str  # the platform's name, or as written when not found
    tracking_numbers: tuple[str, ...]  # cleaned, still to send: () for a skip; the row's own are in row
    kind: Kind
    notes: tuple[Note, ...]
    row: Row

    @property
    def sendable(self) -> bool:
        return self.kind in ("ok", "warning")

    def message(self, lang: str = "zh") -> str:
        return "\n".join(n.text(lang) for n in self.notes)


@dataclass(frozen=True, slots=True)
class Shipment:
    """What the apply step sends for one order: every sendable row of it, merged."""

    order_id: int
    order_number: str
    courier_id: int
    tracking_numbers: tuple[str, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    ok: int
    warning: int
    error: int
    skip: int

    @property
    def total(self) -> int:
        return self.ok + self.warning + self.error + self.skip

    def text(self, lang: str = "zh") -> str:
        if lang.startswith("zh"):
            return f"共 {self.total} 行：可发货 {self.ok}，需确认 {self.warning}，有错误 {self.error}，跳过 {self.skip}"
        return (f"{self.total} rows: {self.ok} ready, {self.warning} to confirm, {self.error} with errors, "
                f"{self.skip} skipped")


KIND_LABELS = {"ok": ("可发货", "OK"), "warning": ("需确认", "Check"), "error": ("错误", "Error"),
               "skip": ("跳过", "Skip")}


# ---- reading ---------------------------------------------------------------------------


class CourierBook:
    """The platform's couriers, found by what staff write: id, code, name or a common alias."""

    def __init__(self, couriers: Sequence[Courier]) -> None:
        self.couriers = list(couriers)
        self._by_key: dict[str, Courier] = {}
        self._info: dict[int, CourierInfo | None] = {}
        self._labels: dict[str, str] = {}  # any name staff may mean -> the platform's name
        for c in self.couriers:
            info = courier_for(c.code) if c.code and not c.code.isdigit() else None
            info = info or courier_for(c.name)
            self._info[c.id] = info
            for text in (c.name, c.code):
                if text:
                    self._by_key.setdefault(courier_key(text), c)
                    self._labels.setdefault(text, c.name)
        for c in self.couriers:  # aliases after every exact name, so an alias never shadows one
            info = self._info[c.id]
            if info is not None:
                for text in (info.code, info.name, *info.aliases):
                    self._by_key.setdefault(courier_key(text), c)
                    self._labels.setdefault(text, c.name)

    def find(self, text: str) -> Courier | None:
        text = text.strip()
        if not text:
            return None
        if text.isdigit():
            return next((c for c in self.couriers if c.id == int(text)), None)
        return self._by_key.get(courier_key(text))

    def info(self, courier: Courier) -> CourierInfo | None:
        """The courier's number forms, when ShopDesk knows the company."""
        return self._info.get(courier.id)

    def closest(self, text: str) -> list[str]:
        return list(dict.fromkeys(self._labels[n] for n in closest_names(text, self._labels)))


# ---- the dry run -----------------------------------------------------------------------


def _at(line: int, kind: NoteKind, zh: str, en: str) -> Note:
    return Note(kind, f"第 {line} 行：{zh}", f"Row {line}: {en}")


@dataclass
class _Draft:
    row: Row
    order: shipping.OrderRef | None = None
    courier: Courier | None = None
    numbers: tuple[str, ...] = ()
    notes: list[Note] = field(default_factory=list)

    def add(self, kind: NoteKind, zh: str, en: str) -> None:
        self.notes.append(_at(self.row.line, kind, zh, en))

    @property
    def kind(self) -> Kind:
        kinds = {n.kind for n in self.notes}
        for kind in ("error", "skip", "warning"):
            if kind in kinds:
                return kind  # type: ignore[return-value]
        return "ok"


def dry_run(conn: sqlite3.Connection, rows: Sequence[Row],
            couriers: Sequence[Courier] | None = None) -> list[Verdict]:
    """Check every row against the cache, without sending anything: a verdict per row.

    ``couriers``: the platform's list; by default the cache's (synced with the shop).
    """
    book = CourierBook(shipping.couriers(conn) if couriers is None else couriers)
    drafts = [_Draft(row) for row in rows]
    orders = shipping.orders_by_number(conn, (r.order_number for r in rows))
    all_numbers = {n for r in rows for n in r.tracking_numbers}
    # A tracking number that is an order number: of this file, or of any order in the cache.
    order_numbers = {r.order_number for r in rows} | set(shipping.orders_by_number(conn, all_numbers))
    carried = shipping.orders_with_tracking(conn, all_numbers)
    queued = shipping.queued_shipments(conn, (o.id for o in orders.values()))
    others = {i for ids in carried.values() for i in ids} - {o.id for o in orders.values()}
    receivers = {o.id: o.receiver for o in orders.values()} | shipping.receivers(conn, others)

    for d in drafts:
        _check_row(d, book, orders, order_numbers)
    for d in drafts:
        if d.order is not None and d.courier is not None and d.numbers:
            _check_done(d, queued.get(d.order.id, []))
    _check_file_duplicates(drafts)
    _check_elsewhere(drafts, carried, receivers)
    _check_couriers_per_order(drafts)
    return [Verdict(line=d.row.line, order_number=d.row.order_number, order_id=d.order.id if d.order else None,
                    courier_id=d.courier.id if d.courier else None,
                    courier_name=d.courier.name if d.courier else d.row.courier,
                    tracking_numbers=() if d.kind == "skip" else d.numbers,
                    kind=d.kind, notes=tuple(d.notes), row=d.row) for d in drafts]


def _check_row(d: _Draft, book: CourierBook, orders: dict[str, shipping.OrderRef], order_numbers: set[str]) -> None:
    row = d.row
    d.notes += row.problems
    d.numbers = row.tracking_numbers
    if not row.order_number:
        if "order" not in row.unreadable:
            d.add("error", "缺少订单号。请填写订单号，或删除这一行。", "the order number is missing. Enter it or delete the row.")
    else:
        d.order = orders.get(row.order_number)
        if d.order is None:
            d.add("error", f"找不到订单 {row.order_number}。请核对订单号；如果是刚下的订单，请先同步订单再导入。",
                  f"order {row.order_number} is not found. Check the number; if the order is new, sync orders "
                  "first and import again.")
    if not row.courier:
        d.add("error", "缺少快递公司。请填写快递公司名称，如“顺丰”“中通”。",
              "the courier is missing. Enter the courier's name, e.g. SF or ZTO.")
    elif not book.couriers:
        d.add("error", "本地还没有平台的快递公司列表。请先同步一次，再重新核对。",
              "the platform's courier list is not in the cache yet. Sync once, then check again.")
    else:
        d.courier = book.find(row.courier)
        if d.courier is None:
            d.add("error", *_unknown_courier(row.courier, book))
    if not d.numbers:
        if "tracking" not in row.unreadable:
            d.add("error", "缺少快递单号。请填写快递单号，或删除这一行。",
                  "the tracking number is missing. Enter it or delete the row.")
    else:
        info = book.info(d.courier) if d.courier is not None else None
        for number in d.numbers:
            for p in tracking.check(number, info, order_numbers=order_numbers):
                d.add(p.level, p.zh, p.en)
    if d.order is not None:
        _check_order(d)


def _unknown_courier(text: str, book: CourierBook) -> tuple[str, str]:
    known = courier_for(text)
    if known is not None:
        return (f"平台的快递公司列表里没有“{known.name}”。请在平台后台启用这家快递，同步后再导入；或换成列表里有的快递公司。",
                f"the platform's courier list has no {known.name} ({known.code}). Enable it in the platform's admin "
                "and sync, or use a courier on the list.")
    hint = book.closest(text)
    zh_hint = f"是不是“{'”或“'.join(hint)}”？" if hint else ""
    en_hint = f" Did you mean {' or '.join(hint)}?" if hint else ""
    return (f"不认识快递公司“{text}”。{zh_hint}请改成平台快递公司列表里的名称。",
            f"unknown courier '{text}'.{en_hint} Use a name from the platform's courier list.")


def _check_order(d: _Draft) -> None:
    o = d.order
    assert o is not None
    number = o.number
    if not o.needs_delivery:
        d.add("error", f"订单 {number} 是到店自提订单，不需要快递发货。请删除这一行，在订单详情中办理自提。",
              f"order {number} is a pickup order: no courier shipment. Delete the row and hand it over in the "
              "order's detail.")
        return
    if o.status == OrderStatus.UNPAID:
        d.add("error", f"订单 {number} 还未付款，不能发货。请删除这一行或等买家付款后再导入。",
              f"order {number} is not paid yet and cannot be shipped. Delete the row, or import it after the "
              "buyer pays.")
        return
    if o.status == OrderStatus.CLOSED:
        d.add("error", f"订单 {number} 已关闭，不能发货。请删除这一行。",
              f"order {number} is closed and cannot be shipped. Delete the row.")
        return
    on_order = [n for n in d.numbers if n in o.tracking_numbers]
    if o.status != OrderStatus.TO_SHIP:  # shipped, to review or done
        if d.numbers and len(on_order) == len(d.numbers):
            d.add("skip", f"订单 {number} 已经用这个单号发过货，无需再发。",
                  f"order {number} is already shipped with this number; nothing to do.")
        else:
            already = "、".join(o.tracking_numbers) or "无单号"
            d.add("error", f"订单 {number} 已经发货（{o.status.label('zh')}，单号 {already}），不能再次发货。"
                  "如需更正单号，请在订单详情中修改（微信只允许更正一次）；否则请删除这一行。",
                  f"order {number} is already shipped ({o.status.label('en')}, tracking "
                  f"{', '.join(o.tracking_numbers) or 'none'}) and cannot be shipped again. To correct the number, "
                  "edit it in the order's detail (WeChat allows one correction); otherwise delete the row.")
        return
    if on_order:
        d.numbers = tuple(n for n in d.numbers if n not in on_order)
        if d.numbers:  # e.g. the second run of a file the first run half applied
            d.add("info", f"单号 {'、'.join(on_order)} 已在订单 {number} 上，只会发送 {'、'.join(d.numbers)}。",
                  f"{', '.join(on_order)} is already on order {number}; only {', '.join(d.numbers)} will be sent.")
        else:
            d.add("skip", f"订单 {number} 上已经有这个单号，无需再发。",
                  f"order {number} already carries this number; nothing to do.")
    if o.refund_state == OrderRefundState.PROCESSING:
        d.add("warning", f"订单 {number} 的买家正在申请售后。请先在售后中处理，确认仍要发货再导入。",
              f"the buyer of order {number} has an after-sale request open. Handle it first and ship only if "
              "it still should go.")


def _check_done(d: _Draft, queued: list[shipping.QueuedShipment]) -> None:
    """A ship this desk already wrote that the cache does not show yet."""
    if not queued or d.kind in ("error", "skip"):
        return
    order = d.order
    assert order is not None
    sent = {n for q in queued for n in q.tracking_numbers}
    if set(d.numbers) <= sent:
        d.add("skip", f"订单 {order.number} 已用这个单号提交过发货（{queued[-1].created_at}），无需再发。",
              f"order {order.number} was already shipped from this desk with this number "
              f"({queued[-1].created_at}); nothing to do.")
    else:
        d.add("error", f"订单 {order.number} 已有一笔发货在待发送队列中（单号 {'、'.join(sorted(sent)) or '无'}）。"
              "请先在“待发送”中处理它，再导入这一行。",
              f"order {order.number} already has a shipment in the outbox (tracking "
              f"{', '.join(sorted(sent)) or 'none'}). Deal with it there before importing this row.")


def _check_file_duplicates(drafts: list[_Draft]) -> None:
    """The same number twice in the file: a repeated row is skipped; on two orders, it is
    one buyer's merged parcel (a warning) or a mistake (an error)."""
    first: dict[tuple[int, str], _Draft] = {}
    by_number: dict[str, list[_Draft]] = defaultdict(list)
    for d in drafts:
        if d.order is None:
            continue
        repeats = [n for n in d.numbers if first.setdefault((d.order.id, n), d) is not d]
        if repeats:
            earlier = "、".join(sorted({str(first[(d.order.id, n)].row.line) for n in repeats}))
            d.numbers = tuple(n for n in d.numbers if n not in repeats)
            d.add("info" if d.numbers else "skip",
                  f"单号 {'、'.join(repeats)} 与第 {earlier} 行重复（同一订单），这一行不会再发。",
                  f"{', '.join(repeats)} repeats row {earlier} (same order); this row will not send it again.")
        for n in d.numbers:
            by_number[n].append(d)
    for n, users in by_number.items():
        order_ids = {d.order.id for d in users if d.order}
        if len(order_ids) < 2:
            continue
        for d in users:
            assert d.order is not None
            mates = [x for x in users if x.order and x.order.id != d.order.id]
            lines = "、".join(str(x.row.line) for x in mates)
            if all(x.order and x.order.receiver == d.order.receiver for x in mates):
                d.add("warning", f"单号 {n} 也用在第 {lines} 行的订单上（同一收货人，合并发货？）。如果不是一个包裹，请改正单号。",
                      f"{n} is also used on row {lines} for the same receiver (one parcel for several orders?). "
                      "If they are not one parcel, correct the number.")
            else:
                d.add("error", f"单号 {n} 也用在第 {lines} 行的另一个收货人的订单上。一个单号只能寄给一个收货人，请改正单号。",
                      f"{n} is also used on row {lines} for another receiver. One parcel goes to one receiver: "
                      "correct the number.")


def _check_elsewhere(drafts: list[_Draft], carried: dict[str, list[int]],
                     receivers: dict[int, tuple[str, str, str]]) -> None:
    """A number already on another order in the cache."""
    for d in drafts:
        if d.order is None:
            continue
        for n in d.numbers:
            owners = [i for i in carried.get(n, []) if i != d.order.id]
            if not owners:
                continue
            same = all(receivers.get(i) == d.order.receiver for i in owners)
            ids = "、".join(map(str, owners))
            if same:
                d.add("warning", f"单号 {n} 已用在同一收货人的另一个订单上（订单 ID {ids}）。如果是合并发货可以继续，否则请改正单号。",
                      f"{n} is already on another order for the same receiver (order id {ids}). Fine for a merged "
                      "parcel; otherwise correct the number.")
            else:
                d.add("error", f"单号 {n} 已经用在另一个收货人的订单上（订单 ID {ids}）。请核对面单，改正单号。",
                      f"{n} is already on another receiver's order (order id {ids}). Check the label and correct "
                      "the number.")


def _check_couriers_per_order(drafts: list[_Draft]) -> None:
    rows_of: dict[int, list[_Draft]] = defaultdict(list)
    for d in drafts:
        if d.order is not None and d.courier is not None:
            rows_of[d.order.id].append(d)
    for rows in rows_of.values():
        names = {d.courier.id: d.courier.name for d in rows if d.courier}
        if len(names) < 2:
            continue
        listing = "、".join(f"第 {d.row.line} 行 {d.courier.name}" for d in rows if d.courier)
        listing_en = ", ".join(f"row {d.row.line} {d.courier.name}" for d in rows if d.courier)
        for d in rows:
            d.add("error", f"订单 {d.row.order_number} 在文件中写了不同的快递公司（{listing}）。请改成同一家，或删除多余的行。",
                  f"order {d.row.order_number} has different couriers in the file ({listing_en}). Use one "
                  "courier, or delete the extra rows.")


def summarize(verdicts: Iterable[Verdict]) -> Summary:
    counts = {"ok": 0, "warning": 0, "error": 0, "skip": 0}
    for v in verdicts:
        counts[v.kind] += 1
    return Summary(**counts)


def shipments(verdicts: Iterable[Verdict], *, include_warnings: bool = True) -> list[Shipment]:
    """What to send, one per order, in file order: the sendable rows merged. Error and skip
    rows are left out; so are warnings unless staff accepted them."""
    merged: dict[int, Shipment] = {}
    for v in verdicts:
        if not v.sendable or (v.kind == "warning" and not include_warnings):
            continue
        assert v.order_id is not None and v.courier_id is not None
        had = merged.get(v.order_id)
        if had is None:
            merged[v.order_id] = Shipment(v.order_id, v.order_number, v.courier_id, v.tracking_numbers, (v.line,))
        else:
            numbers = tuple(dict.fromkeys((*had.tracking_numbers, *v.tracking_numbers)))
            merged[v.order_id] = Shipment(had.order_id, had.order_number, had.courier_id, numbers,
                                          (*had.lines, v.line))
    return list(merged.values())


# ---- the results file ------------------------------------------------------------------

RESULT_COLUMNS = ("核对结果", "核对后的单号", "说明", "Result", "Message")
STANDARD_HEADER = ("订单号", "快递公司", "快递单号")


def write_results(path: Path, verdicts: Sequence[Verdict], header: Sequence[str] = ()) -> Path:
    """The file as read, with the verdict columns added (XLSX or CSV by the extension), so
    staff can fix the rows in place and import the same file again. ``header``: the file's
    (ReadResult.header); without it, the three standard columns are written."""
    path = Path(path)
    if header:
        width = max([len(header), *(len(v.row.cells) for v in verdicts)])
        originals = [[*v.row.cells, *[""] * (width - len(v.row.cells))] for v in verdicts]
        head = [*header, *[""] * (width - len(header))]
    else:
        originals = [[v.order_number, v.row.courier, v.row.tracking_text] for v in verdicts]
        head = list(STANDARD_HEADER)
    body = [[*cells, KIND_LABELS[v.kind][0], "，".join(v.row.tracking_numbers), v.message("zh"), KIND_LABELS[v.kind][1],
             v.message("en")] for cells, v in zip(originals, verdicts, strict=True)]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        _write_xlsx(path, [*head, *RESULT_COLUMNS], body)
    else:
        _write_csv(path, [*head, *RESULT_COLUMNS], body)
    return path


def _write_xlsx(path: Path, head: list[str], body: list[list[str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "核对结果"
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append(row)  # strings stay strings: Excel shows long numbers whole
    for column in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        for cell in column:
            cell.number_format = "@"  # and what staff type into the column stays text too
            if cell.row > 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        widest = max((len(str(c.value or "")) for c in column), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, widest + 2))
    sheet.freeze_panes = "A2"
    book.save(path)


def _write_csv(path: Path, head: list[str], body: list[list[str]]) -> None:
    def protect(value: str) -> str:
        # Excel opens a CSV's long digit runs as 1.23E+13 and loses them; ="…" keeps the text.
        return f'="{value}"' if value.isdigit() and len(value) >= 12 else value

    with path.open("w", encoding="utf-8-sig", newline="") as out:  # the BOM makes Excel read UTF-8
        writer = csv.writer(out)
        writer.writerow(head)
        writer.writerows([[protect(v) for v in row] for row in body])
