"""Single pages, articles, categories, notices and banners (/user/apiExt...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from app.domain.models import Article, Banner, Category, CmsPage, InfoPost, ListQuery, Notice, Page
from app.platform.api import CmsApi
from app.platform.apifm import mapping
from app.platform.apifm.client import Client, list_params
from app.platform.errors import ProtocolError, UnsupportedError

T = TypeVar("T")


class ApifmCms(CmsApi):
    def __init__(self, client: Client) -> None:
        self._c = client

    @staticmethod
    def _one(fn: Callable[[Any], T], data: Any, what: str) -> T:
        try:
            return fn(data)
        except mapping.ROW_ERRORS as exc:
            raise ProtocolError(f"{what}: {type(exc).__name__}: {exc}") from exc

    async def page(self, key: str) -> CmsPage:
        return self._one(mapping.cms_page, await self._c.get("/user/apiExtPage/info/key", {"key": key}), key)

    async def set_page(self, key: str, title: str, content: str) -> None:
        async def verify() -> bool:
            return (await self.page(key)).content == content

        await self._c.write("/user/apiExtPage/save", {"key": key, "title": title, "content": content}, verify)

    async def articles(self, query: ListQuery) -> Page[Article]:
        data = await self._c.query("/user/apiExtNews/list", list_params(query, keyword="titleLike"))
        return self._c.rows.page(data, mapping.article, "article", query.page, query.page_size)

    async def article(self, article_id: int) -> Article:
        data = await self._c.get("/user/apiExtNews/info", {"id": article_id})
        return self._one(mapping.article, data, f"article {article_id}")

    async def save_article(self, article: Article) -> int:
        fields = {"id": article.id or None, "categoryId": article.category_id, "title": article.title,
                  "descript": article.summary, "content": article.content, "pic": article.pic,
                  "tags": ",".join(article.tags), "author": article.author, "isRecommend": article.is_recommended}

        async def verify() -> bool:
            got = await self.article(article.id)
            return (got.title, got.content, got.summary) == (article.title, article.content, article.summary)

        # A new article has no id to check against, so a create is never resent blindly.
        data = await self._c.write("/user/apiExtNews/save", fields, verify if article.id else None)
        return int(data) if data is not None else article.id

    async def delete_article(self, article_id: int) -> None:
        await self._c.write("/user/apiExtNews/del", {"id": article_id},
                            lambda: self._c.gone(lambda: self.article(article_id)))

    async def categories(self) -> list[Category]:
        data = await self._c.query("/user/apiExtNewsCategory/list", {"page": 1, "pageSize": 200})
        return self._c.rows.page(data, mapping.category, "category", 1, 200).items

    async def notices(self, query: ListQuery) -> Page[Notice]:
        data = await self._c.query("/user/apiExtNotice/list", list_params(query, keyword="titleLike"))
        return self._c.rows.page(data, mapping.notice, "notice", query.page, query.page_size)

    async def _notice(self, notice_id: int) -> Notice:
        return self._one(mapping.notice, await self._c.get("/user/apiExtNotice/info", {"id": notice_id}),
                         f"notice {notice_id}")

    async def save_notice(self, notice: Notice) -> int:
        fields = {"id": notice.id or None, "type": notice.type, "title": notice.title, "content": notice.content,
                  "isShow": notice.is_shown}

        async def verify() -> bool:
            got = await self._notice(notice.id)
            return (got.title, got.content, got.is_shown) == (notice.title, notice.content, notice.is_shown)

        data = await self._c.write("/user/apiExtNotice/save", fields, verify if notice.id else None)
        return int(data) if data is not None else notice.id

    async def delete_notice(self, notice_id: int) -> None:
        await self._c.write("/user/apiExtNotice/del", {"id": notice_id},
                            lambda: self._c.gone(lambda: self._notice(notice_id)))

    async def banners(self) -> list[Banner]:
        data = await self._c.query("/user/apiExtBanner/list", {"page": 1, "pageSize": 200})
        return self._c.rows.page(data, mapping.banner, "banner", 1, 200).items

    async def info_posts(self, query: ListQuery) -> Page[InfoPost]:
        raise UnsupportedError("API工厂 has no info board (万能信息公示系统)")
