"""The cache's schema, as numbered migrations. Never edit a released step: add one.

Money is integer cents, times are 'YYYY-MM-DD HH:MM:SS' text (sortable), and every
platform record keeps the columns used to filter and sort plus ``data``: the record as
the platform sent it, so nothing the platform said is lost.
"""

from __future__ import annotations

V1 = [
    """CREATE TABLE orders (
        id INTEGER PRIMARY KEY, number TEXT NOT NULL, uid INTEGER NOT NULL, status INTEGER NOT NULL,
        refund_state INTEGER NOT NULL, needs_delivery INTEGER NOT NULL, is_paid INTEGER NOT NULL,
        amount_goods INTEGER NOT NULL, amount_freight INTEGER NOT NULL, amount_discount INTEGER NOT NULL,
        amount_paid INTEGER NOT NULL, amount_refunded INTEGER NOT NULL, goods_count INTEGER NOT NULL,
        pickup_code TEXT NOT NULL, buyer_remark TEXT NOT NULL, admin_remark TEXT NOT NULL,
        receiver_name TEXT NOT NULL, receiver_mobile TEXT NOT NULL, province TEXT NOT NULL, city TEXT NOT NULL,
        district TEXT NOT NULL, address TEXT NOT NULL, courier_ids TEXT NOT NULL, tracking_numbers TEXT NOT NULL,
        goods_names TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, paid_at TEXT,
        closed_at TEXT, shipped INTEGER NOT NULL, printed INTEGER NOT NULL DEFAULT 0)""",
    # The platform's record lives beside the row, so that scans of a million orders stay narrow.
    "CREATE TABLE order_data (id INTEGER PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE INDEX orders_created ON orders(created_at, id)",
    "CREATE INDEX orders_status_created ON orders(status, created_at, id)",
    "CREATE INDEX orders_updated ON orders(updated_at, id)",
    "CREATE INDEX orders_uid ON orders(uid, created_at)",
    "CREATE INDEX orders_number ON orders(number)",
    "CREATE INDEX orders_refund ON orders(refund_state, created_at)",
    "CREATE INDEX orders_paid ON orders(amount_paid, id)",
    "CREATE INDEX orders_receiver ON orders(receiver_name, id)",
    # Tab counts without counting: kept by triggers as rows come, go and change status.
    """CREATE TABLE order_counts (status INTEGER NOT NULL, refund_state INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (status, refund_state)) WITHOUT ROWID""",
    """CREATE TRIGGER order_counts_insert AFTER INSERT ON orders BEGIN
        INSERT INTO order_counts VALUES (NEW.status, NEW.refund_state, 1)
            ON CONFLICT (status, refund_state) DO UPDATE SET n = n + 1; END""",
    """CREATE TRIGGER order_counts_delete AFTER DELETE ON orders BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status AND refund_state = OLD.refund_state; END""",
    """CREATE TRIGGER order_counts_update AFTER UPDATE OF status, refund_state ON orders
        WHEN OLD.status != NEW.status OR OLD.refund_state != NEW.refund_state BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status AND refund_state = OLD.refund_state;
        INSERT INTO order_counts VALUES (NEW.status, NEW.refund_state, 1)
            ON CONFLICT (status, refund_state) DO UPDATE SET n = n + 1; END""",
    """CREATE TABLE order_items (
        id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, goods_id INTEGER NOT NULL, sku_id INTEGER NOT NULL,
        name TEXT NOT NULL, pic TEXT NOT NULL, property TEXT NOT NULL, quantity INTEGER NOT NULL,
        quantity_unshipped INTEGER NOT NULL, unit_price INTEGER NOT NULL, amount INTEGER NOT NULL,
        after_sale TEXT NOT NULL)""",
    "CREATE INDEX order_items_order ON order_items(order_id)",
    """CREATE TABLE parcels (
        id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, courier_id INTEGER NOT NULL, courier_name TEXT NOT NULL,
        tracking_number TEXT NOT NULL, shipped_at TEXT NOT NULL, items TEXT NOT NULL, traces TEXT NOT NULL)""",
    "CREATE INDEX parcels_order ON parcels(order_id)",
    "CREATE INDEX parcels_tracking ON parcels(tracking_number)",
    """CREATE TABLE order_logs (
        id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, kind INTEGER NOT NULL, text TEXT NOT NULL,
        remark TEXT NOT NULL, time TEXT NOT NULL)""",
    "CREATE INDEX order_logs_order ON order_logs(order_id)",
    """CREATE TABLE refunds (
        id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, order_item_id INTEGER NOT NULL, uid INTEGER NOT NULL,
        type INTEGER NOT NULL, status INTEGER NOT NULL, return_leg INTEGER NOT NULL, amount INTEGER NOT NULL,
        reason TEXT NOT NULL, return_tracking TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        data TEXT NOT NULL)""",
    "CREATE INDEX refunds_order ON refunds(order_id)",
    "CREATE INDEX refunds_status ON refunds(status, created_at)",
    """CREATE TABLE users (
        id INTEGER PRIMARY KEY, nick TEXT NOT NULL, mobile TEXT NOT NULL, level INTEGER NOT NULL,
        source INTEGER NOT NULL, status INTEGER NOT NULL, referrer_id INTEGER NOT NULL, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX users_mobile ON users(mobile)",
    """CREATE TABLE addresses (
        id INTEGER PRIMARY KEY, uid INTEGER NOT NULL, name TEXT NOT NULL, mobile TEXT NOT NULL,
        district_id TEXT NOT NULL, address TEXT NOT NULL, is_default INTEGER NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX addresses_uid ON addresses(uid)",
    """CREATE TABLE assets (
        uid INTEGER PRIMARY KEY, balance INTEGER NOT NULL, frozen INTEGER NOT NULL, points INTEGER NOT NULL,
        tokens INTEGER NOT NULL, total_consumed INTEGER NOT NULL, fetched_at TEXT NOT NULL)""",
    """CREATE TABLE ledger (
        kind TEXT NOT NULL, id INTEGER NOT NULL, uid INTEGER NOT NULL, behavior INTEGER NOT NULL,
        type INTEGER NOT NULL, amount INTEGER NOT NULL, balance_after INTEGER NOT NULL, order_id INTEGER NOT NULL,
        remark TEXT NOT NULL, created_at TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id))""",
    "CREATE INDEX ledger_uid ON ledger(uid, kind, created_at)",
    "CREATE INDEX ledger_created ON ledger(kind, created_at)",
    """CREATE TABLE withdrawals (
        id INTEGER PRIMARY KEY, number TEXT NOT NULL, uid INTEGER NOT NULL, channel TEXT NOT NULL,
        amount INTEGER NOT NULL, status INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        data TEXT NOT NULL)""",
    "CREATE INDEX withdrawals_status ON withdrawals(status, created_at)",
    """CREATE TABLE vouchers (
        id INTEGER PRIMARY KEY, code TEXT NOT NULL, uid INTEGER NOT NULL, order_id INTEGER NOT NULL,
        name TEXT NOT NULL, status INTEGER NOT NULL, updated_at TEXT NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX vouchers_code ON vouchers(code)",
    "CREATE INDEX vouchers_uid ON vouchers(uid)",
    """CREATE TABLE coupons (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, updated_at TEXT NOT NULL, data TEXT NOT NULL)""",
    """CREATE TABLE user_coupons (
        id INTEGER PRIMARY KEY, coupon_id INTEGER NOT NULL, uid INTEGER NOT NULL, status INTEGER NOT NULL,
        updated_at TEXT NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX user_coupons_uid ON user_coupons(uid)",
    """CREATE TABLE cms_pages (key TEXT PRIMARY KEY, title TEXT NOT NULL, updated_at TEXT NOT NULL,
        data TEXT NOT NULL)""",
    """CREATE TABLE articles (id INTEGER PRIMARY KEY, category_id INTEGER NOT NULL, title TEXT NOT NULL,
        updated_at TEXT NOT NULL, data TEXT NOT NULL)""",
    """CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL, updated_at TEXT NOT NULL,
        data TEXT NOT NULL)""",
    """CREATE TABLE notices (id INTEGER PRIMARY KEY, title TEXT NOT NULL, updated_at TEXT NOT NULL,
        data TEXT NOT NULL)""",
    """CREATE TABLE banners (id INTEGER PRIMARY KEY, title TEXT NOT NULL, updated_at TEXT NOT NULL,
        data TEXT NOT NULL)""",
    """CREATE TABLE info_posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, updated_at TEXT NOT NULL,
        data TEXT NOT NULL)""",
    "CREATE TABLE couriers (id INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL)",
    """CREATE TABLE freight_rules (id INTEGER PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL)""",
    """CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL, level INTEGER NOT NULL,
        parent TEXT NOT NULL)""",
    # The search index: one document per order, trigram-tokenized so Chinese substrings of 3+
    # characters match; ``short`` holds every 2-character piece of names, goods and address
    # as "[ab]" so that 2-character searches (王伟, 大米) are exact index look-ups too.
    "CREATE VIRTUAL TABLE orders_fts USING fts5(doc, short, tokenize='trigram')",
    """CREATE TABLE sync_state (
        resource TEXT PRIMARY KEY, cursor TEXT NOT NULL DEFAULT '', full_done INTEGER NOT NULL DEFAULT 0,
        full_started_at TEXT NOT NULL DEFAULT '', pages_done TEXT NOT NULL DEFAULT '[]',
        total_pages INTEGER NOT NULL DEFAULT 0, synced_at TEXT NOT NULL DEFAULT '',
        skipped INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE outbox (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, created_at TEXT NOT NULL, operator TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, params TEXT NOT NULL, state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, result TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL)""",
    "CREATE INDEX outbox_state ON outbox(state, seq)",
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY, time TEXT NOT NULL, operator TEXT NOT NULL, account TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,
        result TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    "CREATE INDEX audit_target ON audit_log(target)",
    "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL, hash TEXT NOT NULL)",
    # Append-only: the database itself refuses to change or remove an audit entry.
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    # INSERT OR REPLACE deletes the old row without firing DELETE triggers (recursive_triggers
    # is off), so it could overwrite an entry: refuse an insert that reuses a seq.
    """CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit_log
        WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]

# (version, what it does, statements)
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "every platform resource, search index, sync state, outbox, audit log", V1),
]
