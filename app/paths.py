"""Where ShopDesk keeps its files on this computer."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """Per-user data folder; SHOPDESK_HOME moves it (tests, portable installs)."""
    override = os.environ.get("SHOPDESK_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir("ShopDesk", "ShopDesk"))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write a file only this user may read, atomically (a crash leaves the old one whole)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
