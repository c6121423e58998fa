"""Batch shipping from a file: reading it, and the dry run that checks every row locally.

Nothing here talks to the platform. ``read_rows`` turns a CSV (UTF-8, UTF-8 with BOM, GBK,
Excel's UTF-16 "Unicode text") or XLSX file into rows; ``dry_run`` gives each row a verdict
against the cache — ok, warning, error or skip — with what to do about it in zh and en;
``shipments`` groups the rows that may be sent by order for the apply step; and
``write_results`` writes the file back with the verdicts added, for staff to fix and
import again. "Skip" means the row's work is already done (shipped with this very
number, or already sent from this desk): applying a file twice must never ship twice.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

from app.domain import tracking
from app.domain.couriers import CourierInfo, closest_names, courier_for, courier_key
from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import Courier
from app.store import shipping

Kind = Literal["ok", "warning", "error", "skip"]
FIELDS = ("order", "courier", "tracking")
# Normalised header text (see _header_key) -> field. Exact matches only: the results file
# adds columns such as 核对后的单号 that must not be taken for the tracking column.
_SYNONYMS = {
    "order": ("订单号", "订单编号", "订单号码", "订单单号", "商城订单号", "orderno", "ordernumber", "order", "orderid"),
    "courier": ("快递公司", "物流公司", "快递", "物流", "快递名称", "物流公司名称", "承运商", "courier", "carrier",
                "couriercompany", "expresscompany", "shippingcompany"),
    "tracking": ("快递单号", "运单号", "物流单号", "运单编号", "快递单号码", "运单号码", "物流编号", "tracking",
                 "trackingno", "trackingnumber", "trackingnumbers", "waybill", "waybillno", "waybillnumber"),
}
HEADER_SEARCH_ROWS = 20  # a title or a note may sit above the header row
# Several numbers in one cell: separators staff use in Chinese and English text.
_SEPARATORS = re.compile(r"[,，;；/、|\n\r]+")
# What Excel writes into a CSV for a long number: its digits are gone.
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number


class ImportFileError(Exception):
    """The file cannot be read as a batch-ship file; says why and what to do."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


NoteKind = Literal["error", "warning", "skip", "info"]


@dataclass(frozen=True, slots=True)
class Note:
    kind: NoteKind  # "info" says what the check did and does not change the verdict
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # the row number staff see in Excel (the header's row counts)
    order_number: str
    courier: str  # as written
    tracking_text: str  # the cell as read, before splitting and cleaning
    tracking_numbers: tuple[str, ...]  # split and cleaned, in the cell's order, without repeats
    cells: tuple[str, ...]  # every cell as text, for the results file
    problems: tuple[Note, ...] = ()  # what reading found (digits Excel lost)
    unreadable: frozenset[str] = frozenset()  # fields whose cell lost its digits: "order", "tracking"


@dataclass(frozen=True, slots=True)
class ReadResult:
    rows: list[Row]
    header: tuple[str, ...]
    header_line: int
    columns: dict[str, int]  # field -> column index
    source: str  # "utf-8", "utf-8-sig", "gbk", "utf-16" or "xlsx:<sheet>"
    blank_rows: int


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


def read_rows(path: Path) -> ReadResult:
    """The rows of a batch-ship file, its header found by name in any column order."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ImportFileError("不支持旧版 Excel（.xls）文件。请在 Excel 中“另存为” .xlsx 或 CSV 后再导入。",
                              "Old Excel (.xls) files are not supported. Save it as .xlsx or CSV in Excel and "
                              "import that.")
    try:
        if suffix in (".xlsx", ".xlsm"):
            table, source = _xlsx_cells(path)
        elif suffix in (".csv", ".txt", ".tsv"):
            table, source = _csv_cells(path)
        else:
            raise ImportFileError(f"不认识的文件类型“{path.suffix}”。请导入 .xlsx 或 .csv 文件。",
                                  f"Unknown file type '{path.suffix}'. Import an .xlsx or .csv file.")
    except OSError as exc:
        raise ImportFileError(f"无法打开文件：{exc.strerror or exc}。请确认文件存在且没有被其它程序占用。",
                              f"Cannot open the file: {exc.strerror or exc}. Check it exists and is not locked "
                              "by another program.") from exc
    return _rows_of(table, source)


Cell = tuple[str, Note | None]  # text, and a problem reading it


def _csv_cells(path: Path) -> tuple[list[list[Cell]], str]:
    text, encoding = _decode(path.read_bytes())
    # The delimiter the header row uses most (a title line above it may have none);
    # a comma when nothing says otherwise.
    head = text.splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = max((",", "\t", ";"), key=lambda d: max((line.count(d) for line in head), default=0))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[_csv_cell(v) for v in row] for row in rows], encoding


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is GBK's superset: a file from Chinese Excel or WPS reads the same.
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise ImportFileError(
            "无法识别文件的编码（不是 UTF-8 也不是 GBK）。请在 Excel 中“另存为” → “CSV UTF-8（逗号分隔）”后再导入，或直接导入 .xlsx。",
            "The file's encoding is neither UTF-8 nor GBK. In Excel, Save As 'CSV UTF-8 (Comma delimited)' and "
            "import that, or import the .xlsx.") from None


def _csv_cell(value: str) -> Cell:
    # ="0123…": how exports (ours included) keep Excel from turning a long number into 1.2E+13.
    if len(value) >= 3 and value.startswith('="') and value.endswith('"'):
        value = value[2:-1]
    if _SCIENTIFIC.fullmatch(value.strip()):
        return value, Note("error", f"“{value.strip()}”是科学计数法，数字已经丢失。",
                           f"'{value.strip()}' is in scientific notation: its digits are lost.")
    return value, None


def _xlsx_cells(path: Path) -> tuple[list[list[Cell]], str]:
    from openpyxl import load_workbook  # here: only an import needs it, and it is slow to import
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError("这个文件不是有效的 .xlsx 文件，可能已损坏或只是改了扩展名。请在 Excel 中重新保存后再导入。",
                              "This is not a valid .xlsx file (damaged, or only renamed). Save it again in Excel "
                              "and import that.") from exc
    try:
        # The first sheet with a recognisable header: a workbook may open on a notes sheet.
        first: tuple[list[list[Cell]], str] | None = None
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):  # a chart sheet has no cells
                continue
            table = [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if first is None:
                first = (table, f"xlsx:{sheet.title}")
            if _find_header(table)[0] is not None:
                return table, f"xlsx:{sheet.title}"
        return first or ([], "xlsx")
    finally:
        book.close()


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return "", None
    if isinstance(value, bool):
        return str(value).upper(), None
    if isinstance(value, int):
        if len(str(abs(value))) > EXCEL_DIGITS:
            return str(value), Note(
                "error", f"“{value}”存成了数字，Excel 只保留 15 位，后面的数字可能已变成 0。",
                f"'{value}' is stored as a number; Excel keeps 15 digits, so the last ones may have become 0.")
        return str(value), None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 10 ** EXCEL_DIGITS:
            return str(int(value)), None
        shown = f"{value:.6G}"
        return shown, Note("error", f"“{shown}”被 Excel 存成了小数或科学计数法，数字已经丢失。",
                           f"'{shown}' was stored by Excel as a decimal or in scientific notation: its digits are lost.")
    if isinstance(value, datetime | date | time):
        return value.isoformat(), None
    return str(value), None


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)  # "快递单号（必填）", "Order no. (required)"
    return re.sub(r"[\s\W_]+", "", text.replace("&", ""))


_FIELD_OF = {_header_key(s): f for f, names in _SYNONYMS.items() for s in names}


def _find_header(table: list[list[Cell]]) -> tuple[int | None, dict[str, int]]:
    """(index of the header row, field -> column) or (None, the most fields one row had)."""
    best: dict[str, int] = {}
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, (text, _) in enumerate(row):
            found = _FIELD_OF.get(_header_key(text))
            if found and found not in columns:  # a second column of the same name is ignored
                columns[found] = col
        if len(columns) == len(FIELDS):
            return index, columns
        if len(columns) > len(best):
            best = columns
    return None, best


def _rows_of(table: list[list[Cell]], source: str) -> ReadResult:
    header_index, columns = _find_header(table)
    if header_index is None:
        names = {"order": ("订单号", "order number"), "courier": ("快递公司", "courier"),
                 "tracking": ("快递单号", "tracking number")}
        missing = [names[f] for f in FIELDS if f not in columns]
        raise ImportFileError(
            f"没有找到表头：缺少“{'”“'.join(m[0] for m in missing)}”列。请在第一行写上 订单号、快递公司、快递单号 三列的列名。",
            f"No header row found: missing {', '.join(m[1] for m in missing)}. Put the column names "
            "Order number, Courier and Tracking number in the first row.")
    header = tuple(text for text, _ in table[header_index])
    rows: list[Row] = []
    blank = 0
    for index in range(header_index + 1, len(table)):
        cells = table[index]
        if not any(_cell(cells, columns[f])[0].strip() for f in FIELDS):
            blank += 1
            continue
        rows.append(_row(index + 1, cells, columns))
    return ReadResult(rows=rows, header=header, header_line=header_index + 1, columns=columns, source=source,
                      blank_rows=blank)


def _cell(cells: list[Cell], col: int) -> Cell:
    return cells[col] if col < len(cells) else ("", None)


def _row(line: int, cells: list[Cell], columns: dict[str, int]) -> Row:
    (order_text, order_problem), (courier_text, _), (tracking_text, tracking_problem) = (
        _cell(cells, columns[f]) for f in FIELDS)
    problems = []
    unreadable = set()
    if order_problem:
        unreadable.add("order")
        problems.append(Note("error", f"第 {line} 行：订单号{order_problem.zh}请把订单号列设为“文本”格式后重新填写。",
                             f"Row {line}: order number {order_problem.en} Format the column as Text and "
                             "re-enter it."))
    if tracking_problem:
        unreadable.add("tracking")
        problems.append(Note("error", f"第 {line} 行：快递单号{tracking_problem.zh}请把快递单号列设为“文本”格式后重新填写。",
                             f"Row {line}: tracking number {tracking_problem.en} Format the column as Text "
                             "and re-enter it."))
    # A number whose digits are lost is not looked up or checked: it is not the real one.
    return Row(line=line, order_number="" if order_problem else tracking.clean(order_text),
               courier=courier_text.strip(), tracking_text=tracking_text,
               tracking_numbers=() if tracking_problem else split_numbers(tracking_text),
               cells=tuple(text for text, _ in cells), problems=tuple(problems), unreadable=frozenset(unreadable))


def split_numbers(text: str) -> tuple[str, ...]:
    """The cleaned tracking numbers in one cell, in order, without repeats.

    Commas, semicolons, slashes and new lines always separate. Spaces separate only when
    every piece is a whole number: "SF1234 5678 90123", copied from a text message, is one.
    """
    numbers: list[str] = []
    for piece in _SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        parts = [p for p in (tracking.clean(x) for x in piece.split()) if p]
        if len(parts) > 1 and all(len(p) >= tracking.MIN_LENGTH for p in parts):
            numbers += parts
        else:
            numbers.append(tracking.clean(piece))
    return tuple(dict.fromkeys(n for n in numbers if n))


# ---- couriers --------------------------------------------------------------------------


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
