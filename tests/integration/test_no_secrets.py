"""No AppSecret, merchantKey or token ever reaches the cache file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.platform.account import Account, PlatformKind
from app.platform.connect import connect
from app.sandbox import credentials
from app.sandbox.server import SandboxServer
from app.services.outbox import OutboxService
from app.services.sync import SyncService
from app.store.database import Cache

# Distinctive, so that a hit cannot be a coincidence.
MERCHANT_KEY = "mk-Zq7XvP3nT9wL2sKd8fJ4hR6yB1cM5gN0"
APP_SECRET = "as-Hc4Wm8Kt2Qv6Lp9Xn3Rj7Fb5Dz1Yg0Ts"


def accounts(server: SandboxServer) -> list[Account]:
    return [
        Account(kind=PlatformKind.APIFM, base_url=server.base_url, merchant_no=credentials.APIFM_MERCHANT_NO,
                merchant_key=MERCHANT_KEY, sub_domain=credentials.APIFM_SUB_DOMAIN, practice=True),
        Account(kind=PlatformKind.RUANMAO, base_url=server.base_url, app_id=credentials.RUANMAO_APP_ID,
                app_secret=APP_SECRET, practice=True),
    ]


def cache_bytes(folder: Path) -> dict[str, bytes]:
    """Every file the cache left in its folder: the database, its WAL and shm, any backup."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.asyncio
async def test_the_cache_holds_no_secret_and_no_token(make_sandbox: Callable[..., SandboxServer],
                                                      tmp_path: Path) -> None:
    server = make_sandbox(orders=300, apifm_merchant_key=MERCHANT_KEY, ruanmao_app_secret=APP_SECRET)
    conn = server.state.conn
    shippable = [r[0] for r in conn.execute(
        "SELECT id FROM orders o WHERE status = 1 AND is_need_logistics = 1 AND refund_status = 0"
        " AND NOT EXISTS (SELECT 1 FROM refund_applies a WHERE a.order_id = o.id AND a.status IN (0, 3))"
        " ORDER BY id LIMIT 2")]
    secrets: dict[str, str] = {"merchantKey": MERCHANT_KEY, "AppSecret": APP_SECRET}
    folders = []
    for account, order_id in zip(accounts(server), shippable, strict=True):
        folder = tmp_path / account.kind.value
        cache = Cache(folder / "cache.sqlite")
        folders.append(folder)
        async with connect(account) as platform:
            sync = SyncService(platform, cache, page_size=100)
            await sync.sync_all()
            outbox = OutboxService(platform, cache, operator="店长", account=account.kind.value,
                                   refresh_order=sync.refresh_order)
            for action, params in (("order.remark", {"order_id": order_id, "remark": "核对过地址"}),
                                   ("order.ship", {"order_id": order_id, "courier_id": 1,
                                                   "tracking_number": f"SF{9100000000000 + order_id}"})):
                assert (await outbox.submit(action, params)).state == "done"
            await sync.sync("orders")
            token = platform.auth.token  # type: ignore[attr-defined]
            assert token, "the client never signed in"
            secrets[f"{account.kind.value} token"] = token
        # Checked with the cache still open, so what sits in the WAL is read too.
        files = cache_bytes(folder)
        assert any(name.endswith("-wal") for name in files)
        assert b"\xe6\xa0\xb8\xe5\xaf\xb9\xe8\xbf\x87\xe5\x9c\xb0\xe5\x9d\x80" in b"".join(files.values())  # 核对过地址
        cache.close()
    # Every token the platform handed out, not only the ones the clients still hold.
    for token, dialect in conn.execute("SELECT token, dialect FROM admin_tokens"):
        secrets[f"{dialect} token {token[:6]}"] = token
    assert len(secrets) >= 4

    for folder in folders:
        for name, data in cache_bytes(folder).items():
            for what, secret in secrets.items():
                for form in {secret.encode(), secret.encode("utf-16-le")}:
                    assert form not in data, f"{what} found in {folder.name}/{name}"
