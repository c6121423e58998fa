"""Shared helpers for the benchmark scripts: machine description, percentiles, big shops."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.practice import PracticeShop

CACHE = Path(os.environ.get("SHOPDESK_BENCH_DIR", Path(__file__).resolve().parents[2] / "benchmark-data"))


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds from samples in seconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def big_shop(orders: int, seed: int = 7) -> Path:
    """A seeded sandbox file with ``orders`` orders, built once and reused."""
    from app.sandbox.db import connect, get_meta
    from app.sandbox.seed import SeedOptions, seed_shop

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"shop-{orders}-{seed}.sqlite"
    if path.exists():
        conn = connect(path)
        if get_meta(conn, "seed"):
            conn.close()
            return path
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    conn = connect(path)
    seed_shop(conn, SeedOptions(seed=seed, orders=orders))
    conn.close()
    print(f"(built {path.name} in {time.perf_counter() - started:.1f} s)")
    return path


@contextmanager
def practice_platform(orders: int, chaos: str = "") -> Iterator[PracticeShop]:
    """The practice platform for an ``orders``-order shop, in its own process as under the app."""
    from app.services.practice import PracticeShop

    shop = PracticeShop(big_shop(orders), simulate=0, chaos=chaos)
    shop.start(timeout=600)
    try:
        yield shop
    finally:
        shop.stop()

