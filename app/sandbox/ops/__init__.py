"""What the practice platform does, independent of dialect.

Each function takes the sandbox connection, runs in one transaction, updates
``date_update`` on every row it touches and writes what a real platform writes with the
change (order logs, cash logs, refund records). Dialects only parse and render.
Amounts are integer cents.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class OpError(Exception):
    """A refusal the platform answers with an error code. ``kind`` is dialect-neutral."""

    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    INSUFFICIENT = "insufficient"  # balance too low (API工厂 40000)
    DUPLICATE_REFUND = "duplicate_refund"  # an open after-sale exists (API工厂 20000)
    AUTH = "auth"

    def __init__(self, kind: str, msg: str, data: Any = None) -> None:
        super().__init__(msg)
        self.kind = kind
        self.msg = msg
        self.data = data


def not_found(what: str) -> OpError:
    return OpError(OpError.NOT_FOUND, f"{what}不存在")


def conflict(msg: str) -> OpError:
    return OpError(OpError.CONFLICT, msg)


def invalid(msg: str) -> OpError:
    return OpError(OpError.INVALID, msg)


@contextmanager
def tx(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def one(conn: sqlite3.Connection, sql: str, *args: Any) -> dict[str, Any] | None:
    row = conn.execute(sql, args).fetchone()
    return dict(row) if row else None


def rows(conn: sqlite3.Connection, sql: str, *args: Any) -> list[dict[str, Any]]:
    # Plain tuples zipped with the column names: ``dict(sqlite3.Row)`` looks every column
    # up by name and took twice as long on a 200-order page with its goods.
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute(sql, args)
    names = [d[0] for d in cur.description or ()]
    if len({n.lower() for n in names}) != len(names):
        # A repeated name (Row matches names ignoring case): keep exactly what dict(Row) gives.
        return [dict(sqlite3.Row(cur, r)) for r in cur]
    return [dict(zip(names, r, strict=True)) for r in cur]


def where_of(filters: dict[str, Any], columns: dict[str, str], where: list[str] | None = None,
             args: list[Any] | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions for the filters that are set; ``columns`` maps a filter name to its condition."""
    where, args = where if where is not None else [], args if args is not None else []
    for key, sql in columns.items():
        value = filters.get(key)
        if value is not None and value != "":
            where.append(sql)
            args.append(value)
    return where, args


_totals: dict[tuple[int, str, tuple[Any, ...]], tuple[int, tuple[Any, ...]]] = {}
_bookkeeping: dict[int, int] = {}  # per connection: changes made inside ``bookkeeping`` blocks


@contextmanager
def bookkeeping(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Writes no aggregate reads (replay nonces, tokens): they leave ``totals`` valid.

    Every 软猫引擎 call records its nonce; counted as a write, that emptied the cache on
    every call, and a status tab's COUNT over a million orders is ~10 ms. The block must
    not await: the sandbox's other writers run on the same event loop.
    """
    before = conn.total_changes
    try:
        yield conn
    finally:
        _bookkeeping[id(conn)] = _bookkeeping.get(id(conn), 0) + conn.total_changes - before


def _version(conn: sqlite3.Connection) -> int:
    """Moves on every change to the shop's data, not on bookkeeping."""
    return conn.total_changes - _bookkeeping.get(id(conn), 0)


def forget(conn: sqlite3.Connection) -> None:
    """Drop what the caches hold for a connection about to close: the caches are keyed on
    ``id(conn)``, and a later connection could be given the same id."""
    key = id(conn)
    for cached in [k for k in _totals if k[0] == key]:
        del _totals[cached]
    _bookkeeping.pop(key, None)


def totals(conn: sqlite3.Connection, sql: str, args: list[Any] | tuple[Any, ...]) -> tuple[Any, ...]:
    """An aggregate row (COUNT, SUM…) for a filter, cached until the connection next writes.

    A sync pages through the same filter hundreds of times; on a million orders the
    aggregate is the most expensive part of each page. ``total_changes`` moves on every
    insert, update and delete made through this connection, the sandbox's only writer;
    changes made under ``bookkeeping`` are left out.
    """
    key = (id(conn), sql, tuple(args))
    hit = _totals.get(key)
    version = _version(conn)
    if hit is not None and hit[0] == version:
        return hit[1]
    value = tuple(conn.execute(sql, args).fetchone())
    if len(_totals) > 512:
        _totals.clear()
    _totals[key] = (version, value)
    return value


def count(conn: sqlite3.Connection, sql: str, args: list[Any] | tuple[Any, ...]) -> int:
    return int(totals(conn, sql, args)[0])


def window(conn: sqlite3.Connection, table: str, clause: str, args: list[Any], order: str, page_no: int,
           page_size: int, key: str = "id", skip: int = 0) -> list[dict[str, Any]]:
    """The rows of one page, found ids-first (``skip``: rows before the first page).

    OFFSET walks every skipped row; over the narrow index that holds the ids that is a
    few milliseconds even a million rows deep, over the wide table rows it is seconds.
    """
    offset = (max(page_no, 1) - 1) * page_size + skip
    keys = [r[0] for r in conn.execute(f"SELECT {key} FROM {table}{clause} ORDER BY {order} LIMIT ? OFFSET ?",
                                       (*args, page_size, offset))]
    if not keys:
        return []
    found = {r[key]: r for r in rows(conn, f"SELECT * FROM {table} WHERE {key} IN ({','.join('?' * len(keys))})",
                                     *keys)}
    return [found[k] for k in keys if k in found]


def page(conn: sqlite3.Connection, table: str, where: list[str], args: list[Any], page_no: int,
         page_size: int, order: str = "id DESC", key: str = "id") -> tuple[list[dict[str, Any]], int]:
    """One page of a table under a filter, and the total row count."""
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = count(conn, f"SELECT COUNT(*) FROM {table}{clause}", args)
    return window(conn, table, clause, args, order, page_no, page_size, key), total


def log_order(conn: sqlite3.Connection, order_id: int, kind: int, text: str, remark: str, ts: str) -> None:
    conn.execute("INSERT INTO order_logs (order_id, type, type_str, remark, date_add) VALUES (?,?,?,?,?)",
                 (order_id, kind, text, remark, ts))


def ledger_entry(conn: sqlite3.Connection, uid: int, kind: str, delta: int, typ: int, remark: str, ts: str,
                 order_id: int = 0) -> int:
    """Move one of a user's assets by ``delta`` and log it; returns the new balance.

    Refuses to take an asset below zero.
    """
    column = {"balance": "balance", "frozen": "frozen", "points": "points", "token": "tokens"}[kind]
    current = conn.execute(f"SELECT {column} FROM assets WHERE uid = ?", (uid,)).fetchone()
    if current is None:
        conn.execute("INSERT INTO assets (uid, date_update) VALUES (?, ?)", (uid, ts))
        current = (0,)
    after = current[0] + delta
    if after < 0:
        names = {"balance": "余额", "frozen": "冻结余额", "points": "积分", "token": "代币"}
        raise OpError(OpError.INSUFFICIENT, f"{names[kind]}不足", data=-after)
    conn.execute(f"UPDATE assets SET {column} = ?, date_update = ? WHERE uid = ?", (after, ts, uid))
    conn.execute(
        "INSERT INTO ledger (uid, kind, behavior, type, amount, balance_after, order_id, remark, date_add)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (uid, kind, 0 if delta >= 0 else 1, typ, abs(delta), after, order_id, remark, ts))
    return after
