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
