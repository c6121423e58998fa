"""What the window shows about the platform: online or not, the last sync, a sync running."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from app.ui import theme
from app.ui.i18n import tr_label

# Every resource the sync service knows (app.services.sync.RESOURCES), as staff call it;
# marked here, translated where shown.
RESOURCE_LABELS = {
    "orders": QT_TRANSLATE_NOOP("resources", "订单"), "refunds": QT_TRANSLATE_NOOP("resources", "售后"),
    "users": QT_TRANSLATE_NOOP("resources", "客户"), "withdrawals": QT_TRANSLATE_NOOP("resources", "提现"),
    "ledger.balance": QT_TRANSLATE_NOOP("resources", "余额明细"),
    "ledger.points": QT_TRANSLATE_NOOP("resources", "积分明细"),
    "ledger.frozen": QT_TRANSLATE_NOOP("resources", "冻结明细"),
    "ledger.token": QT_TRANSLATE_NOOP("resources", "代币明细"),
    "vouchers": QT_TRANSLATE_NOOP("resources", "卡券"), "user_coupons": QT_TRANSLATE_NOOP("resources", "用户优惠券"),
    "couriers": QT_TRANSLATE_NOOP("resources", "快递公司"),
    "freight_rules": QT_TRANSLATE_NOOP("resources", "运费模板"),
    "categories": QT_TRANSLATE_NOOP("resources", "文章分类"), "banners": QT_TRANSLATE_NOOP("resources", "轮播图"),
    "articles": QT_TRANSLATE_NOOP("resources", "文章"), "notices": QT_TRANSLATE_NOOP("resources", "公告"),
    "info_posts": QT_TRANSLATE_NOOP("resources", "信息"), "coupons": QT_TRANSLATE_NOOP("resources", "优惠券"),
    "cms_pages": QT_TRANSLATE_NOOP("resources", "单页"),
}

OFFLINE_TEXT = QT_TRANSLATE_NOOP("OfflineBanner", "离线：平台无法连接，仍可浏览和搜索本地数据")


def resource_label(name: str) -> str:
    label = RESOURCE_LABELS.get(name)
    return tr_label("resources", label) if label else name


def when_text(when: datetime, today: datetime | None = None) -> str:
    """A time of today as HH:MM:SS; another day's with its date, so an old cache looks old."""
    today = today or datetime.now()
    return f"{when:%H:%M:%S}" if when.date() == today.date() else f"{when:%Y-%m-%d %H:%M}"


class SyncStatus(QWidget):
    """The status bar's permanent part: a progress bar while a sync runs, the last sync, online state."""

    # text, theme colour, tooltip
    STATES = {
        None: (QT_TRANSLATE_NOOP("SyncStatus", "● 正在连接"), "connecting",
               QT_TRANSLATE_NOOP("SyncStatus", "尚未联系平台")),
        True: (QT_TRANSLATE_NOOP("SyncStatus", "● 在线"), "online", QT_TRANSLATE_NOOP("SyncStatus", "平台可以连接")),
        False: (QT_TRANSLATE_NOOP("SyncStatus", "● 离线"), "offline", QT_TRANSLATE_NOOP("SyncStatus", "平台无法连接")),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        # Room for the longest label and counts in the language and font in use, not a
        # pixel width that clips "Syncing frozen balance log 12000/12000".
        longest = max((resource_label(name) for name in RESOURCE_LABELS), key=len)
        sample = self.tr("同步{resource} {done}/{total}").format(resource=longest, done="00000", total="00000")
        self.progress.setFixedWidth(max(220, self.progress.fontMetrics().horizontalAdvance(sample) + 48))
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.last_sync = QLabel(self.tr("尚未同步"))
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
        self.online.setText(self.tr(text))
        theme.style(self.online, f"color: ${colour}; font-weight: bold;")
        self.online.setToolTip(reason or self.tr(tip))

    def show_progress(self, resource: str, done: int, total: int) -> None:
        if total <= 0 or done >= total:
            self.progress.hide()
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("同步{resource} {done}/{total}").format(
            resource=resource_label(resource), done=done, total=total))
        self.progress.show()

    def hide_progress(self) -> None:
        self.progress.hide()

    def set_last_sync(self, when: datetime) -> None:
        self.last_sync.setText(self.tr("上次同步 {time}").format(time=when_text(when)))


class OfflineBanner(QFrame):
    """A strip over the panels while the platform cannot be reached."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        theme.style(self, "#offlineBanner { background: $warning_bg; border: 1px solid $warning_border;"
                          " border-radius: 4px; }"
                          "#offlineBanner QLabel { color: $warning_text; background: transparent; border: none; }")
        self.title = QLabel(f"<b>{self.tr(OFFLINE_TEXT)}</b>")
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
