"""Users, their addresses and statistics; shop-user registration and login."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from typing import Any

from app.sandbox.db import now
from app.sandbox.ops import OpError, invalid, not_found, one, page, rows, tx, where_of

USER_FILTERS = {
    "id": "id = ?", "mobile": "mobile = ?", "nick_like": "nick LIKE '%' || ? || '%'", "status": "status = ?",
    "source": "source = ?", "referrer": "referrer_id = ?", "province": "province = ?", "city": "city = ?",
    "level": "level = ?", "date_update_begin": "date_update >= ?", "date_add_begin": "date_add >= ?",
    "date_add_end": "date_add <= ?",
}


def list_users(conn: sqlite3.Connection, filters: dict[str, Any], page_no: int,
               page_size: int) -> tuple[list[dict[str, Any]], int]:
    where, args = where_of(filters, USER_FILTERS)
    order = "date_update, id" if filters.get("date_update_begin") else "id DESC"
    return page(conn, "users", where, args, page_no, page_size, order)


def get_user(conn: sqlite3.Connection, uid: int) -> dict[str, Any]:
    found = one(conn, "SELECT u.*, l.name AS level_name FROM users u LEFT JOIN user_levels l ON l.id = u.level "
                      "WHERE u.id = ?", uid)
    if found is None:
        raise not_found("用户")
    return found


def modify(conn: sqlite3.Connection, uid: int, fields: dict[str, Any]) -> None:
    allowed = {"nick", "avatar", "remark", "status", "level", "gender", "province", "city"}
    fields = {k: v for k, v in fields.items() if v is not None}
    bad = set(fields) - allowed
    if bad:
        raise invalid(f"不能修改：{', '.join(sorted(bad))}")
    if "status" in fields and int(fields["status"]) not in (0, 1):
        raise invalid("用户状态只能是 0 正常 或 1 禁用")
    if "nick" in fields and not str(fields["nick"]).strip():
        raise invalid("昵称不能为空")
    with tx(conn):
        get_user(conn, uid)
        if not fields:
            return
        sets = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE users SET {sets}, date_update = ? WHERE id = ?", (*fields.values(), now(), uid))


def stats(conn: sqlite3.Connection, uid: int, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    get_user(conn, uid)
    where, args = "uid = ? AND is_pay = 1", [uid]
    if since:
        where += " AND date_add >= ?"
        args.append(since)
    if until:
        where += " AND date_add <= ?"
        args.append(until)
    row = conn.execute(f"SELECT COUNT(*), COALESCE(SUM(amount_real), 0), MAX(date_add) FROM orders WHERE {where}",
                       args).fetchone()
    refunds = conn.execute("SELECT COUNT(*) FROM refund_applies WHERE uid = ?", (uid,)).fetchone()[0]
    return {"uid": uid, "orders": row[0], "amount": row[1], "last_order": row[2], "refunds": refunds}


def addresses(conn: sqlite3.Connection, uid: int) -> list[dict[str, Any]]:
    return rows(conn, "SELECT * FROM addresses WHERE uid = ? AND status = 0 ORDER BY is_default DESC, id", uid)


def save_address(conn: sqlite3.Connection, uid: int, fields: dict[str, Any], address_id: int | None = None) -> int:
    for key, label in (("link_man", "联系人"), ("mobile", "手机号"), ("district_id", "区县"), ("address", "详细地址")):
        if not str(fields.get(key) or "").strip():
            raise invalid(f"请填写{label}")
    with tx(conn):
        d = one(conn, "SELECT * FROM regions WHERE code = ?", str(fields["district_id"]))
        if d is None:
            raise invalid("区县代码不存在")
        c = one(conn, "SELECT * FROM regions WHERE code = ?", d["parent"])
        ts = now()
        values = (fields["link_man"], fields["mobile"], c["parent"] if c else "", d["parent"], d["code"],
                  fields["address"], str(fields.get("code") or ""), int(bool(fields.get("is_default"))))
        if values[-1]:
            conn.execute("UPDATE addresses SET is_default = 0, date_update = ? WHERE uid = ?", (ts, uid))
        if address_id:
            if one(conn, "SELECT id FROM addresses WHERE id = ? AND uid = ?", address_id, uid) is None:
                raise not_found("收货地址")
            conn.execute("UPDATE addresses SET link_man=?, mobile=?, province_id=?, city_id=?, district_id=?, "
                         "address=?, code=?, is_default=?, date_update=? WHERE id = ?", (*values, ts, address_id))
            return address_id
        cur = conn.execute("INSERT INTO addresses (uid, link_man, mobile, province_id, city_id, district_id, address,"
                           " code, is_default, status, date_add, date_update) VALUES (?,?,?,?,?,?,?,?,?,0,?,?)",
                           (uid, *values, ts, ts))
        return int(cur.lastrowid or 0)


def delete_address(conn: sqlite3.Connection, uid: int, address_id: int) -> None:
    with tx(conn):
        if one(conn, "SELECT id FROM addresses WHERE id = ? AND uid = ?", address_id, uid) is None:
            raise not_found("收货地址")
        conn.execute("UPDATE addresses SET status = 1, date_update = ? WHERE id = ?", (now(), address_id))


def _hash(password: str, salt: str) -> str:
    return salt + "$" + hashlib.sha256((salt + password).encode()).hexdigest()


def register(conn: sqlite3.Connection, username: str, password: str, nick: str = "", mobile: str = "") -> int:
    if len(username.strip()) < 3:
        raise invalid("用户名至少 3 个字符")
    if len(password) < 6:
        raise invalid("密码至少 6 位")
    with tx(conn):
        if one(conn, "SELECT id FROM users WHERE username = ?", username.strip()):
            raise invalid("用户名已被注册")
        ts = now()
        cur = conn.execute(
            "INSERT INTO users (nick, mobile, avatar, source, username, password_hash, date_add, date_login,"
            " date_update) VALUES (?,?,?,4,?,?,?,?,?)",
            (nick or username, mobile, "", username.strip(), _hash(password, secrets.token_hex(4)), ts, ts, ts))
        uid = int(cur.lastrowid or 0)
        conn.execute("INSERT INTO assets (uid, date_update) VALUES (?, ?)", (uid, ts))
        conn.execute("UPDATE users SET avatar = ? WHERE id = ?", (f"/img/avatar/{uid}.svg", uid))
        return uid


def login(conn: sqlite3.Connection, username: str, password: str) -> tuple[str, int]:
    user = one(conn, "SELECT * FROM users WHERE username = ?", username.strip())
    if user is None or not user["password_hash"]:
        raise OpError(OpError.AUTH, "用户名或密码错误")
    salt = user["password_hash"].split("$", 1)[0]
    if _hash(password, salt) != user["password_hash"]:
        raise OpError(OpError.AUTH, "用户名或密码错误")
    if user["status"] == 1:
        raise OpError(OpError.AUTH, "账号已被禁用")
    return issue_token(conn, user["id"]), user["id"]


def issue_token(conn: sqlite3.Connection, uid: int) -> str:
    token = secrets.token_hex(16)
    ts = now()
    with tx(conn):
        conn.execute("INSERT INTO user_tokens VALUES (?, ?, datetime(?, '+30 days'))", (token, uid, ts))
        conn.execute("UPDATE users SET date_login = ? WHERE id = ?", (ts, uid))
    return token


def uid_for_token(conn: sqlite3.Connection, token: str | None) -> int | None:
    if not token:
        return None
    row = conn.execute("SELECT uid FROM user_tokens WHERE token = ? AND expires > ?", (token, now())).fetchone()
    return row[0] if row else None


def logout(conn: sqlite3.Connection, token: str) -> None:
    conn.execute("DELETE FROM user_tokens WHERE token = ?", (token,))


def user_level(conn: sqlite3.Connection, uid: int) -> dict[str, Any]:
    """A user's level with its name and the spend that reaches the next one (0: top level)."""
    user = get_user(conn, uid)
    nxt = one(conn, "SELECT upgrade FROM user_levels WHERE id > ? ORDER BY id LIMIT 1", user["level"])
    return {"uid": uid, "level": user["level"], "name": user["level_name"] or "",
            "next_upgrade": nxt["upgrade"] if nxt else 0}
