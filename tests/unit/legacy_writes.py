"""Orders written into a cache of schema version 7 or older as the ShopDesk of the time did:
its search document was one text (``order_search.doc``), where version 8 keeps fields."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from app.domain.models import OrderBundle
from app.store import orders as store_orders


def one_text(fields: Sequence[str]) -> str:
    return "\n".join(f for f in fields if f)


class _OneText:
    """The connection ``orders.apply`` writes through, the search document joined into one."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        if sql.startswith("INSERT INTO order_search ("):
            sql = "INSERT INTO order_search (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc"
            rows = [(r[0], one_text(r[1:])) for r in rows]
        return self._conn.executemany(sql, rows)


def write_bundles_before_v8(conn: sqlite3.Connection, bundles: Iterable[OrderBundle]) -> int:
    return store_orders.write_bundles(_OneText(conn), bundles)  # type: ignore[arg-type]


def flush_before_v8(conn: sqlite3.Connection) -> None:
    """``bulk_load.flush`` of versions 4 to 7: the queued documents into the index."""
    for table, column in (("order_search", "doc"), ("order_grams", "grams")):
        conn.execute(f"INSERT INTO {table}_fts (rowid, {column}) SELECT t.id, t.{column} FROM {table}_queue q "
                     f"JOIN {table} t ON t.id = q.id ORDER BY q.id")
        conn.execute(f"DELETE FROM {table}_queue")
