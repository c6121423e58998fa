"""软猫引擎 文案系统 (about us, terms) and the 万能信息公示系统 (info board).

The platform has no articles, notices, categories or banners: those raise UnsupportedError.
"""

from __future__ import annotations

from app.domain.models import Article, Banner, Category, CmsPage, InfoPost, ListQuery, Notice, Page
from app.platform.api import CmsApi
from app.platform.errors import UnsupportedError
from app.platform.ruanmao import mapping
from app.platform.ruanmao.base import Area, paging, when

# Domain page key -> (get operation, set operation). Both spellings of "about" are accepted
# because API工厂 calls the page aboutUs.
PAGES = {
    "about": ("cms.about_get", "cms.about_set"),
    "aboutUs": ("cms.about_get", "cms.about_set"),
    "terms": ("cms.terms_get", "cms.terms_set"),
}


def _ops(key: str) -> tuple[str, str]:
    try:
        return PAGES[key]
    except KeyError:
        raise UnsupportedError(f"软猫引擎 has no CMS page {key!r}; it offers about and terms") from None


class RuanmaoCms(Area, CmsApi):
    async def page(self, key: str) -> CmsPage:
        data = await self._calls.read(_ops(key)[0])
        return self._one(data, lambda row: mapping.cms_page(key, row), "CMS page")

    async def set_page(self, key: str, title: str, content: str) -> None:
        async def applied() -> bool:
            return (await self.page(key)).content == content

        await self._calls.write(_ops(key)[1], {"title": title or None, "content": content}, applied)

    async def info_posts(self, query: ListQuery) -> Page[InfoPost]:
        params = paging(query)
        data = await self._calls.read("info.list", **params, category=query.extra.get("category"),
                                      keyword=query.keyword or None, dateUpdateBegin=when(query.updated_from))
        return self._page(data, mapping.info_post, params["page"], params["pageSize"], "info post")

    async def info_post(self, post_id: int) -> InfoPost:
        return self._one(await self._calls.read("info.detail", id=post_id), mapping.info_post, "info post")

    async def articles(self, query: ListQuery) -> Page[Article]:
        raise UnsupportedError("软猫引擎 has no articles")

    async def article(self, article_id: int) -> Article:
        raise UnsupportedError("软猫引擎 has no articles")

    async def save_article(self, article: Article) -> int:
        raise UnsupportedError("软猫引擎 has no articles")

    async def delete_article(self, article_id: int) -> None:
        raise UnsupportedError("软猫引擎 has no articles")

    async def categories(self) -> list[Category]:
        raise UnsupportedError("软猫引擎 has no article categories")

    async def notices(self, query: ListQuery) -> Page[Notice]:
        raise UnsupportedError("软猫引擎 has no notices")

    async def save_notice(self, notice: Notice) -> int:
        raise UnsupportedError("软猫引擎 has no notices")

    async def delete_notice(self, notice_id: int) -> None:
        raise UnsupportedError("软猫引擎 has no notices")

    async def banners(self) -> list[Banner]:
        raise UnsupportedError("软猫引擎 has no banners")
