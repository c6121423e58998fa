"""The first window: newest orders from the connected platform, with refresh."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.domain.models import OrderQuery
from app.platform.api import Platform
from app.platform.errors import PlatformError
from app.ui.orders_table import RecentOrdersModel

PAGE = 200


class RecentOrdersWindow(QMainWindow):
    def __init__(self, platform: Platform, title: str) -> None:
        super().__init__()
        self.platform = platform
        self.setWindowTitle(title)
        self.resize(1200, 720)
        self.model = RecentOrdersModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.summary = QLabel()
        self.refresh_button = QPushButton("刷新 (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(f"<b>最新订单</b>（最近 {PAGE} 笔）"))
        bar.addStretch(1)
        bar.addWidget(self.summary)
        bar.addWidget(self.refresh_button)
        body = QVBoxLayout()
        body.addLayout(bar)
        body.addWidget(self.table)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)

    @asyncSlot()
    async def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.statusBar().showMessage("正在读取订单…")
        try:
            page = await self.platform.orders.list(OrderQuery(page=1, page_size=PAGE))
        except PlatformError as exc:
            self.statusBar().showMessage(exc.message("zh"))
        else:
            self.model.set_orders(page.items)
            self.table.resizeColumnsToContents()
            self.summary.setText(f"共 {page.total_rows:,} 笔订单")
            self.statusBar().showMessage(f"已更新 {datetime.now():%H:%M:%S}")
        finally:
            self.refresh_button.setEnabled(True)
