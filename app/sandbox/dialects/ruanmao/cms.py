"""软猫引擎 content calls: the about-us and terms pages, and the info board."""

from __future__ import annotations

import sqlite3

from starlette.requests import Request

from app.sandbox.dialects.common import req_int, req_str
from app.sandbox.dialects.ruanmao.base import Handler, Ops, Params, pages, text
from app.sandbox.dialects.ruanmao.render import info_row, listing
from app.sandbox.ops import cms

CMS_KEYS = {"about": "aboutUs", "terms": "terms"}  # handler key -> key in cms_pages


def register(ops: Ops, conn: sqlite3.Connection) -> None:
    """Register the page and info-board operations."""
    op = ops.op

    def page_row(key: str) -> Params:
        found = cms.get_page(conn, CMS_KEYS[key])
        return {"title": found["title"], "content": found["content"], "dateUpdate": found["date_update"]}

    def page_setter(key: str) -> Handler:
        async def set_page(p: Params, request: Request) -> None:
            cms.set_page(conn, CMS_KEYS[key], text(p, "title"), req_str(p, "content"))

        return set_page

    def page_getter(key: str) -> Handler:
        async def get_page(p: Params, request: Request) -> Params:
            return page_row(key)

        return get_page

    ops["cms.about_set"], ops["cms.about_get"] = page_setter("about"), page_getter("about")
    ops["cms.terms_set"], ops["cms.terms_get"] = page_setter("terms"), page_getter("terms")

    # --- info board -----------------------------------------------------------------------

    @op("info.list")
    async def info_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        found, total = cms.list_items(conn, "info_posts", {"category": text(p, "category"),
                                                            "title_like": text(p, "keyword"),
                                                            "date_update_begin": text(p, "dateUpdateBegin")},
                                      page_no, size)
        return listing(found, total, size, info_row)

    @op("info.detail")
    async def info_detail(p: Params, request: Request) -> Params:
        return info_row(cms.get_item(conn, "info_posts", req_int(p, "id")))
