"""SecretStore: the OS keyring when there is one, an encrypted 0600 file when there is none."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from app.services.secrets import SERVICE, Backend, SecretStore, SecretStoreError

SECRET = "as-Hc4Wm8Kt2Qv6Lp9Xn3Rj7Fb5Dz1Yg0Ts"


class MemoryKeyring(KeyringBackend):
    """A keyring that works, kept in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_os_keyring_is_used_when_there_is_one(memory_keyring: MemoryKeyring, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = SecretStore(tmp_path)
    assert store.backend is Backend.KEYRING and store.warning() is None
    store.put("a1", {"app_secret": SECRET})
    assert store.get("a1") == {"app_secret": SECRET}
    assert SECRET in memory_keyring.items[(SERVICE, "a1")]
    assert list(tmp_path.iterdir()) == []  # nothing on disk
    store.delete("a1")
    assert store.get("a1") == {} and memory_keyring.items == {}
    store.delete("a1")  # deleting twice is no error
    assert SECRET not in caplog.text


@pytest.mark.parametrize("backend", [null.Keyring(), fail.Keyring()])
def test_without_a_keyring_secrets_go_to_an_encrypted_private_file(tmp_path: Path, backend: KeyringBackend,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = SecretStore(tmp_path, backend=backend)
    assert store.backend is Backend.ENCRYPTED_FILE
    store.put("a1", {"merchant_key": SECRET})
    store.put("a2", {"app_secret": "other-secret-value"})
    assert store.file_path.exists() and store.key_path.exists()
    assert mode(store.file_path) == 0o600 and mode(store.key_path) == 0o600
    assert SECRET.encode() not in store.file_path.read_bytes()
    assert b"merchant_key" not in store.file_path.read_bytes()
    # A new store (the next start) reads them back with the key file.
    again = SecretStore(tmp_path, backend=backend)
    assert again.get("a1") == {"merchant_key": SECRET}
    again.delete("a1")
    assert again.get("a1") == {} and again.get("a2") == {"app_secret": "other-secret-value"}
    assert SECRET not in caplog.text


def test_the_file_fallback_shows_a_warning_that_says_what_it_means(tmp_path: Path) -> None:
    store = SecretStore(tmp_path, backend=null.Keyring())
    zh, en = store.warning("zh"), store.warning("en")
    assert zh is not None and "系统钥匙串" in zh and str(store.file_path) in zh and "共用电脑" in zh
    assert en is not None and "keyring" in en and "shared computer" in en


def test_a_lost_key_file_is_a_clear_error_not_garbage(tmp_path: Path) -> None:
    store = SecretStore(tmp_path, backend=null.Keyring())
    store.put("a1", {"merchant_key": SECRET})
    store.key_path.unlink()
    with pytest.raises(SecretStoreError) as info:
        store.get("a1")
    assert "无法解密" in info.value.message("zh") and "Delete both files" in info.value.message("en")


def test_secrets_saved_before_a_keyring_existed_are_found_and_moved_there(tmp_path: Path,
                                                                          memory_keyring: MemoryKeyring) -> None:
    SecretStore(tmp_path, backend=null.Keyring()).put("a1", {"app_secret": SECRET})
    store = SecretStore(tmp_path)
    assert store.backend is Backend.KEYRING
    assert store.get("a1") == {"app_secret": SECRET}  # still readable from the file
    store.put("a1", {"app_secret": SECRET})
    assert (SERVICE, "a1") in memory_keyring.items
    assert SecretStore(tmp_path, backend=null.Keyring()).get("a1") == {}  # gone from the file


def test_a_locked_keyring_is_reported_with_what_to_do(tmp_path: Path) -> None:
    store = SecretStore(tmp_path, backend=LockedKeyring())
    with pytest.raises(SecretStoreError) as info:
        store.put("a1", {"app_secret": SECRET})
    assert "解锁" in info.value.message("zh")
    assert not (tmp_path / "secrets.enc").exists()  # never silently written elsewhere


def test_a_secret_read_is_kept_out_of_crash_reports(tmp_path: Path) -> None:
    from app.services.crash_report import redact

    store = SecretStore(tmp_path, backend=MemoryKeyring())
    store.put("acct-9", {"app_secret": "appsecret-for-redaction-test"})
    assert store.get("acct-9")["app_secret"] == "appsecret-for-redaction-test"
    assert "appsecret-for-redaction-test" not in redact("failed: appsecret-for-redaction-test")
