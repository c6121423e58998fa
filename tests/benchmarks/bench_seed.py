"""Time to seed a practice shop (goal: 1,000,000 orders in <= 90 s on a 2-core machine).

    .venv/bin/python tests/benchmarks/bench_seed.py --orders 1000000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.sandbox.db import connect
from app.sandbox.seed import SeedOptions, seed_shop
from tests.benchmarks.common import machine


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shop.sqlite"
        conn = connect(path)
        started = time.perf_counter()
        counts = seed_shop(conn, SeedOptions(seed=args.seed, orders=args.orders))
        elapsed = time.perf_counter() - started
        conn.close()
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
    rows = sum(counts.values())
    print(f"machine: {machine()}")
    print(f"seed {args.orders:,} orders: {elapsed:.1f} s ({rows:,} rows in all, {rows / elapsed:,.0f} rows/s), "
          f"file {size / 1e6:,.0f} MB")
    print("counts: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
