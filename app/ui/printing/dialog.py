"""Print preview, print to PDF, and direct printing from a profile.

``print_documents`` is what a panel calls: when the document's profile names a printer
that this computer has, the job goes straight to it (a packing bench prints hundreds of
slips a day and must not click through a dialog for each); otherwise, or when that
printer is gone ("打印机 X 不存在"), the preview opens, saying why, so nothing is lost.
A selection is always one job: the documents are rendered into one printer session.

``print_orders`` adds the print journal around it: every run that actually reaches paper
or a PDF is recorded (kind, orders, who, which desk, which profile), and a selection of
slips or packing lists that were printed before asks first, without blocking the window.
"""

from __future__ import annotations

import getpass
import os
import socket
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.print_templates import Document, Kind, TemplateError, Templates, documents_for
from app.store import print_journal
from app.store.database import Cache
from app.ui.i18n import ui_language
from app.ui.printing import profiles
from app.ui.printing.profiles import PrintProfile
from app.ui.printing.render import PAPERS, Paper, PrintError, Renderer, render_pdf, setup_device


def printer_problem(name: str) -> str | None:
    """Why the named printer cannot take a job now, or None if it can."""
    if not name:
        return None
    if name not in QPrinterInfo.availablePrinterNames():
        return f"打印机 {name} 不存在"
    return None


def make_printer(paper: Paper, printer_name: str = "", title: str = "ShopDesk") -> QPrinter:
    """A printer set up for the paper, no margins (the renderer places everything)."""
    info = QPrinterInfo.printerInfo(printer_name) if printer_name else QPrinterInfo()
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution) if printer_name else QPrinter(
        QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setDocName(title)
    printer.setCopyCount(1)  # copies are repeated in the job: every driver honours that
    setup_device(printer, paper)
    return printer


# Told what went out (the profile as printed, as a dict) once documents reached a printer or
# a PDF; returns a problem to show (the journal could not be written) or None.
OnPrinted = Callable[[dict[str, Any]], str | None]
# Kinds worth a "printed before" question: a second slip is a second label on the bench,
# a second packing list a second sheet in a box. A pick list is a per-batch work sheet.
ASK_BEFORE_REPRINT: tuple[Kind, ...] = ("slip", "packing")
EXAMPLES = 3  # orders the question names; the count says how many more there are


@dataclass(frozen=True, slots=True)
class PrintResult:
    printed: bool  # sent to the printer without a dialog
    message: str  # for the status bar: where it went, or why the preview opened
    preview: PrintPreview | None = None
    question: ReprintQuestion | None = None  # asked first: nothing printed until it is answered


def operator_name() -> str:
    """Who printed, for the journal: the computer's login; getuser() raises where neither
    the environment nor the password database names one (a service account, a container)."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


def print_documents(parent: QWidget | None, documents: Sequence[Document], profile: PrintProfile,
                    direct: bool = True, on_printed: OnPrinted | None = None) -> PrintResult:
    """Print directly when the profile's printer exists, else open the preview (non-modal).
    ``on_printed`` is called for each run that really went out, never for a closed preview."""
    paper = PAPERS[profile.paper]
    title = _job_title(documents)
    message = ""
    if direct and profile.printer:
        problem = printer_problem(profile.printer)
        if problem is None:
            printer = make_printer(paper, profile.printer, title)
            try:
                Renderer().render(printer, documents, paper, profile.placement())
            except PrintError as e:
                message = f"{e}（{profile.printer}）"
            else:
                sent = f"已发送 {len(documents)} 份到打印机 {profile.printer}"
                problem = on_printed(asdict(profile)) if on_printed else None
                return PrintResult(True, f"{sent}；{problem}" if problem else sent)
        else:
            message = problem + "，请在预览里选择打印机"
    preview = PrintPreview(documents, profile, message, parent, on_printed)
    preview.open()
    return PrintResult(False, message, preview)


def _known(conn: sqlite3.Connection, order_ids: Sequence[int]) -> list[int]:
    """The selection in its order, once each, without orders the cache lacks: those print
    nothing (documents_for leaves them out), so the journal must not name them either."""
    ids = list(dict.fromkeys(int(i) for i in order_ids))
    known: set[int] = set()
    for start in range(0, len(ids), print_journal.CHUNK):
        chunk = ids[start:start + print_journal.CHUNK]
        known.update(r[0] for r in conn.execute(
            f"SELECT id FROM orders WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return [i for i in ids if i in known]


def print_orders(parent: QWidget | None, cache: Cache, kind: Kind, order_ids: Sequence[int],
                 settings: QSettings, templates: Templates | None = None, direct: bool = True, *,
                 on_recorded: Callable[[], None] | None = None,
                 report: Callable[[str], None] | None = None) -> PrintResult:
    """Slips, packing lists or the pick list for the selected orders, as one job, with
    this workstation's profile for the kind, journalled once it is printed or saved as PDF
    (then ``on_recorded``: the lists re-read their printed mark).

    Slips or packing lists printed before ask first (``result.question``); the print then
    follows the answer, and its status message goes to ``report``. Raises TemplateError
    when the shop's templates cannot be read (its message names the file and the line)."""
    templates = templates or Templates.for_shop()
    ids = _known(cache.read, order_ids)
    before = print_journal.times_printed(cache.read, ids, kind) if kind in ASK_BEFORE_REPRINT else {}
    if not before:
        return _print_now(parent, cache, kind, ids, settings, templates, direct, on_recorded)
    question = ReprintQuestion(cache.read, kind, ids, before, parent)

    def answered(chosen: list[int] | None) -> None:
        if chosen is None:
            question.answered.emit(None)
            return
        try:
            result = _print_now(parent, cache, kind, chosen, settings, templates, direct, on_recorded)
        except TemplateError as exc:  # the shop edited a template while the question stood
            result = PrintResult(False, str(exc))
        if report and result.message:
            report(result.message)
        question.answered.emit(result)

    question.chosen.connect(answered)
    question.open()  # never exec(): a nested loop would stall the coroutines on the qasync loop
    return PrintResult(False, "", question=question)


def _print_now(parent: QWidget | None, cache: Cache, kind: Kind, ids: list[int], settings: QSettings,
               templates: Templates, direct: bool, on_recorded: Callable[[], None] | None) -> PrintResult:
    profile = profiles.load(settings, kind)

    def journal(printed_profile: dict[str, Any]) -> str | None:
        if not ids:
            return None  # nothing the cache knows was selected: an empty run is no job
        operator, workstation = operator_name(), socket.gethostname()
        try:
            # A few rows: waiting for the writer here costs less than the render just done,
            # and the printed mark must be in the cache before the lists re-read it.
            cache.writer.run_sync(lambda conn: print_journal.record(
                conn, kind, ids, operator, workstation, printed_profile, profile.copies))
        except sqlite3.Error as exc:  # printed all the same: say the journal lacks it
            return QCoreApplication.translate("PrintOrders", "已打印，但打印记录没能保存：{error}").format(error=exc)
        if on_recorded:
            on_recorded()
        return None

    documents = documents_for(cache.read, kind, ids, templates)
    return print_documents(parent, documents, profile, direct, journal)


class ReprintQuestion(QMessageBox):
    """"Printed before: print again?" — with all / only the unprinted ones / cancel.
    ``chosen`` carries the ids to print (None: cancelled); ``answered`` the print's result."""

    chosen = Signal(object)  # list[int] | None
    answered = Signal(object)  # PrintResult | None

    def __init__(self, conn: sqlite3.Connection, kind: Kind, ids: list[int], before: dict[int, int],
                 parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Question, QCoreApplication.translate("PrintOrders", "重复打印"), "", QMessageBox.StandardButton.NoButton,
                         parent)
        self.ids = ids
        self.unprinted = [i for i in ids if i not in before]
        self.setText(self.question_text(conn, kind, before))
        self.print_all = self.addButton(QCoreApplication.translate("PrintOrders", "全部打印"), QMessageBox.ButtonRole.AcceptRole)
        self.print_unprinted = self.addButton(QCoreApplication.translate("PrintOrders", "只打印未打印的"), QMessageBox.ButtonRole.ActionRole)
        # With every order printed before, "only the others" would be an empty job.
        self.print_unprinted.setVisible(bool(self.unprinted))
        self.cancel = self.addButton(QCoreApplication.translate("PrintOrders", "取消"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.cancel)  # Enter must not print a second label by accident
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.buttonClicked.connect(self._clicked)

    @staticmethod
    def question_text(conn: sqlite3.Connection, kind: Kind, before: dict[int, int]) -> str:
        # The most reprinted first: those are the ones worth checking on the bench.
        examples = sorted(before, key=lambda i: (-before[i], i))[:EXAMPLES]
        numbers = {r[0]: r[1] for r in conn.execute(
            f"SELECT id, number FROM orders WHERE id IN ({','.join('?' * len(examples))})", examples)}
        named = [QCoreApplication.translate("PrintOrders", "{number} 已打印 {times} 次").format(number=numbers.get(i, i), times=before[i])
                 for i in examples]
        more = QCoreApplication.translate("PrintOrders", " 等") if len(before) > len(examples) else ""
        zh, en = print_journal.KIND_LABELS[kind]
        return QCoreApplication.translate("PrintOrders", "其中 {count} 笔订单的{kind}已打印过（{examples}{more}）。再打印一次？").format(
            count=len(before), kind=zh if ui_language() == "zh_CN" else en, examples=QCoreApplication.translate("PrintOrders", "，").join(named),
            more=more)

    def _clicked(self, button: QAbstractButton) -> None:
        if button is self.print_all:
            self.chosen.emit(list(self.ids))
        elif button is self.print_unprinted:
            self.chosen.emit(list(self.unprinted))
        else:
            self.chosen.emit(None)


def _job_title(documents: Sequence[Document]) -> str:
    if not documents:
        return "ShopDesk"
    first = documents[0].title
    return first if len(documents) == 1 else f"{first} 等 {len(documents)} 份"


class PrintPreview(QDialog):
    """The documents as they will print, with the paper to choose, print and PDF buttons."""

    pdf_saved = Signal(str)
    printed = Signal()

    def __init__(self, documents: Sequence[Document], profile: PrintProfile, message: str = "",
                 parent: QWidget | None = None, on_printed: OnPrinted | None = None) -> None:
        super().__init__(parent)
        self.documents = list(documents)
        self.profile = profile
        self.on_printed = on_printed
        self.renderer = Renderer(self)
        self.setWindowTitle(self.tr("打印预览 — {title}").format(title=_job_title(self.documents)))
        self.resize(720, 860)
        self.printer = make_printer(self.paper, title=_job_title(self.documents))

        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setVisible(bool(message))
        self.message.setStyleSheet("color: #b3261e;")  # the one thing the user must read first
        layout.addWidget(self.message)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("纸张：")))
        self.paper_box = QComboBox()
        for key, paper in PAPERS.items():
            self.paper_box.addItem(paper.label, key)
        self.paper_box.setCurrentIndex(self.paper_box.findData(profile.paper))
        self.paper_box.currentIndexChanged.connect(self._paper_changed)
        bar.addWidget(self.paper_box)
        bar.addStretch(1)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.clicked.connect(self._choose_printer)
        self.pdf_button = QPushButton(self.tr("导出 PDF…"))
        self.pdf_button.clicked.connect(self._choose_pdf)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        for button in (self.print_button, self.pdf_button, close):
            bar.addWidget(button)
        layout.addLayout(bar)

        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.paintRequested.connect(self._paint)
        layout.addWidget(self.preview, 1)

    @property
    def paper(self) -> Paper:
        return PAPERS[self.profile.paper]

    def _paint(self, printer: QPrinter) -> None:
        self.renderer.render(printer, self.documents, self.paper, self.profile.placement())

    def _paper_changed(self) -> None:
        self.profile = replace(self.profile, paper=str(self.paper_box.currentData()))
        setup_device(self.printer, self.paper)
        self.preview.updatePreview()

    def page_count(self) -> int:
        return self.preview.pageCount()

    def _choose_printer(self) -> None:
        # open(), not exec(): no nested event loop under qasync (STYLE-ANCHORS §4.4).
        dialog = QPrintDialog(self.printer, self)
        dialog.accepted.connect(self.print_now)
        dialog.open()

    def print_now(self) -> None:
        """Print to ``self.printer`` (as chosen in the print dialog) as one job."""
        setup_device(self.printer, self.paper)  # the dialog may have changed the paper
        try:
            self.renderer.render(self.printer, self.documents, self.paper, self.profile.placement())
        except PrintError as e:
            self.message.setText(str(e))
            self.message.show()
            return
        # The printer the dialog chose, not the profile's: that is where the paper came out.
        self._journal({**asdict(self.profile), "printer": self.printer.printerName()})
        self.printed.emit()

    def _journal(self, printed_profile: dict[str, Any]) -> None:
        problem = self.on_printed(printed_profile) if self.on_printed else None
        if problem:
            self.message.setText(problem)
            self.message.show()

    def _choose_pdf(self) -> None:
        dialog = QFileDialog(self, self.tr("导出 PDF"), str(Path.home() / f"{_job_title(self.documents)}.pdf"),
                             self.tr("PDF 文件 (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda path: self.save_pdf(Path(path)))
        dialog.open()

    def save_pdf(self, path: Path) -> int:
        """Write the documents as shown into a PDF; returns its pages (0 when it failed,
        said in the dialog)."""
        try:
            pages = render_pdf(path, self.documents, self.paper, self.profile.placement(),
                               title=_job_title(self.documents), renderer=self.renderer)
        except PrintError as e:
            self.message.setText(str(e))
            self.message.show()
            return 0
        self._journal({**asdict(self.profile), "printer": "", "pdf": str(path)})
        self.pdf_saved.emit(str(path))
        return pages
