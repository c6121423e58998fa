"""Print preview, print to PDF, and direct printing from a profile.

``print_documents`` is what a panel calls: when the document's profile names a printer
that this computer has, the job goes straight to it (a packing bench prints hundreds of
slips a day and must not click through a dialog for each); otherwise, or when that
printer is gone ("打印机 X 不存在"), the preview opens, saying why, so nothing is lost.
A selection is always one job: the documents are rendered into one printer session.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.print_templates import Document, Kind, Templates, documents_for
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


@dataclass(frozen=True, slots=True)
class PrintResult:
    printed: bool  # sent to the printer without a dialog
    message: str  # for the status bar: where it went, or why the preview opened
    preview: PrintPreview | None = None


def print_documents(parent: QWidget | None, documents: Sequence[Document], profile: PrintProfile,
                    direct: bool = True) -> PrintResult:
    """Print directly when the profile's printer exists, else open the preview (non-modal)."""
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
                return PrintResult(True, f"已发送 {len(documents)} 份到打印机 {profile.printer}")
        else:
            message = problem + "，请在预览里选择打印机"
    preview = PrintPreview(documents, profile, message, parent)
    preview.open()
    return PrintResult(False, message, preview)


def print_orders(parent: QWidget | None, conn: sqlite3.Connection, kind: Kind, order_ids: Sequence[int],
                 settings: QSettings, templates: Templates | None = None, direct: bool = True) -> PrintResult:
    """Slips, packing lists or the pick list for the selected orders, as one job, with
    this workstation's profile for the kind. Raises TemplateError when the shop's
    templates cannot be read (its message names the file and the line)."""
    templates = templates or Templates.for_shop()
    documents = documents_for(conn, kind, order_ids, templates)
    return print_documents(parent, documents, profiles.load(settings, kind), direct)


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
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.documents = list(documents)
        self.profile = profile
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
        self.printed.emit()

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
        self.pdf_saved.emit(str(path))
        return pages
