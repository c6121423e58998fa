"""API工厂 admin user calls: the member list, one member, staff edits and shipping addresses."""

from __future__ import annotations

import sqlite3
from typing import Any

from starlette.requests import Request

from app.sandbox.dialects.apifm_admin.envelope import RouteTable, day_end, listing, slice_page
from app.sandbox.dialects.apifm_admin.render import address_names, render_address, render_user
from app.sandbox.dialects.common import opt_int, paging, req_int
from app.sandbox.ops import rows
from app.sandbox.ops import users as user_ops


def register(table: RouteTable, conn: sqlite3.Connection) -> None:
    """Register the user and address routes."""
    at = table.at

    @at("/user/apiExtUser/list")
    async def user_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        filters = {"id": opt_int(p, "id"), "mobile": p.get("mobile"), "nick_like": p.get("nickLike"),
                   "status": opt_int(p, "status"), "source": opt_int(p, "source"), "referrer": opt_int(p, "referrer"),
                   "province": p.get("province"), "city": p.get("city"), "level": opt_int(p, "levelId"),
                   "date_update_begin": p.get("dateUpdateBegin"), "date_add_begin": p.get("dateAddBegin"),
                   "date_add_end": day_end(p.get("dateAddEnd"))}
        found, total = user_ops.list_users(conn, filters, page_no, size)
        levels = {r["id"]: r["name"] for r in rows(conn, "SELECT * FROM user_levels")}
        return listing(found, total, size, lambda u: render_user(request, {**u, "level_name": levels.get(u["level"])}))

    @at("/user/apiExtUser/info", "GET")
    async def user_info(request: Request, p: dict[str, Any]) -> Any:
        return {"userBase": render_user(request, user_ops.get_user(conn, req_int(p, "id"))), "userBaseWx": None,
                "extJson": {}}

    @at("/user/apiExtUser/modify")
    async def user_modify(request: Request, p: dict[str, Any]) -> Any:
        fields = {"nick": p.get("nick"), "remark": p.get("remark"), "avatar": p.get("avatarUrl"),
                  "status": opt_int(p, "status"), "level": opt_int(p, "levelId")}
        user_ops.modify(conn, req_int(p, "id"), {k: v for k, v in fields.items() if v not in (None, "")
                                                 or (k == "remark" and v == "")})

    @at("/user/apiExtUserShippingAddress/list")
    async def address_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        uid = opt_int(p, "uid")
        if uid:
            found_all = user_ops.addresses(conn, uid)
        else:
            found_all = rows(conn, "SELECT * FROM addresses WHERE status = 0 ORDER BY id DESC")
        found, total = slice_page(found_all, page_no, size)
        names = address_names(conn, found)
        return listing(found, total, size, lambda a: render_address(a, names))
