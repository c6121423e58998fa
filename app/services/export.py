"""Writing a list of orders to a spreadsheet: the columns staff chose, as the table shows them.

CSV is UTF-8 with a BOM (Excel on Windows reads Chinese right only with it); XLSX keeps
order numbers and phones as text (Excel would turn them into 2.6E+13) and amounts as
numbers. The file appears whole or not at all: written beside, then renamed.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from app.services.order_columns import COLUMNS, cell_text
from app.store import queries

FORMATS = (".xlsx", ".csv")
_BATCH = 500
_BY_KEY = {c.key: c for c in COLUMNS}


class ExportError(ValueError):
    """Something the user can fix: the file name or place."""


def export_orders(read: Callable[[], sqlite3.Connection], ids: Sequence[int], keys: Sequence[str], path: Path,
                  progress: Callable[[int, int], None] | None = None) -> int:
    """Write the orders ``ids`` (in that order) with columns ``keys``; returns rows written."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"不能导出为“{path.suffix or '无扩展名'}”：请把文件名改为以 .xlsx 或 .csv 结尾。")
    unknown = [k for k in keys if k not in _BY_KEY]
    if unknown or not keys:
        raise ExportError("请至少选择一列。" if not keys else f"未知的列：{', '.join(unknown)}")
    if not path.parent.is_dir():
        raise ExportError(f"文件夹“{path.parent}”不存在：请选择一个已有的文件夹。")
    header = [_BY_KEY[k].zh for k in keys]
    part = path.with_name(f".{path.name}.part")
    conn = read()

    def rows() -> Iterator[sqlite3.Row]:
        for start in range(0, len(ids), _BATCH):
            yield from queries.rows_by_id(conn, ids[start:start + _BATCH])
            if progress is not None:
                progress(min(start + _BATCH, len(ids)), len(ids))

    written = 0
    try:
        if suffix == ".csv":
            with part.open("w", newline="", encoding="utf-8-sig") as f:
                out = csv.writer(f)
                out.writerow(header)
                for row in rows():
                    out.writerow([cell_text(row, k) for k in keys])
                    written += 1
        else:
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("订单")
            sheet.append(header)
            for row in rows():
                sheet.append([row["amount_paid"] / 100 if k == "paid" else cell_text(row, k) for k in keys])
                written += 1
            book.save(part)
        os.replace(part, path)
    except PermissionError as exc:
        raise ExportError(f"无法写入“{path}”：文件可能正在 Excel 中打开，请关闭后重试。") from exc
    finally:
        part.unlink(missing_ok=True)
    return written
