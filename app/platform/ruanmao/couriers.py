"""软猫引擎 couriers (快递公司) and freight rules (快递计费规则)."""

from __future__ import annotations

from app.domain.models import Courier, FreightRule
from app.platform.api import CouriersApi
from app.platform.ruanmao import mapping
from app.platform.ruanmao.base import Area


class RuanmaoCouriers(Area, CouriersApi):
    async def list(self) -> list[Courier]:
        return self._rows(await self._calls.read("courier.list"), mapping.courier, "courier")

    async def freight_rules(self) -> list[FreightRule]:
        return self._rows(await self._calls.read("courier.freight_rules"), mapping.freight_rule, "freight rule")
