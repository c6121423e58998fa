"""Fast reads for the big tables: a filter and a sort in, a count and any window out.

This is what the Qt table models call. Windows are found ids-first: OFFSET walks the
narrow covering index rather than the wide rows, so a window a million rows deep costs a
few milliseconds.
"""

from __future__ import annotations

import re
import sqlite3
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from app.domain.enums import OrderStatus
from app.store import bulk_load
from app.store.print_journal import PRINTED_STATES

T = TypeVar("T")


class OrderTab(StrEnum):
    """The status tabs staff see, each one SQL condition."""

    ALL = "all"
    UNPAID = "unpaid"  # 待付款
    TO_SHIP = "to_ship"  # 待发货
    SHIPPED = "shipped"  # 已发货
    TO_REVIEW = "to_review"  # 待评价
    DONE = "done"  # 已完成
    CLOSED = "closed"  # 已关闭
    AFTER_SALE = "after_sale"  # 售后中

    @property
    def condition(self) -> str:
        return {
            OrderTab.ALL: "1",
            OrderTab.UNPAID: f"status = {int(OrderStatus.UNPAID)}",
            OrderTab.TO_SHIP: f"status = {int(OrderStatus.TO_SHIP)}",
            OrderTab.SHIPPED: f"status = {int(OrderStatus.SHIPPED)}",
            OrderTab.TO_REVIEW: f"status = {int(OrderStatus.TO_REVIEW)}",
            OrderTab.DONE: f"status = {int(OrderStatus.DONE)}",
            OrderTab.CLOSED: f"status = {int(OrderStatus.CLOSED)}",
            OrderTab.AFTER_SALE: "refund_state = 2",
        }[self]

    def label(self, lang: str = "zh") -> str:
        zh = {"all": "全部", "unpaid": "待付款", "to_ship": "待发货", "shipped": "已发货", "to_review": "待评价",
              "done": "已完成", "closed": "已关闭", "after_sale": "售后中"}
        en = {"all": "All", "unpaid": "Unpaid", "to_ship": "To ship", "shipped": "Shipped",
              "to_review": "To review", "done": "Completed", "closed": "Closed", "after_sale": "After-sale"}
        return (zh if lang.startswith("zh") else en)[self.value]


SORTS = {
    # sort key -> ORDER BY (id last, so the order is total and stable)
    "id_desc": "id DESC",
    "created_desc": "created_at DESC, id DESC",
    "created_asc": "created_at ASC, id ASC",
    "updated_desc": "updated_at DESC, id DESC",
    "paid_desc": "amount_paid DESC, id DESC",
    "paid_asc": "amount_paid ASC, id ASC",
    "number_asc": "number ASC, id ASC",
    "receiver_asc": "receiver_name ASC, id ASC",
    "status_asc": "status ASC, created_at DESC, id DESC",
    # The shipping queue: longest waiting first (an order paid first should leave first).
    "paid_at_asc": "paid_at ASC, id ASC",
    "paid_at_desc": "paid_at DESC, id DESC",
}


@dataclass(frozen=True)
class OrderFilter:
    tab: OrderTab = OrderTab.ALL
    created_from: datetime | None = None
    created_to: datetime | None = None
    courier_id: int | None = None
    refund_state: int | None = None
    pickup: bool | None = None  # True: pickup orders only; False: delivery only
    shipped: bool | None = None
    printed: bool | None = None
    text: str = ""
    uid: int | None = None
    goods: str = ""  # part of a goods name (the shipping queue's goods filter), not a full-text search
    province: str = ""  # the receiver's province as the order names it
    extra_ids: tuple[int, ...] = field(default=())  # restrict to these ids (a saved selection)
    # The print journal's views: "printed_not_shipped" or "shipped_not_printed" (PRINTED_STATES).
    printed_state: str | None = None

    @property
    def is_tab_only(self) -> bool:
        """Nothing but a status tab: the counters answer without counting."""
        return self == OrderFilter(tab=self.tab)

    def where(self, indexed: bool = True) -> tuple[str, list[Any]]:
        """The filter as SQL; ``indexed`` false while the search indexes are being built."""
        clauses, args = [self.tab.condition], []
        if self.created_from:
            clauses.append("created_at >= ?")
            args.append(self.created_from.isoformat(" ", "seconds"))
        if self.created_to:
            clauses.append("created_at <= ?")
            args.append(self.created_to.isoformat(" ", "seconds"))
        if self.courier_id is not None:
            clauses.append("id IN (SELECT order_id FROM parcels WHERE courier_id = ?)")
            args.append(self.courier_id)
        if self.refund_state is not None:
            clauses.append("refund_state = ?")
            args.append(self.refund_state)
        if self.pickup is not None:
            clauses.append("needs_delivery = ?")
            args.append(0 if self.pickup else 1)
        if self.shipped is not None:
            clauses.append("shipped = ?")
            args.append(int(self.shipped))
        if self.printed is not None:
            clauses.append("printed = ?")
            args.append(int(self.printed))
        if self.printed_state is not None:
            if self.printed_state not in PRINTED_STATES:
                raise ValueError(f"unknown printed_state {self.printed_state!r}; known: {', '.join(PRINTED_STATES)}")
            clauses.append(f"({PRINTED_STATES[self.printed_state]})")
        if self.uid is not None:
            clauses.append("uid = ?")
            args.append(self.uid)
        if self.goods.strip():
            clauses.append("goods_names LIKE ? ESCAPE '\\'")
            args.append(_like_pattern(self.goods.strip()))
        if self.province:
            clauses.append("province = ?")
            args.append(self.province)
        if self.extra_ids:
            clauses.append(f"id IN ({','.join('?' * len(self.extra_ids))})")
            args.extend(self.extra_ids)
        text = self.text.strip()
        if text:
            sql, more = text_condition(text, indexed)
            clauses.append(sql)
            args.extend(more)
        return " AND ".join(clauses), args


LIKE_COLUMNS = ("number", "receiver_name", "receiver_mobile", "tracking_numbers", "goods_names", "address",
                "buyer_remark", "admin_remark")


def fts_phrase(text: str) -> str:
    """A user's text as one FTS5 phrase (quotes doubled), so no character is an operator."""
    return '"' + text.replace('"', '""') + '"'


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@dataclass(frozen=True)
class Terms:
    """What staff typed, split by the index that can answer each word."""

    long: tuple[str, ...]  # 3+ characters: trigram phrases over the whole document
    pairs: tuple[str, ...]  # 2 Chinese characters: one token each in the gram index
    like: tuple[str, ...]  # anything shorter, or 2 Latin characters/digits: LIKE

    def sql(self, indexed: bool = True) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        if not indexed:
            # The indexes are being built (a first sync): the same words, read from the
            # documents themselves. Slower on a big shop, never wrong.
            for word in (*self.long, *self.pairs):
                clauses.append(f"id IN (SELECT id FROM order_search WHERE {bulk_load.doc_text()} LIKE ? ESCAPE '\\')")
                args.append(_like_pattern(word))
        elif self.long:
            clauses.append("id IN (SELECT rowid FROM order_search_fts WHERE order_search_fts MATCH ?)")
            args.append(" AND ".join(fts_phrase(w) for w in self.long))
        if indexed and self.pairs:
            clauses.append("id IN (SELECT rowid FROM order_grams_fts WHERE order_grams_fts MATCH ?)")
            args.append(" AND ".join(fts_phrase(w) for w in self.pairs))
        for word in self.like:
            pattern = _like_pattern(word)
            clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in LIKE_COLUMNS) + ")")
            args.extend([pattern] * len(LIKE_COLUMNS))
        return clauses, args


def _like_pattern(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def split_terms(text: str) -> Terms:
    long, pairs, like = [], [], []
    for word in (w for w in re.split(r"\s+", text.strip()) if w):
        if len(word) >= 3:
            long.append(word)
        elif len(word) == 2 and all(_is_cjk(ch) for ch in word):
            pairs.append(word)
        else:
            like.append(word)
    return Terms(tuple(long), tuple(pairs), tuple(like))


def text_condition(text: str, indexed: bool = True) -> tuple[str, list[Any]]:
    clauses, args = split_terms(text).sql(indexed)
    return " AND ".join(clauses) or "1", args


def _where(conn: sqlite3.Connection, flt: OrderFilter) -> tuple[str, list[Any]]:
    return flt.where(indexed=not (flt.text.strip() and bulk_load.active(conn)))


# Sorts an index walks in order: the first rows of a search can be found by reading the
# newest (oldest) orders' documents one by one.
WALKABLE_SORTS = ("created_desc", "created_asc", "id_desc")
# How long each way of finding the first rows may take before the next one is tried, in
# milliseconds of the reading thread. Time, not SQLite steps: a step costs 10 ns in an index
# range and 100 ns where a document is read, so a step budget is either too short for one
# or too long for the other.
# The walk: 15 ms reads ~40,000 orders' documents, enough for a word in one order in ~200.
WALK_BUDGET = 15.0
# The search index read in id order: its first rows take under 6 ms for a common word at
# 1M orders (a 14-digit number's trigrams take ~14); longer means the other filters reject
# most matches, and the walk is better placed (it reads their index).
STREAM_BUDGET = 20.0
# Reading on (below): ~4 ms for 4,000 matches; cut short, the proof answers instead.
READ_ON_BUDGET = 8.0
# The proof that the rows read are the newest: ~30 ns an order newer than the last row,
# 30 ms for a million.
CHECK_BUDGET = 40.0
# When the rows read span more orders than this, the proof would cost more than reading
# on (~1 us a match), and a word in a few thousand orders ('63669', a phone's tail) is then
# read whole and needs no proof at all.
PROOF_SPAN = 100_000
READ_ON = 4000


def _budgeted(conn: sqlite3.Connection, budget: float, read: Callable[[], T]) -> T | None:
    """What ``read`` returns, or None when its queries took more than ``budget`` ms."""
    deadline = time.perf_counter() + budget / 1000
    over = False

    def tick() -> int:  # every 1,000 SQLite steps, ~10-100 us
        nonlocal over
        over = time.perf_counter() > deadline
        return int(over)

    conn.set_progress_handler(tick, 1000)
    try:
        return read()
    except sqlite3.OperationalError:
        if not over:
            raise  # interrupted by someone else (a newer request), or a real error
        return None
    finally:
        conn.set_progress_handler(None, 0)


def _streamed(conn: sqlite3.Connection, flt: OrderFilter, terms: Terms, sort: str, limit: int) -> list[int] | None:
    """The first window from the search index read in rowid order, or None if that cannot tell.

    FTS5 hands back its matches by rowid, newest id first, without listing them all: a word
    in 400,000 orders ('260', the start of every older order number) gives its ``limit``
    highest ids in under a millisecond, where sorting all of them by created_at takes 200 ms.
    Ids grow with creation time on both platforms, but the sort is by created_at, so the
    rows read are only the answer if no order beyond the ids read sorts before the last
    row (one range of the created_at index says so, whatever the match). An order out of
    line (created_at edited, imported) makes this None, and the walk or the index answers:
    the rows are the same as ``window_ids`` either way.
    """
    where, args = replace(flt, text=" ".join(terms.like)).where()
    # The long words drive (one trigram index holds the whole document); 2-character words
    # are then one more condition, as in window_ids.
    table, words, pairs = ("order_search_fts", terms.long, terms.pairs) if terms.long else \
        ("order_grams_fts", terms.pairs, ())
    if pairs:
        where += " AND id IN (SELECT rowid FROM order_grams_fts WHERE order_grams_fts MATCH ?)"
        args.append(" AND ".join(fts_phrase(w) for w in pairs))
    ascending = sort == "created_asc"
    # CROSS JOIN: the index stays the outer loop, whatever the filter offers the planner.
    sql = (f"SELECT o.id, o.created_at FROM {table} f CROSS JOIN orders o ON o.id = f.rowid "
           f"WHERE f.{table} MATCH ? AND {where} ORDER BY f.rowid {'ASC' if ascending else 'DESC'} LIMIT ?")
    most = max(limit, READ_ON)

    cursor = conn.cursor()
    try:
        rows = _budgeted(conn, STREAM_BUDGET, lambda: cursor.execute(
            sql, (" AND ".join(fts_phrase(w) for w in words), *args, most)).fetchmany(limit))
        if rows is None:
            return None
        every_match = len(rows) < limit
        if not every_match and sort != "id_desc":
            end = conn.execute(f"SELECT {'MIN' if ascending else 'MAX'}(id) FROM orders").fetchone()[0]
            if abs(end - rows[-1][0]) > PROOF_SPAN:
                more = _budgeted(conn, READ_ON_BUDGET, cursor.fetchall)  # None: cut short, prove the first
                if more is not None:
                    rows += more
                    every_match = len(rows) < most
    finally:
        cursor.close()
    if sort == "id_desc":
        return [r[0] for r in rows[:limit]]
    edge_id = rows[-1][0] if rows else 0  # the lowest id read (the highest, oldest first)
    # Text compares by code point in Python and by UTF-8 bytes in SQLite: the same order.
    rows.sort(key=lambda r: (r[1], r[0]), reverse=not ascending)
    rows = rows[:limit]
    if every_match:
        return [r[0] for r in rows]
    # An order beyond the ids read that sorts before the last row would belong in the
    # window (one that ties on created_at sorts after it: its id is beyond them all).
    check = "created_at > ? AND id < ?" if not ascending else "created_at < ? AND id > ?"
    found = _budgeted(conn, CHECK_BUDGET, lambda: conn.execute(f"SELECT 1 FROM orders WHERE {check} LIMIT 1",
                                                                (rows[-1][1], edge_id)).fetchall())
    return [r[0] for r in rows] if found == [] else None


def first_window_ids(conn: sqlite3.Connection, flt: OrderFilter, sort: str, limit: int) -> list[int]:
    """``window_ids(..., 0, limit)``, fast for a common search word too.

    A word in a large share of the shop ("261", the start of half the order numbers; a
    best-selling product) matches hundreds of thousands of documents: the search index
    lists them all before the newest ``limit`` can be picked, up to seconds at 1M orders.
    The index read in rowid order (``_streamed``) finds those at once when ids follow
    creation time. Otherwise, walking the orders newest first and reading each one's
    document finds them. A rare word would walk the whole table, so the walk has a
    budget, past which the index answers. Same rows either way: the document is what the
    index holds.
    """
    terms = split_terms(flt.text)
    if not (terms.long or terms.pairs) or sort not in WALKABLE_SORTS or bulk_load.active(conn):
        return window_ids(conn, flt, sort, 0, limit)
    streamed = _streamed(conn, flt, terms, sort, limit)
    if streamed is not None:
        return streamed
    where, args = replace(flt, text=" ".join(terms.like)).where()
    # What each index holds: the whole document for long words, the 2-character pieces of
    # names, goods and districts (space-separated) for a 2-character Chinese word.
    exists, more = [], []
    if terms.long:
        doc = bulk_load.doc_text("s.")
        exists.append("EXISTS (SELECT 1 FROM order_search s WHERE s.id = orders.id AND "
                      + " AND ".join(f"{doc} LIKE ? ESCAPE '\\'" for _ in terms.long) + ")")
        more += [_like_pattern(w) for w in terms.long]
    if terms.pairs:
        exists.append("EXISTS (SELECT 1 FROM order_grams g WHERE g.id = orders.id AND "
                      + " AND ".join("(' ' || g.grams || ' ') LIKE ?" for _ in terms.pairs) + ")")
        more += [f"% {w} %" for w in terms.pairs]
    sql = f"SELECT id FROM orders WHERE {where} AND {' AND '.join(exists)} ORDER BY {SORTS[sort]} LIMIT ?"
    walked = _budgeted(conn, WALK_BUDGET, lambda: conn.execute(sql, (*args, *more, limit)).fetchall())
    if walked is not None:
        return [r[0] for r in walked]
    return window_ids(conn, flt, sort, 0, limit)


def count(conn: sqlite3.Connection, flt: OrderFilter) -> int:
    if flt.is_tab_only:
        return tab_counts(conn)[flt.tab]
    where, args = _where(conn, flt)
    return conn.execute(f"SELECT COUNT(*) FROM orders WHERE {where}", args).fetchone()[0]


def window_ids(conn: sqlite3.Connection, flt: OrderFilter, sort: str, offset: int, limit: int) -> list[int]:
    where, args = _where(conn, flt)
    order = SORTS.get(sort, SORTS["created_desc"])
    return [r[0] for r in conn.execute(f"SELECT id FROM orders WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                                       (*args, limit, offset))]


ROW_COLUMNS = ("id, number, uid, status, refund_state, needs_delivery, amount_paid, goods_count, receiver_name, "
               "receiver_mobile, province, city, district, address, tracking_numbers, goods_names, created_at, "
               "updated_at, paid_at, shipped, printed, buyer_remark, admin_remark, pickup_code, courier_ids")


def rows_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> list[sqlite3.Row]:
    if not ids:
        return []
    ids = list(ids)
    found = {r["id"]: r for r in conn.execute(
        f"SELECT {ROW_COLUMNS} FROM orders WHERE id IN ({','.join('?' * len(ids))})", ids)}
    return [found[i] for i in ids if i in found]


def window(conn: sqlite3.Connection, flt: OrderFilter, sort: str, offset: int, limit: int) -> list[sqlite3.Row]:
    """One window straight from SQL (fine near the top; a deep or odd-sorted one wants an OrderView)."""
    return rows_by_id(conn, window_ids(conn, flt, sort, offset, limit))


class OrderView:
    """One filter and sort over the orders as a table shows them: every id in order, found
    once, then any window by slicing — so scrolling anywhere in a million rows costs one
    100-row lookup. ``refresh()`` after the cache changes."""

    def __init__(self, conn: sqlite3.Connection, flt: OrderFilter, sort: str = "created_desc") -> None:
        self.conn = conn
        self.filter = flt
        self.sort = sort if sort in SORTS else "created_desc"
        self.ids = array("q")
        self.refresh()

    def refresh(self) -> None:
        where, args = _where(self.conn, self.filter)
        cursor = self.conn.execute(f"SELECT id FROM orders WHERE {where} ORDER BY {SORTS[self.sort]}", args)
        ids = array("q")
        while batch := cursor.fetchmany(65536):
            ids.extend(r[0] for r in batch)
        self.ids = ids
        self._positions: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def window(self, offset: int, limit: int) -> list[sqlite3.Row]:
        return rows_by_id(self.conn, self.ids[max(offset, 0):max(offset, 0) + limit])

    def position(self, order_id: int) -> int | None:
        """Where an order sits in the view (to keep the selection after a refresh)."""
        if self._positions is None:
            self._positions = {order_id: i for i, order_id in enumerate(self.ids)}
        return self._positions.get(order_id)


def tab_counts(conn: sqlite3.Connection, base: OrderFilter | None = None) -> dict[OrderTab, int]:
    """Every tab's count. With no other filter, read from the trigger-kept counters (O(1));
    otherwise one GROUP BY over the filtered orders (the base filter's tab is ignored)."""
    flt = OrderFilter(**{**(base or OrderFilter()).__dict__, "tab": OrderTab.ALL})
    if flt.is_tab_only:
        groups = conn.execute("SELECT status, refund_state, n FROM order_counts").fetchall()
    else:
        where, args = _where(conn, flt)
        # "+status": grouping alone must not pick the index by status (which walks every
        # order of every status); the filter picks the index, the few groups are sorted after.
        groups = conn.execute(f"SELECT status, refund_state, COUNT(*) FROM orders WHERE {where} "
                              "GROUP BY +status, refund_state", args).fetchall()
    counts = dict.fromkeys(OrderTab, 0)
    for status, refund_state, n in groups:
        counts[OrderTab.ALL] += n
        tab = STATUS_TABS.get(status)
        if tab is not None:
            counts[tab] += n
        if refund_state == 2:
            counts[OrderTab.AFTER_SALE] += n
    return counts


STATUS_TABS = {int(OrderStatus.UNPAID): OrderTab.UNPAID, int(OrderStatus.TO_SHIP): OrderTab.TO_SHIP,
               int(OrderStatus.SHIPPED): OrderTab.SHIPPED, int(OrderStatus.TO_REVIEW): OrderTab.TO_REVIEW,
               int(OrderStatus.DONE): OrderTab.DONE, int(OrderStatus.CLOSED): OrderTab.CLOSED}


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[sqlite3.Row]:
    """Global search (Ctrl+K): matching orders, newest first (ids grow with time), stable.

    When every word can use the index, FTS5 hands back rowids already in descending order,
    so a word that matches 100,000 orders still answers with its newest 50 at once.
    """
    terms = split_terms(text)
    if not (terms.long or terms.pairs or terms.like):
        return []
    if not terms.like and not (terms.long and terms.pairs) and not bulk_load.active(conn):
        table = "order_search_fts" if terms.long else "order_grams_fts"
        words = terms.long or terms.pairs
        ids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC "
                                          "LIMIT ?", (" AND ".join(fts_phrase(w) for w in words), limit))]
        return rows_by_id(conn, ids)
    return window(conn, OrderFilter(text=text), "id_desc", 0, limit)
