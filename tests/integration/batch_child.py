"""Applying a recorded batch in a process of its own, for the test that kills it with SIGKILL.

    python -m tests.integration.batch_child <base_url> <cache_path> <batch_id> <concurrency>

Prints one JSON line if it ever finishes (the test kills it long before).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from app.platform.account import Account, PlatformKind
from app.platform.connect import connect
from app.sandbox import credentials
from app.services.batch_apply import BatchRunner
from app.services.outbox import OutboxService
from app.services.sync import SyncService
from app.store.database import Cache


async def run(base_url: str, cache_path: Path, batch_id: int, concurrency: int) -> dict[str, Any]:
    cache = Cache(cache_path)
    account = Account(kind=PlatformKind.APIFM, base_url=base_url, merchant_no=credentials.APIFM_MERCHANT_NO,
                      merchant_key=credentials.APIFM_MERCHANT_KEY, sub_domain=credentials.APIFM_SUB_DOMAIN,
                      practice=True)
    async with connect(account) as platform:
        sync = SyncService(platform, cache)
        outbox = OutboxService(platform, cache, operator="小王", account="practice", refresh_order=sync.refresh_order)
        batch = await BatchRunner(cache, outbox, concurrency=concurrency).run(batch_id)
    cache.close()
    return {"state": batch.state, "done": batch.done}


def main(argv: list[str]) -> int:
    base_url, cache_path, batch_id, concurrency = argv
    print(json.dumps(asyncio.run(run(base_url, Path(cache_path), int(batch_id), int(concurrency)))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
