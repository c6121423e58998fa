"""Simulated customers: they place orders, pay, confirm receipt and ask for refunds
through the same rules a mini-program user meets, so practice mode feels alive."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import TYPE_CHECKING

from app.sandbox.content import REFUND_REASONS
from app.sandbox.ops import OpError
from app.sandbox.ops import orders as order_ops
from app.sandbox.ops import refunds as refund_ops
from app.sandbox.ops import shop as shop_ops

if TYPE_CHECKING:
    from app.sandbox.server import SandboxState

log = logging.getLogger(__name__)

# action -> weight; placing and paying orders dominate, as in a real shop
ACTIONS = (("order", 40), ("pay", 30), ("receive", 12), ("refund", 5), ("cancel", 5), ("review", 8))


def step(state: SandboxState, rng: random.Random) -> str | None:
    """Do one customer action. Returns what was done, or None if nothing fitted."""
    conn = state.conn
    action = rng.choices([a for a, _ in ACTIONS], weights=[w for _, w in ACTIONS])[0]
    try:
        if action == "order":
            uid = conn.execute("SELECT id FROM users WHERE status = 0 ORDER BY random() LIMIT 1").fetchone()[0]
            goods = [r[0] for r in conn.execute("SELECT id FROM goods WHERE status = 0 ORDER BY random() LIMIT 3")]
            lines = [{"goodsId": g, "number": rng.choice((1, 1, 2))} for g in goods[: rng.choice((1, 1, 2, 3))]]
            pickup = rng.random() < 0.08
            has_address = conn.execute("SELECT 1 FROM addresses WHERE uid = ? AND status = 0", (uid,)).fetchone()
            if not pickup and not has_address:
                return None
            shop_ops.create_order(conn, uid, lines, None, rng.choice(("", "", "请尽快发货")), pickup=pickup)
            return action
        pick = {
            "pay": "SELECT id, uid FROM orders WHERE status = 0 ORDER BY id DESC LIMIT 20",
            "cancel": "SELECT id, uid FROM orders WHERE status = 0 ORDER BY id DESC LIMIT 20",
            "receive": "SELECT id, uid FROM orders WHERE status = 2 ORDER BY date_update LIMIT 20",
            "refund": "SELECT id, uid FROM orders WHERE status IN (1, 2) AND refund_status = 0 "
                      "ORDER BY id DESC LIMIT 40",
            "review": "SELECT id, uid FROM orders WHERE status = 3 ORDER BY date_update LIMIT 20",
        }[action]
        candidates = conn.execute(pick).fetchall()
        if not candidates:
            return None
        order_id, uid = rng.choice(candidates)
        if action == "pay":
            try:
                order_ops.pay_balance(conn, order_id, uid)
            except OpError as exc:
                if exc.kind != OpError.INSUFFICIENT:
                    raise
                order_ops.pay_online(conn, order_id, uid)  # paid by WeChat Pay instead
        elif action == "cancel":
            order_ops.close(conn, order_id, uid, reason="买家取消")
        elif action == "receive":
            order_ops.confirm_receipt(conn, order_id, uid)
        elif action == "review":
            order_ops.review(conn, order_id, uid)
        elif action == "refund":
            order = order_ops.get_order(conn, order_id)
            line = conn.execute("SELECT id, amount FROM order_goods WHERE order_id = ? LIMIT 1", (order_id,)).fetchone()
            rtype = 0 if order["status"] == 1 else rng.choice((0, 1))
            refund_ops.apply(conn, uid, order_id, line[0], rtype, 0, rng.choice(REFUND_REASONS),
                             min(line[1], order["amount_real"]), None, "", [])
        return action
    except OpError as exc:  # a race with staff actions: the customer simply gives up
        log.debug("simulated %s skipped: %s", action, exc.msg)
        return None


async def simulate(state: SandboxState, rate: float) -> None:
    rng = random.Random(state.config.seed * 31 + 1)
    interval = 1.0 / rate
    while True:
        await asyncio.sleep(rng.expovariate(1.0 / interval))
        step(state, rng)
