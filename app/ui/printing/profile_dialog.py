"""Print settings of this workstation: a printer, paper, offsets and copies per document.

One tab per document kind, edited in place and written by 保存 only (取消 leaves the
stored profiles as they were). "打印测试页" previews a page with a border and a centred
cross using the values on screen, saved or not, so staff can tune an offset before
keeping it. Opened non-modally with ``open()``: never a nested event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

from PySide6.QtCore import QPointF, QRectF, QSettings
from PySide6.QtGui import QColor, QPagedPaintDevice, QPainter, QPen
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.print_templates import KINDS, Document, Kind
from app.ui import theme
from app.ui.printing import profiles
from app.ui.printing.dialog import PrintPreview
from app.ui.printing.profiles import MAX_OFFSET_MM, PrintProfile
from app.ui.printing.render import MM_PER_INCH, PAPERS, Paper, Placement, Renderer

# The issue asks for 1..10 in the form: more than ten of one label is a typo, not a need.
# Storage accepts up to MAX_COPIES, so a hand-edited larger value shows (and saves) as 10.
MAX_COPIES_IN_FORM = min(10, profiles.MAX_COPIES)
OFFSET_STEP_MM = 0.5  # finer than a label printer's feed repeats, coarse enough to click through
CROSS_MM = 10.0  # each arm of the test page's cross: large enough to measure with a ruler


class TestPageRenderer(Renderer):
    """Paints the test document and, in every cell, a border where the document area ends
    and a cross at the cell's centre — both moved by the offsets, as real documents are,
    so an uneven border or an off-centre cross on paper shows which way to correct."""

    def _paint(self, painter: QPainter, device: QPagedPaintDevice, documents: Sequence[Document], paper: Paper,
               placement: Placement) -> int:
        sheets = super()._paint(painter, device, documents, paper, placement)
        scale_x, scale_y = device.logicalDpiX() / MM_PER_INCH, device.logicalDpiY() / MM_PER_INCH
        cell_w, cell_h = paper.cell_mm
        painter.save()
        painter.setPen(QPen(QColor(0, 0, 0), 0.3 * scale_x))
        for slot in range(paper.per_sheet):
            left = placement.offset_x_mm + (slot % paper.columns) * cell_w
            top = placement.offset_y_mm + (slot // paper.columns) * cell_h
            m = paper.margin_mm
            painter.drawRect(QRectF(left * scale_x + m * scale_x, top * scale_y + m * scale_y,
                                    (cell_w - 2 * m) * scale_x, (cell_h - 2 * m) * scale_y))
            cx, cy = (left + cell_w / 2) * scale_x, (top + cell_h / 2) * scale_y
            painter.drawLine(QPointF(cx - CROSS_MM * scale_x, cy), QPointF(cx + CROSS_MM * scale_x, cy))
            painter.drawLine(QPointF(cx, cy - CROSS_MM * scale_y), QPointF(cx, cy + CROSS_MM * scale_y))
        painter.restore()
        return sheets


@dataclass(slots=True)
class _KindForm:
    """The widgets of one document's tab."""

    printer: QComboBox
    paper: QComboBox
    offset_x: QDoubleSpinBox
    offset_y: QDoubleSpinBox
    copies: QSpinBox
    test_page: QPushButton


class PrintProfilesDialog(QDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("打印设置"))
        self.setMinimumWidth(420)  # the printer names of an office network are long
        self.kind_labels: dict[Kind, str] = {
            "slip": self.tr("发货单"), "packing": self.tr("装箱单"), "picklist": self.tr("拣货单")}
        self.preview: PrintPreview | None = None  # the last test page, kept for tests and to close with us
        # Read once: asking the print system per tab is slow on Windows with network printers.
        self.available = QPrinterInfo.availablePrinterNames()

        self.tabs = QTabWidget()
        self.forms: dict[Kind, _KindForm] = {}
        for kind in KINDS:
            page, form = self._build_tab(kind, profiles.load(settings, kind))
            self.forms[kind] = form
            self.tabs.addTab(page, self.kind_labels[kind])

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _build_tab(self, kind: Kind, profile: PrintProfile) -> tuple[QWidget, _KindForm]:
        printer = QComboBox()
        printer.addItem(self.tr("（每次询问 / 预览）"), "")
        for name in self.available:
            printer.addItem(name, name)
        if profile.printer and profile.printer not in self.available:
            # Kept, not dropped: a printer switched off or renamed on the server would
            # otherwise lose its profile the next time anyone saves this dialog.
            printer.addItem(self.tr("（已不存在）{name}").format(name=profile.printer), profile.printer)
        printer.setCurrentIndex(max(0, printer.findData(profile.printer)))

        paper = QComboBox()
        for key, choice in PAPERS.items():
            paper.addItem(choice.label, key)
        paper.setCurrentIndex(max(0, paper.findData(profile.paper)))

        offset_x, offset_y = self._offset_box(profile.offset_x_mm), self._offset_box(profile.offset_y_mm)
        copies = QSpinBox()
        copies.setRange(1, MAX_COPIES_IN_FORM)
        copies.setValue(profile.copies)
        hint = QLabel(self.tr("标签打偏时调整：正数向右 / 向下移动，负数向左 / 向上。"))
        hint.setWordWrap(True)
        theme.style(hint, "color: $muted;")
        test_page = QPushButton(self.tr("打印测试页"))
        test_page.clicked.connect(lambda _checked=False, k=kind: self.show_test_page(k))

        page = QWidget()
        rows = QFormLayout(page)
        rows.addRow(self.tr("打印机："), printer)
        rows.addRow(self.tr("纸张："), paper)
        rows.addRow(self.tr("水平偏移 X："), offset_x)
        rows.addRow(self.tr("垂直偏移 Y："), offset_y)
        rows.addRow("", hint)
        rows.addRow(self.tr("份数："), copies)
        rows.addRow("", test_page)
        return page, _KindForm(printer, paper, offset_x, offset_y, copies, test_page)

    def _offset_box(self, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(-MAX_OFFSET_MM, MAX_OFFSET_MM)
        box.setSingleStep(OFFSET_STEP_MM)
        box.setDecimals(1)
        box.setSuffix(" mm")
        box.setValue(value)
        return box

    def profile(self, kind: Kind) -> PrintProfile:
        """The profile as the form shows it now (saved or not)."""
        form = self.forms[kind]
        return PrintProfile(kind=kind, printer=str(form.printer.currentData()), paper=str(form.paper.currentData()),
                            offset_x_mm=form.offset_x.value(), offset_y_mm=form.offset_y.value(),
                            copies=form.copies.value())

    def accept(self) -> None:
        for kind in KINDS:
            profiles.save(self.settings, self.profile(kind))
        super().accept()

    def test_document(self, profile: PrintProfile) -> Document:
        paper = PAPERS[profile.paper]
        printer = profile.printer or self.tr("（每次询问 / 预览）")
        lines = [
            self.tr("ShopDesk 打印测试页"),
            self.tr("单据：{kind}").format(kind=self.kind_labels[profile.kind]),
            self.tr("纸张：{paper}").format(paper=paper.label),
            self.tr("打印机：{printer}").format(printer=printer),
            self.tr("偏移：X {x:+.1f} mm，Y {y:+.1f} mm").format(x=profile.offset_x_mm, y=profile.offset_y_mm),
            self.tr("边框应离纸边一样远，十字应在纸张正中。"),
        ]
        # Indented off the border, which is drawn on the document area's very edge.
        body = "".join(f'<p style="margin-left: 8px;">{escape(line)}</p>' for line in lines)
        return Document(kind=profile.kind, title=self.tr("打印测试页"), html=f"<br>{body}", one_page=True)

    def show_test_page(self, kind: Kind) -> PrintPreview:
        """The test page in the print preview (print or PDF from there), one copy only:
        a test needs one sheet, whatever the profile's copies."""
        profile = replace(self.profile(kind), copies=1)
        if self.preview is not None:  # one test page at a time: the old one shows stale values
            self.preview.close()
            self.preview.deleteLater()
        preview = PrintPreview([self.test_document(profile)], profile, parent=self)
        # The preview paints, prints and writes PDFs through its renderer, so all three get the marks.
        preview.renderer = TestPageRenderer(preview)
        self.preview = preview
        preview.open()  # never exec(): a nested loop would stall the qasync coroutines
        return preview
