"""Batch shipping from a file (批量发货): choose a CSV or XLSX, read every row's dry-run
verdict, then ship the accepted rows with a progress bar, stop, retry what failed, export
the results, and resume a batch a closed window or a crash cut short.

The services do the work and keep the promises (``batch_ship`` checks, ``BatchRunner``
sends each order once, ``ship_batches`` remembers how far a batch got); this dialog only
shows them. Reading and checking a file takes ~50 ms for 1,000 rows, so it runs on the
GUI thread; sending runs as one task on the qasync loop (``run_task``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    QTimer,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import batch_ship
from app.services.batch_apply import BatchRunner
from app.services.batch_ship import ImportFileError, Verdict
from app.store import ship_batches
from app.store.database import Cache
from app.store.ship_batches import Batch
from app.ui import theme
from app.ui.i18n import ui_language
from app.ui.outbox import NOT_CONNECTED, OutboxClient
from app.ui.shipping.batch_rows import (
    COLUMNS,
    FILTERS,
    RowsModel,
    VerdictFilter,
    line_of_row,
    line_of_verdict,
)
from app.ui.tasks import run_task

if TYPE_CHECKING:
    import asyncio

    from app.ui.shell.main_window import MainWindow

CONTEXT = "BatchShipDialog"
REFRESH_MS = 400  # the table re-reads row states at most this often while sending
RESULT_SUFFIX = "-结果.xlsx"
FILE_FILTER = "表格 / Spreadsheets (*.xlsx *.xlsm *.csv *.txt)"
RESUME_CANDIDATES = 10  # recent batches looked at for one stopped half-way


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class BatchShipDialog(QDialog):
    """Non-modal: ``show()`` it, then ``load(path)`` (or choose a file); ``resume(batch_id)``
    goes on with a recorded batch."""

    def __init__(self, cache: Cache, client: OutboxClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.client = client
        self.lang = ui_language()
        self.path: Path | None = None
        self.header: tuple[str, ...] = ()
        self.verdicts: list[Verdict] = []
        self.batch_id: int | None = None
        self.batch: Batch | None = None
        self.task: asyncio.Task[None] | None = None
        self.confirm: QMessageBox | None = None
        self.confirm_yes: QPushButton | None = None
        self.closing: QMessageBox | None = None
        self.close_when_stopped = False
        self._runner: tuple[Any, BatchRunner] | None = None
        self._file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("批量发货"))
        self.setModal(False)

        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(self.tr("选择一个 CSV 或 XLSX 文件：订单号、快递公司、快递单号"))
        self.choose = QPushButton(self.tr("选择文件…"))
        self.choose.clicked.connect(self.choose_file)
        self.notice = QLabel()  # what staff can act on: a bad file, not connected, a save that failed
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.style(self.notice, "color: $error;")
        self.notice.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.filter = QComboBox()
        for key, text in FILTERS:
            self.filter.addItem(self.tr(text), key)
        self.filter.setToolTip(self.tr("只看某种结果的行"))
        self.filter.currentIndexChanged.connect(lambda _i: self.proxy.set_want(str(self.filter.currentData())))

        self.model = RowsModel(self)
        self.proxy = VerdictFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        for column, width in enumerate((48, 170, 90, 170, 70, 70)):
            header.resizeSection(column, max(width, metrics.horizontalAdvance(_tr(COLUMNS[column])) + 24))

        self.with_warnings = QCheckBox(self.tr("连同有提醒的行一起发货"))
        self.with_warnings.setChecked(True)
        self.with_warnings.setToolTip(self.tr("不勾选时，有提醒的行不发货，留在结果文件中待核对"))
        self.with_warnings.toggled.connect(lambda _on: self._update_buttons())
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m")
        self.progress.hide()
        self.progress_text = QLabel()
        self.progress_text.hide()

        self.start = QPushButton(self.tr("开始发货"))
        self.start.setDefault(True)
        self.start.clicked.connect(self.ask_to_start)
        self.stop = QPushButton(self.tr("停止"))
        self.stop.setToolTip(self.tr("不再发送新的订单；正在发送的会发完，其余的以后可以继续"))
        self.stop.clicked.connect(self.stop_sending)
        self.stop.hide()
        self.export = QPushButton(self.tr("导出结果…"))
        self.export.setToolTip(self.tr("原文件加上核对结果和说明，改好后可以再次导入"))
        self.export.clicked.connect(self.choose_export)
        self.retry = QPushButton(self.tr("重试失败的"))
        self.retry.setToolTip(self.tr("再次发送失败的订单；发送前会先查询平台，不会重复发货"))
        self.retry.clicked.connect(self.retry_failed)
        self.done_button = QPushButton(self.tr("关闭"))
        self.done_button.clicked.connect(self.close)

        top = QHBoxLayout()
        top.addWidget(self.file, 1)
        top.addWidget(self.choose)
        middle = QHBoxLayout()
        middle.addWidget(self.summary, 1)
        middle.addWidget(self.filter)
        going = QHBoxLayout()
        going.addWidget(self.progress, 1)
        going.addWidget(self.progress_text)
        buttons = QHBoxLayout()
        buttons.addWidget(self.with_warnings)
        buttons.addStretch(1)
        for b in (self.export, self.retry, self.stop, self.start, self.done_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(middle)
        layout.addWidget(self.table, 1)
        layout.addLayout(going)
        layout.addLayout(buttons)
        self.resize(980, 600)

        # While sending, the table re-reads states on a timer rather than per order: a
        # thousand orders would otherwise re-read a thousand rows a thousand times.
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self._show_batch_rows)
        self._update_buttons()

    # -- state ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def runner(self) -> BatchRunner | None:
        """The runner for the desk's current outbox (a new one after an account switch)."""
        outbox = self.client.outbox
        if outbox is None:
            return None
        if self._runner is None or self._runner[0] is not outbox:
            self._runner = (outbox, BatchRunner(self.cache, outbox))
        return self._runner[1]

    def to_ship(self) -> int:
        """Orders the confirmed dry run would ship (rows of one order are one shipment)."""
        return len(batch_ship.shipments(self.verdicts, include_warnings=self.with_warnings.isChecked()))

    def left(self) -> int:
        """Rows of the recorded batch still to send (stopped or cut short)."""
        b = self.batch
        return 0 if b is None else b.to_send - b.settled

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _update_buttons(self) -> None:
        running = self.running
        self.choose.setEnabled(not running)
        self.filter.setEnabled(bool(self.model.lines))
        self.stop.setVisible(running)
        self.with_warnings.setEnabled(not running and self.batch_id is None)
        self.export.setEnabled(not running and bool(self.verdicts or self.batch_id is not None))
        self.retry.setVisible(self.batch is not None and self.batch.failed > 0)
        self.retry.setEnabled(not running)
        if self.batch_id is not None:
            self.start.setText(self.tr("继续发货"))
            self.start.setVisible(self.left() > 0)  # a finished batch has nothing to go on with
            self.start.setEnabled(not running and self.left() > 0)
            self.start.setToolTip(self.tr("发送这一批中尚未发送的订单"))
        else:
            self.start.setText(self.tr("开始发货"))
            self.start.setVisible(True)
            n = self.to_ship() if self.verdicts else 0
            self.start.setEnabled(not running and n > 0)
            self.start.setToolTip(self.tr("发送可发货的 {count} 笔订单").format(count=n) if n
                                  else self.tr("没有可发货的行"))

    # -- reading a file --------------------------------------------------------------------
    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else ""
        chooser = QFileDialog(self, self.tr("选择批量发货文件"), start, FILE_FILTER)
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.fileSelected.connect(lambda name: self.load(Path(name)))
        self._file_dialog = chooser
        chooser.open()  # never exec(): a nested loop would stall the sending coroutines

    def load(self, path: Path) -> bool:
        """Read and check the file (nothing is sent). False, with the reason shown, when the
        file cannot be read as a batch-ship file."""
        if self.running:
            return False
        self.path = Path(path)
        self.file.setText(str(self.path))
        self.batch_id, self.batch, self.verdicts, self.header = None, None, [], ()
        self.progress.hide()
        self.progress_text.hide()
        try:
            read = batch_ship.read_rows(self.path)
        except ImportFileError as exc:
            self._show_nothing(exc.text(self.lang))
            return False
        except OSError as exc:  # gone, locked by Excel, no permission: staff can fix these
            self._show_nothing(self.tr("无法打开文件：{error}").format(error=exc.strerror or str(exc)))
            return False
        if not read.rows:
            self._show_nothing(self.tr("文件中没有数据行。"))
            return False
        self.header = read.header
        self.verdicts = batch_ship.dry_run(self.cache.read, read.rows)
        self._say("")
        self.model.set_lines([line_of_verdict(v, self.lang) for v in self.verdicts])
        self.summary.setText(self.verdict_summary())
        self._update_buttons()
        return True

    def _show_nothing(self, why: str) -> None:
        self._say(why)
        self.model.set_lines([])
        self.summary.setText("")
        self._update_buttons()

    def verdict_summary(self) -> str:
        s = batch_ship.summarize(self.verdicts)
        return self.tr("可发货 {ok} · 提醒 {warning} · 错误 {error} · 跳过 {skip}").format(
            ok=s.ok, warning=s.warning, error=s.error, skip=s.skip)

    # -- sending ---------------------------------------------------------------------------
    def ask_to_start(self) -> None:
        if self.running:
            return
        if self.batch_id is not None:  # a stopped batch: staff confirmed it when it began
            self._go(self._run_recorded(resume=False))
            return
        n = self.to_ship()
        if n == 0:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("开始发货"),
                          self.tr("将给 {count} 笔订单发货，发货信息在微信中只能修改一次。").format(count=n),
                          QMessageBox.StandardButton.NoButton, self)
        yes = box.addButton(self.tr("发货 {count} 笔").format(count=n), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda button: self._go(self._start_new()) if button is yes else None)
        box.finished.connect(lambda _r: setattr(self, "confirm", None))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm, self.confirm_yes = box, yes
        box.open()

    def _go(self, coro: Any) -> None:
        runner = self.runner()
        if runner is None:
            coro.close()  # never awaited: close it so Python does not warn about it
            self._say(_tr_outbox(NOT_CONNECTED))
            return
        self._say("")
        self.progress.show()
        self.progress_text.show()
        self.progress_text.setText(self.tr("发送中…"))
        self.task = run_task(coro, report=self._say)
        self._update_buttons()

    async def _start_new(self) -> None:
        runner = self.runner()
        assert runner is not None and self.path is not None
        try:
            self.batch_id = await runner.start(self.verdicts, self.path, self.header,
                                               include_warnings=self.with_warnings.isChecked())
            self.batch = ship_batches.get(self.cache.read, self.batch_id)
            self._show_batch_rows()
            await self._send(runner.run)
        finally:
            self._ended()

    async def _run_recorded(self, *, resume: bool) -> None:
        runner = self.runner()
        assert runner is not None and self.batch_id is not None
        try:
            await self._send(runner.resume if resume else runner.run)
        finally:
            self._ended()

    async def _retry(self) -> None:
        runner = self.runner()
        assert runner is not None and self.batch_id is not None
        try:
            await self._send(runner.retry_failed)
        finally:
            self._ended()

    async def _send(self, how: Any) -> None:
        self.batch = await how(self.batch_id, self._progress)
        self.client.changed.emit()  # the outbox view and the queue re-read what was shipped

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if self.batch_id is not None:
            self.batch = ship_batches.get(self.cache.read, self.batch_id)
        b = self.batch
        failed = b.failed if b is not None else 0
        self.progress_text.setText(self.tr("已处理 {done}/{total}，失败 {failed}").format(
            done=done, total=total, failed=failed))
        if not self._refresh.isActive():
            self._refresh.start()

    def _ended(self) -> None:
        """Whatever way the sending ended (finished, stopped, failed, a bug): show where the
        batch stands and give the controls back."""
        self._refresh.stop()
        if self.batch_id is not None:
            self.batch = ship_batches.get(self.cache.read, self.batch_id)
            self._show_batch_rows()
        self.task = None
        self.summary.setText(self.result_summary())
        self.progress_text.setText(self.result_summary())
        self._update_buttons()
        if self.close_when_stopped:
            self.close_when_stopped = False
            self.close()

    def _show_batch_rows(self) -> None:
        if self.batch_id is None:
            return
        self.model.set_lines([line_of_row(r, self.lang) for r in ship_batches.rows(self.cache.read, self.batch_id)])

    def result_summary(self) -> str:
        b = self.batch
        if b is None:
            return self.verdict_summary()
        counts = self.tr("已发货 {done} · 失败 {failed} · 未发送 {left} · 不发送 {skipped}").format(
            done=b.done, failed=b.failed, left=b.to_send - b.settled, skipped=b.skipped)
        if b.state == "done":
            return self.tr("批量发货完成：{counts}").format(counts=counts)
        if b.to_send > b.settled:
            return self.tr("批量发货已停止：{counts}。点“继续发货”发送其余的。").format(counts=counts)
        return self.tr("批量发货结束：{counts}").format(counts=counts)

    def stop_sending(self) -> None:
        runner = self.runner()
        if runner is not None and self.running:
            runner.stop()
            self.stop.setEnabled(False)
            self.progress_text.setText(self.tr("正在停止：发送中的订单会发完…"))

    def retry_failed(self) -> None:
        if not self.running and self.batch_id is not None:
            self._go(self._retry())

    def resume(self, batch_id: int) -> bool:
        """Show a recorded batch and go on sending what it has left (entries caught in flight
        are settled from the platform first)."""
        if self.running:
            return False
        batch = ship_batches.get(self.cache.read, batch_id)
        if batch is None:
            return False
        self.batch_id, self.batch, self.verdicts, self.header = batch_id, batch, [], batch.header
        self.path = None
        self.file.setText(batch.source)
        self._show_batch_rows()
        self.summary.setText(self.result_summary())
        self._go(self._run_recorded(resume=True))
        return True

    # -- results ---------------------------------------------------------------------------
    def default_results_path(self) -> Path:
        if self.path is not None:
            return self.path.with_name(self.path.stem + RESULT_SUFFIX)
        source = Path(self.batch.source).stem if self.batch is not None else self.tr("批量发货")
        return Path.home() / (source + RESULT_SUFFIX)

    def choose_export(self) -> None:
        default = self.default_results_path()
        chooser = QFileDialog(self, self.tr("导出结果"), str(default.parent), FILE_FILTER)
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setDefaultSuffix("xlsx")
        chooser.selectFile(default.name)
        chooser.fileSelected.connect(lambda name: self.export_results(Path(name)))
        self._file_dialog = chooser
        chooser.open()

    def results(self) -> list[Verdict]:
        """After sending, each row's outcome (shipped rows read as skip); before, the dry run."""
        runner = self.runner()
        if self.batch_id is not None and runner is not None:
            return runner.results(self.batch_id)
        return self.verdicts

    def export_results(self, path: Path) -> Path | None:
        try:
            written = batch_ship.write_results(path, self.results(), self.header)
        except OSError as exc:  # most often the file is open in Excel
            self._say(self.tr("无法保存结果：{error}。如果文件在 Excel 中打开，请先关闭。").format(
                error=exc.strerror or str(exc)))
            return None
        self._say("")
        # The name only, the folder in the tooltip: a long path would push the buttons off.
        self.progress_text.show()
        self.progress_text.setText(self.tr("结果已保存为 {name}").format(name=written.name))
        self.progress_text.setToolTip(str(written))
        return written

    # -- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.running:
            event.accept()
            return
        event.ignore()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("正在批量发货"),
                          self.tr("关闭会停止批量发货：正在发送的订单会发完，其余的以后可以继续发送。"),
                          QMessageBox.StandardButton.NoButton, self)
        stop = box.addButton(self.tr("停止并关闭"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("继续发货"), QMessageBox.ButtonRole.RejectRole)

        def answered(button: object) -> None:
            if button is stop and self.running:
                self.close_when_stopped = True  # _ended closes once the orders in flight finish
                self.stop_sending()

        box.buttonClicked.connect(answered)
        box.finished.connect(lambda _r: setattr(self, "closing", None))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.closing = box
        box.open()


def _tr_outbox(text: str) -> str:
    return QCoreApplication.translate("OutboxClient", text)


def interrupted(conn: sqlite3.Connection) -> list[Batch]:
    """Batches to offer to go on with: cut short while applying (a crash, the app closed),
    and the latest ones stopped with rows still to send (the dialog closed half-way)."""
    cut = ship_batches.unfinished(conn)
    seen = {b.id for b in cut}
    stopped = [b for b in ship_batches.recent(conn, RESUME_CANDIDATES)
               if b.state == "stopped" and b.to_send > b.settled and b.id not in seen]
    return sorted([*cut, *stopped], key=lambda b: b.id)


def offer_resume(window: MainWindow, batches: Sequence[Batch] | None = None) -> QMessageBox | None:
    """At start: if a batch was cut short, ask (non-modally) whether to go on with it. The
    most recent one is offered; "稍后" leaves it for the next start."""
    found = list(batches) if batches is not None else interrupted(window.cache.read)
    if not found:
        return None
    batch = found[-1]
    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("BatchShipDialog", "批量发货"),
                      QCoreApplication.translate("BatchShipDialog", "上次批量发货在 {done}/{total} 处中断，继续吗？").format(done=batch.settled,
                                                                      total=batch.to_send),
                      QMessageBox.StandardButton.NoButton, window)
    box.setInformativeText(QCoreApplication.translate("BatchShipDialog", "文件：{source}（{created}）").format(source=batch.source, created=batch.created_at))
    go = box.addButton(QCoreApplication.translate("BatchShipDialog", "继续"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("BatchShipDialog", "稍后"), QMessageBox.ButtonRole.RejectRole)

    def answered(button: object) -> None:
        if button is go:
            window.shipping_panel.open_batch().resume(batch.id)

    box.buttonClicked.connect(answered)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()  # non-modal: the desk stays usable while staff decide
    return box
