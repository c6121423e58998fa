"""Opening and closing an account's session: its own cache, its title, nothing left running."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.platform.account import PlatformKind
from app.sandbox import credentials
from app.sandbox.server import SandboxServer
from app.services.accounts import PRACTICE_ID, AccountRegistry, Draft, account_for
from app.services.practice import PracticeShop, PracticeShopError
from app.services.secrets import SecretStore
from app.store import orders as store_orders
from app.store.database import Cache
from app.ui.application import SessionError
from app.ui.desk import open_session
from tests.ui.test_shell import ROOT, _cmdline
from tests.unit.test_secrets import MemoryKeyring
from tests.unit.test_store import make_bundle


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "home"))


def test_a_real_account_opens_on_its_own_cache_and_closes_cleanly(qtbot: QtBot, loop: qasync.QEventLoop,
                                                                  sandbox: SandboxServer, tmp_path: Path) -> None:
    registry, secrets = AccountRegistry(tmp_path / "home"), SecretStore(tmp_path / "home", backend=MemoryKeyring())
    record = registry.add(Draft(name="旗舰店", kind=PlatformKind.RUANMAO, base_url=sandbox.base_url,
                                app_id=credentials.RUANMAO_APP_ID, app_secret=credentials.RUANMAO_APP_SECRET),
                          secrets)
    account = account_for(registry, secrets, record.id)
    session = open_session(argparse.Namespace(platform="apifm"), registry, record.id, account)
    try:
        assert session.cache.path == registry.cache_path(record.id)
        assert session.cache.path.parent.name == record.id  # not the practice shop's cache
        assert "旗舰店" in session.window.windowTitle() and "练习模式" not in session.window.windowTitle()
        assert session.shop is None and session.desk is None  # the window comes first
        loop.run_until_complete(session.connect())
        assert session.desk is not None
        loop.run_until_complete(session.desk.service.sync("orders"))
        assert session.cache.read.execute("SELECT COUNT(*) FROM orders").fetchone()[0] > 0
    finally:
        loop.run_until_complete(session.close())
    assert session.desk.task is not None and session.desk.task.done()
    assert session.window.isHidden()


@pytest.mark.skipif(sys.platform != "linux", reason="looks for a leftover practice shop in /proc")
def test_switching_from_a_real_account_to_the_practice_shop(sandbox: SandboxServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    registry, secrets = AccountRegistry(home), SecretStore(home)  # no keyring here: the secrets file
    record = registry.add(Draft(name="旗舰店", kind=PlatformKind.RUANMAO, base_url=sandbox.base_url,
                                app_id=credentials.RUANMAO_APP_ID, app_secret=credentials.RUANMAO_APP_SECRET),
                          secrets)
    registry.set_current(record.id)
    env = {**os.environ, "SHOPDESK_HOME": str(home), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "tests.ui.switch_child"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"first account: {record.id}" in done.stdout  # it started on the real account
    assert registry.cache_path(record.id).exists()
    assert AccountRegistry(home).current == PRACTICE_ID  # and the switch is remembered
    practice_cache = registry.cache_path(PRACTICE_ID)
    with sqlite3.connect(practice_cache) as conn:
        assert conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] > 0  # the practice shop synced
    leftovers = [p for p in Path("/proc").glob("[0-9]*") if str(tmp_path) in _cmdline(p)]
    assert leftovers == []


def test_the_window_shows_the_cache_when_the_practice_shop_does_not_start(
        qtbot: QtBot, loop: qasync.QEventLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = AccountRegistry(tmp_path / "home")
    cache = Cache(registry.cache_path(PRACTICE_ID))
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [make_bundle(i) for i in range(1, 4)]))
    cache.close()

    def broken(self: PracticeShop) -> object:
        raise PracticeShopError("练习商店没有启动：端口被占用。请关闭其他 ShopDesk 后重试。")

    monkeypatch.setattr(PracticeShop, "start", broken)
    session = open_session(argparse.Namespace(platform="apifm"), registry, PRACTICE_ID, None)
    try:
        session.window.show()
        qtbot.waitUntil(lambda: session.window.orders_panel.model.rowCount() == 3)  # before any platform
        with pytest.raises(SessionError):
            loop.run_until_complete(session.connect())
        assert session.window.banner.isVisible() and "端口被占用" in session.window.banner.reason.text()
        assert session.desk is None
    finally:
        loop.run_until_complete(session.close())


def test_an_account_whose_secret_is_gone_keeps_its_cache_on_screen(qtbot: QtBot, loop: qasync.QEventLoop,
                                                                    tmp_path: Path) -> None:
    registry, secrets = AccountRegistry(tmp_path / "home"), SecretStore(tmp_path / "home", backend=MemoryKeyring())
    record = registry.add(Draft(name="旗舰店", kind=PlatformKind.RUANMAO, base_url="https://open.example.com",
                                app_id="rm_app", app_secret="app-secret-value"), secrets)
    cache = Cache(registry.cache_path(record.id))
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [make_bundle(i) for i in range(1, 4)]))
    cache.close()
    secrets.delete(record.id)  # the keyring was reset, say
    session = open_session(argparse.Namespace(platform="apifm"), registry, record.id, None, secrets)
    try:
        session.window.show()
        qtbot.waitUntil(lambda: session.window.orders_panel.model.rowCount() == 3)
        with pytest.raises(SessionError):
            loop.run_until_complete(session.connect())
        assert session.window.banner.isVisible() and "重新填写" in session.window.banner.reason.text()
        assert "旗舰店" in session.window.windowTitle()
    finally:
        loop.run_until_complete(session.close())
