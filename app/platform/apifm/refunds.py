"""After-sale applications: listed under /user/order/refundApply, decided on the order."""

from __future__ import annotations

from app.domain.enums import RefundStatus
from app.domain.models import ListQuery, Page, Refund
from app.platform.api import RefundsApi
from app.platform.apifm import mapping
from app.platform.apifm.client import Client, list_params
from app.platform.errors import ProtocolError


class ApifmRefunds(RefundsApi):
    def __init__(self, client: Client) -> None:
        self._c = client

    async def list(self, query: ListQuery) -> Page[Refund]:
        data = await self._c.query("/user/order/refundApply/list",
                                   list_params(query, uid="uid", status="status", order_id="orderId"))
        return self._c.rows.page(data, mapping.refund, "refund application", query.page, query.page_size)

    async def get(self, refund_id: int) -> Refund:
        data = await self._c.get("/user/order/refundApply/info", {"id": refund_id})
        try:
            return mapping.refund(data)
        except mapping.ROW_ERRORS as exc:
            raise ProtocolError(f"refund {refund_id}: {type(exc).__name__}: {exc}") from exc

    async def _decide(self, path: str, refund: Refund, done: tuple[RefundStatus, ...], **extra: str) -> None:
        async def verify() -> bool:
            return (await self.get(refund.id)).status in done

        await self._c.write(path, {"id": refund.order_id, "applyId": refund.id, **extra}, verify)

    async def accept(self, refund: Refund) -> None:
        await self._decide("/user/apiExtOrder/refuseing", refund, (RefundStatus.PROCESSING, RefundStatus.DONE))

    async def refuse(self, refund: Refund, reason: str) -> None:
        await self._decide("/user/apiExtOrder/refuse", refund, (RefundStatus.REFUSED,), reason=reason)

    async def complete(self, refund: Refund) -> None:
        await self._decide("/user/apiExtOrder/refuseSuccess", refund, (RefundStatus.DONE,))
