"""Fixtures every test shares: the practice platform on loopback and accounts for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from app.platform.account import Account, PlatformKind
from app.sandbox import credentials
from app.sandbox.server import SandboxConfig, SandboxServer

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _start(tmp: Path, **overrides: object) -> SandboxServer:
    config = SandboxConfig(data=tmp / "sandbox.sqlite", orders=int(overrides.pop("orders", 400)), **overrides)  # type: ignore[arg-type]
    server = SandboxServer(config)
    server.start()
    return server


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A practice shop shared by a module's read-only tests (400 orders, seed 7)."""
    server = _start(tmp_path_factory.mktemp("sandbox"))
    yield server
    server.stop()


@pytest.fixture
def fresh_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """A practice shop of its own, for a test that changes state."""
    server = _start(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[object]:
    """Start a shop with other settings (chaos, size): ``make_sandbox(chaos="error=0.2")``."""
    started: list[SandboxServer] = []

    def make(**overrides: object) -> SandboxServer:
        server = _start(tmp_path / f"s{len(started)}", **overrides)
        started.append(server)
        return server

    (tmp_path / "s0").mkdir(exist_ok=True)
    for i in range(1, 6):
        (tmp_path / f"s{i}").mkdir(exist_ok=True)
    yield make
    for server in started:
        server.stop()


def apifm_account(server: SandboxServer) -> Account:
    return Account(kind=PlatformKind.APIFM, base_url=server.base_url, merchant_no=credentials.APIFM_MERCHANT_NO,
                   merchant_key=credentials.APIFM_MERCHANT_KEY, sub_domain=credentials.APIFM_SUB_DOMAIN,
                   practice=True)


def ruanmao_account(server: SandboxServer) -> Account:
    return Account(kind=PlatformKind.RUANMAO, base_url=server.base_url, app_id=credentials.RUANMAO_APP_ID,
                   app_secret=credentials.RUANMAO_APP_SECRET, practice=True)
