"""The sandbox's own SQLite state (never the app's cache).

Money is stored as integer cents and times as 'YYYY-MM-DD HH:MM:SS' in China time, the
form API工厂 puts on the wire. Every row has ``date_update``; every change sets it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

CHINA = timezone(timedelta(hours=8))
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS regions (code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER NOT NULL,
    parent TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS couriers (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    type INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS freight_rules (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
    first_pieces INTEGER NOT NULL, first_fee INTEGER NOT NULL, extra_pieces INTEGER NOT NULL,
    extra_fee INTEGER NOT NULL, free_over INTEGER NOT NULL, excluded TEXT NOT NULL DEFAULT '',
    date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS goods (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
    pic TEXT NOT NULL, price INTEGER NOT NULL, original_price INTEGER NOT NULL, stock INTEGER NOT NULL,
    unit TEXT NOT NULL DEFAULT '件', weight INTEGER NOT NULL DEFAULT 500, status INTEGER NOT NULL DEFAULT 0,
    date_add TEXT NOT NULL, date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skus (id INTEGER PRIMARY KEY, goods_id INTEGER NOT NULL, property TEXT NOT NULL,
    price INTEGER NOT NULL, stock INTEGER NOT NULL, bar_code TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS skus_goods ON skus(goods_id);
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, nick TEXT NOT NULL, mobile TEXT NOT NULL,
    avatar TEXT NOT NULL, gender INTEGER NOT NULL DEFAULT 0, province TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '', level INTEGER NOT NULL DEFAULT 0, source INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0, referrer_id INTEGER NOT NULL DEFAULT 0, username TEXT,
    password_hash TEXT, remark TEXT NOT NULL DEFAULT '', date_add TEXT NOT NULL, date_login TEXT,
    date_update TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS users_username ON users(username) WHERE username IS NOT NULL;
CREATE INDEX IF NOT EXISTS users_update ON users(date_update);
CREATE INDEX IF NOT EXISTS users_mobile ON users(mobile);
CREATE TABLE IF NOT EXISTS user_levels (id INTEGER PRIMARY KEY, name TEXT NOT NULL, upgrade INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS user_tokens (token TEXT PRIMARY KEY, uid INTEGER NOT NULL, expires TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assets (uid INTEGER PRIMARY KEY, balance INTEGER NOT NULL DEFAULT 0,
    frozen INTEGER NOT NULL DEFAULT 0, points INTEGER NOT NULL DEFAULT 0, tokens INTEGER NOT NULL DEFAULT 0,
    total_consumed INTEGER NOT NULL DEFAULT 0, date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS addresses (id INTEGER PRIMARY KEY, uid INTEGER NOT NULL, link_man TEXT NOT NULL,
    mobile TEXT NOT NULL, province_id TEXT NOT NULL, city_id TEXT NOT NULL, district_id TEXT NOT NULL,
    address TEXT NOT NULL, code TEXT NOT NULL DEFAULT '', is_default INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0, date_add TEXT NOT NULL, date_update TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS addresses_uid ON addresses(uid);
CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, order_number TEXT NOT NULL UNIQUE,
    uid INTEGER NOT NULL, status INTEGER NOT NULL, is_need_logistics INTEGER NOT NULL DEFAULT 1,
    amount INTEGER NOT NULL, amount_logistics INTEGER NOT NULL, amount_coupons INTEGER NOT NULL,
    amount_real INTEGER NOT NULL, amount_refund_total INTEGER NOT NULL DEFAULT 0,
    goods_number INTEGER NOT NULL, has_refund INTEGER NOT NULL DEFAULT 0,
    refund_status INTEGER NOT NULL DEFAULT 0, is_pay INTEGER NOT NULL DEFAULT 0,
    pay_gate TEXT NOT NULL DEFAULT '', hx_number TEXT NOT NULL DEFAULT '', remark TEXT NOT NULL DEFAULT '',
    admin_remark TEXT NOT NULL DEFAULT '', coupon_id INTEGER NOT NULL DEFAULT 0,
    link_man TEXT NOT NULL DEFAULT '', mobile TEXT NOT NULL DEFAULT '', province_id TEXT NOT NULL DEFAULT '',
    city_id TEXT NOT NULL DEFAULT '', district_id TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '', date_add TEXT NOT NULL, date_pay TEXT, date_ship TEXT,
    date_close TEXT, date_success TEXT, date_update TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS orders_id ON orders(id);
CREATE INDEX IF NOT EXISTS orders_update ON orders(date_update, id);
CREATE INDEX IF NOT EXISTS orders_status ON orders(status, id);
CREATE INDEX IF NOT EXISTS orders_uid ON orders(uid, id);
CREATE INDEX IF NOT EXISTS orders_add ON orders(date_add);
CREATE TABLE IF NOT EXISTS order_goods (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL,
    goods_id INTEGER NOT NULL, sku_id INTEGER NOT NULL, goods_name TEXT NOT NULL, pic TEXT NOT NULL,
    property TEXT NOT NULL, number INTEGER NOT NULL, number_no_fahuo INTEGER NOT NULL,
    amount_single INTEGER NOT NULL, amount INTEGER NOT NULL, after_sale TEXT NOT NULL DEFAULT '0,1,2',
    refund_status INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS order_goods_order ON order_goods(order_id);
CREATE TABLE IF NOT EXISTS parcels (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL,
    courier_id INTEGER NOT NULL, tracking_number TEXT NOT NULL, goods TEXT NOT NULL DEFAULT '[]',
    traces TEXT NOT NULL DEFAULT '[]', date_add TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS parcels_order ON parcels(order_id);
CREATE INDEX IF NOT EXISTS parcels_tracking ON parcels(tracking_number);
CREATE TABLE IF NOT EXISTS order_logs (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL,
    type INTEGER NOT NULL, type_str TEXT NOT NULL, remark TEXT NOT NULL DEFAULT '', date_add TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS order_logs_order ON order_logs(order_id);
CREATE TABLE IF NOT EXISTS refund_applies (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL,
    order_goods_id INTEGER NOT NULL, uid INTEGER NOT NULL, type INTEGER NOT NULL,
    logistics_status INTEGER NOT NULL, reason TEXT NOT NULL, remark TEXT NOT NULL DEFAULT '',
    amount INTEGER NOT NULL, number INTEGER NOT NULL, status INTEGER NOT NULL, status2 INTEGER NOT NULL DEFAULT 0,
    pics TEXT NOT NULL DEFAULT '[]', back_shipper TEXT NOT NULL DEFAULT '',
    back_tracking TEXT NOT NULL DEFAULT '', refuse_reason TEXT NOT NULL DEFAULT '',
    date_add TEXT NOT NULL, date_update TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refund_applies_order ON refund_applies(order_id);
CREATE INDEX IF NOT EXISTS refund_applies_update ON refund_applies(date_update, id);
CREATE TABLE IF NOT EXISTS refunds (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL,
    apply_id INTEGER NOT NULL DEFAULT 0, amount INTEGER NOT NULL, to_where INTEGER NOT NULL,
    status INTEGER NOT NULL, remark TEXT NOT NULL DEFAULT '', date_add TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refunds_order ON refunds(order_id);
CREATE TABLE IF NOT EXISTS ledger (id INTEGER PRIMARY KEY, uid INTEGER NOT NULL, kind TEXT NOT NULL,
    behavior INTEGER NOT NULL, type INTEGER NOT NULL, amount INTEGER NOT NULL, balance_after INTEGER NOT NULL,
    order_id INTEGER NOT NULL DEFAULT 0, remark TEXT NOT NULL DEFAULT '', date_add TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ledger_kind ON ledger(kind, id);
CREATE INDEX IF NOT EXISTS ledger_uid ON ledger(uid, kind, id);
CREATE TABLE IF NOT EXISTS withdrawals (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,
    uid INTEGER NOT NULL, channel TEXT NOT NULL, amount INTEGER NOT NULL, fee INTEGER NOT NULL,
    status INTEGER NOT NULL, real_name TEXT NOT NULL DEFAULT '', account_no TEXT NOT NULL DEFAULT '',
    bank_name TEXT NOT NULL DEFAULT '', refuse_reason TEXT NOT NULL DEFAULT '', date_add TEXT NOT NULL,
    date_update TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS withdrawals_update ON withdrawals(date_update, id);
CREATE TABLE IF NOT EXISTS vouchers (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, uid INTEGER NOT NULL,
    order_id INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL, status INTEGER NOT NULL DEFAULT 0,
    date_add TEXT NOT NULL, date_end TEXT, date_use TEXT, date_update TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS vouchers_uid ON vouchers(uid);
CREATE INDEX IF NOT EXISTS vouchers_order ON vouchers(order_id);
CREATE TABLE IF NOT EXISTS coupons (id INTEGER PRIMARY KEY, name TEXT NOT NULL, money INTEGER NOT NULL,
    money_hreshold INTEGER NOT NULL, number_total INTEGER NOT NULL, number_left INTEGER NOT NULL,
    date_end_days INTEGER NOT NULL, status INTEGER NOT NULL DEFAULT 0, date_add TEXT NOT NULL,
    date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS user_coupons (id INTEGER PRIMARY KEY, coupon_id INTEGER NOT NULL,
    uid INTEGER NOT NULL, name TEXT NOT NULL, money INTEGER NOT NULL, money_hreshold INTEGER NOT NULL,
    status INTEGER NOT NULL DEFAULT 0, order_id INTEGER NOT NULL DEFAULT 0, date_add TEXT NOT NULL,
    date_end TEXT, date_update TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS user_coupons_uid ON user_coupons(uid);
CREATE TABLE IF NOT EXISTS cms_categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL,
    pid INTEGER NOT NULL DEFAULT 0, paixu INTEGER NOT NULL DEFAULT 0, date_add TEXT NOT NULL,
    date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cms_articles (id INTEGER PRIMARY KEY, category_id INTEGER NOT NULL,
    title TEXT NOT NULL, descript TEXT NOT NULL DEFAULT '', content TEXT NOT NULL, pic TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '', is_recommend INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0, views INTEGER NOT NULL DEFAULT 0, date_add TEXT NOT NULL,
    date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cms_pages (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
    content TEXT NOT NULL, date_add TEXT NOT NULL, date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notices (id INTEGER PRIMARY KEY, type TEXT NOT NULL DEFAULT 'notice',
    title TEXT NOT NULL, content TEXT NOT NULL, is_show INTEGER NOT NULL DEFAULT 1, date_add TEXT NOT NULL,
    date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS banners (id INTEGER PRIMARY KEY, type TEXT NOT NULL DEFAULT 'index',
    title TEXT NOT NULL, pic TEXT NOT NULL, link_url TEXT NOT NULL DEFAULT '', paixu INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0, date_add TEXT NOT NULL, date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS info_posts (id INTEGER PRIMARY KEY, category TEXT NOT NULL, title TEXT NOT NULL,
    content TEXT NOT NULL, views INTEGER NOT NULL DEFAULT 0, date_add TEXT NOT NULL, date_update TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS admin_tokens (token TEXT PRIMARY KEY, dialect TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, seen REAL NOT NULL);
"""


def now_dt() -> datetime:
    return datetime.now(CHINA).replace(microsecond=0, tzinfo=None)


def fmt(dt: datetime | None) -> str | None:
    # isoformat is several times faster than strftime, which matters for a 1M-order seed.
    return None if dt is None else dt.isoformat(" ", "seconds")


def now() -> str:
    return now_dt().strftime("%Y-%m-%d %H:%M:%S")


def connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


def create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


def get_meta(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
