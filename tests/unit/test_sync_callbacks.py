"""SyncService.run_forever tells its caller how each attempt went (the window's online state)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from app.platform.errors import OfflineError, PlatformError, UnsupportedError
from app.services.sync import SyncResult, SyncService
from app.store.database import Cache


@pytest.mark.asyncio
async def test_each_attempt_is_reported_once_success_or_postponed(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    platform: Any = SimpleNamespace(supports=lambda capability: True, server_now=datetime.now)
    cache = Cache(tmp_path / "cache.sqlite")
    service = SyncService(platform, cache)
    offline = OfflineError("connection refused")
    failures: dict[str, PlatformError] = {"refunds": offline, "vouchers": UnsupportedError()}

    async def sync(name: str) -> SyncResult:
        if name in failures:
            raise failures[name]
        return SyncResult(name, 0, 1, False)

    monkeypatch.setattr(service, "sync", sync)
    heard: list[tuple[str, Exception | None]] = []
    names = [r.name for r in service.resources()]
    task = asyncio.create_task(service.run_forever(tick=0.01, on_result=lambda n, e: heard.append((n, e))))
    try:
        while len(heard) < len(names) - 1:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # nothing is due again yet: no more reports
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        cache.close()
    # An unsupported resource is neither a success nor a postponement: it is not reported.
    assert heard == [(n, offline if n == "refunds" else None) for n in names if n != "vouchers"]
