"""Where account secrets (AppSecret, merchantKey) are kept: the OS keyring, or an encrypted file.

The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service on Linux) is
used whenever there is one. Where there is none (a Linux desktop without a keyring
daemon, a headless box), secrets go to ``secrets.enc`` in the data folder, encrypted with
Fernet under a random key kept next to it in ``secrets.key``; both files are 0600. That
protects against a copied data folder missing its key file and against a casual look, not
against someone who can read this user's files — which is what the UI's warning says.
A user passphrase was not chosen: it would have to be typed at every start, and staff
would pick a weak one.

Nothing here logs a secret; the log says only which backend is in use.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

import keyring
import keyring.errors
from cryptography.fernet import Fernet, InvalidToken
from keyring.backend import KeyringBackend

from app.paths import data_dir, write_private
from app.services.crash_report import register_secret

log = logging.getLogger(__name__)

SERVICE = "ShopDesk"
SECRETS_FILE = "secrets.enc"
KEY_FILE = "secrets.key"
FILE_FORMAT = 1


class Backend(StrEnum):
    KEYRING = "keyring"
    ENCRYPTED_FILE = "encrypted-file"


class SecretStoreError(Exception):
    """A secret could not be read or written; zh/en say what to do."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


def usable_keyring(backend: KeyringBackend) -> bool:
    """Whether the backend really stores secrets: the fail and null backends only pretend,
    and keyring gives them priority 0 or less."""
    try:
        return float(backend.priority) > 0  # type: ignore[arg-type]
    except Exception:  # a backend whose priority check raises is one that cannot work here
        return False


class SecretStore:
    """Secrets per account id, each a small mapping like ``{"app_secret": "..."}``."""

    def __init__(self, folder: Path | None = None, *, backend: KeyringBackend | None = None) -> None:
        self.folder = folder or data_dir()
        self._keyring = backend or keyring.get_keyring()
        self.backend = Backend.KEYRING if usable_keyring(self._keyring) else Backend.ENCRYPTED_FILE
        log.info("secrets are kept in %s (%s)", self.backend.value, type(self._keyring).__name__)

    @property
    def file_path(self) -> Path:
        return self.folder / SECRETS_FILE

    @property
    def key_path(self) -> Path:
        return self.folder / KEY_FILE

    def warning(self, lang: str = "zh") -> str | None:
        """What the UI must show when secrets are not in the OS keyring; None when they are."""
        if self.backend is Backend.KEYRING:
            return None
        if lang.startswith("zh"):
            return (f"本机没有可用的系统钥匙串，密钥已加密保存在 {self.file_path}，但解密用的密钥文件也在本机"
                    f"（{self.key_path}）。能读取您用户文件的人或程序也能读出这些密钥。"
                    "请不要在共用电脑上保存真实账号；安装并解锁系统钥匙串（如 GNOME Keyring）后重新保存账号即可改用钥匙串。")
        return (f"No system keyring is available: secrets are stored encrypted in {self.file_path}, but the key "
                f"that decrypts them is on this computer too ({self.key_path}). Anyone or anything that can read "
                "your user files can read these secrets. Do not save real accounts on a shared computer; install "
                "and unlock a system keyring (such as GNOME Keyring) and save the account again to move them there.")

    # ---- the public operations ----------------------------------------------------------

    def put(self, account_id: str, secrets: Mapping[str, str]) -> None:
        if self.backend is Backend.KEYRING:
            try:
                self._keyring.set_password(SERVICE, account_id, json.dumps(dict(secrets)))
            except keyring.errors.KeyringError as exc:
                raise SecretStoreError(
                    "无法把密钥保存到系统钥匙串（可能已锁定）。请解锁钥匙串后再保存。",
                    "Could not save the secret in the system keyring (it may be locked). Unlock it and save again.",
                ) from exc
            try:
                self._forget_in_file(account_id)  # saved again after a keyring appeared: it moved there
            except SecretStoreError:
                log.warning("an old secrets file could not be read; the keyring copy is the one used")
            return
        stored = self._read_file()
        stored[account_id] = dict(secrets)
        self._write_file(stored)

    def get(self, account_id: str) -> dict[str, str]:
        """The account's secrets; empty when none are stored. Each one read is kept out of
        crash reports from then on."""
        found = self._get(account_id)
        for value in found.values():
            register_secret(value)
        return found

    def _get(self, account_id: str) -> dict[str, str]:
        if self.backend is Backend.KEYRING:
            try:
                raw = self._keyring.get_password(SERVICE, account_id)
            except keyring.errors.KeyringError as exc:
                raise SecretStoreError(
                    "无法从系统钥匙串读取密钥（可能已锁定）。请解锁钥匙串后重试。",
                    "Could not read the secret from the system keyring (it may be locked). Unlock it and try again.",
                ) from exc
            if raw is not None:
                return _decode_entry(raw)
        # Also looked up with a keyring: secrets saved before the keyring was set up live here.
        return dict(self._read_file().get(account_id, {})) if self.file_path.exists() else {}

    def delete(self, account_id: str) -> None:
        if self.backend is Backend.KEYRING:
            try:
                self._keyring.delete_password(SERVICE, account_id)
            except keyring.errors.PasswordDeleteError:
                pass  # nothing stored: the goal is reached
            except keyring.errors.KeyringError as exc:
                raise SecretStoreError(
                    "无法从系统钥匙串删除密钥（可能已锁定）。请解锁钥匙串后重试。",
                    "Could not delete the secret from the system keyring (it may be locked). Unlock it and try again.",
                ) from exc
        self._forget_in_file(account_id)

    # ---- the encrypted file ---------------------------------------------------------------

    def _fernet(self, create: bool) -> Fernet | None:
        if not self.key_path.exists():
            if not create:
                return None
            self.folder.mkdir(parents=True, exist_ok=True)
            write_private(self.key_path, Fernet.generate_key())
        return Fernet(self.key_path.read_bytes().strip())

    def _read_file(self) -> dict[str, dict[str, str]]:
        if not self.file_path.exists():
            return {}
        fernet = self._fernet(create=False)
        try:
            if fernet is None:
                raise InvalidToken
            data = json.loads(fernet.decrypt(self.file_path.read_bytes()))
        except (InvalidToken, ValueError) as exc:
            raise SecretStoreError(
                f"密钥文件 {self.file_path} 无法解密（密钥文件 {self.key_path} 丢失或不匹配）。"
                "请删除这两个文件，然后在账号设置中重新填写各账号的密钥。",
                f"The secrets file {self.file_path} cannot be decrypted (its key file {self.key_path} is missing or "
                "does not match). Delete both files, then enter each account's secret again in the account settings.",
            ) from exc
        if not isinstance(data, dict) or data.get("version") != FILE_FORMAT:
            raise SecretStoreError(
                f"密钥文件 {self.file_path} 来自不兼容的 ShopDesk 版本。请升级 ShopDesk，或删除该文件后重新填写密钥。",
                f"The secrets file {self.file_path} is from an incompatible ShopDesk version. Upgrade ShopDesk, or "
                "delete the file and enter the secrets again.",
            )
        return {str(k): {str(f): str(v) for f, v in entry.items()} for k, entry in data["accounts"].items()}

    def _write_file(self, stored: dict[str, dict[str, str]]) -> None:
        fernet = self._fernet(create=True)
        assert fernet is not None
        plain = json.dumps({"version": FILE_FORMAT, "accounts": stored}).encode("utf-8")
        write_private(self.file_path, fernet.encrypt(plain))

    def _forget_in_file(self, account_id: str) -> None:
        if not self.file_path.exists():
            return
        stored = self._read_file()
        if stored.pop(account_id, None) is not None:
            self._write_file(stored)


def _decode_entry(raw: str) -> dict[str, str]:
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise SecretStoreError(
            "系统钥匙串中 ShopDesk 的这一项不是 ShopDesk 写入的格式。请在账号设置中重新填写该账号的密钥。",
            "The keyring entry for this ShopDesk account is not in the format ShopDesk writes. Enter the account's "
            "secret again in the account settings.",
        )
    return {str(k): str(v) for k, v in value.items()}
