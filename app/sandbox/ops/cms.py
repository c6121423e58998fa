"""CMS: single pages (about us, terms), articles and categories, notices, banners, info board."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.sandbox.db import now
from app.sandbox.ops import invalid, not_found, one, page, rows, tx

# table -> (columns staff may set, columns that must not be empty)
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "cms_articles": (("category_id", "title", "descript", "content", "pic", "tags", "author", "is_recommend",
                      "status"), ("title", "content")),
    "cms_categories": (("name", "key", "pid", "paixu"), ("name",)),
    "notices": (("type", "title", "content", "is_show"), ("title", "content")),
    "banners": (("type", "title", "pic", "link_url", "paixu", "status"), ("title", "pic")),
    "info_posts": (("category", "title", "content"), ("title", "content")),
}
DEFAULTS = {"key": "", "pid": 0, "paixu": 0, "type": "", "is_show": 1, "status": 0, "descript": "", "pic": "",
            "tags": "", "author": "", "is_recommend": 0, "category_id": 0, "link_url": "", "category": ""}
NAMES = {"cms_articles": "文章", "cms_categories": "分类", "notices": "公告", "banners": "轮播图", "info_posts": "公示信息"}


def list_items(conn: sqlite3.Connection, table: str, filters: dict[str, Any], page_no: int,
               page_size: int) -> tuple[list[dict[str, Any]], int]:
    where, args = [], []
    if table == "cms_articles":
        where.append("status = 0")
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if key == "title_like":
            where.append("title LIKE '%' || ? || '%'")
        elif key == "tags_like":
            where.append("tags LIKE '%' || ? || '%'")
        elif key == "date_update_begin":
            where.append("date_update >= ?")
        elif key in ("category_id", "type", "category", "is_recommend"):
            where.append(f"{key} = ?")
        else:
            continue
        args.append(value)
    order = "date_update, id" if filters.get("date_update_begin") else "id DESC"
    return page(conn, table, where, args, page_no, page_size, order)


def get_item(conn: sqlite3.Connection, table: str, item_id: int) -> dict[str, Any]:
    found = one(conn, f"SELECT * FROM {table} WHERE id = ?", item_id)
    if found is None or (table == "cms_articles" and found["status"] == 1):
        raise not_found(NAMES[table])
    return found


def save_item(conn: sqlite3.Connection, table: str, fields: dict[str, Any], item_id: int | None = None) -> int:
    allowed, required = TABLES[table]
    values = {k: v for k, v in fields.items() if k in allowed and v is not None}
    with tx(conn):
        ts = now()
        if item_id:
            current = get_item(conn, table, item_id)
            merged = {**current, **values}
            for key in required:
                if not str(merged.get(key) or "").strip():
                    raise invalid(f"{NAMES[table]}的 {key} 不能为空")
            if values:
                sets = ", ".join(f"{k} = ?" for k in values)
                conn.execute(f"UPDATE {table} SET {sets}, date_update = ? WHERE id = ?", (*values.values(), ts, item_id))
            else:
                conn.execute(f"UPDATE {table} SET date_update = ? WHERE id = ?", (ts, item_id))
            return item_id
        for key in required:
            if not str(values.get(key) or "").strip():
                raise invalid(f"{NAMES[table]}的 {key} 不能为空")
        full = {k: values.get(k, DEFAULTS.get(k, "")) for k in allowed}
        cols = ", ".join(full)
        cur = conn.execute(f"INSERT INTO {table} ({cols}, date_add, date_update) VALUES "
                           f"({','.join('?' * len(full))}, ?, ?)", (*full.values(), ts, ts))
        return int(cur.lastrowid or 0)


def delete_item(conn: sqlite3.Connection, table: str, item_id: int) -> None:
    with tx(conn):
        get_item(conn, table, item_id)
        if table == "cms_articles":
            # Articles are soft-deleted so that a sync can see the deletion through date_update.
            conn.execute("UPDATE cms_articles SET status = 1, date_update = ? WHERE id = ?", (now(), item_id))
        else:
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (item_id,))


def get_page(conn: sqlite3.Connection, key: str) -> dict[str, Any]:
    found = one(conn, "SELECT * FROM cms_pages WHERE key = ?", key)
    if found is None:
        raise not_found("单页")
    return found


def set_page(conn: sqlite3.Connection, key: str, title: str, content: str) -> None:
    if not key.strip():
        raise invalid("缺少单页 key")
    if not content.strip():
        raise invalid("单页内容不能为空")
    with tx(conn):
        ts = now()
        if one(conn, "SELECT id FROM cms_pages WHERE key = ?", key):
            conn.execute("UPDATE cms_pages SET title = COALESCE(NULLIF(?, ''), title), content = ?, date_update = ?"
                         " WHERE key = ?", (title, content, ts, key))
        else:
            conn.execute("INSERT INTO cms_pages (key, title, content, date_add, date_update) VALUES (?,?,?,?,?)",
                         (key, title or key, content, ts, ts))


def list_pages(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return rows(conn, "SELECT * FROM cms_pages ORDER BY id")
