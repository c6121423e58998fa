"""The cache's schema, as numbered migrations. Never edit a released step: add one.

Tables, indexes and the search index are declared with sqlite-utils; triggers it has no
words for are plain SQL. Money is integer cents, times are 'YYYY-MM-DD HH:MM:SS' text
(sortable), and every platform record keeps the columns used to filter and sort plus
``data``: the whole record, so nothing the platform said is lost. (An order's row is
its whole record: every field a column, see version 3.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.store import bulk_load

if TYPE_CHECKING:  # imported when a migration runs (database.migrate): it is slow to import
    from sqlite_utils import Database

TEXT, INT = str, int


def _table(db: Database, name: str, columns: dict[str, type], pk: str | tuple[str, ...] = "id",
           nullable: tuple[str, ...] = (), defaults: dict[str, object] | None = None) -> None:
    """A table whose columns are NOT NULL unless named in ``nullable``."""
    db[name].create(columns, pk=pk, not_null={c for c in columns if c not in nullable}, defaults=defaults or {})


def _records(db: Database) -> None:
    """Everything but orders: each with its filter/sort columns and ``data``."""
    _table(db, "refunds", {"id": INT, "order_id": INT, "order_item_id": INT, "uid": INT, "type": INT, "status": INT,
                           "return_leg": INT, "amount": INT, "reason": TEXT, "return_tracking": TEXT,
                           "created_at": TEXT, "updated_at": TEXT, "data": TEXT})
    db["refunds"].create_index(["order_id"])
    db["refunds"].create_index(["status", "created_at"])
    _table(db, "users", {"id": INT, "nick": TEXT, "mobile": TEXT, "level": INT, "source": INT, "status": INT,
                         "referrer_id": INT, "created_at": TEXT, "updated_at": TEXT, "data": TEXT})
    db["users"].create_index(["mobile"])
    _table(db, "addresses", {"id": INT, "uid": INT, "name": TEXT, "mobile": TEXT, "district_id": TEXT,
                             "address": TEXT, "is_default": INT, "data": TEXT})
    db["addresses"].create_index(["uid"])
    _table(db, "assets", {"uid": INT, "balance": INT, "frozen": INT, "points": INT, "tokens": INT,
                          "total_consumed": INT, "fetched_at": TEXT}, pk="uid")
    _table(db, "ledger", {"kind": TEXT, "id": INT, "uid": INT, "behavior": INT, "type": INT, "amount": INT,
                          "balance_after": INT, "order_id": INT, "remark": TEXT, "created_at": TEXT, "data": TEXT},
           pk=("kind", "id"))
    db["ledger"].create_index(["uid", "kind", "created_at"])
    db["ledger"].create_index(["kind", "created_at"])
    _table(db, "withdrawals", {"id": INT, "number": TEXT, "uid": INT, "channel": TEXT, "amount": INT, "status": INT,
                               "created_at": TEXT, "updated_at": TEXT, "data": TEXT})
    db["withdrawals"].create_index(["status", "created_at"])
    _table(db, "vouchers", {"id": INT, "code": TEXT, "uid": INT, "order_id": INT, "name": TEXT, "status": INT,
                            "updated_at": TEXT, "data": TEXT})
    db["vouchers"].create_index(["code"])
    db["vouchers"].create_index(["uid"])
    _table(db, "coupons", {"id": INT, "name": TEXT, "updated_at": TEXT, "data": TEXT})
    _table(db, "user_coupons", {"id": INT, "coupon_id": INT, "uid": INT, "status": INT, "updated_at": TEXT,
                                "data": TEXT})
    db["user_coupons"].create_index(["uid"])
    _table(db, "cms_pages", {"key": TEXT, "title": TEXT, "updated_at": TEXT, "data": TEXT}, pk="key")
    _table(db, "articles", {"id": INT, "category_id": INT, "title": TEXT, "updated_at": TEXT, "data": TEXT})
    for name in ("categories", "notices", "banners", "info_posts"):
        _table(db, name, {"id": INT, ("name" if name == "categories" else "title"): TEXT, "updated_at": TEXT,
                          "data": TEXT})
    _table(db, "couriers", {"id": INT, "code": TEXT, "name": TEXT, "data": TEXT})
    _table(db, "freight_rules", {"id": INT, "name": TEXT, "data": TEXT})
    _table(db, "regions", {"code": TEXT, "name": TEXT, "level": INT, "parent": TEXT}, pk="code")


def _orders(db: Database) -> None:
    _table(db, "orders", {
        "id": INT, "number": TEXT, "uid": INT, "status": INT, "refund_state": INT, "needs_delivery": INT,
        "is_paid": INT, "amount_goods": INT, "amount_freight": INT, "amount_discount": INT, "amount_paid": INT,
        "amount_refunded": INT, "goods_count": INT, "pickup_code": TEXT, "buyer_remark": TEXT, "admin_remark": TEXT,
        "receiver_name": TEXT, "receiver_mobile": TEXT, "province": TEXT, "city": TEXT, "district": TEXT,
        "address": TEXT, "courier_ids": TEXT, "tracking_numbers": TEXT, "goods_names": TEXT, "created_at": TEXT,
        "updated_at": TEXT, "paid_at": TEXT, "closed_at": TEXT, "shipped": INT, "printed": INT,
    }, nullable=("paid_at", "closed_at"), defaults={"printed": 0})
    orders = db["orders"]
    for columns in (["created_at", "id"], ["status", "created_at", "id"], ["updated_at", "id"],
                    ["uid", "created_at"], ["number"], ["refund_state", "created_at"], ["amount_paid", "id"],
                    ["receiver_name", "id"], ["needs_delivery", "created_at"], ["shipped", "created_at"],
                    ["printed", "created_at"]):
        orders.create_index(columns)
    # The platform's record lives beside the row, so that scans of a million orders stay narrow.
    _table(db, "order_data", {"id": INT, "data": TEXT})
    _table(db, "order_items", {"id": INT, "order_id": INT, "goods_id": INT, "sku_id": INT, "name": TEXT, "pic": TEXT,
                               "property": TEXT, "quantity": INT, "quantity_unshipped": INT, "unit_price": INT,
                               "amount": INT, "after_sale": TEXT})
    db["order_items"].create_index(["order_id"])
    _table(db, "parcels", {"id": INT, "order_id": INT, "courier_id": INT, "courier_name": TEXT,
                           "tracking_number": TEXT, "shipped_at": TEXT, "items": TEXT, "traces": TEXT})
    db["parcels"].create_index(["order_id"])
    db["parcels"].create_index(["tracking_number"])
    db["parcels"].create_index(["courier_id", "order_id"])
    _table(db, "order_logs", {"id": INT, "order_id": INT, "kind": INT, "text": TEXT, "remark": TEXT, "time": TEXT})
    db["order_logs"].create_index(["order_id"])
    # Tab counts without counting: kept by triggers as rows come, go and change status.
    _table(db, "order_counts", {"status": INT, "refund_state": INT, "n": INT}, pk=("status", "refund_state"))
    db.execute("""CREATE TRIGGER order_counts_insert AFTER INSERT ON orders BEGIN
        INSERT INTO order_counts VALUES (NEW.status, NEW.refund_state, 1)
            ON CONFLICT (status, refund_state) DO UPDATE SET n = n + 1; END""")
    db.execute("""CREATE TRIGGER order_counts_delete AFTER DELETE ON orders BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status AND refund_state = OLD.refund_state; END""")
    db.execute("""CREATE TRIGGER order_counts_update AFTER UPDATE OF status, refund_state ON orders
        WHEN OLD.status != NEW.status OR OLD.refund_state != NEW.refund_state BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status AND refund_state = OLD.refund_state;
        INSERT INTO order_counts VALUES (NEW.status, NEW.refund_state, 1)
            ON CONFLICT (status, refund_state) DO UPDATE SET n = n + 1; END""")
    # The search index: one document per order, trigram-tokenized so Chinese substrings of 3+
    # characters match. The FTS table reads its text from order_search (external content) and
    # sqlite-utils' triggers keep it in step, so rows are upserted, never INSERT OR REPLACE'd
    # (REPLACE would skip the delete trigger and leave the old text findable).
    _table(db, "order_search", {"id": INT, "doc": TEXT})
    db["order_search"].enable_fts(["doc"], fts_version="FTS5", tokenize="trigram", create_triggers=True)
    # Trigrams cannot find 2 characters (王伟, 大米): every 2-character piece of names, goods
    # and district is stored space-separated, and unicode61 makes each piece one token.
    _table(db, "order_grams", {"id": INT, "grams": TEXT})
    db["order_grams"].enable_fts(["grams"], fts_version="FTS5", tokenize="unicode61", create_triggers=True)


def _local(db: Database) -> None:
    """What only this desk knows: sync progress, the outbox, the audit log."""
    _table(db, "sync_state", {"resource": TEXT, "cursor": TEXT, "full_done": INT, "full_started_at": TEXT,
                              "pages_done": TEXT, "total_pages": INT, "synced_at": TEXT, "skipped": INT},
           pk="resource", defaults={"cursor": "", "full_done": 0, "full_started_at": "", "pages_done": "[]",
                                    "total_pages": 0, "synced_at": "", "skipped": 0})
    _table(db, "outbox", {"id": TEXT, "seq": INT, "created_at": TEXT, "operator": TEXT, "action": TEXT,
                          "target": TEXT, "params": TEXT, "state": TEXT, "attempts": INT, "result": TEXT,
                          "error": TEXT, "updated_at": TEXT}, defaults={"attempts": 0, "result": "", "error": ""})
    db["outbox"].create_index(["seq"], unique=True)
    db["outbox"].create_index(["state", "seq"])
    _table(db, "audit_log", {"seq": INT, "time": TEXT, "operator": TEXT, "account": TEXT, "action": TEXT,
                             "target": TEXT, "before": TEXT, "after": TEXT, "result": TEXT, "prev_hash": TEXT,
                             "hash": TEXT}, pk="seq")
    db["audit_log"].create_index(["target"])
    _table(db, "audit_head", {"id": INT, "count": INT, "hash": TEXT})
    # Append-only: the database itself refuses to change or remove an audit entry.
    db.execute("""CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""")
    db.execute("""CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""")
    # INSERT OR REPLACE deletes the old row without firing DELETE triggers (recursive_triggers
    # is off), so it could overwrite an entry: refuse an insert that reuses a seq.
    db.execute("""CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit_log
        WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""")
    db.execute("""CREATE TRIGGER audit_head_single BEFORE INSERT ON audit_head WHEN NEW.id != 1
        BEGIN SELECT RAISE(ABORT, 'audit head has one row'); END""")


def v1(db: Database) -> None:
    _orders(db)
    _records(db)
    _local(db)


# An order's row holds every field of the record, receiver ids included, so the JSON copy
# in order_data goes: writing it cost a first sync ~20 µs per order and 1M orders ~600 MB.
V3_ORDERS_ARE_THEIR_RECORD = [
    *(f"ALTER TABLE orders ADD COLUMN {c} TEXT NOT NULL DEFAULT ''"
      for c in ("province_id", "city_id", "district_id", "postcode")),
    "ALTER TABLE orders ADD COLUMN has_receiver INTEGER NOT NULL DEFAULT 1",
    """UPDATE orders SET (province_id, city_id, district_id, postcode, has_receiver) = (
        SELECT coalesce(json_extract(d.data, '$.receiver.province_id'), ''),
               coalesce(json_extract(d.data, '$.receiver.city_id'), ''),
               coalesce(json_extract(d.data, '$.receiver.district_id'), ''),
               coalesce(json_extract(d.data, '$.receiver.postcode'), ''),
               json_type(d.data, '$.receiver') = 'object'
        FROM order_data d WHERE d.id = orders.id)
     WHERE id IN (SELECT id FROM order_data)""",
    "DROP TABLE order_data",
]

# Batch shipments and the print journal: what only this desk did, kept so that a batch
# stopped by a crash resumes where it was, and so that a second print is noticed.
V6_BATCHES_AND_PRINT_JOURNAL = [
    """CREATE TABLE ship_batches (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        source TEXT NOT NULL,
        header TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL CHECK (state IN ('dry_run', 'applying', 'done', 'stopped')),
        rows INTEGER NOT NULL DEFAULT 0,
        to_send INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL)""",
    # One row per line of the file. The rows of one order are sent together (one shipment)
    # and share its state and outbox entries; ``row`` keeps the cells as read, so the
    # results file can be written after a restart too.
    """CREATE TABLE ship_batch_rows (
        batch_id INTEGER NOT NULL REFERENCES ship_batches (id) ON DELETE CASCADE,
        line INTEGER NOT NULL,
        order_number TEXT NOT NULL,
        order_id INTEGER,
        courier_id INTEGER,
        courier_name TEXT NOT NULL DEFAULT '',
        tracking_numbers TEXT NOT NULL DEFAULT '[]',
        verdict TEXT NOT NULL CHECK (verdict IN ('ok', 'warning', 'error', 'skip')),
        notes TEXT NOT NULL DEFAULT '[]',
        row TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'done', 'failed', 'skipped')),
        entry_ids TEXT NOT NULL DEFAULT '[]',
        message TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (batch_id, line))""",
    "CREATE INDEX idx_ship_batch_rows_state ON ship_batch_rows (batch_id, state)",
    "CREATE INDEX idx_ship_batch_rows_order ON ship_batch_rows (batch_id, order_id)",
    "CREATE INDEX idx_ship_batches_state ON ship_batches (state, id)",
    """CREATE TABLE print_jobs (
        id INTEGER PRIMARY KEY,
        printed_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        workstation TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('slip', 'packing', 'picklist')),
        profile TEXT NOT NULL DEFAULT '{}',
        copies INTEGER NOT NULL DEFAULT 1,
        order_count INTEGER NOT NULL)""",
    """CREATE TABLE print_job_orders (
        job_id INTEGER NOT NULL REFERENCES print_jobs (id),
        order_id INTEGER NOT NULL,
        PRIMARY KEY (job_id, order_id)) WITHOUT ROWID""",
    # "Printed N times before?" and an order's history read by order.
    "CREATE INDEX idx_print_job_orders_order ON print_job_orders (order_id, job_id)",
]

Step = list[str] | Callable[["Database"], None]

# (version, what it does, the step: SQL statements or a function of a sqlite-utils Database)
MIGRATIONS: list[tuple[int, str, Step]] = [
    (1, "every platform resource, search index, tab counters, sync state, outbox, audit log", v1),
    (2, "a first sync can stand the order indexes aside and build them at the end", bulk_load.MIGRATION),
    (3, "orders keep receiver ids and postcode as columns; order_data goes", V3_ORDERS_ARE_THEIR_RECORD),
    (4, "a first sync indexes its documents for search in batches while it runs", bulk_load.QUEUED),
    (5, "tab counts under a date range read one index, not the rows", [bulk_load.TAB_COUNTS_INDEX]),
    (6, "batch shipments that resume after a crash; the print journal", V6_BATCHES_AND_PRINT_JOURNAL),
    (7, "a first sync keeps the tab counters and queues new documents per page, not per row", bulk_load.APPLY_KEEPS),
    (8, "the search document in fields, so no trigram spans two of them", bulk_load.FIELDS),
]
