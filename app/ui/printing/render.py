"""Lay documents out on paper: labels, A4, and 2-up / 4-up A4, many documents in one job.

Each document is HTML (app/services/print_templates.py) laid out by a QTextDocument in its
own 96-dpi units and painted with ``painter.scale(dpi / 96)``: a 72-dpi scale would print
text a third too big (FEASIBILITY.md §4). ``QTextDocument.print_`` cannot be used: it owns
the page, so it cannot put four slips on one sheet or shrink a label to fit.

A page of paper is a grid of cells (1 for a label or A4, 1×2 or 2×2 for n-up). Documents
fill cells in order; a list longer than its cell runs on into the next cells; a label
(``one_page``) is shrunk to fit its one cell, as a label printer would, rather than
spill onto a second label that would be stuck on another parcel.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from app.services.print_templates import Document
from app.ui.fonts import cjk_family
from app.ui.printing.barcode import BarcodeObject, install

DOC_DPI = 96.0  # what QTextDocument lays out in
MM_PER_INCH = 25.4
PDF_DPI = 600  # positions in the PDF snap to this grid; 600 keeps 0.3 mm bars within 1 %


class PrintError(Exception):
    """The output could not be started (no such printer, a PDF path not writable)."""


@dataclass(frozen=True, slots=True)
class Paper:
    key: str
    label: str
    width_mm: float
    height_mm: float
    columns: int = 1
    rows: int = 1
    margin_mm: float = 3.0  # inside each cell: labels print nearly to the edge, A4 printers cannot

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def cell_mm(self) -> tuple[float, float]:
        return self.width_mm / self.columns, self.height_mm / self.rows

    def page_size(self) -> QPageSize:
        if (self.width_mm, self.height_mm) == (210, 297):
            return QPageSize(QPageSize.PageSizeId.A4)
        return QPageSize(QSizeF(self.width_mm, self.height_mm), QPageSize.Unit.Millimeter, self.label,
                         QPageSize.SizeMatchPolicy.ExactMatch)


PAPERS: dict[str, Paper] = {p.key: p for p in (
    Paper("100x150", "标签 100×150 mm", 100, 150, margin_mm=3),
    Paper("76x130", "标签 76×130 mm", 76, 130, margin_mm=2.5),
    Paper("a4", "A4", 210, 297, margin_mm=12),
    Paper("a4-2up", "A4 两联", 210, 297, columns=1, rows=2, margin_mm=8),
    Paper("a4-4up", "A4 四联", 210, 297, columns=2, rows=2, margin_mm=6),
)}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where output lands on the paper: a printer's own offset (its feed is rarely exact)
    and how many copies of each document, one after the other."""

    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    copies: int = 1


@dataclass(slots=True)
class _Laid:
    doc: QTextDocument
    scale: float  # < 1 when a label was shrunk to fit
    pages: int
    page_height: float  # document units per page
    title: str


_FILE_IMAGE = re.compile(r'<img[^>]*\bsrc="(file:[^"]+)"')


class Renderer(QObject):
    """Renders documents onto any paged device (QPdfWriter, QPrinter, a preview's printer).

    Keep one for a job: it holds the barcode handler and the decoded logo pictures, so
    500 slips decode the logo once.
    """

    def __init__(self, parent: QObject | None = None, font_family: str | None = None) -> None:
        super().__init__(parent)
        self._barcodes = BarcodeObject(self)
        self._images: dict[str, QImage] = {}
        family = font_family or cjk_family()
        self._font = QFont(family) if family else QFont()
        self._font.setPointSizeF(9)

    def _image(self, name: str) -> QImage:
        if name not in self._images:
            self._images[name] = QImage(QUrl(name).toLocalFile())
        return self._images[name]

    def _document(self, html: str) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(self._font)
        doc.setDocumentMargin(0)  # the cell has its margins already
        for name in set(_FILE_IMAGE.findall(html)):
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), self._image(name))
        doc.setHtml(html)
        install(doc, self._barcodes)
        return doc

    def lay_out(self, document: Document, width: float, height: float) -> _Laid:
        """Lay a document out in a cell of ``width`` × ``height`` document units."""
        doc = self._document(document.html)
        doc.setPageSize(QSizeF(width, height))
        pages = doc.pageCount()
        if pages <= 1 or not document.one_page:
            return _Laid(doc, 1.0, max(pages, 1), height, document.title)
        # Too long for one label: find the largest scale at which it fits. Text reflows in
        # the wider virtual page, so the height is measured rather than computed.
        fits, too_big = 0.2, 1.0
        for _ in range(7):
            scale = (fits + too_big) / 2
            doc.setPageSize(QSizeF(width / scale, 1e6))
            if doc.documentLayout().documentSize().height() * scale <= height:
                fits = scale
            else:
                too_big = scale
        doc.setPageSize(QSizeF(width / fits, height / fits))
        return _Laid(doc, fits, 1, height / fits, document.title)

    def render(self, device: QPagedPaintDevice, documents: Sequence[Document], paper: Paper,
               placement: Placement = Placement()) -> int:
        """Paint every document (each ``placement.copies`` times) onto ``device`` as one
        job; returns the number of sheets. The device's page size must already be the
        paper's (``setup_device``)."""
        painter = QPainter()
        if not painter.begin(device):
            raise PrintError("无法开始打印：打印机或文件无法打开")
        try:
            return self._paint(painter, device, documents, paper, placement)
        finally:
            painter.end()

    def _paint(self, painter: QPainter, device: QPagedPaintDevice, documents: Sequence[Document], paper: Paper,
               placement: Placement) -> int:
        dpi_x, dpi_y = device.logicalDpiX(), device.logicalDpiY()
        cell_w_mm, cell_h_mm = paper.cell_mm
        width = (cell_w_mm - 2 * paper.margin_mm) * DOC_DPI / MM_PER_INCH
        height = (cell_h_mm - 2 * paper.margin_mm) * DOC_DPI / MM_PER_INCH
        sheets, slot = 0, paper.per_sheet  # start "full", so the first cell opens sheet 1
        for laid, page in self._pages(documents, width, height, max(1, placement.copies)):
            if slot == paper.per_sheet:
                if sheets:
                    device.newPage()
                sheets += 1
                slot = 0
                self._cut_lines(painter, paper, placement, dpi_x, dpi_y)
            col, row = slot % paper.columns, slot // paper.columns
            x_mm = placement.offset_x_mm + col * cell_w_mm + paper.margin_mm
            y_mm = placement.offset_y_mm + row * cell_h_mm + paper.margin_mm
            painter.save()
            painter.translate(x_mm * dpi_x / MM_PER_INCH, y_mm * dpi_y / MM_PER_INCH)
            painter.scale(dpi_x / DOC_DPI * laid.scale, dpi_y / DOC_DPI * laid.scale)
            top = page * laid.page_height
            painter.translate(0, -top)
            laid.doc.drawContents(painter, QRectF(0, top, width / laid.scale, laid.page_height))
            painter.restore()
            if laid.pages > 1:
                self._page_number(painter, laid, page, x_mm, y_mm + cell_h_mm - 2 * paper.margin_mm, paper, dpi_x, dpi_y)
            slot += 1
        return sheets

    def _pages(self, documents: Sequence[Document], width: float, height: float,
               copies: int) -> Iterator[tuple[_Laid, int]]:
        for document in documents:
            laid = self.lay_out(document, width, height)  # once per document, whatever the copies
            for _ in range(copies):
                for page in range(laid.pages):
                    yield laid, page

    def _page_number(self, painter: QPainter, laid: _Laid, page: int, x_mm: float, bottom_mm: float, paper: Paper,
                     dpi_x: float, dpi_y: float) -> None:
        """"2611… 第 2/3 页" in the bottom margin: a packing list's second sheet, away from
        the first, must still say which order it belongs to."""
        painter.save()
        painter.translate(x_mm * dpi_x / MM_PER_INCH, bottom_mm * dpi_y / MM_PER_INCH)
        painter.scale(dpi_x / DOC_DPI, dpi_y / DOC_DPI)
        font = QFont(self._font)
        # In pixels of the 96-dpi frame: a point size would be taken at the device's dpi
        # and then scaled again.
        font.setPixelSize(10)
        painter.setFont(font)
        painter.setPen(QColor(80, 80, 80))
        band = paper.margin_mm * DOC_DPI / MM_PER_INCH
        width = (paper.cell_mm[0] - 2 * paper.margin_mm) * DOC_DPI / MM_PER_INCH
        painter.drawText(QRectF(0, 0, width, band), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         f"{laid.title}　第 {page + 1}/{laid.pages} 页")
        painter.restore()

    @staticmethod
    def _cut_lines(painter: QPainter, paper: Paper, placement: Placement, dpi_x: float, dpi_y: float) -> None:
        """Dashed lines between the cells of an n-up sheet, where the scissors go."""
        if paper.per_sheet == 1:
            return
        painter.save()
        pen = QPen(QColor(150, 150, 150), 0.2 * dpi_x / MM_PER_INCH, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        cell_w_mm, cell_h_mm = paper.cell_mm
        sx, sy = dpi_x / MM_PER_INCH, dpi_y / MM_PER_INCH
        ox, oy = placement.offset_x_mm, placement.offset_y_mm
        for col in range(1, paper.columns):
            x = (ox + col * cell_w_mm) * sx
            painter.drawLine(QPointF(x, oy * sy), QPointF(x, (oy + paper.height_mm) * sy))
        for row in range(1, paper.rows):
            y = (oy + row * cell_h_mm) * sy
            painter.drawLine(QPointF(ox * sx, y), QPointF((ox + paper.width_mm) * sx, y))
        painter.restore()


def setup_device(device: QPagedPaintDevice, paper: Paper) -> None:
    """Paper size, portrait, no margins: the renderer places everything itself, offsets
    and cell margins included, so the device must not move the origin."""
    device.setPageLayout(QPageLayout(paper.page_size(), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))


def render_pdf(path: Path, documents: Sequence[Document], paper: Paper, placement: Placement = Placement(),
               title: str = "ShopDesk", renderer: Renderer | None = None) -> int:
    """Write the documents into one PDF; returns the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator("ShopDesk")
    setup_device(writer, paper)
    renderer = renderer or Renderer()
    try:
        sheets = renderer.render(writer, documents, paper, placement)
    except PrintError as e:
        raise PrintError(f"无法写入 PDF {path}") from e
    del writer  # the file is finished when the writer goes
    return sheets
