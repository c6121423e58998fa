"""Choosing the columns and the file of an export; the writing runs off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.services.export import export_orders
from app.services.order_columns import COLUMNS
from app.store.database import Cache
from app.ui.file_job import FileJob
from app.ui.i18n import ui_language


class ColumnsDialog(QDialog):
    def __init__(self, count: int, chosen: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出订单"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("导出 {count} 笔订单。选择要导出的列：").format(count=f"{count:,}")))
        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        lang = ui_language()
        for i, column in enumerate(COLUMNS):
            box = QCheckBox(column.zh if lang.startswith("zh") else column.en)
            box.setChecked(column.key in chosen or not chosen)
            self.boxes[column.key] = box
            grid.addWidget(box, i // 3, i % 3)
        layout.addLayout(grid)
        hint = QLabel(self.tr("Excel 文件（.xlsx）保留订单号和手机的全部位数；CSV 为 UTF-8 编码。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("选择文件并导出…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for box in self.boxes.values():
            box.toggled.connect(lambda _on: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
                bool(self.keys())))
        layout.addWidget(buttons)

    def keys(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]


class ExportJob(FileJob):
    """One export on a thread of its own; progress and the end reported on the GUI thread."""

    def __init__(self, cache: Cache, ids: Sequence[int], keys: Sequence[str], path: Path) -> None:
        ids, keys = list(ids), list(keys)
        super().__init__(cache, path, lambda read, progress: export_orders(read, ids, keys, path, progress),
                         "orders-export")


def ask_export(parent: QWidget, cache: Cache, ids: Sequence[int], chosen: Sequence[str],
               start_dir: str, report: Callable[[str], None]) -> tuple[ExportJob, list[str], str] | None:
    """The column choice and the file; returns the started job, the columns and the folder."""
    if not ids:
        report(QCoreApplication.translate("ask_export", "没有可导出的订单：当前视图为空。"))
        return None
    dialog = ColumnsDialog(len(ids), chosen, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    name, chosen_filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("ask_export", "导出订单"),
        str(Path(start_dir) / QCoreApplication.translate("ask_export", "订单.xlsx")),
        QCoreApplication.translate("ask_export", "Excel 工作簿 (*.xlsx);;CSV (*.csv)"))
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(".csv" if "csv" in chosen_filter.lower() else ".xlsx")
    job = ExportJob(cache, ids, dialog.keys(), path)
    exporting = QCoreApplication.translate("ask_export", "正在导出… {done}/{total}")
    exported = QCoreApplication.translate("ask_export", "已导出 {count} 笔订单到 {path}")
    job.progress.connect(lambda done, total: report(exporting.format(done=f"{done:,}", total=f"{total:,}")))
    job.finished.connect(lambda n, p: report(exported.format(count=f"{n:,}", path=p)))
    job.failed.connect(report)
    job.start()
    return job, dialog.keys(), str(path.parent)
