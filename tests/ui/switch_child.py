"""Run the app with its accounts dialog answering "switch to the practice shop" as soon as
the first window opens (test_sessions.py starts this in a process of its own)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer

from app.ui import application
from app.ui.accounts import dialog
from app.ui.accounts.dialog import AccountsDialog
from app.ui.shell.main_window import MainWindow

opened: list[str] = []


class SwitchingDialog(AccountsDialog):
    def show(self) -> None:
        super().show()
        if not opened:
            opened.append(self.current_id)
            QTimer.singleShot(0, lambda: self.switch_requested.emit("practice"))


attach = MainWindow.set_open_accounts


def set_open_accounts(self: MainWindow, open_accounts: object) -> None:
    attach(self, open_accounts)  # type: ignore[arg-type]
    if not opened:
        QTimer.singleShot(0, self.open_accounts)


MainWindow.set_open_accounts = set_open_accounts  # type: ignore[method-assign]
dialog.AccountsDialog = SwitchingDialog  # type: ignore[misc]
code = application.run(["--quit-after-load"])
print("first account:", opened[0] if opened else "-")
sys.exit(code)
