"""The 软猫引擎 open-platform dialect of the practice platform.

Serves app/platform/ruanmao/routes.py exactly as shared/platform/ruanmao-signing.md
says: signed JSON POSTs checked for appId, sign, timestamp window, replayed nonce and
AccessToken, and signed answers ``{code, msg, data, timestamp, nonceStr, sign}`` carrying
the server's clock. Business rules live in app/sandbox/ops; this package parses and renders.

``security`` checks calls and signs answers, ``base`` holds the handler registry and the
typed parameter readers, ``render`` turns rows into wire objects, and one module per area
(``orders``, ``refunds``, ``vouchers``, ``cms``, ``users``, ``wallet``) registers its
operations by name.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import Route

from app.platform.ruanmao.routes import ACCESS_TOKEN, ROUTES
from app.sandbox.dialects.ruanmao import cms, orders, refunds, users, vouchers, wallet
from app.sandbox.dialects.ruanmao.base import Ops
from app.sandbox.dialects.ruanmao.security import access_token_handler, endpoints


def routes(state: Any) -> list[Route]:
    """The AccessToken route, then one route per operation of the shared route table."""
    endpoint = endpoints(state)
    ops = Ops()
    conn = state.conn
    for area in (orders, refunds, vouchers, cms, users, wallet):
        area.register(ops, conn)
    served = ops.served
    missing = set(ROUTES) - set(served) - {"auth.access_token"}
    if missing:  # the table and the dialect must not drift
        raise RuntimeError(f"ruanmao dialect serves no handler for {sorted(missing)}")
    unknown = set(served) - set(ROUTES)
    if unknown:
        raise RuntimeError(f"ruanmao dialect serves operations the route table lacks: {sorted(unknown)}")
    out = [Route(ACCESS_TOKEN, endpoint(access_token_handler(state), token=False), methods=["POST"])]
    # The areas register in module order; the routes keep the table's order.
    out += [Route(ROUTES[name], endpoint(served[name]), methods=["POST"]) for name in ROUTES if name in served]
    return out
