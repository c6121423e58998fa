"""The API工厂 (apifm) adapter: the merchant admin API behind ``app.platform.api.Platform``."""

from __future__ import annotations

from typing import Any

import httpx

from app.platform.account import Account
from app.platform.api import Capability, Platform
from app.platform.apifm.auth import ApifmAuth
from app.platform.apifm.client import Client
from app.platform.apifm.cms import ApifmCms
from app.platform.apifm.couriers import ApifmCouriers
from app.platform.apifm.orders import ApifmOrders
from app.platform.apifm.refunds import ApifmRefunds
from app.platform.apifm.users import ApifmUsers
from app.platform.apifm.vouchers import ApifmVouchers
from app.platform.apifm.wallet import ApifmWallet
from app.platform.transport import Transport

CAPABILITIES = frozenset({
    Capability.COUPONS, Capability.ARTICLES, Capability.NOTICES, Capability.BANNERS, Capability.PARTIAL_SHIPMENT,
    Capability.SHIP_WITHOUT_TRACKING, Capability.OFFLINE_PICKUP, Capability.CHANGE_RECEIVER,
})


class ApifmPlatform(Platform):
    name = "apifm"
    capabilities = CAPABILITIES

    def __init__(self, account: Account, transport: httpx.AsyncBaseTransport | None = None, **options: Any) -> None:
        self.account = account
        self.auth = ApifmAuth(account.base_url, account.merchant_no, account.merchant_key)
        self.transport = Transport(account.base_url, auth=self.auth, transport=transport, **options)
        self._client = Client(self.transport)
        self.orders = ApifmOrders(self._client)
        self.refunds = ApifmRefunds(self._client)
        self.users = ApifmUsers(self._client)
        self.wallet = ApifmWallet(self._client)
        self.vouchers = ApifmVouchers(self._client)
        self.cms = ApifmCms(self._client)
        self.couriers = ApifmCouriers(self._client)

    @property
    def skipped(self) -> int:
        """List rows dropped because they could not be read (each one is logged)."""
        return self._client.rows.skipped

    async def login(self) -> None:
        self.auth.token = None
        await self._client.get("/user/checkToken")

    async def aclose(self) -> None:
        await self.transport.aclose()
