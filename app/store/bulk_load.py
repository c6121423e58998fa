"""Writing a whole shop at once: the first sync of orders, with its indexes built at the end.

Kept row by row, the order indexes cost a first sync most of its time: FTS5 flushes and
merges a segment at every page's commit (about 80 µs of CPU per order), and the indexes
on receiver, amount or buyer take their rows in random order, so every page's commit
rewrites pages all over them. Built once at the end from the finished tables — FTS5's
'rebuild', CREATE INDEX's sort — the same indexes cost a fraction of that.

So while a first sync of orders runs, the secondary indexes are dropped (their SQL kept in
``deferred_indexes``), documents wait in a queue and go into the search index in batches
of thousands (``flush``, from the page process while it writes), and searches read the
documents with LIKE. The sync's last step builds the indexes and indexes what still waits
in the transaction that marks it done: a kill at any point leaves either the bulk state,
which the next run finishes, or complete indexes.
"""

from __future__ import annotations

import sqlite3

# The search document's fields, one column each in order_search and its trigram index
# (schema version 8). As one text, a third of the trigrams spanned two fields and could
# never match (a searched word has no line break), and made the index ~30% dearer to build.
DOC_FIELDS = ("numbers", "remarks", "names", "phones", "destination", "goods", "tracking")
SEARCH_INDEXES = (("order_search", DOC_FIELDS), ("order_grams", ("grams",)))
_ONE_TEXT = (("order_search", ("doc",)), ("order_grams", ("grams",)))  # versions 1 to 7


def doc_text(alias: str = "") -> str:
    """The whole document as one text, in SQL: what LIKE reads while the index is being
    built, and when the newest orders are walked for a common word."""
    return " || char(10) || ".join(f"{alias}{field}" for field in DOC_FIELDS)

# What the order list needs while the first sync fills it (newest first, the status tabs,
# the writes' own lookups by order) stays; the rest is built at the end (sorting by update
# time too: nothing reads it while the first sync runs but a list sorted that way).
DEFERRED_INDEXES = (
    "idx_orders_uid_created_at", "idx_orders_number", "idx_orders_refund_state_created_at",
    "idx_orders_amount_paid_id", "idx_orders_receiver_name_id", "idx_orders_needs_delivery_created_at",
    "idx_orders_shipped_created_at", "idx_orders_printed_created_at", "idx_parcels_tracking_number",
    "idx_parcels_courier_id_order_id", "idx_orders_created_at_status_refund_state", "idx_orders_updated_at_id",
)

# The tab counts under a date range: the status and refund state of every order in the
# range, read from the index alone (schema version 5).
TAB_COUNTS_INDEX = ("CREATE INDEX idx_orders_created_at_status_refund_state "
                    "ON orders (created_at, status, refund_state)")


def _kept(table: str, columns: tuple[str, ...]) -> list[str]:
    """The search index kept row by row, unless a bulk load has it deferred."""
    fts, when = f"{table}_fts", "WHEN (SELECT deferred FROM search_index) = 0"
    names, new, old = (", ".join(f"{prefix}{c}" for c in columns) for prefix in ("", "new.", "old."))
    return [
        f"DROP TRIGGER IF EXISTS {table}_ai", f"DROP TRIGGER IF EXISTS {table}_ad", f"DROP TRIGGER IF EXISTS {table}_au",
        f"""CREATE TRIGGER {table}_ai AFTER INSERT ON {table} {when} BEGIN
            INSERT INTO {fts} (rowid, {names}) VALUES (new.id, {new}); END""",
        f"""CREATE TRIGGER {table}_ad AFTER DELETE ON {table} {when} BEGIN
            INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END""",
        f"""CREATE TRIGGER {table}_au AFTER UPDATE ON {table} {when} BEGIN
            INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.id, {old});
            INSERT INTO {fts} (rowid, {names}) VALUES (new.id, {new}); END""",
    ]


def _unqueued(table: str, columns: tuple[str, ...]) -> list[str]:
    """While deferred: a document already in the index (written before the bulk load, or
    flushed since) leaves it when it changes or goes, and a changed one waits in the queue
    (a new one is queued by ``queue``). Each document is in the index or in the queue,
    never both, never neither."""
    fts, queue, when = f"{table}_fts", f"{table}_queue", "WHEN (SELECT deferred FROM search_index) = 1"
    names, old = (", ".join(f"{prefix}{c}" for c in columns) for prefix in ("", "old."))
    unindex = (f"INSERT INTO {fts} ({fts}, rowid, {names}) SELECT 'delete', old.id, {old} "
               f"WHERE NOT EXISTS (SELECT 1 FROM {queue} WHERE id = old.id)")
    return [
        f"""CREATE TRIGGER {table}_bulk_ad AFTER DELETE ON {table} {when} BEGIN
            {unindex}; DELETE FROM {queue} WHERE id = old.id; END""",
        f"""CREATE TRIGGER {table}_bulk_au AFTER UPDATE ON {table} {when} BEGIN
            {unindex}; DELETE FROM {queue} WHERE id = old.id AND old.id != new.id; {_enqueue(queue)}; END""",
    ]


def _enqueue(queue: str) -> str:
    # Not INSERT OR IGNORE: an upsert's own conflict handling overrides a trigger's.
    return f"INSERT INTO {queue} SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM {queue} WHERE id = new.id)"


def _queued(table: str, columns: tuple[str, ...]) -> list[str]:
    """Version 4: the queue, and every new document queued by a trigger too."""
    queue, when = f"{table}_queue", "WHEN (SELECT deferred FROM search_index) = 1"
    return [
        f"CREATE TABLE {queue} (id INTEGER PRIMARY KEY)",
        f"""CREATE TRIGGER {table}_bulk_ai AFTER INSERT ON {table} {when} BEGIN
            {_enqueue(queue)}; END""",
        *_unqueued(table, columns),
        *_from_scratch(table, columns),
    ]


def _from_scratch(table: str, columns: tuple[str, ...]) -> list[str]:
    """A cache caught in the middle of a bulk load by a migration that remakes its index
    knows no better than "everything since it started": the index starts again from empty,
    all queued."""
    fts, queue, deferred = f"{table}_fts", f"{table}_queue", "(SELECT deferred FROM search_index)"
    return [
        f"INSERT INTO {fts} ({fts}) SELECT 'delete-all' WHERE {deferred} = 1",
        f"INSERT INTO {queue} SELECT id FROM {table} WHERE {deferred} = 1",
    ]


# Migration step (version 2): the switch, the place for dropped indexes, and the search
# triggers rewritten to obey the switch.
MIGRATION = [
    "CREATE TABLE search_index (id INTEGER PRIMARY KEY CHECK (id = 1), deferred INTEGER NOT NULL)",
    "INSERT INTO search_index VALUES (1, 0)",
    "CREATE TABLE deferred_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL)",
    *(statement for table, columns in _ONE_TEXT for statement in _kept(table, columns)),
]

# Migration step (version 4): documents written during a first sync wait in a queue and go
# into the index in big batches while the sync runs (``flush``), not all at its end.
QUEUED = [statement for table, columns in _ONE_TEXT for statement in _queued(table, columns)]

# Migration step (version 7): per-row triggers a first sync paid for on every order, done
# per page by ``orders.apply`` instead while a bulk load runs (it is the only writer of
# orders and documents): the tab counters (~3 µs an order as triggers) and queueing new
# documents (~3 µs). A changed or removed document still leaves the index by trigger.
_COUNTS_WHEN = "WHEN (SELECT deferred FROM search_index) = 0"
APPLY_KEEPS = [
    "DROP TRIGGER order_counts_insert", "DROP TRIGGER order_counts_delete", "DROP TRIGGER order_counts_update",
    f"""CREATE TRIGGER order_counts_insert AFTER INSERT ON orders {_COUNTS_WHEN} BEGIN
        INSERT INTO order_counts VALUES (NEW.status, NEW.refund_state, 1)
            ON CONFLICT (status, refund_state) DO UPDATE SET n = n + 1; END""",
    f"""CREATE TRIGGER order_counts_delete AFTER DELETE ON orders {_COUNTS_WHEN} BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status AND refund_state = OLD.refund_state; END""",
    """CREATE TRIGGER order_counts_update AFTER UPDATE OF status, refund_state ON orders
        WHEN (OLD.status != NEW.status OR OLD.refund_state != NEW.refund_state)
            AND (SELECT deferred FROM search_index) = 0 BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status AND refund_state = OLD.refund_state;
        INSERT INTO order_counts VALUES (NEW.status, NEW.refund_state, 1)
            ON CONFLICT (status, refund_state) DO UPDATE SET n = n + 1; END""",
    *(f"DROP TRIGGER {table}_bulk_ai" for table, _ in _ONE_TEXT),
]

# Migration step (version 8): the search document in fields (DOC_FIELDS). Dropping the
# table drops its index and triggers; the documents are written again from the orders.
FIELDS_TABLE = [
    "DROP TABLE order_search_fts",
    "DROP TABLE order_search",
    f"CREATE TABLE order_search (id INTEGER PRIMARY KEY NOT NULL, {', '.join(f'{c} TEXT NOT NULL' for c in DOC_FIELDS)})",
]


def _lines(a: str, b: str) -> str:
    """SQL for ``orders._lines(a, b)``: the two texts a line apart, an empty one left out."""
    return f"CASE WHEN {a} != '' AND {b} != '' THEN {a} || char(10) || {b} ELSE {a} || {b} END"


_RECEIVER = "CASE WHEN o.has_receiver THEN {} ELSE '' END"
# What ``orders.search_doc`` makes of an order, from what the cache holds (the receiver's
# city left out as ``full_address`` does; goods and parcels in id order).
DOCUMENTS_FROM_ORDERS = f"""INSERT INTO order_search (id, {', '.join(DOC_FIELDS)})
    SELECT o.id, {_lines("o.number", "o.pickup_code")}, {_lines("o.buyer_remark", "o.admin_remark")},
        {_lines(_RECEIVER.format("o.receiver_name"), "coalesce(u.nick, '')")},
        {_lines(_RECEIVER.format("o.receiver_mobile"), "coalesce(u.mobile, '')")},
        {_RECEIVER.format("o.province || CASE WHEN o.city IN ('', o.province, '市辖区') THEN '' ELSE o.city END "
                          "|| o.district || o.address")},
        coalesce((SELECT group_concat(i.name || ' ' || i.property, char(10)) FROM
                  (SELECT name, property FROM order_items WHERE order_id = o.id ORDER BY id) i), ''),
        coalesce((SELECT group_concat(p.tracking_number, char(10)) FROM
                  (SELECT tracking_number FROM parcels WHERE order_id = o.id AND tracking_number != '' ORDER BY id) p),
                 '')
    FROM orders o LEFT JOIN users u ON u.id = o.uid ORDER BY o.id"""
FIELDS_INDEXED = [
    f"CREATE VIRTUAL TABLE order_search_fts USING FTS5 ({', '.join(DOC_FIELDS)}, tokenize='trigram', "
    "content='order_search', content_rowid='id')",
    *_kept("order_search", DOC_FIELDS),
    *_unqueued("order_search", DOC_FIELDS),
    "DELETE FROM order_search_queue",
    *_from_scratch("order_search", DOC_FIELDS),
    "INSERT INTO order_search_fts (order_search_fts) SELECT 'rebuild' WHERE (SELECT deferred FROM search_index) = 0",
]
FIELDS = [*FIELDS_TABLE, DOCUMENTS_FROM_ORDERS, *FIELDS_INDEXED]


def queue(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Documents just written while deferred wait for the next flush (a changed one is
    queued by its trigger already; new ones here, one statement a page)."""
    for table, _ in SEARCH_INDEXES:
        conn.executemany(f"INSERT OR IGNORE INTO {table}_queue VALUES (?)", [(i,) for i in ids])


# Documents indexed at a time while a first sync runs: big enough that FTS5 writes few,
# large segments (as a 'rebuild' does), small enough that a write from staff waiting for
# the lock waits a fraction of a second.
FLUSH_EVERY = 10_000


def active(conn: sqlite3.Connection) -> bool:
    """A bulk load is under way: the search indexes are not complete."""
    row = conn.execute("SELECT deferred FROM search_index").fetchone()
    return bool(row and row[0])


def start(conn: sqlite3.Connection) -> None:
    """Stand the indexes aside: a first sync is about to write every order."""
    conn.execute("UPDATE search_index SET deferred = 1")
    for name in DEFERRED_INDEXES:
        row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)).fetchone()
        if row is not None:
            conn.execute("INSERT OR REPLACE INTO deferred_indexes VALUES (?, ?)", (name, row[0]))
            conn.execute(f"DROP INDEX {name}")


def finish(conn: sqlite3.Connection) -> None:
    """Build every index from the finished tables and keep them row by row again."""
    for name, sql in conn.execute("SELECT name, sql FROM deferred_indexes ORDER BY name").fetchall():
        conn.execute(sql)
        conn.execute("DELETE FROM deferred_indexes WHERE name = ?", (name,))
    flush(conn)
    conn.execute("UPDATE search_index SET deferred = 0")


def flush(conn: sqlite3.Connection) -> int:
    """Index the documents waiting in the queue; how many there were."""
    waiting = 0
    for table, columns in SEARCH_INDEXES:
        waiting = max(waiting, conn.execute(
            f"INSERT INTO {table}_fts (rowid, {', '.join(columns)}) SELECT t.id, {', '.join(f't.{c}' for c in columns)} "
            f"FROM {table}_queue q JOIN {table} t ON t.id = q.id ORDER BY q.id").rowcount)
        conn.execute(f"DELETE FROM {table}_queue")
    return waiting
