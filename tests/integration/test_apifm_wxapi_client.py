"""The real ``apifm-wxapi`` npm client, unchanged, against the practice platform's shop API.

A small node script (wxapi_client/client.mjs) registers, logs in, orders, pays with
balance, asks for a refund and reads the wallet; this test then checks the sandbox's
database for every effect it reported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.sandbox import credentials
from app.sandbox.server import SandboxServer

CLIENT = Path(__file__).parent / "wxapi_client"


def _npm_install() -> None:
    if (CLIENT / "node_modules" / "apifm-wxapi" / "package.json").exists():
        return
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=CLIENT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"npm install failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None,
                    reason="node and npm are needed to run the apifm-wxapi client")
def test_wxapi_client_orders_pays_and_asks_for_refund(fresh_sandbox: SandboxServer) -> None:
    _npm_install()
    conn = fresh_sandbox.state.conn
    district = conn.execute("SELECT code FROM regions WHERE level = 3 ORDER BY code LIMIT 1 OFFSET 100").fetchone()[0]
    env = {**os.environ, "SANDBOX_URL": fresh_sandbox.base_url, "SUB_DOMAIN": credentials.APIFM_SUB_DOMAIN,
           "DISTRICT_ID": district, "MERCHANT_NO": credentials.APIFM_MERCHANT_NO,
           "MERCHANT_KEY": credentials.APIFM_MERCHANT_KEY, "USERNAME": "wx_buyer_01"}
    run = subprocess.run(["node", "client.mjs"], cwd=CLIENT, env=env, capture_output=True, text=True, timeout=60)
    assert run.stdout, run.stderr
    seen = json.loads(run.stdout)
    assert run.returncode == 0, seen.get("error") or run.stderr

    user = conn.execute("SELECT * FROM users WHERE username = 'wx_buyer_01'").fetchone()
    assert user is not None and user["id"] == seen["uid"] and user["nick"] == "小程序买家"
    address = conn.execute("SELECT * FROM addresses WHERE id = ?", (seen["addressId"],)).fetchone()
    assert address["uid"] == user["id"] and address["district_id"] == district and address["is_default"] == 1
    assert seen["defaultAddressId"] == seen["addressId"]

    order = conn.execute("SELECT * FROM orders WHERE id = ?", (seen["orderId"],)).fetchone()
    assert order["uid"] == user["id"] and order["order_number"] == seen["orderNumber"]
    assert order["status"] == 1 and order["is_pay"] == 1 and order["pay_gate"] == "BALANCE"
    assert order["remark"] == "请尽快发货" and order["link_man"] == "张三"
    assert order["amount_real"] == round(seen["amountReal"] * 100) == round(seen["priced"] * 100)
    line = conn.execute("SELECT * FROM order_goods WHERE order_id = ?", (order["id"],)).fetchone()
    assert line["goods_id"] == seen["goodsId"] and line["sku_id"] == seen["skuId"] and line["number"] == 2
    assert seen["shortfall"] == pytest.approx(order["amount_real"] / 100)
    assert seen["listed"] == [order["id"]] and seen["listedGoods"] == [seen["goodsId"]]
    assert seen["listedReceiver"] == "张三" and seen["detailStatus"] == 1

    apply = conn.execute("SELECT * FROM refund_applies WHERE order_id = ?", (order["id"],)).fetchall()
    assert len(apply) == 1  # the second application was refused with 20000
    assert apply[0]["id"] == seen["refund"]["id"] and apply[0]["status"] == 0 == seen["refund"]["status"]
    assert apply[0]["amount"] == order["amount_real"] and apply[0]["reason"] == "拍错了/多拍了"
    assert conn.execute("SELECT refund_status FROM orders WHERE id = ?", (order["id"],)).fetchone()[0] == 2

    balance = conn.execute("SELECT balance FROM assets WHERE uid = ?", (user["id"],)).fetchone()[0]
    assert balance == 100000 - order["amount_real"] == round(seen["balance"] * 100)
    ledger = conn.execute("SELECT amount, behavior, type FROM ledger WHERE uid = ? AND kind = 'balance' "
                          "ORDER BY id DESC", (user["id"],)).fetchall()
    assert [(round(e["amount"] * 100), e["behavior"], e["type"]) for e in seen["cashLog"]] == \
        [(r["amount"], r["behavior"], r["type"]) for r in ledger] == [(order["amount_real"], 1, 2), (100000, 0, 150)]
    assert seen["cashLogV3Rows"] == 2
