"""Batch shipping from a file: reading CSV and XLSX, the dry run's verdicts, the results file."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.domain.enums import OrderStatus
from app.domain.models import Courier
from app.services import batch_file, batch_ship
from app.services.batch_ship import (
    ImportFileError,
    Verdict,
    dry_run,
    read_rows,
    shipments,
    summarize,
    write_results,
)
from app.store import orders as store_orders
from app.store import outbox, resources
from app.store.database import Cache
from tests.unit.test_store import make_bundle

# The platform's own ids, unlike ShopDesk's built-in table: verdicts must carry these.
PLATFORM_COURIERS = [Courier(101, "SF", "顺丰速运"), Courier(102, "zhongtong", "中通快递"),
                     Courier(103, "YTO", "圆通速递"), Courier(104, "JTSD", "极兔速递"), Courier(105, "EMS", "EMS"),
                     Courier(106, "YD", "韵达快递")]
HEADER = ["订单号", "快递公司", "快递单号"]


def n(i: int) -> str:
    """make_bundle's order number."""
    return f"2611{i:010d}"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "c.sqlite")
    status = {3: OrderStatus.UNPAID, 4: OrderStatus.CLOSED, 5: OrderStatus.SHIPPED, 20: OrderStatus.SHIPPED,
              21: OrderStatus.SHIPPED}
    bundles = {i: make_bundle(i, status=status.get(i, OrderStatus.TO_SHIP), pickup=i == 6) for i in range(1, 22)}
    # One buyer's orders: 11 and 12 (both to ship), 16 and 21 (21 already shipped).
    bundles[12] = replace(bundles[12], receiver=bundles[11].receiver)
    bundles[16] = replace(bundles[16], receiver=bundles[21].receiver)
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles.values()))
    c.writer.run_sync(lambda conn: resources.write(conn, PLATFORM_COURIERS))
    yield c
    c.close()


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, text_columns: Sequence[int] = ()) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for col in text_columns:  # a column formatted as text, as staff are told to do
        for cell in next(sheet.iter_cols(min_col=col + 1, max_col=col + 1)):
            cell.number_format = "@"
    book.save(path)
    return path


def by_line(verdicts: Sequence[Verdict]) -> dict[int, Verdict]:
    return {v.line: v for v in verdicts}


# ---- reading ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding_staff_save(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "ship.csv", [HEADER, [n(1), "顺丰速运", "SF1409876543210"],
                                            [n(2), "中通快递", "75312345678901"]], encoding)
    result = read_rows(path)
    assert result.source == encoding
    assert [(r.line, r.order_number, r.courier, r.tracking_numbers) for r in result.rows] == [
        (2, n(1), "顺丰速运", ("SF1409876543210",)), (3, n(2), "中通快递", ("75312345678901",))]
    assert result.header == tuple(HEADER)


def test_undecodable_csv_says_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "ship.csv"
    path.write_bytes("订单号,快递公司,快递单号\n".encode() + b"\x81\x20\xff\xfe\x00")
    with pytest.raises(ImportFileError) as caught:
        read_rows(path)
    assert "CSV UTF-8" in caught.value.zh and "UTF-8" in caught.value.en


def test_excel_unicode_text_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ship.txt"
    path.write_bytes("订单号\t快递公司\t快递单号\r\n".encode("utf-16") +
                     f"{n(1)}\t顺丰\tSF1409876543210\r\n".encode("utf-16-le"))
    [row] = read_rows(path).rows
    assert (row.order_number, row.courier, row.tracking_numbers) == (n(1), "顺丰", ("SF1409876543210",))


def test_messy_header_in_any_order_with_extra_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ship.csv", [
        ["2026年11月25日 发货清单"],  # a title above the header
        [],
        ["序号", " 快递单号（必填）", "买家昵称", "Courier ", "订单编号*", "备注"],
        ["1", "SF1409876543210", "小王", "顺丰", n(1), "易碎"],
        ["", "", "", "", "", ""],  # blank
        ["2", "75312345678901", "小李", "ZTO", n(2), ""],
        ["合计", "", "", "", "", ""],  # a totals row has none of the three fields
    ])
    result = read_rows(path)
    assert result.header_line == 3
    assert result.columns == {"tracking": 1, "courier": 3, "order": 4}
    assert [(r.line, r.order_number, r.courier) for r in result.rows] == [(4, n(1), "顺丰"), (6, n(2), "ZTO")]
    assert result.blank_rows == 2


def test_english_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ship.csv", [["Order No.", "Carrier", "Tracking Number"], [n(1), "SF", "sf1409876543210"]])
    assert read_rows(path).rows[0].tracking_numbers == ("SF1409876543210",)


def test_missing_header_names_the_missing_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ship.csv", [["订单号", "快递公司", "备注"], [n(1), "顺丰", "x"]])
    with pytest.raises(ImportFileError) as caught:
        read_rows(path)
    assert "快递单号" in caught.value.zh and "订单号" not in caught.value.zh.split("缺少")[1].split("列")[0]
    assert "tracking number" in caught.value.en


def test_unsupported_files(tmp_path: Path) -> None:
    old = tmp_path / "ship.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFileError, match="xlsx"):
        read_rows(old)
    fake = tmp_path / "ship.xlsx"
    fake.write_text("not a zip")
    with pytest.raises(ImportFileError, match="not a valid"):
        read_rows(fake)
    with pytest.raises(ImportFileError, match="Unknown file type"):
        read_rows(tmp_path / "ship.pdf")


def test_several_numbers_in_one_cell(tmp_path: Path) -> None:
    cell = "SF1409876543210，SF1409876543211;SF1409876543212 / SF1409876543213、SF1409876543214\nSF1409876543215"
    path = write_csv(tmp_path / "ship.csv", [HEADER, [n(1), "顺丰", cell], [n(2), "顺丰", "SF1409876543216 SF1409876543217"],
                                            [n(8), "顺丰", "SF 1409 8765 43218"], [n(9), "顺丰", "SF1409876543219,SF1409876543219"]])
    rows = read_rows(path).rows
    assert rows[0].tracking_numbers == tuple(f"SF140987654321{k}" for k in range(6))
    assert rows[1].tracking_numbers == ("SF1409876543216", "SF1409876543217")  # whole numbers split on a space
    assert rows[2].tracking_numbers == ("SF1409876543218",)  # groups of one number join
    assert rows[3].tracking_numbers == ("SF1409876543219",)  # a repeat in the cell counts once


def test_xlsx_numbers_stored_as_numbers_and_as_text(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ship.xlsx", [
        ["订单号", "物流公司", "运单号"],
        [int(n(1)), "中通", 75312345678901],  # numbers as numbers: every digit kept
        [n(2), "中通", "75312345678902"],  # as text
        [float(n(8)), "中通", 75312345678908.0],  # a float that is a whole number below 15 digits
        [n(9), "韵达", 4.31234567890123e14],  # 15 digits exactly: Excel kept them
    ], text_columns=[2])
    result = read_rows(path)
    assert result.source == "xlsx:Sheet"
    assert [(r.order_number, r.tracking_numbers) for r in result.rows] == [
        (n(1), ("75312345678901",)), (n(2), ("75312345678902",)), (n(8), ("75312345678908",)),
        (n(9), ("431234567890123",))]
    assert all(not r.problems for r in result.rows)


def test_xlsx_numbers_excel_cut_short_are_errors(tmp_path: Path, cache: Cache) -> None:
    path = write_xlsx(tmp_path / "ship.xlsx", [
        HEADER,
        [n(1), "顺丰", 7.53123456789012e17],  # 18 digits as a float: the last ones are gone
        [n(2), "中通", 753123456789012345],  # as a number with more digits than Excel keeps
        [2.6110000000001e13 + 0.5, "中通", "75312345678901"],  # not even a whole number
    ])
    rows = read_rows(path).rows
    assert [r.unreadable for r in rows] == [{"tracking"}, {"tracking"}, {"order"}]
    assert rows[0].tracking_numbers == () and rows[2].order_number == ""
    verdicts = dry_run(cache.read, rows)
    assert [v.kind for v in verdicts] == ["error"] * 3
    assert "科学计数法" in verdicts[0].message() and "文本" in verdicts[0].message()
    assert "Format the column as Text" in verdicts[1].message("en")
    assert "缺少" not in verdicts[0].message() and "缺少订单号" not in verdicts[2].message()


def test_excel_cells_as_text() -> None:
    assert batch_file._xlsx_cell(26112500000399) == ("26112500000399", None)
    assert batch_file._xlsx_cell(75312345678901.0) == ("75312345678901", None)
    assert batch_file._xlsx_cell(None) == ("", None)
    text, problem = batch_file._xlsx_cell(7531234567890123)  # 16 digits: Excel keeps 15
    assert text == "7531234567890123" and problem is not None and "15" in problem.zh
    text, problem = batch_file._xlsx_cell(7.53123456789012e13 + 0.25)
    assert problem is not None and problem.kind == "error"


def test_csv_number_excel_wrote_in_scientific_notation(tmp_path: Path, cache: Cache) -> None:
    path = write_csv(tmp_path / "ship.csv", [HEADER, [n(1), "中通", "7.53123E+13"], [n(2), "中通", '="75312345678902"']])
    first, second = read_rows(path).rows
    assert first.unreadable == {"tracking"}
    assert second.tracking_numbers == ("75312345678902",)  # the ="…" form exports use to keep text
    [v1, _] = dry_run(cache.read, [first, second])
    assert v1.kind == "error" and "7.53123E+13" in v1.message()


def test_xlsx_header_on_a_later_sheet(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["请在第二个工作表填写"])
    data = book.create_sheet("发货")
    data.append(HEADER)
    data.append([n(1), "顺丰", "SF1409876543210"])
    book.save(tmp_path / "ship.xlsx")
    result = read_rows(tmp_path / "ship.xlsx")
    assert result.source == "xlsx:发货" and len(result.rows) == 1


# ---- the dry run -----------------------------------------------------------------------


EVERY_KIND = [
    HEADER,
    [n(1), "顺丰", "SF1409876543210"],  # 2 ok
    [n(2), "中通", "75312345678901"],  # 3 ok
    [n(3), "顺丰", "SF1409876543211"],  # 4 unpaid
    [n(4), "顺丰", "SF1409876543212"],  # 5 closed
    [n(5), "SF Express", "SF0000000000005"],  # 6 already shipped with this number
    [n(20), "顺丰", "SF1409876543299"],  # 7 already shipped with another number
    [n(6), "顺丰", "SF1409876543213"],  # 8 pickup
    [n(99), "顺丰", "SF1409876543214"],  # 9 unknown order
    [n(8), "顺风快递", "SF1409876543215"],  # 10 unknown courier (a typo)
    [n(9), "中通", "888812345678"],  # 11 unusual for ZTO
    [n(10), "圆通", "YT7412345678901"],  # 12 after-sale open
    [n(11), "J&T", "JT0001234567890"],  # 13 one parcel, one buyer's two orders
    [n(12), "极兔", "JT0001234567890"],  # 14
    [n(13), "韵达", "4312345678901"],  # 15 one number, two buyers
    [n(14), "韵达", "4312345678901"],  # 16
    [n(15), "顺丰", "SF0000000000020"],  # 17 already on another buyer's order
    [n(16), "顺丰", "SF0000000000021"],  # 18 already on the same buyer's other order
    [n(1), "顺丰", "SF1409876543210"],  # 19 a repeat of row 2
    [n(17), "顺丰", "SF1409876543217"],  # 20 one order, two couriers
    [n(17), "中通", "75312345678917"],  # 21
    [n(18), "EMS", "EA123456784CN"],  # 22 S10 check digit wrong
    [n(19), "中通", n(2)],  # 23 an order number in the tracking column
    [],
    [n(2), "中通快递", "75312345678902，75312345678903"],  # 25 a second row for order 2
    [n(2), "中通", "75312345678903 75312345678904"],  # 26 and a third, one number repeating row 25
]


@pytest.fixture
def verdicts(cache: Cache, tmp_path: Path) -> list[Verdict]:
    return dry_run(cache.read, read_rows(write_csv(tmp_path / "ship.csv", EVERY_KIND, "gbk")).rows)


def test_every_verdict_kind(verdicts: list[Verdict]) -> None:
    kinds = {v.line: v.kind for v in verdicts}
    assert kinds == {2: "ok", 3: "ok", 4: "error", 5: "error", 6: "skip", 7: "error", 8: "error", 9: "error",
                     10: "error", 11: "warning", 12: "warning", 13: "warning", 14: "warning", 15: "error",
                     16: "error", 17: "error", 18: "warning", 19: "skip", 20: "error", 21: "error", 22: "error",
                     23: "warning", 25: "ok", 26: "ok"}
    assert summarize(verdicts) == batch_ship.Summary(ok=4, warning=6, error=12, skip=2)
    assert summarize(verdicts).text() == "共 24 行：可发货 4，需确认 6，有错误 12，跳过 2"
    skipped = by_line(verdicts)[19]
    assert skipped.tracking_numbers == () and skipped.row.tracking_numbers == ("SF1409876543210",)


def test_ok_rows_carry_what_apply_sends(verdicts: list[Verdict]) -> None:
    v = by_line(verdicts)
    assert (v[2].order_id, v[2].courier_id, v[2].courier_name, v[2].tracking_numbers, v[2].notes) == (
        1, 101, "顺丰速运", ("SF1409876543210",), ())
    assert (v[3].order_id, v[3].courier_id) == (2, 102)  # the platform's id, whatever the built-in table says


def test_messages_say_what_to_do(verdicts: list[Verdict]) -> None:
    v = by_line(verdicts)
    assert v[4].message() == "第 4 行：订单 26110000000003 还未付款，不能发货。请删除这一行或等买家付款后再导入。"
    assert v[4].message("en").startswith("Row 4: order 26110000000003 is not paid yet")
    assert "已关闭" in v[5].message()
    assert "已经用这个单号发过货" in v[6].message()
    assert "不能再次发货" in v[7].message() and "SF0000000000020" in v[7].message()
    assert "自提" in v[8].message()
    assert "找不到订单 26110000000099" in v[9].message() and "同步" in v[9].message()
    assert "是不是“顺丰速运”" in v[10].message() and "Did you mean 顺丰速运" in v[10].message("en")
    assert "不太常见" in v[11].message()
    assert "售后" in v[12].message()
    assert "合并发货" in v[13].message() and "第 14 行" in v[13].message()
    assert "另一个收货人" in v[15].message() and "第 16 行" in v[15].message()
    assert "另一个收货人的订单上（订单 ID 20）" in v[17].message()
    assert "同一收货人的另一个订单上（订单 ID 21）" in v[18].message()
    assert "与第 2 行重复" in v[19].message()
    assert v[26].tracking_numbers == ("75312345678904",) and "75312345678903 与第 25 行重复" in v[26].message()
    assert "不同的快递公司" in v[20].message() and "第 21 行 中通快递" in v[20].message()
    assert "校验位" in v[22].message()
    assert "是一个订单号" in v[23].message()
    assert all(note.zh.startswith(f"第 {x.line} 行：") for x in verdicts for note in x.notes)


def test_shipments_merge_an_orders_rows(verdicts: list[Verdict]) -> None:
    sent = shipments(verdicts)
    two = next(s for s in sent if s.order_id == 2)
    assert two.tracking_numbers == ("75312345678901", "75312345678902", "75312345678903", "75312345678904")
    assert two.lines == (3, 25, 26) and two.courier_id == 102
    assert {s.order_id for s in sent} == {1, 2, 9, 10, 11, 12, 16, 19}
    assert {s.order_id for s in shipments(verdicts, include_warnings=False)} == {1, 2}


def test_a_number_already_on_the_order_is_not_sent_again(cache: Cache) -> None:
    rows = [batch_ship.Row(2, n(1), "顺丰", "", ("SF1409876543210",), ())]
    def ship(conn: object) -> None:
        # the order got this parcel (a partial shipment) but is still to ship
        b = make_bundle(1)
        parcel = replace(make_bundle(1, status=OrderStatus.SHIPPED).parcels[0], tracking_number="SF1409876543210")
        store_orders.write_bundles(conn, [replace(b, parcels=(parcel,))])  # type: ignore[arg-type]
    cache.writer.run_sync(ship)
    [v] = dry_run(cache.read, rows)
    assert v.kind == "skip" and v.tracking_numbers == ()
    both = [replace(rows[0], tracking_numbers=("SF1409876543210", "SF1409876543230"))]
    [v] = dry_run(cache.read, both)
    assert v.kind == "ok" and v.tracking_numbers == ("SF1409876543230",)  # the second run of a half-applied file
    assert "只会发送 SF1409876543230" in v.message()


def test_a_ship_already_in_the_outbox_is_never_sent_twice(cache: Cache) -> None:
    cache.writer.run_sync(lambda conn: outbox.record(conn, "order.ship", "order:1", {
        "order_id": 1, "courier_id": 101, "tracking_number": "SF1409876543210"}, "staff"))
    rows = [batch_ship.Row(2, n(1), "顺丰", "", ("SF1409876543210",), ()),
            batch_ship.Row(3, n(1), "顺丰", "", ("SF1409876543231",), ())]
    same, other = dry_run(cache.read, rows)
    assert same.kind == "skip" and "已用这个单号提交过发货" in same.message()
    assert other.kind == "error" and "待发送队列" in other.message()


def test_courier_known_to_shopdesk_but_not_on_the_platform(cache: Cache) -> None:
    rows = [batch_ship.Row(2, n(1), "德邦", "", ("DPK364251234567",), ())]
    [v] = dry_run(cache.read, rows)
    assert v.kind == "error" and "平台的快递公司列表里没有“德邦快递”" in v.message()


def test_no_courier_list_yet(cache: Cache) -> None:
    rows = [batch_ship.Row(2, n(1), "顺丰", "", ("SF1409876543210",), ())]
    [v] = dry_run(cache.read, rows, couriers=[])
    assert v.kind == "error" and "先同步" in v.message()


def test_missing_fields(cache: Cache) -> None:
    rows = [batch_ship.Row(2, "", "顺丰", "", ("SF1409876543210",), ()), batch_ship.Row(3, n(1), "", "", (), ())]
    first, second = dry_run(cache.read, rows)
    assert "缺少订单号" in first.message()
    assert "缺少快递公司" in second.message() and "缺少快递单号" in second.message()


def test_dry_run_reads_in_batches_not_per_row(cache: Cache, tmp_path: Path) -> None:
    rows = [[n(1 + k % 20), "中通", f"7531234567{k:04d}"] for k in range(2000)]
    statements: list[str] = []
    conn = cache.read
    conn.set_trace_callback(statements.append)
    try:
        verdicts = dry_run(conn, read_rows(write_csv(tmp_path / "big.csv", [HEADER, *rows])).rows)
    finally:
        conn.set_trace_callback(None)
    assert len(verdicts) == 2000
    assert len(statements) < 40, len(statements)


# ---- the results file ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_results_file_round_trips(cache: Cache, tmp_path: Path, suffix: str) -> None:
    source = write_csv(tmp_path / "ship.csv", [["备注", *HEADER], ["易碎", n(3), "顺丰", "SF1409876543211"],
                                              ["", n(1), "顺丰", "sf1409876543210 "]])
    read = read_rows(source)
    verdicts = dry_run(cache.read, read.rows)
    out = write_results(tmp_path / f"results{suffix}", verdicts, read.header)
    if suffix == ".xlsx":
        sheet = load_workbook(out).active
        table = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
        assert sheet["B2"].data_type == "s"  # the order number stays text in Excel
    else:
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(out.open(encoding="utf-8-sig")))
        assert table[1][1] == f'="{n(3)}"'  # Excel opens it whole
    assert table[0] == ["备注", *HEADER, *batch_ship.RESULT_COLUMNS]
    assert table[1][4] == "错误" and "还未付款" in table[1][6] and table[1][7] == "Error"
    assert table[2][4] == "可发货" and table[2][5] == "SF1409876543210"
    again = read_rows(out)  # staff fix it and import the same file: the verdict columns are ignored
    assert [(r.order_number, r.courier, r.tracking_numbers) for r in again.rows] == [
        (r.order_number, r.courier, r.tracking_numbers) for r in read.rows]


def test_results_without_the_original_header(cache: Cache, tmp_path: Path) -> None:
    rows = [batch_ship.Row(2, n(1), "顺丰", "SF1409876543210", ("SF1409876543210",), ())]
    out = write_results(tmp_path / "r.csv", dry_run(cache.read, rows))
    table = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert table[0][:3] == HEADER and table[1][3] == "可发货"
