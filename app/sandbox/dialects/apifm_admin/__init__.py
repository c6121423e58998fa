"""API工厂 merchant admin API (后台API, ``https://user.api.it120.cc``), served at the root.

Paths, parameters and payload shapes follow platform-api-research.md §2.8. What the
research leaves open is marked "sandbox choice" in the area modules; the adapter in
app/platform/apifm only relies on what is served here. Quirks kept on purpose because the
real platform has them: money as JSON numbers in yuan, ``statusStr`` next to ``status``,
traces as a JSON *string* inside the JSON, and an empty list answering code 700 rather
than ``[]``.

The package is split by responsibility: ``envelope`` (codes, the envelope, refusals, the
route table), ``render`` (rows to wire objects), ``login`` (the session) and one module
per area (``orders``, ``users``, ``wallet``, ``coupons``, ``cms``). The shop-user API in
apifm_shop answers in the same envelope and renders with the same functions, so those
are re-exported here.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import Route

from app.sandbox.dialects.apifm_admin import cms, coupons, login, orders, users, wallet
from app.sandbox.dialects.apifm_admin.envelope import (
    EMPTY,
    NOT_LOGGED_IN,
    Handler,
    Reply,
    RouteTable,
    day_end,
    listing,
    slice_page,
    wrap,
)
from app.sandbox.dialects.apifm_admin.render import (
    address_names,
    label,
    order_detail,
    orders_payload,
    render_address,
    render_apply,
    render_article,
    render_banner,
    render_cash_log,
    render_category,
    render_notice,
    render_order,
    render_page,
    render_score_log,
)

__all__ = [
    "EMPTY", "NOT_LOGGED_IN", "Handler", "Reply", "address_names", "day_end", "label", "listing", "order_detail",
    "orders_payload", "render_address", "render_apply", "render_article", "render_banner", "render_cash_log",
    "render_category", "render_notice", "render_order", "render_page", "render_score_log", "routes", "slice_page",
    "wrap",
]


def routes(state: Any) -> list[Route]:
    """Every admin route, in the order the areas register them."""
    table = RouteTable()
    login.register(table, state)
    conn = state.conn
    for area in (orders, users, wallet, coupons, cms):
        area.register(table, conn)
    return table.routes(login.token_check(state))
