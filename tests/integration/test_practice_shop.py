"""The practice shop as the app starts it: a child process on a free loopback port."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from app.platform.account import PlatformKind
from app.services.practice import PracticeShop


def test_starts_serves_and_stops_with_its_state_kept(tmp_path: Path) -> None:
    data = tmp_path / "practice" / "shop.sqlite"
    shop = PracticeShop(data, orders=150, simulate=0)
    account = shop.start()
    try:
        assert account.practice and account.kind is PlatformKind.APIFM
        assert account.base_url.startswith("http://127.0.0.1:")
        info = httpx.get(f"{account.base_url}/__sandbox/info", timeout=10).json()
        assert info["orders"] == 150
    finally:
        shop.stop()
    assert shop.process is not None and shop.process.returncode == 0
    assert data.exists()  # practice work is kept between runs
    again = PracticeShop(data, orders=999, simulate=0, kind=PlatformKind.RUANMAO)
    account = again.start()
    try:
        assert account.app_id and account.app_secret
        assert httpx.get(f"{account.base_url}/__sandbox/info", timeout=10).json()["orders"] == 150
    finally:
        again.stop()


def test_cli_rejects_bad_chaos_with_a_clear_message() -> None:
    done = subprocess.run([sys.executable, "-m", "app.sandbox", "--chaos", "error=2"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "probability between 0 and 1" in done.stderr
    done = subprocess.run([sys.executable, "-m", "app.sandbox", "--chaos", "explode=0.1"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "unknown chaos setting" in done.stderr


def test_cli_on_a_busy_port_says_what_to_do() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "app.sandbox", "--port", str(port), "--orders", "50"],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port 0" in done.stderr
