"""软猫引擎 user calls: list, profile, staff edits, level, statistics and addresses."""

from __future__ import annotations

import sqlite3

from starlette.requests import Request

from app.platform.ruanmao.routes import MAX_PAGE_SIZE
from app.sandbox.dialects.common import opt_int, req_int, yuan_str
from app.sandbox.dialects.ruanmao.base import Ops, Params, id_list, pages, text
from app.sandbox.dialects.ruanmao.render import listing, stats_row, user_row
from app.sandbox.ops import invalid, one, users


def register(ops: Ops, conn: sqlite3.Connection) -> None:
    """Register the user operations."""
    op = ops.op

    @op("user.list")
    async def user_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        filters = {"mobile": text(p, "mobile"), "nick_like": text(p, "nick"), "status": opt_int(p, "status"),
                   "level": opt_int(p, "level"), "date_update_begin": text(p, "dateUpdateBegin"),
                   "date_add_begin": text(p, "dateAddBegin"), "date_add_end": text(p, "dateAddEnd")}
        found, total = users.list_users(conn, filters, page_no, size)
        return listing(found, total, size, lambda u: user_row(u, request))

    @op("user.profile")
    async def user_profile(p: Params, request: Request) -> Params:
        return user_row(users.get_user(conn, req_int(p, "uid")), request)

    @op("user.modify")
    async def user_modify(p: Params, request: Request) -> None:
        fields = {"nick": p.get("nick"), "remark": p.get("remark"), "status": opt_int(p, "status"),
                  "level": opt_int(p, "level")}
        if all(v is None for v in fields.values()):
            raise invalid("缺少要修改的字段（nick、remark、status、level）")
        if fields["level"] is not None and one(conn, "SELECT id FROM user_levels WHERE id = ?", fields["level"]) is None:
            raise invalid("参数 level 不是已有的会员等级")
        users.modify(conn, req_int(p, "uid"), fields)

    @op("user.level")
    async def user_level(p: Params, request: Request) -> Params:
        found = users.user_level(conn, req_int(p, "uid"))
        return {"uid": found["uid"], "level": found["level"], "levelName": found["name"],
                "nextUpgrade": yuan_str(found["next_upgrade"])}

    @op("user.stats_batch")
    async def user_stats_batch(p: Params, request: Request) -> list[Params]:
        uids = id_list(p.get("uids"), "uids")
        if len(uids) > MAX_PAGE_SIZE:
            raise invalid(f"参数 uids 最多 {MAX_PAGE_SIZE} 个")
        return [stats_row(users.stats(conn, uid)) for uid in uids]

    @op("user.stats_advanced")
    async def user_stats_advanced(p: Params, request: Request) -> Params:
        return stats_row(users.stats(conn, req_int(p, "uid"), text(p, "dateBegin") or None,
                                     text(p, "dateEnd") or None))

    @op("user.addresses")
    async def user_addresses(p: Params, request: Request) -> list[Params]:
        uid = req_int(p, "uid")
        users.get_user(conn, uid)
        return [{"id": a["id"], "uid": a["uid"], "linkMan": a["link_man"], "mobile": a["mobile"],
                 "provinceId": a["province_id"], "cityId": a["city_id"], "districtId": a["district_id"],
                 "address": a["address"], "code": a["code"], "isDefault": bool(a["is_default"]),
                 "dateUpdate": a["date_update"]} for a in users.addresses(conn, uid)]
