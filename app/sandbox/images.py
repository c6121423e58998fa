"""Pictures for the practice shop: small SVGs drawn on request (goods, avatars, banners).

Deterministic from the path, so a picture's URL always shows the same picture.
"""

from __future__ import annotations

import hashlib
import sqlite3
from html import escape

from starlette.requests import Request
from starlette.responses import Response

PALETTE = ("#e4572e", "#17bebb", "#ffc914", "#2e282a", "#76b041", "#5f0f40", "#0f4c5c", "#e36414", "#9a031e")


def _label(conn: sqlite3.Connection, kind: str, ident: str) -> str:
    number = ident.split("-", 1)[0]
    if kind == "goods" and number.isdigit():
        row = conn.execute("SELECT name FROM goods WHERE id = ?", (int(number),)).fetchone()
        return row[0] if row else "商品"
    if kind == "avatar" and number.isdigit():
        row = conn.execute("SELECT nick FROM users WHERE id = ?", (int(number),)).fetchone()
        return (row[0] if row else "用户")[:1]
    return {"banner": "活动", "article": "文章", "refund": "凭证"}.get(kind, kind)


def svg_for(conn: sqlite3.Connection, kind: str, ident: str) -> str:
    digest = hashlib.sha1(f"{kind}/{ident}".encode()).digest()
    color = PALETTE[digest[0] % len(PALETTE)]
    label = escape(_label(conn, kind, ident))
    size = 160
    font = 64 if kind == "avatar" else 18
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
            f'<rect width="{size}" height="{size}" fill="{color}"/>'
            f'<text x="50%" y="54%" font-size="{font}" fill="#fff" text-anchor="middle" '
            f'dominant-baseline="middle" font-family="sans-serif">{label}</text></svg>')


def image_route(conn_getter):  # type: ignore[no-untyped-def]
    async def image(request: Request) -> Response:
        kind = request.path_params["kind"]
        ident = request.path_params["name"].rsplit(".", 1)[0]
        body = svg_for(conn_getter(), kind, ident)
        return Response(body, media_type="image/svg+xml", headers={"cache-control": "max-age=86400"})

    return image
