"""The accounts dialog: the practice shop and every real account, add / edit / remove,
test a connection without freezing the window, and ask to switch to another account.

What staff type is never lost while the dialog is open: each account's form content is
kept as they leave it (a new, unsaved account stays in the list as such), a failed save
leaves it in place with the reason under each field, and closing with unsaved changes
asks first. The dialog never switches the running desk itself: it emits
``switch_requested(account_id)`` and the application restarts the desk on that account.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.platform.account import Account
from app.services.accounts import PRACTICE_ID, AccountError, AccountRegistry, Draft, validate
from app.services.connection_check import ConnectionResult, Problem, test_connection
from app.services.secrets import SecretStore, SecretStoreError
from app.ui.accounts.form import AccountForm
from app.ui.i18n import ui_language
from app.ui.tasks import run_task
from app.ui.theme import style

log = logging.getLogger(__name__)
Tester = Callable[[Account], Awaitable[ConnectionResult]]
ID_ROLE = Qt.ItemDataRole.UserRole
NEW_PREFIX = "new:"  # list keys of accounts not saved yet
BANNER = "QLabel { background: $warning_bg; border: 1px solid $warning_border; color: $warning_text; padding: 8px; }"
RESULT_STYLES = {"ok": "color: $online;", "warn": "color: $warning;", "fail": "color: $error;"}


@dataclass
class Entry:
    """One row of the list: what was saved (None for a new account) and what the form holds."""

    saved: Draft | None
    draft: Draft
    result: ConnectionResult | None = None
    testing: bool = False

    @property
    def dirty(self) -> bool:
        """Typed and not saved (a new account nobody typed into yet is not worth a question)."""
        baseline = self.saved if self.saved is not None else Draft(kind=self.draft.kind)
        return self.draft.cleaned() != baseline.cleaned()


class AccountsDialog(QDialog):
    switch_requested = Signal(str)  # an account id, or "practice"

    def __init__(self, registry: AccountRegistry, secrets: SecretStore, current_id: str = PRACTICE_ID,
                 parent: QWidget | None = None, *, tester: Tester = test_connection) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("账号设置"))
        self.setModal(False)
        self.registry, self.secrets, self.tester = registry, secrets, tester
        self.current_id = current_id
        self.entries: dict[str, Entry] = {}
        self._new_count = 0
        self._shown_key: str | None = None
        self.test_task: asyncio.Task[None] | None = None
        self.remove_box: QMessageBox | None = None  # held while open: an open() box nobody holds is collected
        self.close_box: QMessageBox | None = None

        self.banner = QLabel()
        self.banner.setObjectName("keyring_warning")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        style(self.banner, BANNER)
        warning = secrets.warning(ui_language())
        self.banner.setText("⚠ " + (warning or ""))
        self.banner.setVisible(warning is not None)

        self.list = QListWidget()
        self.list.setMinimumWidth(200)
        self.add_button = QPushButton(self.tr("添加账号"))
        self.remove_button = QPushButton(self.tr("删除…"))
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)

        self.form = AccountForm()
        self.practice_text = QLabel(self.tr(
            "练习商店是本机运行的模拟平台，带有示例订单、客户和售后，可随意操作，不会影响真实店铺。"
            "没有设置真实账号时，ShopDesk 使用练习商店（标题栏显示“练习模式”）。\n\n"
            "要连接真实店铺，请点“添加账号”，填写平台信息并测试连接。"))
        self.practice_text.setWordWrap(True)
        self.practice_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.practice_text)
        self.pages.addWidget(self.form)

        self.result = QLabel()
        self.result.setObjectName("connection_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton(self.tr("测试连接"))
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.switch_button = QPushButton(self.tr("切换到此账号"))
        self.close_button = QPushButton(self.tr("关闭"))
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.switch_button)
        actions.addWidget(self.close_button)

        right = QVBoxLayout()
        right.addWidget(self.pages)
        right.addWidget(self.result)  # right under the fields it is about, not at the window's foot
        right.addStretch(1)
        right.addLayout(actions)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addLayout(body, 1)
        self.resize(820, 500)

        self.list.currentItemChanged.connect(self._selected)
        self.form.changed.connect(self._edited)
        self.add_button.clicked.connect(self.add_account)
        self.remove_button.clicked.connect(self.ask_remove)
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.switch_button.clicked.connect(self.switch)
        self.close_button.clicked.connect(self.close)
        self.reload()

    # ---- the list ------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Rebuild the list from the registry, keeping unsaved new accounts and edits."""
        keep = {k: e for k, e in self.entries.items() if e.dirty or e.saved is None}
        select = select or self.current_key() or self.current_id
        self.entries = {}
        self.list.blockSignals(True)
        self.list.clear()
        self._add_item(PRACTICE_ID)
        try:
            records = self.registry.records()
        except AccountError as exc:
            records = []
            self.show_result(exc.message(ui_language()), "fail")
        for record in records:
            saved = self._saved_draft(record.id)
            entry = keep.get(record.id) or Entry(saved, saved)
            entry.saved = saved  # edits kept are compared with what is stored now
            self.entries[record.id] = entry
            self._add_item(record.id)
        for key, entry in keep.items():
            if key.startswith(NEW_PREFIX):
                self.entries[key] = entry
                self._add_item(key)
        self.list.blockSignals(False)
        self._shown_key = None
        keys = [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]
        self.list.setCurrentRow(keys.index(select) if select in keys else 0)

    def _saved_draft(self, account_id: str) -> Draft:
        try:
            return self.registry.draft_for(account_id, self.secrets)
        except SecretStoreError as exc:
            # The form still opens: the secret field stays empty and the reason is shown.
            self.show_result(exc.message(ui_language()), "fail")
            record = self.registry.get(account_id)
            return Draft(name=record.name, kind=record.kind, base_url=record.base_url, app_id=record.app_id,
                         merchant_no=record.merchant_no, sub_domain=record.sub_domain)

    def _add_item(self, key: str) -> None:
        item = QListWidgetItem()
        item.setData(ID_ROLE, key)
        self.list.addItem(item)
        self._label(item)

    def _label(self, item: QListWidgetItem) -> None:
        key = str(item.data(ID_ROLE))
        if key == PRACTICE_ID:
            text = self.tr("练习商店（练习模式）")
        else:
            entry = self.entries[key]
            name = entry.draft.name.strip() or self.tr("新账号")
            text = f"{name} · {entry.draft.kind.label(ui_language())}"
            if entry.saved is None:
                text += self.tr("（未保存）")
            elif entry.dirty:
                text += self.tr("（有修改）")
        if key == self.current_id:
            text = "● " + text + self.tr(" · 正在使用")
        item.setText(text)

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else None

    def _item(self, key: str) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE) == key:
                return self.list.item(i)
        return None

    def _selected(self) -> None:
        key = self.current_key()
        if key is None:
            return
        self._shown_key = None  # set_draft below is loading, not an edit of the previous account
        practice = key == PRACTICE_ID
        self.pages.setCurrentWidget(self.practice_text if practice else self.form)
        if not practice:
            self.form.set_draft(self.entries[key].draft)
        self._shown_key = key
        self._show_entry_result()
        self._update_buttons()

    def _edited(self) -> None:
        key = self._shown_key
        if key is None or key == PRACTICE_ID:
            return
        entry = self.entries[key]
        entry.draft = self.form.draft()
        entry.result = None  # a result is about what was tested, not about what is typed now
        self._show_entry_result()
        item = self._item(key)
        if item is not None:
            self._label(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        key = self.current_key()
        practice = key == PRACTICE_ID
        entry = self.entries.get(key or "")
        self.remove_button.setEnabled(not practice)
        self.test_button.setVisible(not practice)
        self.test_button.setEnabled(entry is not None and not entry.testing)
        self.save_button.setVisible(not practice)
        self.save_button.setEnabled(entry is not None and (entry.dirty or entry.saved is None))
        self.switch_button.setEnabled(key is not None and key != self.current_id
                                      and not (key or "").startswith(NEW_PREFIX))
        self.switch_button.setText(self.tr("切换到练习商店") if practice else self.tr("切换到此账号"))

    # ---- add, save, remove ------------------------------------------------------------------

    def add_account(self) -> None:
        self._new_count += 1
        key = f"{NEW_PREFIX}{self._new_count}"
        self.entries[key] = Entry(None, Draft())
        self._add_item(key)
        self.list.setCurrentRow(self.list.count() - 1)
        self.form.edits["name"].setFocus()

    def save(self) -> bool:
        """Check and store the shown account; on a problem, say it where it is and keep everything."""
        key = self.current_key()
        if key is None or key == PRACTICE_ID:
            return False
        entry = self.entries[key]
        others = [r for r in self.registry.records() if r.id != key]
        problems = validate(entry.draft, others)
        self.form.show_errors(problems)
        if problems:
            self.show_result(self.tr("请先改正标红的内容，再保存。"), "fail")
            return False
        try:
            if key.startswith(NEW_PREFIX):
                record = self.registry.add(entry.draft, self.secrets)
            else:
                record = self.registry.edit(key, entry.draft, self.secrets)
        except (AccountError, SecretStoreError, OSError) as exc:
            text = exc.message(ui_language()) if isinstance(exc, AccountError | SecretStoreError) else \
                self.tr("无法写入账号文件：{error}。请检查磁盘空间和文件夹权限后重试。").format(error=exc)
            self.show_result(text, "fail")
            return False
        entry.saved = entry.draft.cleaned()
        entry.draft = entry.saved
        self.entries.pop(key)
        self.entries[record.id] = entry
        self.reload(select=record.id)
        self.show_result(self.tr("已保存。"), "ok")
        return True

    def ask_remove(self) -> None:
        key = self.current_key()
        if key is None or key == PRACTICE_ID:
            return
        if key.startswith(NEW_PREFIX):
            self._drop(key)
            return
        if key == self.current_id:
            self.show_result(self.tr("正在使用这个账号，不能删除。请先切换到其他账号（或练习商店），再删除它。"), "fail")
            return
        name = self.entries[key].draft.name
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("删除账号"),
                          self.tr("删除账号“{name}”？它的密钥会从本机删除。\n\n"
                                  "本机还缓存着这个账号的订单等数据，要一并删除吗？\n"
                                  "保留的话，文件留在 {folder}，可以备份后再手动删除。")
                          .format(name=name, folder=self.registry.cache_path(key).parent), parent=self)
        whole = box.addButton(self.tr("删除账号和缓存"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("只删除账号"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            if clicked in (whole, keep):
                self.remove(key, delete_cache=clicked is whole)

        box.finished.connect(answered)
        self.remove_box = box
        box.open()  # never exec(): a nested loop would stall the qasync tasks

    def remove(self, key: str, *, delete_cache: bool) -> None:
        try:
            self.registry.remove(key, self.secrets, delete_cache=delete_cache)
        except (AccountError, SecretStoreError) as exc:
            self.show_result(exc.message(ui_language()), "fail")
            return
        self._drop(key)
        self.show_result(self.tr("账号已删除。"), "ok")

    def _drop(self, key: str) -> None:
        self.entries.pop(key, None)
        item = self._item(key)
        if item is not None:
            self.list.takeItem(self.list.row(item))

    # ---- test connection and switch -----------------------------------------------------------

    def test(self) -> None:
        key = self.current_key()
        if key is None or key == PRACTICE_ID:
            return
        entry = self.entries[key]
        # The name does not matter to a connection: only the fields that do are checked here.
        problems = [p for p in validate(entry.draft, []) if p.field != "name"]
        self.form.show_errors(problems)
        if problems:
            self.show_result(self.tr("请先改正标红的内容，再测试连接。"), "fail")
            return
        entry.testing = True
        entry.result = None
        self.show_result(self.tr("正在连接…"), "warn")
        self._update_buttons()
        tested = entry.draft

        async def run() -> ConnectionResult:
            try:
                return await self.tester(tested.account())
            finally:
                entry.testing = False

        def done(result: ConnectionResult) -> None:
            if entry.draft == tested:  # not edited meanwhile: the result is about what is shown
                entry.result = result
            if self.current_key() == self._key_of(entry):
                self._show_entry_result()
                self._update_buttons()

        self.test_task = run_task(run(), report=lambda text: self.show_result(text, "fail"), on_success=done)

    def _key_of(self, entry: Entry) -> str | None:
        return next((k for k, e in self.entries.items() if e is entry), None)

    def _show_entry_result(self) -> None:
        key = self.current_key()
        entry = self.entries.get(key or "")
        if entry is None or entry.result is None:
            if entry is not None and entry.testing:
                self.show_result(self.tr("正在连接…"), "warn")
            else:
                self.show_result("", "ok")
            return
        result = entry.result
        tone = "fail" if not result.ok else ("ok" if result.problem is Problem.NONE else "warn")
        self.show_result(("✔ " if result.ok else "✖ ") + result.message(ui_language()), tone)
        self.result.setToolTip(result.detail)

    def show_result(self, text: str, tone: str) -> None:
        self.result.setText(text)
        self.result.setToolTip("")
        self.result.setVisible(bool(text))
        style(self.result, RESULT_STYLES[tone])

    def switch(self) -> None:
        key = self.current_key()
        if key is None or key.startswith(NEW_PREFIX):
            return
        if key != PRACTICE_ID and self.entries[key].dirty:
            self.show_result(self.tr("这个账号有未保存的修改：请先保存，再切换。"), "fail")
            return
        log.info("switch to account %s requested", key)
        self.switch_requested.emit(key)

    def set_current(self, account_id: str) -> None:
        """The application switched: mark the account in use."""
        self.current_id = account_id
        for i in range(self.list.count()):
            self._label(self.list.item(i))
        self._update_buttons()

    # ---- closing ------------------------------------------------------------------------------

    def unsaved(self) -> list[str]:
        return [e.draft.name.strip() or self.tr("新账号") for e in self.entries.values() if e.dirty]

    def closeEvent(self, event: QCloseEvent) -> None:
        names = self.unsaved()
        if not names:
            event.accept()
            return
        event.ignore()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("有未保存的修改"),
                          self.tr("这些账号有未保存的修改：{names}。关闭后这些修改会丢失。").format(names="、".join(names)),
                          parent=self)
        discard = box.addButton(self.tr("放弃修改并关闭"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)

        def answered(_result: int) -> None:
            if box.clickedButton() is discard:
                for key in [k for k, e in self.entries.items() if e.dirty]:
                    entry = self.entries[key]
                    if entry.saved is None:
                        self._drop(key)
                    else:
                        entry.draft = entry.saved
                self.close()

        box.finished.connect(answered)
        self.close_box = box
        box.open()

    def reject(self) -> None:
        self.close()  # Esc goes through the same unsaved-changes question
