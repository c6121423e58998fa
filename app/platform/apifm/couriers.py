"""Courier companies (/user/apiExtOrder/expressCompanies)."""

from __future__ import annotations

from app.domain.models import Courier, FreightRule
from app.platform.api import CouriersApi
from app.platform.apifm import mapping
from app.platform.apifm.client import Client
from app.platform.errors import UnsupportedError


class ApifmCouriers(CouriersApi):
    def __init__(self, client: Client) -> None:
        self._c = client

    async def list(self) -> list[Courier]:
        data = await self._c.get("/user/apiExtOrder/expressCompanies", empty_ok=True)
        if isinstance(data, dict):  # tolerate the paged shape as well as the bare list
            data = data.get("result")
        return self._c.rows.map(data, mapping.courier, "courier")

    async def freight_rules(self) -> list[FreightRule]:
        raise UnsupportedError("API工厂's admin API has no freight-rule endpoint ShopDesk uses")
