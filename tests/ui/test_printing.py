"""Printing: PDFs whose barcodes decode, n-up pages, template edits, profiles, and the
fallback to the preview when a profile's printer is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.domain.enums import OrderStatus
from app.services import print_data
from app.services.print_templates import Document, Templates, documents_for, ensure_user_copies
from app.store import orders as store_orders
from app.store.database import Cache
from app.ui.printing import profiles
from app.ui.printing.dialog import PrintPreview, print_documents, print_orders
from app.ui.printing.profiles import PrintProfile
from app.ui.printing.render import PAPERS, Placement, render_pdf
from tests.unit.test_print_data import rich_bundle
from tests.unit.test_store import make_bundle

TOOLS = all(shutil.which(t) for t in ("pdftoppm", "zbarimg", "pdfinfo", "pdftotext"))
needs_tools = pytest.mark.skipif(not TOOLS, reason="poppler-utils and zbar-tools are needed to read the PDFs")
PRINTED = datetime(2026, 11, 5, 10, 30)
LONG_ADDRESS = "文三路478号华星时代广场A座18楼1801室（放前台，工作日9点到18点有人签收，周末请勿派送，谢谢）"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    long_one = rich_bundle(1)
    assert long_one.receiver is not None
    long_one = replace(long_one, receiver=replace(long_one.receiver, address=LONG_ADDRESS),
                       items=tuple(replace(long_one.items[0], id=1000 + k, name=f"精选礼盒装商品{k}", property="规格:大",
                                           quantity=1) for k in range(45)))
    bundles = [long_one, rich_bundle(2), *(make_bundle(i, OrderStatus.SHIPPED) for i in (3, 4, 5))]
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


def decode(pdf: Path, tmp: Path) -> list[str]:
    """Every Code128 symbol zbarimg finds on the PDF's pages at 200 dpi."""
    prefix = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(prefix)], check=True, timeout=120)
    pngs = sorted(str(p) for p in tmp.glob(pdf.stem + "-*.png"))
    done = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Scode128.enable", *pngs],
                          capture_output=True, text=True, timeout=120)
    return done.stdout.split()


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]


def text(pdf: Path, *pages: str) -> str:
    """The PDF's text. NFKC: the CJK font's ToUnicode maps 人 and 小 to their Kangxi radical
    look-alikes (⼈ U+2F08), which read the same but compare unequal."""
    out = subprocess.run(["pdftotext", *pages, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    # Without white space: a long address wraps, and -layout pads columns with spaces.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", out))


@needs_tools
@pytest.mark.parametrize("paper", ["100x150", "76x130", "a4", "a4-2up", "a4-4up"])
def test_slips_decode_on_every_paper(paper: str, cache: Cache, templates: Templates, tmp_path: Path) -> None:
    ids = [1, 2, 3]
    docs = documents_for(cache.read, "slip", ids, templates, PRINTED)
    pdf = tmp_path / f"slips-{paper}.pdf"
    sheets = render_pdf(pdf, docs, PAPERS[paper])
    assert pages(pdf) == sheets == {"a4-2up": 2, "a4-4up": 1}.get(paper, 3)
    found = decode(pdf, tmp_path)
    for slip in print_data.slips(cache.read, ids):
        assert slip.order_number in found
        assert slip.tracking_numbers[0] in found  # the slip's barcode is the first parcel's
    words = text(pdf)
    assert "收件人" in words and "138****0002" in words and "华星时代广场" in words


@needs_tools
def test_page_size_is_the_paper(cache: Cache, templates: Templates, tmp_path: Path) -> None:
    pdf = tmp_path / "label.pdf"
    render_pdf(pdf, documents_for(cache.read, "slip", [2], templates, PRINTED), PAPERS["76x130"])
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())  # type: ignore[union-attr]
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (76, 130)


@needs_tools
@pytest.mark.parametrize(("paper", "per_sheet"), [("a4-2up", 2), ("a4-4up", 4)])
def test_n_up_puts_that_many_documents_on_a_sheet(paper: str, per_sheet: int, cache: Cache, templates: Templates,
                                                  tmp_path: Path) -> None:
    docs = documents_for(cache.read, "slip", [1, 2, 3, 4, 5, 2], templates, PRINTED)
    assert len(docs) == 5  # an order selected twice prints once
    pdf = tmp_path / "nup.pdf"
    render_pdf(pdf, docs, PAPERS[paper], Placement(copies=2))  # 10 slips
    assert pages(pdf) == -(-10 // per_sheet)
    first_page = text(pdf, "-f", "1", "-l", "1")
    assert first_page.count("收件人") == per_sheet


@needs_tools
def test_a_long_packing_list_runs_on_and_says_whose_page_it_is(cache: Cache, templates: Templates,
                                                               tmp_path: Path) -> None:
    pdf = tmp_path / "packing.pdf"
    sheets = render_pdf(pdf, documents_for(cache.read, "packing", [1, 2], templates, PRINTED), PAPERS["a4"])
    assert sheets == pages(pdf) >= 3  # 45 lines take two A4 pages, order 2 a third
    words = text(pdf)
    assert "精选礼盒装商品44" in words and "26110000000001第2/2" in words  # 页 comes out as a radical look-alike NFKC keeps
    assert "26110000000001" in decode(pdf, tmp_path)


@needs_tools
def test_pick_list_prints_the_batch(cache: Cache, templates: Templates, tmp_path: Path) -> None:
    pdf = tmp_path / "pick.pdf"
    render_pdf(pdf, documents_for(cache.read, "picklist", [1, 2, 3], templates, PRINTED), PAPERS["a4"])
    words = text(pdf)
    assert "拣货单" in words and "共3个订单" in words


@needs_tools
def test_a_shops_template_edit_is_printed_typos_and_all(cache: Cache, tmp_path: Path, qapp: QApplication) -> None:
    mine = ensure_user_copies(tmp_path / "shop-templates")
    slip = (mine / "slip.html").read_text(encoding="utf-8")
    (mine / "slip.html").write_text(slip.replace("收件人", "收货人 {{shop_nmae}}"), encoding="utf-8")
    pdf = tmp_path / "edited.pdf"
    render_pdf(pdf, documents_for(cache.read, "slip", [2], Templates(mine), PRINTED), PAPERS["100x150"])
    words = text(pdf)
    assert "收货人{{shop_nmae}}" in words
    assert "收件人" not in words
    assert "26110000000002" in decode(pdf, tmp_path)  # the rest of the slip is intact


def test_profiles_are_kept_per_workstation(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert profiles.load(settings, "slip") == PrintProfile("slip", paper="100x150")
    saved = PrintProfile("packing", printer="HP LaserJet", paper="a4-2up", offset_x_mm=1.5, offset_y_mm=-2, copies=2)
    profiles.save(settings, saved)
    again = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert profiles.load(again, "packing") == saved
    again.setValue("printing/slip/paper", "letter")  # hand-edited nonsense falls back, within limits
    again.setValue("printing/slip/copies", "500")
    again.setValue("printing/slip/offset_x_mm", "abc")
    assert profiles.load(again, "slip") == PrintProfile("slip", paper="100x150", copies=profiles.MAX_COPIES)


def test_a_missing_printer_is_named_and_the_preview_opens(cache: Cache, templates: Templates, tmp_path: Path,
                                                          qtbot) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    profiles.save(settings, PrintProfile("slip", printer="Zebra GK888t", paper="76x130"))
    result = print_orders(None, cache, "slip", [2, 3], settings, templates)
    assert not result.printed
    assert "打印机 Zebra GK888t 不存在" in result.message
    preview = result.preview
    assert isinstance(preview, PrintPreview)
    qtbot.addWidget(preview)
    assert preview.message.text() == result.message and preview.message.isVisibleTo(preview)
    assert preview.paper.key == "76x130"
    preview.preview.updatePreview()
    assert preview.page_count() == 2
    preview.paper_box.setCurrentIndex(preview.paper_box.findData("a4-4up"))
    assert preview.page_count() == 1
    with qtbot.waitSignal(preview.pdf_saved):
        assert preview.save_pdf(tmp_path / "from-preview.pdf") == 1
    preview.close()


def test_no_printer_in_the_profile_opens_the_preview_without_complaint(templates: Templates, qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = Document("picklist", "拣货单", "<p>空</p>", one_page=False)
    result = print_documents(None, [doc], PrintProfile("picklist", paper="a4"))
    assert not result.printed and result.message == ""
    assert result.preview is not None
    qtbot.addWidget(result.preview)
    assert not result.preview.message.isVisibleTo(result.preview)
    result.preview.close()
