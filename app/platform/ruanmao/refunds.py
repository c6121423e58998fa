"""软猫引擎 after-sale applications (退款 / 退货退款 / 换货): list, detail and decisions."""

from __future__ import annotations

from app.domain.enums import RefundStatus
from app.domain.models import ListQuery, Page, Refund
from app.platform.api import RefundsApi
from app.platform.ruanmao import mapping
from app.platform.ruanmao.base import Area, paging, when


class RuanmaoRefunds(Area, RefundsApi):
    async def list(self, query: ListQuery) -> Page[Refund]:
        params = paging(query)
        data = await self._calls.read(
            "refund.list", **params, uid=query.uid, status=query.status, orderId=query.order_id,
            type=query.extra.get("type"), dateUpdateBegin=when(query.updated_from),
            dateAddBegin=when(query.created_from), dateAddEnd=when(query.created_to))
        return self._page(data, mapping.refund, params["page"], params["pageSize"], "refund")

    async def get(self, refund_id: int) -> Refund:
        return self._one(await self._calls.read("refund.detail", id=refund_id), mapping.refund, "refund")

    async def _status_in(self, refund_id: int, *statuses: RefundStatus) -> bool:
        return (await self.get(refund_id)).status in statuses

    async def accept(self, refund: Refund) -> None:
        await self._calls.write("refund.agree", {"id": refund.id}, lambda: self._status_in(
            refund.id, RefundStatus.PROCESSING, RefundStatus.DONE))

    async def refuse(self, refund: Refund, reason: str) -> None:
        await self._calls.write("refund.refuse", {"id": refund.id, "reason": reason},
                                lambda: self._status_in(refund.id, RefundStatus.REFUSED))

    async def complete(self, refund: Refund) -> None:
        await self._calls.write("refund.complete", {"id": refund.id},
                                lambda: self._status_in(refund.id, RefundStatus.DONE))
