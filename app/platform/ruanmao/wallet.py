"""软猫引擎 user assets: balances and their logs, staff adjustments, withdrawals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.enums import LedgerKind, WithdrawalChannel, WithdrawalStatus
from app.domain.models import Assets, LedgerEntry, ListQuery, Page, Withdrawal, WithdrawalStats
from app.domain.money import money_str
from app.platform.api import WalletApi
from app.platform.errors import InvalidInputError
from app.platform.ruanmao import mapping
from app.platform.ruanmao.base import Area, paging, when

LOGS = {LedgerKind.BALANCE: "asset.balance_log", LedgerKind.FROZEN: "asset.frozen_log",
        LedgerKind.POINTS: "asset.points_log", LedgerKind.TOKEN: "asset.token_log"}
ADJUST = {LedgerKind.BALANCE: "asset.adjust_balance", LedgerKind.POINTS: "asset.adjust_points",
          LedgerKind.TOKEN: "asset.adjust_tokens"}
WITHDRAWALS = {WithdrawalChannel.BANK: "withdraw.bank_logs", WithdrawalChannel.WECHAT: "withdraw.wechat_logs"}


def _held(assets: Assets, kind: LedgerKind) -> Decimal:
    return {LedgerKind.BALANCE: assets.balance, LedgerKind.POINTS: Decimal(assets.points),
            LedgerKind.TOKEN: Decimal(assets.tokens), LedgerKind.FROZEN: assets.frozen}[kind]


class RuanmaoWallet(Area, WalletApi):
    async def assets(self, uid: int) -> Assets:
        return self._one(await self._calls.read("asset.get", uid=uid), mapping.assets, "assets")

    async def ledger(self, kind: LedgerKind, query: ListQuery) -> Page[LedgerEntry]:
        params = paging(query)
        data = await self._calls.read(
            LOGS[kind], **params, uid=query.uid, orderId=query.order_id, type=query.extra.get("type"),
            behavior=query.extra.get("behavior"), dateAddBegin=when(query.created_from),
            dateAddEnd=when(query.created_to))
        return self._page(data, mapping.ledger_entry(kind), params["page"], params["pageSize"], f"{kind} log")

    async def adjust(self, uid: int, kind: LedgerKind, delta: Decimal, remark: str) -> None:
        if kind not in ADJUST:
            raise InvalidInputError("the frozen balance changes only through withdrawals")
        if kind is LedgerKind.BALANCE:
            amount: Any = money_str(delta)
        else:
            if delta != delta.to_integral_value():
                raise InvalidInputError("points and tokens are whole numbers")
            amount = int(delta)
        # Money moves: remember what the user held so that a lost answer is checked, not repeated.
        before = _held(await self.assets(uid), kind)

        async def applied() -> bool:
            return _held(await self.assets(uid), kind) == before + delta

        await self._calls.write(ADJUST[kind], {"uid": uid, "amount": amount, "remark": remark}, applied)

    async def withdrawals(self, query: ListQuery) -> Page[Withdrawal]:
        """Bank-card and WeChat withdrawals are two logs on this platform. With
        ``query.extra["channel"]`` one is listed; without it page N of each is merged, so
        walking pages 1..total_pages still sees every row exactly once."""
        params = paging(query)
        channel = query.extra.get("channel")
        channels = [WithdrawalChannel(channel)] if channel else list(WithdrawalChannel)
        pages = []
        for ch in channels:
            data = await self._calls.read(
                WITHDRAWALS[ch], **params, uid=query.uid, status=query.status, number=query.keyword or None,
                dateUpdateBegin=when(query.updated_from), dateAddBegin=when(query.created_from),
                dateAddEnd=when(query.created_to))
            pages.append(self._page(data, mapping.withdrawal, params["page"], params["pageSize"], "withdrawal"))
        if len(pages) == 1:
            return pages[0]
        items = sorted((w for p in pages for w in p.items), key=lambda w: (w.created_at, w.id), reverse=True)
        return Page(items=items, total_rows=sum(p.total_rows for p in pages),
                    total_pages=max(p.total_pages for p in pages), page=params["page"], page_size=params["pageSize"])

    async def withdrawal(self, withdrawal_id: int) -> Withdrawal:
        return self._one(await self._calls.read("withdraw.detail", id=withdrawal_id), mapping.withdrawal,
                         "withdrawal")

    async def _status_in(self, withdrawal_id: int, status: WithdrawalStatus) -> bool:
        return (await self.withdrawal(withdrawal_id)).status is status

    async def approve_withdrawal(self, withdrawal_id: int) -> None:
        await self._calls.write("withdraw.approve", {"id": withdrawal_id},
                                lambda: self._status_in(withdrawal_id, WithdrawalStatus.PAID))

    async def refuse_withdrawal(self, withdrawal_id: int, reason: str) -> None:
        await self._calls.write("withdraw.refuse", {"id": withdrawal_id, "reason": reason},
                                lambda: self._status_in(withdrawal_id, WithdrawalStatus.REFUSED))

    async def withdrawal_stats(self, uid: int | None = None) -> WithdrawalStats:
        return self._one(await self._calls.read("withdraw.stats", uid=uid), mapping.withdrawal_stats,
                         "withdrawal statistics")
