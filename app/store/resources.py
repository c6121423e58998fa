"""Every other resource in the cache: one row builder per domain type, one generic writer."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from app.domain.models import (
    Address,
    Article,
    Assets,
    Banner,
    Category,
    CmsPage,
    Coupon,
    Courier,
    FreightRule,
    InfoPost,
    LedgerEntry,
    Notice,
    Refund,
    User,
    UserCoupon,
    Voucher,
    Withdrawal,
)
from app.domain.money import cents
from app.store.codec import dumps, loads

T = TypeVar("T")


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "seconds")


@dataclass(frozen=True)
class Table:
    name: str
    type: type
    columns: tuple[str, ...]
    row: Callable[[Any], tuple]
    key: str = "id"

    @property
    def upsert(self) -> str:
        return (f"INSERT OR REPLACE INTO {self.name} ({', '.join(self.columns)}) "
                f"VALUES ({','.join('?' * len(self.columns))})")


TABLES: dict[type, Table] = {t.type: t for t in (
    Table("refunds", Refund, ("id", "order_id", "order_item_id", "uid", "type", "status", "return_leg", "amount",
                              "reason", "return_tracking", "created_at", "updated_at", "data"),
          lambda r: (r.id, r.order_id, r.order_item_id, r.uid, int(r.type), int(r.status), int(r.return_leg),
                     cents(r.amount), r.reason, r.return_tracking, _ts(r.created_at), _ts(r.updated_at), dumps(r))),
    Table("users", User, ("id", "nick", "mobile", "level", "source", "status", "referrer_id", "created_at",
                          "updated_at", "data"),
          lambda u: (u.id, u.nick, u.mobile, u.level, int(u.source), int(u.status), u.referrer_id,
                     _ts(u.created_at), _ts(u.updated_at), dumps(u))),
    Table("addresses", Address, ("id", "uid", "name", "mobile", "district_id", "address", "is_default", "data"),
          lambda a: (a.id, a.uid, a.name, a.mobile, a.district_id, a.address, int(a.is_default), dumps(a))),
    Table("assets", Assets, ("uid", "balance", "frozen", "points", "tokens", "total_consumed", "fetched_at"),
          lambda a: (a.uid, cents(a.balance), cents(a.frozen), a.points, a.tokens, cents(a.total_consumed),
                     _ts(datetime.now())), key="uid"),
    Table("ledger", LedgerEntry, ("kind", "id", "uid", "behavior", "type", "amount", "balance_after", "order_id",
                                  "remark", "created_at", "data"),
          lambda e: (e.kind.value, e.id, e.uid, int(e.behavior), e.type, cents(e.amount), cents(e.balance_after),
                     e.order_id, e.remark, _ts(e.created_at), dumps(e))),
    Table("withdrawals", Withdrawal, ("id", "number", "uid", "channel", "amount", "status", "created_at",
                                      "updated_at", "data"),
          lambda w: (w.id, w.number, w.uid, w.channel.value, cents(w.amount), int(w.status), _ts(w.created_at),
                     _ts(w.updated_at), dumps(w))),
    Table("vouchers", Voucher, ("id", "code", "uid", "order_id", "name", "status", "updated_at", "data"),
          lambda v: (v.id, v.code, v.uid, v.order_id, v.name, int(v.status), _ts(v.updated_at), dumps(v))),
    Table("coupons", Coupon, ("id", "name", "updated_at", "data"),
          lambda c: (c.id, c.name, _ts(c.updated_at), dumps(c))),
    Table("user_coupons", UserCoupon, ("id", "coupon_id", "uid", "status", "updated_at", "data"),
          lambda c: (c.id, c.coupon_id, c.uid, int(c.status), _ts(c.updated_at), dumps(c))),
    Table("cms_pages", CmsPage, ("key", "title", "updated_at", "data"),
          lambda p: (p.key, p.title, _ts(p.updated_at), dumps(p)), key="key"),
    Table("articles", Article, ("id", "category_id", "title", "updated_at", "data"),
          lambda a: (a.id, a.category_id, a.title, _ts(a.updated_at), dumps(a))),
    Table("categories", Category, ("id", "name", "updated_at", "data"),
          lambda c: (c.id, c.name, _ts(c.updated_at), dumps(c))),
    Table("notices", Notice, ("id", "title", "updated_at", "data"),
          lambda n: (n.id, n.title, _ts(n.updated_at), dumps(n))),
    Table("banners", Banner, ("id", "title", "updated_at", "data"),
          lambda b: (b.id, b.title, _ts(b.updated_at), dumps(b))),
    Table("info_posts", InfoPost, ("id", "title", "updated_at", "data"),
          lambda p: (p.id, p.title, _ts(p.updated_at), dumps(p))),
    Table("couriers", Courier, ("id", "code", "name", "data"), lambda c: (c.id, c.code, c.name, dumps(c))),
    Table("freight_rules", FreightRule, ("id", "name", "data"), lambda r: (r.id, r.name, dumps(r))),
)}


def write(conn: sqlite3.Connection, records: Iterable[Any]) -> int:
    """Insert or replace records of one domain type in their table."""
    records = list(records)
    if not records:
        return 0
    table = TABLES[type(records[0])]
    conn.executemany(table.upsert, [table.row(r) for r in records])
    return len(records)


def write_refunds(conn: sqlite3.Connection, refunds: Sequence[Refund]) -> int:
    return write(conn, refunds)


def replace_all(conn: sqlite3.Connection, cls: type, records: Sequence[Any], where: str = "",
                args: Sequence[Any] = ()) -> int:
    """Make the cache hold exactly ``records`` for a small list the platform returns whole
    (couriers, categories, banners): what is gone on the platform goes here too."""
    table = TABLES[cls]
    conn.execute(f"DELETE FROM {table.name}{' WHERE ' + where if where else ''}", args)
    return write(conn, records)


def get(conn: sqlite3.Connection, cls: type[T], key: object) -> T | None:
    table = TABLES[cls]
    row = conn.execute(f"SELECT data FROM {table.name} WHERE {table.key} = ?", (key,)).fetchone()
    return loads(cls, row[0]) if row and "data" in table.columns else None


def all_of(conn: sqlite3.Connection, cls: type[T], where: str = "", args: Sequence[Any] = (),
           order: str = "") -> list[T]:
    table = TABLES[cls]
    sql = f"SELECT data FROM {table.name}{' WHERE ' + where if where else ''}{' ORDER BY ' + order if order else ''}"
    return [loads(cls, r[0]) for r in conn.execute(sql, args)]
