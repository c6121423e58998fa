"""Reads on a cache holding 1M orders: search, windows, tab counts (what the table models call).

Goals: search p95 <= 30 ms (and its ratio against LIKE on the same data); a 100-row
window at any offset under any filter and sort p95 <= 10 ms; tab counts <= 50 ms.
Needs the cache built by ``bench_sync.py --orders 1000000 --rounds 1 --keep``.

    .venv/bin/python tests/benchmarks/bench_cache_queries.py --orders 1000000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.store import queries
from app.store.database import Cache
from app.store.queries import OrderFilter, OrderTab
from tests.benchmarks.common import CACHE, machine, percentiles


def timed(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--samples", type=int, default=100)
    args = p.parse_args()
    path = CACHE / f"cache-{args.orders}.sqlite"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run bench_sync.py --orders {args.orders} --rounds 1 --keep first")
    cache = Cache(path)
    conn = cache.read
    rng = random.Random(3)
    total = conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    size = sum(f.stat().st_size for f in CACHE.glob(f"cache-{args.orders}.sqlite*"))
    print(f"machine: {machine()}")
    print(f"cache: {total:,} orders, file {size / 1e6:,.0f} MB")

    # Search terms drawn from the data itself, as staff would type them.
    sample = conn.execute("SELECT number, receiver_mobile, receiver_name, tracking_numbers, goods_names FROM orders "
                          "WHERE tracking_numbers != '' LIMIT 2000 OFFSET ?", (rng.randrange(total // 2),)).fetchall()
    kinds = {
        "order number": lambda r: r[0],
        "phone": lambda r: r[1],
        "name (2-3 chars)": lambda r: r[2],
        "tracking number": lambda r: r[3].split()[0],
        "goods name": lambda r: r[4].split("×")[0][:6],
    }
    for label, pick in kinds.items():
        terms = [pick(rng.choice(sample)) for _ in range(args.samples)]
        fts = [timed(queries.search, conn, t, 50)[0] for t in terms]
        like_terms = terms[: max(10, args.samples // 5)]
        like = []
        for t in like_terms:
            pattern = f"%{t}%"
            started = time.perf_counter()
            conn.execute("SELECT id FROM orders WHERE " + " OR ".join(f"{c} LIKE ?" for c in queries.LIKE_COLUMNS)
                         + " ORDER BY created_at DESC, id DESC LIMIT 50", [pattern] * len(queries.LIKE_COLUMNS)).fetchall()
            like.append(time.perf_counter() - started)
        p50, p95 = percentiles(fts)
        l50, l95 = percentiles(like)
        print(f"search {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms; LIKE p50 {l50:.0f} ms, p95 {l95:.0f} ms "
              f"(LIKE / search at p50: {l50 / max(p50, 0.001):.0f}x)")

    filters = [
        OrderFilter(), OrderFilter(tab=OrderTab.TO_SHIP), OrderFilter(tab=OrderTab.DONE),
        OrderFilter(tab=OrderTab.AFTER_SALE), OrderFilter(pickup=True),
        OrderFilter(created_from=datetime.now() - timedelta(days=30)), OrderFilter(courier_id=1),
        OrderFilter(text="顺丰"), OrderFilter(tab=OrderTab.SHIPPED, created_from=datetime.now() - timedelta(days=7)),
    ]
    firsts = []
    for flt in filters:
        t_count, _n = timed(queries.count, conn, flt)
        t_first, _rows = timed(queries.window, conn, flt, "created_desc", 0, 100)
        firsts.append((t_count + t_first, str({k: v for k, v in flt.__dict__.items()
                                              if v not in (None, "", (), OrderTab.ALL)})))
    f50, f95 = percentiles([f[0] for f in firsts])
    slow = max(firsts)
    print(f"first paint after a filter change (count + first 100 rows from SQL), {len(filters)} filters: "
          f"p50 {f50:.0f} ms, p95 {f95:.0f} ms, slowest {slow[0] * 1000:.0f} ms ({slow[1]})")
    builds, times, worst = [], [], ("", 0.0)
    for flt in filters:
        for sort in queries.SORTS:
            elapsed, view = timed(queries.OrderView, conn, flt, sort)
            builds.append((elapsed, f"{sort} {flt.tab.value}{' text' if flt.text else ''}"))
            for _ in range(max(5, args.samples // 4)):
                offset = rng.randrange(max(len(view) - 100, 1))
                elapsed, _rows = timed(view.window, offset, 100)
                times.append(elapsed)
                if elapsed > worst[1]:
                    worst = (f"{sort} @ {offset:,}", elapsed)
    p50, p95 = percentiles(times)
    print(f"100-row window at a random offset, {len(filters)} filters x {len(queries.SORTS)} sorts: "
          f"p50 {p50:.2f} ms, p95 {p95:.2f} ms, worst {worst[1] * 1000:.1f} ms ({worst[0]})")
    b50, b95 = percentiles([b[0] for b in builds])
    slowest = max(builds)
    print(f"building a view (all ids of a filter in a sort order, once per filter/sort change): p50 {b50:.0f} ms, "
          f"p95 {b95:.0f} ms, slowest {slowest[0] * 1000:.0f} ms ({slowest[1]})")
    sql_times = []
    for flt in filters[:4]:
        for sort in ("created_desc", "paid_desc"):
            count = queries.count(conn, flt)
            for _ in range(3):
                sql_times.append(timed(queries.window, conn, flt, sort, rng.randrange(max(count - 100, 1)), 100)[0])
    s50, s95 = percentiles(sql_times)
    print(f"(for comparison, the same windows straight from SQL with OFFSET: p50 {s50:.0f} ms, p95 {s95:.0f} ms)")
    counted = [timed(queries.tab_counts, conn, OrderFilter(created_from=datetime.now() - timedelta(days=7)))[0]
               for _ in range(3)]
    print(f"tab counts under a 7-day filter (GROUP BY): {min(counted) * 1000:.0f} ms")
    tabs = [timed(queries.tab_counts, conn)[0] for _ in range(5)]
    print(f"tab counts (all 8 tabs, from the counters): best {min(tabs) * 1000:.2f} ms, worst {max(tabs) * 1000:.2f} ms")
    cache.close()


if __name__ == "__main__":
    main()
