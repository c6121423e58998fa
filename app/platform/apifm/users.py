"""Customers (/user/apiExtUser) and their addresses (/user/apiExtUserShippingAddress)."""

from __future__ import annotations

from datetime import datetime

from app.domain.models import Address, ListQuery, Page, User, UserStats
from app.platform.api import UsersApi
from app.platform.apifm import mapping
from app.platform.apifm.client import Client, list_params
from app.platform.errors import ProtocolError, UnsupportedError


class ApifmUsers(UsersApi):
    def __init__(self, client: Client) -> None:
        self._c = client

    async def list(self, query: ListQuery) -> Page[User]:
        data = await self._c.query("/user/apiExtUser/list",
                                   list_params(query, uid="id", status="status", keyword="nickLike"))
        return self._c.rows.page(data, mapping.user, "user", query.page, query.page_size)

    async def get(self, uid: int) -> User:
        data = await self._c.get("/user/apiExtUser/info", {"id": uid})
        try:
            return mapping.user(data["userBase"])
        except mapping.ROW_ERRORS as exc:
            raise ProtocolError(f"user {uid}: {type(exc).__name__}: {exc}") from exc

    async def modify(self, uid: int, *, nick: str | None = None, remark: str | None = None,
                     disabled: bool | None = None, level: int | None = None) -> None:
        async def verify() -> bool:
            u = await self.get(uid)
            return ((nick is None or u.nick == nick) and (remark is None or u.remark == remark)
                    and (disabled is None or bool(u.status) == disabled) and (level is None or u.level == level))

        await self._c.write("/user/apiExtUser/modify", {
            "id": uid, "nick": nick, "remark": remark, "status": None if disabled is None else int(disabled),
            "levelId": level,
        }, verify)

    async def addresses(self, uid: int) -> list[Address]:
        data = await self._c.query("/user/apiExtUserShippingAddress/list", {"uid": uid, "page": 1, "pageSize": 200})
        return self._c.rows.page(data, mapping.address, "address", 1, 200).items

    async def stats(self, uid: int, since: datetime | None = None, until: datetime | None = None) -> UserStats:
        raise UnsupportedError("API工厂 has no per-user statistics endpoint")
