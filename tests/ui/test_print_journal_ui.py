"""The print journal in the app: printing or exporting records a job and sets the printed
mark, a closed preview records nothing, a second print asks first, and the filter bar's
two journal views pick the right orders."""

from __future__ import annotations

import getpass
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app.domain.enums import OrderStatus
from app.services.print_templates import Templates
from app.store import orders as store_orders
from app.store import print_journal, queries
from app.store.database import Cache
from app.store.queries import OrderFilter
from app.ui.orders.filters import FilterBar
from app.ui.printing.dialog import PrintResult, ReprintQuestion, operator_name, print_orders
from tests.unit.test_store import make_bundle

OPERATOR = "packer-7"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    """Orders 1, 2 waiting; 3, 4, 5 shipped; 6 a pickup order waiting."""
    c = Cache(tmp_path / "cache.sqlite")
    bundles = [make_bundle(1), make_bundle(2), *(make_bundle(i, OrderStatus.SHIPPED) for i in (3, 4, 5)),
               make_bundle(6, pickup=True)]
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def operator(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(getpass, "getuser", lambda: OPERATOR)
    return OPERATOR


def printed_ids(cache: Cache) -> list[int]:
    return [r[0] for r in cache.read.execute("SELECT id FROM orders WHERE printed = 1 ORDER BY id")]


def export_slips(cache: Cache, ids: list[int], settings: QSettings, templates: Templates, qtbot: QtBot,
                 pdf: Path) -> None:
    """Print slips for ids that were never printed: the preview opens, and its PDF is saved."""
    result = print_orders(None, cache, "slip", ids, settings, templates)
    assert result.question is None and result.preview is not None
    qtbot.addWidget(result.preview)
    assert result.preview.save_pdf(pdf) == len(ids)  # the 100x150 default: a slip a page
    result.preview.close()


def test_exporting_slips_records_one_job_and_marks_them_printed(cache: Cache, templates: Templates,
                                                                settings: QSettings, tmp_path: Path,
                                                                qtbot: QtBot) -> None:
    recorded: list[None] = []
    result = print_orders(None, cache, "slip", [3, 1, 2, 3], settings, templates,
                          on_recorded=lambda: recorded.append(None))
    preview = result.preview
    assert preview is not None and result.question is None
    qtbot.addWidget(preview)
    assert print_journal.jobs(cache.read) == [] and printed_ids(cache) == []  # opening is not printing
    pdf = tmp_path / "slips.pdf"
    assert preview.save_pdf(pdf) == 3
    [job] = print_journal.jobs(cache.read)
    assert (job.kind, job.operator, job.workstation, job.copies, job.order_count) == (
        "slip", OPERATOR, socket.gethostname(), 1, 3)
    assert job.profile["paper"] == "100x150" and job.profile["pdf"] == str(pdf)
    assert print_journal.job_orders(cache.read, job.job_id) == [1, 2, 3]
    assert printed_ids(cache) == [1, 2, 3]
    assert recorded == [None]  # the lists were told to re-read the printed mark
    preview.close()


def test_the_previews_print_button_records_the_job(cache: Cache, templates: Templates, settings: QSettings,
                                                   tmp_path: Path, qtbot: QtBot) -> None:
    result = print_orders(None, cache, "packing", [1, 2], settings, templates)
    preview = result.preview
    assert preview is not None
    qtbot.addWidget(preview)
    # What the print dialog would hand back for "Print to file": a real print run, into a file.
    preview.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    preview.printer.setOutputFileName(str(tmp_path / "packing.pdf"))
    with qtbot.waitSignal(preview.printed):
        preview.print_now()
    assert (tmp_path / "packing.pdf").stat().st_size > 0
    [job] = print_journal.jobs(cache.read)
    assert job.kind == "packing" and print_journal.job_orders(cache.read, job.job_id) == [1, 2]
    assert printed_ids(cache) == []  # only a slip is the label the mark stands for
    preview.close()


def test_a_closed_preview_records_nothing(cache: Cache, templates: Templates, settings: QSettings,
                                          qtbot: QtBot) -> None:
    recorded: list[None] = []
    result = print_orders(None, cache, "slip", [2, 3], settings, templates, on_recorded=lambda: recorded.append(None))
    preview = result.preview
    assert preview is not None
    qtbot.addWidget(preview)
    preview.preview.updatePreview()
    assert preview.page_count() == 2  # it was rendered on screen
    preview.reject()
    qtbot.wait(10)
    assert print_journal.jobs(cache.read) == [] and printed_ids(cache) == [] and recorded == []


def test_printing_again_asks_and_can_print_only_the_others(cache: Cache, templates: Templates,
                                                          settings: QSettings, tmp_path: Path,
                                                          qtbot: QtBot) -> None:
    export_slips(cache, [1, 2, 3], settings, templates, qtbot, tmp_path / "first.pdf")
    cache.writer.run_sync(lambda conn: print_journal.record(conn, "slip", [1], "someone", "desk-2"))
    reports: list[str] = []
    result = print_orders(None, cache, "slip", [1, 2, 3, 4, 5], settings, templates, report=reports.append)
    question = result.question
    assert isinstance(question, ReprintQuestion) and result.preview is None and not result.printed
    qtbot.addWidget(question)
    text = question.text()
    assert "其中 3 笔订单的发货单已打印过" in text and "再打印一次" in text
    assert "26110000000001 已打印 2 次" in text and "26110000000002 已打印 1 次" in text
    assert text.index("26110000000001") < text.index("26110000000002")  # the most reprinted first
    assert len(print_journal.jobs(cache.read)) == 2  # nothing printed while it asks
    assert not question.print_unprinted.isHidden()

    with qtbot.waitSignal(question.answered) as answered:
        question.print_unprinted.click()
    follow = answered.args[0]
    assert isinstance(follow, PrintResult) and follow.preview is not None
    qtbot.addWidget(follow.preview)
    assert [d.title for d in follow.preview.documents] == ["26110000000004", "26110000000005"]
    assert follow.preview.save_pdf(tmp_path / "others.pdf") == 2
    newest = print_journal.jobs(cache.read)[0]
    assert print_journal.job_orders(cache.read, newest.job_id) == [4, 5]
    assert print_journal.times_printed(cache.read, [1, 2, 3, 4, 5]) == {1: 2, 2: 1, 3: 1, 4: 1, 5: 1}
    assert reports == []  # the preview says itself what happened; no printer was named
    follow.preview.close()


def test_everything_printed_before_offers_all_or_cancel(cache: Cache, templates: Templates, settings: QSettings,
                                                        tmp_path: Path, qtbot: QtBot) -> None:
    export_slips(cache, [1, 2], settings, templates, qtbot, tmp_path / "first.pdf")
    question = print_orders(None, cache, "slip", [1, 2], settings, templates).question
    assert question is not None
    qtbot.addWidget(question)
    assert "其中 2 笔订单" in question.text()
    assert question.print_unprinted.isHidden()  # "only the others" would be an empty job
    with qtbot.waitSignal(question.answered) as answered:
        question.cancel.click()
    assert answered.args[0] is None
    assert len(print_journal.jobs(cache.read)) == 1

    # Slips printed before do not make a packing list a reprint: each kind asks for itself.
    packing = print_orders(None, cache, "packing", [1, 2], settings, templates)
    assert packing.question is None and packing.preview is not None
    qtbot.addWidget(packing.preview)
    packing.preview.close()


def test_print_all_prints_the_whole_selection_again(cache: Cache, templates: Templates, settings: QSettings,
                                                    tmp_path: Path, qtbot: QtBot) -> None:
    export_slips(cache, [1], settings, templates, qtbot, tmp_path / "first.pdf")
    question = print_orders(None, cache, "slip", [1, 2], settings, templates).question
    assert question is not None
    qtbot.addWidget(question)
    with qtbot.waitSignal(question.answered) as answered:
        question.print_all.click()
    preview = answered.args[0].preview
    qtbot.addWidget(preview)
    assert preview.save_pdf(tmp_path / "again.pdf") == 2
    assert print_journal.times_printed(cache.read, [1, 2]) == {1: 2, 2: 1}
    preview.close()


def test_the_operator_falls_back_when_the_login_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_login() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_login)
    monkeypatch.setenv("USERNAME", "front-desk")
    assert operator_name() == "front-desk"
    monkeypatch.delenv("USERNAME")
    monkeypatch.delenv("USER", raising=False)
    assert operator_name() == "unknown"


def view_ids(cache: Cache, bar: FilterBar) -> list[int]:
    flt = bar.order_filter(OrderFilter())
    return queries.window_ids(cache.read, flt, "created_asc", 0, 100)


def test_the_journal_views_in_the_filter_bar(cache: Cache, qtbot: QtBot) -> None:
    # Printed: 1 (waiting), 3 (shipped), 6 (a pickup order: no label to lose).
    cache.writer.run_sync(lambda conn: print_journal.record(conn, "slip", [1, 3, 6], OPERATOR, "desk-1"))
    bar = FilterBar([])
    qtbot.addWidget(bar)
    with qtbot.waitSignal(bar.changed):
        bar.printed.setCurrentIndex(bar.printed.findData("printed_not_shipped"))
    assert bar.state() == {"printed": "printed_not_shipped"}
    flt = bar.order_filter(OrderFilter())
    assert (flt.printed_state, flt.printed) == ("printed_not_shipped", None)
    assert view_ids(cache, bar) == [1] == print_journal.printed_not_shipped(cache.read)

    bar.printed.setCurrentIndex(bar.printed.findData("shipped_not_printed"))
    assert view_ids(cache, bar) == [4, 5] == print_journal.shipped_never_printed(cache.read)

    # A saved view round-trips, and one saved before the journal views loads as it did.
    again = FilterBar([])
    qtbot.addWidget(again)
    again.set_state(bar.state())
    assert again.printed.currentData() == "shipped_not_printed" and view_ids(cache, again) == [4, 5]
    again.set_state({"printed": True, "shipped": False})
    assert again.state() == {"printed": True, "shipped": False}
    flt = again.order_filter(OrderFilter())
    assert (flt.printed, flt.printed_state) == (True, None)
    assert view_ids(cache, again) == [1, 6]
    again.set_state({"printed": False})
    assert view_ids(cache, again) == [2, 4, 5]
    again.reset()
    assert again.order_filter(OrderFilter()).printed_state is None and view_ids(cache, again) == [1, 2, 3, 4, 5, 6]
