"""软猫引擎 users: list, profile with level, staff changes, addresses, statistics."""

from __future__ import annotations

import asyncio
from datetime import datetime

from app.domain.enums import UserStatus
from app.domain.models import Address, ListQuery, Page, User, UserStats
from app.platform.api import UsersApi
from app.platform.errors import InvalidInputError
from app.platform.ruanmao import mapping
from app.platform.ruanmao.base import Area, paging, when
from app.platform.ruanmao.routes import MAX_PAGE_SIZE


class RuanmaoUsers(Area, UsersApi):
    async def list(self, query: ListQuery) -> Page[User]:
        params = paging(query)
        if query.uid is not None:  # the list has no uid filter: one user is a page of one
            user = await self.get(query.uid)
            return Page(items=[user], total_rows=1, total_pages=1, page=1, page_size=params["pageSize"])
        data = await self._calls.read(
            "user.list", **params, status=query.status, nick=query.keyword or None, mobile=query.extra.get("mobile"),
            level=query.extra.get("level"), dateUpdateBegin=when(query.updated_from),
            dateAddBegin=when(query.created_from), dateAddEnd=when(query.created_to))
        return self._page(data, mapping.user, params["page"], params["pageSize"], "user")

    async def get(self, uid: int) -> User:
        # 获取用户资料 and 获取用户等级 are two calls on this platform; the level call names the level.
        profile, level = await asyncio.gather(self._calls.read("user.profile", uid=uid),
                                              self._calls.read("user.level", uid=uid))
        name = self._one(level, mapping.level_name, "user level")
        return self._one(profile, lambda row: mapping.user(row, name), "user")

    async def modify(self, uid: int, *, nick: str | None = None, remark: str | None = None,
                     disabled: bool | None = None, level: int | None = None) -> None:
        if nick is None and remark is None and disabled is None and level is None:
            raise InvalidInputError("nothing to change")
        status = None if disabled is None else int(UserStatus.DISABLED if disabled else UserStatus.NORMAL)

        async def applied() -> bool:
            user = await self.get(uid)
            return ((nick is None or user.nick == nick) and (remark is None or user.remark == remark)
                    and (status is None or user.status == status) and (level is None or user.level == level))

        await self._calls.write("user.modify", {"uid": uid, "nick": nick, "remark": remark, "status": status,
                                                "level": level}, applied)

    async def addresses(self, uid: int) -> list[Address]:
        return self._rows(await self._calls.read("user.addresses", uid=uid), mapping.address, "address")

    async def stats(self, uid: int, since: datetime | None = None, until: datetime | None = None) -> UserStats:
        if since is None and until is None:
            found = await self.stats_many([uid])
            if not found:
                raise InvalidInputError(f"no statistics for user {uid}")
            return found[0]
        data = await self._calls.read("user.stats_advanced", uid=uid, dateBegin=when(since), dateEnd=when(until))
        return self._one(data, mapping.user_stats, "user statistics")

    async def stats_many(self, uids: list[int]) -> list[UserStats]:
        """批量获取用户统计数据, at most 200 users a call."""
        out: list[UserStats] = []
        for start in range(0, len(uids), MAX_PAGE_SIZE):
            data = await self._calls.read("user.stats_batch", uids=uids[start:start + MAX_PAGE_SIZE])
            out += self._rows(data, mapping.user_stats, "user statistics")
        return out
