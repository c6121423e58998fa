"""The practice shop: the sandbox started as a child process on a free loopback port.

A child process rather than a thread so that the practice platform's work (seeding,
simulated customers, serving pages) never competes with the UI for the GIL, and so that
it is stopped with the app: it exits when its stdin closes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.platform.account import Account, PlatformKind


class PracticeShopError(RuntimeError):
    """The practice platform did not start; the message says why and what to do."""


@dataclass
class PracticeShop:
    data_file: Path
    kind: PlatformKind = PlatformKind.APIFM
    simulate: float = 0.2
    orders: int = 2000
    chaos: str = ""  # fault injection, for benchmarks and demos of bad networks
    process: subprocess.Popen[str] | None = None
    account: Account | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def command(self) -> list[str]:
        args = ["--port", "0", "--ready-json", "--data", str(self.data_file), "--orders", str(self.orders),
                "--simulate", str(self.simulate), *(["--chaos", self.chaos] if self.chaos else [])]
        if getattr(sys, "frozen", False):  # a PyInstaller build runs its own executable in sandbox mode
            return [sys.executable, "--sandbox", *args]
        return [sys.executable, "-m", "app.sandbox", *args]

    def start(self, timeout: float = 120.0) -> Account:
        self.data_file.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(self.command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, encoding="utf-8")
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        if not line or not line[0].strip():
            self.stop()
            err = self.process.stderr.read() if self.process.stderr else ""
            raise PracticeShopError(
                "练习商店没有启动。请重启 ShopDesk；若仍失败，请删除练习数据文件 "
                f"{self.data_file} 后重试。/ The practice shop did not start. Restart ShopDesk; if it still "
                f"fails, delete {self.data_file} and try again.\n{err[-2000:]}")
        self.info = json.loads(line[0])
        self.account = self.account_for(self.kind)
        return self.account

    def account_for(self, kind: PlatformKind) -> Account:
        """The practice shop through either dialect (both serve the same state)."""
        info = self.info
        if kind is PlatformKind.APIFM:
            return Account(kind=kind, base_url=info["baseUrl"], name="练习商店", merchant_no=info["apifm"]["merchantNo"],
                           merchant_key=info["apifm"]["merchantKey"], sub_domain=info["apifm"]["subDomain"],
                           practice=True)
        return Account(kind=kind, base_url=info["baseUrl"], name="练习商店", app_id=info["ruanmao"]["appId"],
                       app_secret=info["ruanmao"]["appSecret"], practice=True)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            if self.process.stdin:
                self.process.stdin.close()  # the sandbox stops when its stdin closes
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
