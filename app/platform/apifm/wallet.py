"""Balances, balance and points logs, staff adjustments, withdrawals."""

from __future__ import annotations

from decimal import Decimal

from app.domain.enums import LedgerKind, WithdrawalStatus
from app.domain.models import Assets, LedgerEntry, ListQuery, Page, Withdrawal, WithdrawalStats
from app.domain.money import money_str
from app.platform.api import WalletApi
from app.platform.apifm import mapping
from app.platform.apifm.client import Client, list_params
from app.platform.errors import InvalidInputError, NotFoundError, ProtocolError, UnsupportedError

# API工厂 keeps a balance log and a points log; frozen balance and tokens have no log of their own.
LOGS = {
    LedgerKind.BALANCE: ("/user/apiExtUserCashLog/list", mapping.cash_entry),
    LedgerKind.POINTS: ("/user/apiExtUserScoreLog/list", mapping.score_entry),
}


class ApifmWallet(WalletApi):
    def __init__(self, client: Client) -> None:
        self._c = client

    async def assets(self, uid: int) -> Assets:
        data = await self._c.query("/user/apiExtUserCash/list", {"uid": uid, "page": 1, "pageSize": 1})
        page = self._c.rows.page(data, mapping.assets, "balance", 1, 1)
        if not page.items:
            raise NotFoundError(f"user {uid}")
        return page.items[0]

    async def ledger(self, kind: LedgerKind, query: ListQuery) -> Page[LedgerEntry]:
        if kind not in LOGS:
            raise UnsupportedError(f"API工厂 has no {kind.value} log")
        path, fn = LOGS[kind]
        data = await self._c.query(path, list_params(query, uid="uid", order_id="orderId"))
        return self._c.rows.page(data, fn, f"{kind.value} log", query.page, query.page_size)

    async def _latest_id(self, kind: LedgerKind, uid: int) -> int:
        page = await self.ledger(kind, ListQuery(page=1, page_size=1, uid=uid))
        return page.items[0].id if page.items else 0

    async def adjust(self, uid: int, kind: LedgerKind, delta: Decimal, remark: str) -> None:
        if kind is LedgerKind.BALANCE:
            path, data = "/user/apiExtUserPay/save", {"uid": uid, "money": money_str(delta), "remark": remark}
        elif kind is LedgerKind.POINTS:
            if delta != delta.to_integral_value():
                raise InvalidInputError(f"points must be whole: {delta}")
            path, data = "/user/apiExtUserScoreLog/save", {"uid": uid, "score": int(delta), "remark": remark}
        else:
            raise UnsupportedError(f"API工厂 cannot adjust {kind.value}")
        # An adjustment is not repeatable: the newest log line before it tells whether a
        # lost answer hid a success.
        before = await self._latest_id(kind, uid)

        async def verify() -> bool:
            page = await self.ledger(kind, ListQuery(page=1, page_size=5, uid=uid))
            return any(e.id > before and e.remark == remark and e.amount == abs(delta) for e in page.items)

        await self._c.write(path, data, verify)

    async def withdrawals(self, query: ListQuery) -> Page[Withdrawal]:
        data = await self._c.query("/user/extUserWithdraw/list", list_params(query, uid="uid", status="status"))
        return self._c.rows.page(data, mapping.withdrawal, "withdrawal", query.page, query.page_size)

    async def withdrawal(self, withdrawal_id: int) -> Withdrawal:
        data = await self._c.get("/user/extUserWithdraw/info", {"id": withdrawal_id})
        try:
            return mapping.withdrawal(data)
        except mapping.ROW_ERRORS as exc:
            raise ProtocolError(f"withdrawal {withdrawal_id}: {type(exc).__name__}: {exc}") from exc

    async def _decide(self, path: str, withdrawal_id: int, done: WithdrawalStatus, **extra: str) -> None:
        async def verify() -> bool:
            return (await self.withdrawal(withdrawal_id)).status is done

        await self._c.write(path, {"id": withdrawal_id, **extra}, verify)

    async def approve_withdrawal(self, withdrawal_id: int) -> None:
        await self._decide("/user/extUserWithdraw/success", withdrawal_id, WithdrawalStatus.PAID)

    async def refuse_withdrawal(self, withdrawal_id: int, reason: str) -> None:
        await self._decide("/user/extUserWithdraw/refuse", withdrawal_id, WithdrawalStatus.REFUSED, remark=reason)

    async def withdrawal_stats(self, uid: int | None = None) -> WithdrawalStats:
        raise UnsupportedError("API工厂 has no withdrawal statistics endpoint")
