"""Code128 barcodes drawn as vector rectangles.

python-barcode only encodes (``build()`` gives the module pattern as "1"/"0"); the bars are
filled rectangles here, so a PDF carries exact edges at any zoom and a printer prints them
at its own resolution. Its SVG output renders as a black block in QtSvg, and a raster
image is blurred when the page is rasterised: neither decodes (FEASIBILITY.md §4).

In a QTextDocument a barcode is an ``<img src="barcode:…">`` (app/services/print_templates.py):
``install`` turns those into objects this module's handler draws, so the barcode flows
with the text like an image and still prints as vectors.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote

import barcode
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPyTextObject,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)

from app.services.print_templates import BARCODE_SCHEME, QUIET_MODULES, TEXT_MM

BARCODE_OBJECT = QTextFormat.ObjectTypes.UserObject + 1
MM_PER_INCH = 25.4


@lru_cache(maxsize=4096)
def runs(value: str) -> tuple[tuple[int, int], ...]:
    """The bars of ``value`` as (first module, width in modules): a run of 1s is one rectangle,
    so adjacent modules never leave hairline gaps between them."""
    pattern = barcode.get("code128", value).build()[0]
    out: list[tuple[int, int]] = []
    start = -1
    for i, bit in enumerate(pattern + "0"):
        if bit == "1" and start < 0:
            start = i
        elif bit != "1" and start >= 0:
            out.append((start, i - start))
            start = -1
    return tuple(out)


def module_count(value: str) -> int:
    return len(barcode.get("code128", value).build()[0])


def draw(painter: QPainter, rect: QRectF, value: str, *, text: bool = True, text_height: float | None = None,
         font: QFont | None = None) -> None:
    """Draw ``value`` as Code128 filling ``rect`` (painter units), quiet zones included:
    the module width is what fits. With ``text``, the value is printed under the bars in
    ``text_height`` (default: a fifth of the rect)."""
    if not value:
        return
    total = module_count(value) + 2 * QUIET_MODULES
    module = rect.width() / total
    label_height = (text_height if text_height is not None else rect.height() / 5) if text else 0.0
    bar_height = rect.height() - label_height
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    black = QColor(0, 0, 0)
    left = rect.left() + QUIET_MODULES * module
    for start, width in runs(value):
        painter.fillRect(QRectF(left + start * module, rect.top(), width * module, bar_height), black)
    if text:
        label_font = QFont(font) if font is not None else QFont()
        # Fit the digits in the band under the bars, in the painter's own units.
        label_font.setPixelSize(max(1, int(label_height * 0.85)))
        metrics = QFontMetricsF(label_font)
        while label_font.pixelSize() > 4 and metrics.horizontalAdvance(value) > rect.width():
            label_font.setPixelSize(label_font.pixelSize() - 1)
            metrics = QFontMetricsF(label_font)
        painter.setFont(label_font)
        painter.setPen(black)
        painter.drawText(QRectF(rect.left(), rect.top() + bar_height, rect.width(), label_height),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, value)
    painter.restore()


class BarcodeObject(QPyTextObject):
    """Lays out and paints barcode objects in a QTextDocument (96-dpi document units)."""

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:
        width = fmt.doubleProperty(QTextFormat.Property.ImageWidth)
        height = fmt.doubleProperty(QTextFormat.Property.ImageHeight)
        # A long tracking number at the template's module width may not fit a 76 mm label:
        # narrower modules, same height, rather than bars cut off at the page edge.
        room = doc.textWidth() - 2 * doc.documentMargin() if doc.textWidth() > 0 else width
        return QSizeF(min(width, max(room, 1.0)), height)

    def drawObject(self, painter: QPainter, rect: QRectF, doc: QTextDocument, pos: int,
                   fmt: QTextFormat) -> None:
        value = unquote(fmt.stringProperty(QTextFormat.Property.ImageName)[len(BARCODE_SCHEME):])
        text_height = min(rect.height() / 3, TEXT_MM * 96 / MM_PER_INCH)
        draw(painter, rect, value, text_height=text_height, font=doc.defaultFont())


def install(doc: QTextDocument, handler: BarcodeObject) -> int:
    """Make the document's ``barcode:`` images barcode objects; returns how many.

    Call after ``setHtml``. The handler must outlive the document's painting (parent it to
    the document or keep one for many documents)."""
    layout = doc.documentLayout()
    layout.registerHandler(BARCODE_OBJECT, handler)
    count = 0
    cursor = doc.find("\ufffc")
    while not cursor.isNull():
        fmt = cursor.charFormat()
        if fmt.isImageFormat() and fmt.toImageFormat().name().startswith(BARCODE_SCHEME):
            swapped = QTextCharFormat(fmt)
            swapped.setObjectType(BARCODE_OBJECT)
            cursor.setCharFormat(swapped)
            count += 1
        cursor = doc.find("\ufffc", cursor)
    return count

