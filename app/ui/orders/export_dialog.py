"""Choosing the columns and the file of an export; the writing runs off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
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

from app.services.export import ExportError, export_orders
from app.services.order_columns import COLUMNS
from app.store.database import Cache


class ColumnsDialog(QDialog):
    def __init__(self, count: int, chosen: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出订单")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"导出 {count:,} 笔订单。选择要导出的列："))
        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        for i, column in enumerate(COLUMNS):
            box = QCheckBox(column.zh)
            box.setChecked(column.key in chosen or not chosen)
            self.boxes[column.key] = box
            grid.addWidget(box, i // 3, i % 3)
        layout.addLayout(grid)
        hint = QLabel("Excel 文件（.xlsx）保留订单号和手机的全部位数；CSV 为 UTF-8 编码。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选择文件并导出…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for box in self.boxes.values():
            box.toggled.connect(lambda _on: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
                bool(self.keys())))
        layout.addWidget(buttons)

    def keys(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]


class ExportJob(QObject):
    """One export on a thread of its own; progress and the end reported on the GUI thread."""

    progress = Signal(int, int)
    finished = Signal(int, str)  # rows written, and the path
    failed = Signal(str)  # what to do about it

    def __init__(self, cache: Cache, ids: Sequence[int], keys: Sequence[str], path: Path) -> None:
        super().__init__()
        self._args = (cache, list(ids), list(keys), path)
        self._thread = threading.Thread(target=self._run, name="orders-export", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        cache, ids, keys, path = self._args
        try:
            n = export_orders(lambda: cache.read, ids, keys, path, lambda done, total: self.progress.emit(done, total))
        except ExportError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"无法写入“{path}”：{exc.strerror or exc}。请换一个文件夹或文件名。")
        else:
            self.finished.emit(n, str(path))
        finally:
            cache.close_reader()


def ask_export(parent: QWidget, cache: Cache, ids: Sequence[int], chosen: Sequence[str],
               start_dir: str, report: Callable[[str], None]) -> tuple[ExportJob, list[str], str] | None:
    """The column choice and the file; returns the started job, the columns and the folder."""
    if not ids:
        report("没有可导出的订单：当前视图为空。")
        return None
    dialog = ColumnsDialog(len(ids), chosen, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    name, chosen_filter = QFileDialog.getSaveFileName(
        parent, "导出订单", str(Path(start_dir) / "订单.xlsx"), "Excel 工作簿 (*.xlsx);;CSV (*.csv)")
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(".csv" if "csv" in chosen_filter.lower() else ".xlsx")
    job = ExportJob(cache, ids, dialog.keys(), path)
    job.progress.connect(lambda done, total: report(f"正在导出… {done:,}/{total:,}"))
    job.finished.connect(lambda n, p: report(f"已导出 {n:,} 笔订单到 {p}"))
    job.failed.connect(report)
    job.start()
    return job, dialog.keys(), str(path.parent)
