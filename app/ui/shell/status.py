"""What the window shows about the platform: online or not, the last sync, a sync running."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

# Every resource the sync service knows (app.services.sync.RESOURCES), as staff call it.
RESOURCE_LABELS = {
    "orders": "订单", "refunds": "售后", "users": "客户", "withdrawals": "提现",
    "ledger.balance": "余额明细", "ledger.points": "积分明细", "ledger.frozen": "冻结明细", "ledger.token": "代币明细",
    "vouchers": "卡券", "user_coupons": "用户优惠券", "couriers": "快递公司", "freight_rules": "运费模板",
    "categories": "文章分类", "banners": "轮播图", "articles": "文章", "notices": "公告", "info_posts": "信息",
    "coupons": "优惠券", "cms_pages": "单页",
}

OFFLINE_TEXT = "离线：平台无法连接，仍可浏览和搜索本地数据"


def resource_label(name: str) -> str:
    return RESOURCE_LABELS.get(name, name)


def when_text(when: datetime, today: datetime | None = None) -> str:
    """A time of today as HH:MM:SS; another day's with its date, so an old cache looks old."""
    today = today or datetime.now()
    return f"{when:%H:%M:%S}" if when.date() == today.date() else f"{when:%Y-%m-%d %H:%M}"


class SyncStatus(QWidget):
    """The status bar's permanent part: a progress bar while a sync runs, the last sync, online state."""

    STATES = {
        None: ("● 正在连接", "#6e7781", "尚未联系平台"),
        True: ("● 在线", "#1a7f37", "平台可以连接"),
        False: ("● 离线", "#cf222e", "平台无法连接"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.last_sync = QLabel("尚未同步")
        self.online = QLabel()
        self.online.setToolTip("")
        # Exactly as wide as what it shows: the status bar would otherwise hand it the
        # space it freed when the progress bar last hid, leaving gaps between the labels.
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 4, 0)
        row.setSpacing(12)
        row.addWidget(self.progress)
        row.addWidget(self.last_sync)
        row.addWidget(self.online)
        self.set_online(None)

    def set_online(self, online: bool | None, reason: str = "") -> None:
        text, colour, tip = self.STATES[online]
        self.online.setText(text)
        self.online.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.online.setToolTip(reason or tip)

    def show_progress(self, resource: str, done: int, total: int) -> None:
        if total <= 0 or done >= total:
            self.progress.hide()
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"同步{resource_label(resource)} {done}/{total}")
        self.progress.show()

    def hide_progress(self) -> None:
        self.progress.hide()

    def set_last_sync(self, when: datetime) -> None:
        self.last_sync.setText(f"上次同步 {when_text(when)}")


class OfflineBanner(QFrame):
    """A strip over the panels while the platform cannot be reached."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setStyleSheet("#offlineBanner { background: #fff4e5; border: 1px solid #f0b849; border-radius: 4px; }"
                           "#offlineBanner QLabel { color: #5c3c00; background: transparent; border: none; }")
        self.title = QLabel(f"<b>{OFFLINE_TEXT}</b>")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        box.setSpacing(2)
        box.addWidget(self.title)
        box.addWidget(self.reason)
        self.hide()

    def show_reason(self, reason: str) -> None:
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.show()
