"""The to-ship sheet (待发货表): one row per order, everything a warehouse or a courier
needs to pack and label it, and an empty 快递单号 column for them to fill in.

The sheet is made to come back: its 订单号 / 快递公司 / 快递单号 headers are names
``app.services.batch_file`` recognises, so the filled-in file goes straight into batch
shipping. Numbers that are identifiers (order number, phone, postcode, and the tracking
numbers still to be typed) are text cells, because Excel would turn them into 2.6E+13 and
lose digits. The file appears whole or not at all: written beside, then renamed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from app.domain.models import OrderBundle
from app.services.export import ExportError
from app.services.print_data import full_address, packing_from
from app.store import orders as store_orders

# (header, width in Excel's character units): widths fit a typical value, not the longest,
# so one long address does not make the sheet too wide to read on screen.
COLUMNS = (
    ("订单号", 18), ("付款时间", 20), ("收件人", 10), ("手机", 14), ("省", 10), ("市", 10), ("区", 10),
    ("详细地址", 40), ("邮编", 8), ("商品", 40), ("件数", 6), ("买家留言", 20), ("商家备注", 20),
    ("快递公司", 12), ("快递单号", 22),
)
HEADER = tuple(name for name, _ in COLUMNS)
# Columns whose values are identifiers: written as text and formatted as text, so what
# staff type into them later (the tracking numbers) stays text too.
_TEXT_COLUMNS = frozenset({"订单号", "手机", "邮编", "快递单号"})
_TEXT_FORMAT = "@"
_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
SHEET_TITLE = "待发货"


def default_name(day: datetime) -> str:
    """The file name offered: the sheet of one day's packing, e.g. 待发货-20261101.xlsx."""
    return f"{SHEET_TITLE}-{day:%Y%m%d}.xlsx"


def _goods_text(bundle: OrderBundle) -> tuple[str, int]:
    """"name × qty; spec" per line, one line per goods, and the pieces to pack."""
    goods = packing_from(bundle).goods  # what is still to ship, as the packing list counts it
    lines = [f"{g.name} × {g.quantity}" + (f"; {g.spec}" if g.spec else "") for g in goods]
    return "\n".join(lines), sum(g.quantity for g in goods)


def sheet_row(bundle: OrderBundle) -> list[object]:
    """One order's values in ``HEADER`` order. 快递公司 is filled only where the order
    already has one (a partly shipped order's parcels): guessing one for the rest would
    send a wrong courier straight back through batch shipping."""
    order, receiver = bundle.order, bundle.receiver
    goods, pieces = _goods_text(bundle)
    couriers = "、".join(dict.fromkeys(p.courier_name for p in bundle.parcels if p.courier_name))
    return [
        order.number, order.paid_at, receiver.name if receiver else "", receiver.mobile if receiver else "",
        receiver.province if receiver else "", receiver.city if receiver else "",
        receiver.district if receiver else "", full_address(bundle), receiver.postcode if receiver else "",
        goods, pieces, order.buyer_remark.strip(), order.admin_remark.strip(), couriers, "",
    ]


def export_ship_sheet(conn: sqlite3.Connection, order_ids: Sequence[int], path: Path) -> int:
    """Write the orders ``order_ids`` (in that order; ones the cache lacks are left out) as
    a to-ship XLSX at ``path``; returns the rows written."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"不能导出为“{path.suffix or '无扩展名'}”：待发货表是 Excel 文件，请把文件名改为以 .xlsx 结尾。")
    if not path.parent.is_dir():
        raise ExportError(f"文件夹“{path.parent}”不存在：请选择一个已有的文件夹。")
    from openpyxl import Workbook  # here: slow to import, and only an export needs it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    # Write-only: rows stream to the file instead of all living in memory as cell objects,
    # so the whole queue costs little memory however long it is.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling through the orders
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    bold = Font(bold=True)
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")  # several goods lines in one cell
    goods_at, time_at = HEADER.index("商品"), HEADER.index("付款时间")
    text_at = [i for i, name in enumerate(HEADER) if name in _TEXT_COLUMNS]

    written = 0
    # Batches of bundles (three queries per 900 orders), not one read per order.
    ids = list(dict.fromkeys(order_ids))
    part = path.with_name(f".{path.name}.part")
    try:
        for start in range(0, len(ids), store_orders.BATCH):
            for bundle in store_orders.bundles(conn, ids[start:start + store_orders.BATCH]):
                values = sheet_row(bundle)
                cells: list[object] = list(values)
                for i in text_at:
                    # An empty cell stays empty (None) but keeps the text format for what is typed later.
                    cell = WriteOnlyCell(sheet, value=str(values[i]) if values[i] not in (None, "") else None)
                    cell.number_format = _TEXT_FORMAT
                    cells[i] = cell
                if values[time_at] is not None:
                    cell = WriteOnlyCell(sheet, value=values[time_at])
                    cell.number_format = _TIME_FORMAT
                    cells[time_at] = cell
                if "\n" in str(values[goods_at]):
                    cell = WriteOnlyCell(sheet, value=values[goods_at])
                    cell.alignment = wrap
                    cells[goods_at] = cell
                sheet.append(cells)
                written += 1
        book.save(part)
        os.replace(part, path)
    except PermissionError as exc:
        raise ExportError(f"无法写入“{path}”：文件可能正在 Excel 中打开，请关闭后重试。") from exc
    except OSError as exc:
        raise ExportError(f"无法写入“{path}”：{exc.strerror or exc}。请换一个文件夹或文件名。") from exc
    finally:
        part.unlink(missing_ok=True)
    return written
