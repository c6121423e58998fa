"""The to-ship sheet: its columns and values, identifiers kept as text, a header that
stays in view, the filled-in sheet read back by batch shipping, and whole files only."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.models import OrderBundle, OrderItem, Parcel
from app.services import batch_file
from app.services.export import ExportError
from app.services.ship_sheet import HEADER, default_name, export_ship_sheet
from app.store import orders as store_orders
from app.store.database import Cache
from tests.unit.test_store import make_bundle

PAID = datetime(2026, 11, 2, 9, 30, 5)


def _rich(i: int) -> OrderBundle:
    """Order ``i`` with a spec, two goods lines, a postcode, both remarks and a payment time."""
    b = make_bundle(i)
    items = (*b.items, OrderItem(id=i * 10 + 1, order_id=i, goods_id=2, sku_id=5, name="丝巾", pic="",
                                 property="颜色:红;尺码:L", quantity=3, quantity_unshipped=3,
                                 unit_price=Decimal("5.00"), amount=Decimal("15.00")))
    return replace(b, order=replace(b.order, paid_at=PAID, buyer_remark="周末送", admin_remark="送赠品"),
                   items=items, receiver=replace(b.receiver, postcode="310012"))


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    partly = make_bundle(3)
    # A partly shipped order: its courier is already chosen and the sheet says so.
    partly = replace(partly, parcels=(Parcel(id=30, order_id=3, courier_id=2, courier_name="中通快递",
                                             tracking_number="ZT1234567890", items=(), shipped_at=PAID),))
    c.writer.run_sync(lambda conn: store_orders.write_bundles(
        conn, [_rich(1), make_bundle(2), partly, *(make_bundle(i) for i in range(4, 1101))]))
    yield c
    c.close()


def _rows(path: Path) -> list[tuple]:
    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_one_row_per_order_with_what_packing_and_labelling_need(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    assert export_ship_sheet(cache.read, [2, 1, 3, 99999], path) == 3  # the missing order is left out
    rows = _rows(path)
    assert rows[0] == HEADER
    assert rows[0][-3:] == ("商家备注", "快递公司", "快递单号")
    first = dict(zip(HEADER, rows[2], strict=True))  # order 1, in the order asked
    assert first == {
        "订单号": "26110000000001", "付款时间": PAID, "收件人": make_bundle(1).receiver.name, "手机": "13800130001",
        "省": "浙江省", "市": "杭州市", "区": "西湖区", "详细地址": "浙江省杭州市西湖区文三路1号", "邮编": "310012",
        "商品": f"{make_bundle(1).items[0].name} × 1\n丝巾 × 3; 颜色:红;尺码:L", "件数": 4, "买家留言": "周末送",
        "商家备注": "送赠品", "快递公司": None, "快递单号": None}
    assert [r[0] for r in rows[1:]] == ["26110000000002", "26110000000001", "26110000000003"]
    assert rows[3][HEADER.index("快递公司")] == "中通快递"


def test_identifiers_are_text_and_the_header_is_bold_and_frozen(cache: Cache, tmp_path: Path) -> None:
    export_ship_sheet(cache.read, [1], tmp_path / "s.xlsx")
    sheet = load_workbook(tmp_path / "s.xlsx").active
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    assert not sheet["A2"].font.bold
    for name in ("订单号", "手机", "邮编", "快递单号"):
        cell = sheet.cell(row=2, column=HEADER.index(name) + 1)
        # Text-formatted, so Excel keeps every digit, including those typed in later.
        assert cell.number_format == "@", name
        assert cell.value is None or isinstance(cell.value, str), name
    assert sheet.cell(row=2, column=HEADER.index("件数") + 1).data_type == "n"
    assert sheet.column_dimensions["H"].width == 40  # the address is wide, the postcode narrow
    assert sheet.column_dimensions["I"].width < 10


def test_the_filled_in_sheet_comes_back_through_batch_shipping(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / default_name(datetime(2026, 11, 2))
    assert path.name == "待发货-20261102.xlsx"
    export_ship_sheet(cache.read, [1, 2], path)
    book = load_workbook(path)  # the courier types the numbers in
    sheet = book.active
    for row in (2, 3):  # an order with no courier yet: the courier writes theirs in
        sheet.cell(row=row, column=HEADER.index("快递公司") + 1, value="顺丰速运")
    sheet.cell(row=2, column=HEADER.index("快递单号") + 1, value="SF1000000000001")
    sheet.cell(row=3, column=HEADER.index("快递单号") + 1, value="SF1000000000002，SF1000000000003")
    book.save(path)
    read = batch_file.read_rows(path)
    assert read.header_line == 1 and read.source == "xlsx:待发货"
    assert [(r.order_number, r.courier, r.tracking_numbers, r.problems) for r in read.rows] == [
        ("26110000000001", "顺丰速运", ("SF1000000000001",), ()),
        ("26110000000002", "顺丰速运", ("SF1000000000002", "SF1000000000003"), ())]


def test_bad_paths_say_what_to_do_and_leave_no_file(cache: Cache, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"不存在.*已有的文件夹"):
        export_ship_sheet(cache.read, [1], tmp_path / "nowhere" / "s.xlsx")
    with pytest.raises(ExportError, match=r"\.xlsx 结尾"):
        export_ship_sheet(cache.read, [1], tmp_path / "s.csv")
    # A folder where the file should go: the rename fails after the sheet was written.
    (tmp_path / "taken.xlsx").mkdir()
    with pytest.raises(ExportError, match=r"无法写入.*taken\.xlsx"):
        export_ship_sheet(cache.read, [1], tmp_path / "taken.xlsx")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(("s.", ".s.", ".taken"))]
    assert (tmp_path / "taken.xlsx").is_dir() and not any((tmp_path / "taken.xlsx").iterdir())


def test_a_thousand_orders_in_well_under_a_second(cache: Cache, tmp_path: Path) -> None:
    ids = list(range(1, 1001))
    started = time.perf_counter()
    assert export_ship_sheet(cache.read, ids, tmp_path / "s.xlsx") == 1000
    assert time.perf_counter() - started < 1.0
    assert len(_rows(tmp_path / "s.xlsx")) == 1001
