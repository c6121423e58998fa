"""The 软猫引擎 open-platform adapter: ``RuanmaoPlatform`` over one signed transport.

Layout: ``routes`` (the one path table, shared with the practice platform), ``auth``
(signing and the AccessToken as an httpx.Auth), ``envelope`` (verify and decode answers),
``mapping`` (wire -> domain), and one module per area.
"""

from __future__ import annotations

from typing import Any

import httpx

from app.platform.account import Account, PlatformKind
from app.platform.api import Capability, Platform
from app.platform.ruanmao.auth import RuanmaoAuth
from app.platform.ruanmao.base import Calls
from app.platform.ruanmao.cms import RuanmaoCms
from app.platform.ruanmao.couriers import RuanmaoCouriers
from app.platform.ruanmao.envelope import decode
from app.platform.ruanmao.orders import RuanmaoOrders
from app.platform.ruanmao.refunds import RuanmaoRefunds
from app.platform.ruanmao.routes import ACCESS_TOKEN
from app.platform.ruanmao.users import RuanmaoUsers
from app.platform.ruanmao.vouchers import RuanmaoVouchers
from app.platform.ruanmao.wallet import RuanmaoWallet
from app.platform.transport import Transport

CAPABILITIES = frozenset({
    Capability.VOUCHERS, Capability.TOKENS, Capability.FROZEN_LOG, Capability.INFO_BOARD,
    Capability.FREIGHT_RULES, Capability.SHIP_WITHOUT_TRACKING, Capability.PARTIAL_SHIPMENT,
    Capability.OFFLINE_PICKUP, Capability.CHANGE_RECEIVER, Capability.USER_STATS, Capability.WITHDRAWAL_STATS,
})
TRANSPORT_OPTIONS = ("timeout", "max_in_flight", "retries", "backoff")


class RuanmaoPlatform(Platform):
    name = "ruanmao"
    capabilities = CAPABILITIES

    def __init__(self, account: Account, transport: httpx.AsyncBaseTransport | None = None, **options: Any) -> None:
        if account.kind is not PlatformKind.RUANMAO:
            raise ValueError("not a 软猫引擎 account")
        if not account.app_id or not account.app_secret:
            raise ValueError("a 软猫引擎 account needs its AppId and AppSecret")
        unknown = set(options) - {*TRANSPORT_OPTIONS, "sign_type"}
        if unknown:
            raise TypeError(f"unknown options: {sorted(unknown)}")
        self.account = account
        self.auth = RuanmaoAuth(account.app_id, account.app_secret, account.base_url,
                                sign_type=str(options.get("sign_type", "HMAC-SHA256")))
        self.transport = Transport(account.base_url, auth=self.auth, transport=transport,
                                   **{k: options[k] for k in TRANSPORT_OPTIONS if k in options})
        # The signer stamps requests with the server's time as the transport learns it.
        self.auth.clock = self.transport.clock
        calls = Calls(self.transport, account.app_secret)
        self._calls = calls
        self.orders = RuanmaoOrders(calls)
        self.refunds = RuanmaoRefunds(calls)
        self.users = RuanmaoUsers(calls)
        self.wallet = RuanmaoWallet(calls)
        self.vouchers = RuanmaoVouchers(calls)
        self.cms = RuanmaoCms(calls)
        self.couriers = RuanmaoCouriers(calls)

    @property
    def skipped(self) -> int:
        """List rows left out across all areas because they could not be read."""
        return sum(area.skipped for area in (self.orders, self.refunds, self.users, self.wallet, self.vouchers,
                                             self.cms, self.couriers))

    async def login(self) -> None:
        # A call to the token path makes the auth flow fetch a new AccessToken now.
        await self.transport.call("POST", ACCESS_TOKEN, lambda r: decode(r, self.account.app_secret),
                                  idempotent=True, json={})

    async def aclose(self) -> None:
        await self.transport.aclose()


__all__ = ["CAPABILITIES", "RuanmaoPlatform"]
