"""Exporting orders to CSV and XLSX: the chosen columns, the table's text, whole files only."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.services.export import ExportError, export_orders
from app.store import orders as store_orders
from app.store.database import Cache
from tests.unit.test_store import make_bundle


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [make_bundle(i) for i in range(1, 1201)]))
    yield c
    c.close()


def test_csv_has_a_bom_the_chosen_columns_and_the_given_order(cache: Cache, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    ids = list(range(1200, 0, -1))
    n = export_orders(lambda: cache.read, ids, ["number", "receiver", "paid"], tmp_path / "o.csv",
                      lambda done, total: seen.append((done, total)))
    assert n == 1200 and seen[-1] == (1200, 1200) and len(seen) == 3
    raw = (tmp_path / "o.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese right
    rows = list(csv.reader((tmp_path / "o.csv").open(encoding="utf-8-sig")))
    assert rows[0] == ["订单号", "收货人", "实付 (元)"]
    assert rows[1] == ["26110000001200", "王伟芳", "1,218.00"]
    assert len(rows) == 1201


def test_xlsx_keeps_numbers_as_text_and_amounts_as_numbers(cache: Cache, tmp_path: Path) -> None:
    export_orders(lambda: cache.read, [42, 7], ["number", "mobile", "paid", "goods"], tmp_path / "o.xlsx")
    sheet = load_workbook(tmp_path / "o.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("订单号", "手机", "实付 (元)", "商品")
    assert values[1] == ("26110000000042", "13800130042", 60.0, "阳澄湖大闸蟹礼盒×1")
    assert values[2][0] == "26110000000007"


def test_bad_names_say_what_to_do_and_leave_nothing(cache: Cache, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.xlsx 或 \.csv"):
        export_orders(lambda: cache.read, [1], ["number"], tmp_path / "o.pdf")
    with pytest.raises(ExportError, match="不存在"):
        export_orders(lambda: cache.read, [1], ["number"], tmp_path / "nowhere" / "o.csv")
    with pytest.raises(ExportError, match="至少选择一列"):
        export_orders(lambda: cache.read, [1], [], tmp_path / "o.csv")
    assert list(tmp_path.glob("o.*")) == [] and list(tmp_path.glob(".o.*")) == []
