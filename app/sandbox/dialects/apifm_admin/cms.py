"""API工厂 admin content calls: news and its categories, single pages, notices and banners."""

from __future__ import annotations

import sqlite3
from typing import Any

from starlette.requests import Request

from app.sandbox.dialects.apifm_admin.envelope import RouteTable, flag, listing, slice_page
from app.sandbox.dialects.apifm_admin.render import (
    render_article,
    render_banner,
    render_category,
    render_notice,
    render_page,
)
from app.sandbox.dialects.common import opt_int, paging, req_int, req_str
from app.sandbox.ops import cms as cms_ops
from app.sandbox.ops import not_found, one, page


def register(table: RouteTable, conn: sqlite3.Connection) -> None:
    """Register the content routes."""
    at = table.at

    def cms_filters(p: dict[str, Any]) -> dict[str, Any]:
        return {"title_like": p.get("titleLike"), "tags_like": p.get("tagsLike"),
                "category_id": opt_int(p, "categoryId"), "is_recommend": flag(p, "isRecommend"),
                "type": p.get("type"), "date_update_begin": p.get("dateUpdateBegin")}

    @at("/user/apiExtNews/list")
    async def news_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = cms_ops.list_items(conn, "cms_articles", cms_filters(p), page_no, size)
        return listing(found, total, size, lambda a: render_article(request, a))

    @at("/user/apiExtNews/info", "GET")
    async def news_info(request: Request, p: dict[str, Any]) -> Any:
        return render_article(request, cms_ops.get_item(conn, "cms_articles", req_int(p, "id")))

    @at("/user/apiExtNews/save")
    async def news_save(request: Request, p: dict[str, Any]) -> Any:
        fields = {"category_id": opt_int(p, "categoryId"), "title": p.get("title"), "descript": p.get("descript"),
                  "content": p.get("content"), "pic": p.get("pic"), "tags": p.get("tags"), "author": p.get("author"),
                  "is_recommend": flag(p, "isRecommend")}
        return cms_ops.save_item(conn, "cms_articles", fields, opt_int(p, "id"))

    @at("/user/apiExtNews/del")
    async def news_del(request: Request, p: dict[str, Any]) -> Any:
        cms_ops.delete_item(conn, "cms_articles", req_int(p, "id"))

    @at("/user/apiExtNewsCategory/list")
    async def category_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = page(conn, "cms_categories", [], [], page_no, size, "paixu, id")
        return listing(found, total, size, render_category)

    @at("/user/apiExtPage/list")
    async def page_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = slice_page(cms_ops.list_pages(conn), page_no, size)
        return listing(found, total, size, render_page)

    @at("/user/apiExtPage/info", "GET")
    async def page_info(request: Request, p: dict[str, Any]) -> Any:
        found = one(conn, "SELECT * FROM cms_pages WHERE id = ?", req_int(p, "id"))
        if found is None:
            raise not_found("单页")
        return render_page(found)

    @at("/user/apiExtPage/info/key", "GET")
    async def page_by_key(request: Request, p: dict[str, Any]) -> Any:
        return render_page(cms_ops.get_page(conn, req_str(p, "key")))

    @at("/user/apiExtPage/save")
    async def page_save(request: Request, p: dict[str, Any]) -> Any:
        cms_ops.set_page(conn, req_str(p, "key"), str(p.get("title") or ""), str(p.get("content") or ""))
        return render_page(cms_ops.get_page(conn, req_str(p, "key")))

    @at("/user/apiExtNotice/list")
    async def notice_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = cms_ops.list_items(conn, "notices", cms_filters(p), page_no, size)
        return listing(found, total, size, render_notice)

    @at("/user/apiExtNotice/info", "GET")
    async def notice_info(request: Request, p: dict[str, Any]) -> Any:
        return render_notice(cms_ops.get_item(conn, "notices", req_int(p, "id")))

    @at("/user/apiExtNotice/save")
    async def notice_save(request: Request, p: dict[str, Any]) -> Any:
        fields = {"type": p.get("type"), "title": p.get("title"), "content": p.get("content"),
                  "is_show": flag(p, "isShow")}
        return cms_ops.save_item(conn, "notices", fields, opt_int(p, "id"))

    @at("/user/apiExtNotice/del")
    async def notice_del(request: Request, p: dict[str, Any]) -> Any:
        cms_ops.delete_item(conn, "notices", req_int(p, "id"))

    @at("/user/apiExtBanner/list")
    async def banner_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = cms_ops.list_items(conn, "banners", {"type": p.get("type")}, page_no, size)
        return listing(found, total, size, lambda b: render_banner(request, b))
