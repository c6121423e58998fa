"""Reading a batch-ship file: CSV (UTF-8, UTF-8 with BOM, GBK, Excel's UTF-16 "Unicode
text") or XLSX into rows, the header found by its names in any column order, several
tracking numbers to a cell, and the digits Excel may have lost said plainly.
``app.services.batch_ship`` checks the rows (the dry run) and writes the results file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

from app.domain import tracking

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
