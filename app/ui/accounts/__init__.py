"""Accounts: the practice shop and real shop accounts, their secrets and the connection test."""

from app.ui.accounts.dialog import AccountsDialog

__all__ = ["AccountsDialog"]
