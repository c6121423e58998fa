"""A first sync of orders in a process of its own, for the test that kills it with SIGKILL.

    python -m tests.integration.sync_child <base_url> <cache_path> <apifm|ruanmao> [thread|process]

Prints one JSON line when it finishes: the pages already done when it started, the page
numbers of the first sync it fetched itself, and the snapshot's page count.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from app.domain.models import OrderQuery
from app.platform.account import Account, PlatformKind
from app.platform.connect import connect
from app.sandbox import credentials
from app.services.sync import SyncService
from app.store import sync_state
from app.store.database import Cache

PAGE_SIZE = 20
CONCURRENCY = 2


def account(base_url: str, kind: str) -> Account:
    if kind == PlatformKind.APIFM:
        return Account(kind=PlatformKind.APIFM, base_url=base_url, merchant_no=credentials.APIFM_MERCHANT_NO,
                       merchant_key=credentials.APIFM_MERCHANT_KEY, sub_domain=credentials.APIFM_SUB_DOMAIN,
                       practice=True)
    return Account(kind=PlatformKind.RUANMAO, base_url=base_url, app_id=credentials.RUANMAO_APP_ID,
                   app_secret=credentials.RUANMAO_APP_SECRET, practice=True)


async def run(base_url: str, cache_path: Path, kind: str, writer: str = "thread") -> dict[str, Any]:
    cache = Cache(cache_path)
    before = sync_state.load(cache.read, "orders")
    fetched: list[int] = []
    async with connect(account(base_url, kind)) as platform:
        listing = platform.orders.list_flat  # what a first sync reads its pages with

        async def counted(query: OrderQuery) -> Any:
            if query.created_to is not None:  # a page of the first sync's snapshot
                fetched.append(query.page)
            return await listing(query)

        platform.orders.list_flat = counted  # type: ignore[method-assign]
        # "process": pages written by the page process, as in a big shop's first sync.
        sync = SyncService(platform, cache, page_size=PAGE_SIZE, concurrency=CONCURRENCY,
                           process_from=0 if writer == "process" else 10**9,
                           index_every=3 * PAGE_SIZE)  # the search index flushed many times, killed in one maybe
        result = await sync.sync("orders")
    after = sync_state.load(cache.read, "orders")
    cache.close()
    return {"done_before": sorted(before.pages_done), "fetched": sorted(fetched), "full_done": after.full_done,
            "written": result.written}


def main(argv: list[str]) -> int:
    base_url, cache_path, kind, *writer = argv
    print(json.dumps(asyncio.run(run(base_url, Path(cache_path), kind, *writer))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
