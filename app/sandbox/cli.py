"""``python -m app.sandbox`` / ``shopdesk-sandbox``: run the practice platform."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path

from app.sandbox.chaos import ChaosSpec
from app.sandbox.server import SandboxConfig, SandboxServer


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="shopdesk-sandbox",
        description="ShopDesk practice platform: a local shop that speaks the API工厂 and 软猫引擎 dialects.")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0 picks a free one; default 8765)")
    p.add_argument("--data", type=Path, help="SQLite file for the shop's state (kept between runs); "
                                             "default: a temporary file removed on exit")
    p.add_argument("--seed", type=int, default=7, help="seed for the demo shop and for faults (default 7)")
    p.add_argument("--orders", type=int, default=2000, help="orders in a new shop (default 2000)")
    p.add_argument("--users", type=int, help="users in a new shop (default 300, or orders/20 for big shops)")
    p.add_argument("--simulate", type=float, default=0.0, metavar="RATE",
                   help="simulated customer actions per second (orders, payments, receipts, refunds)")
    p.add_argument("--chaos", default="", metavar="SPEC",
                   help='faults, e.g. "latency=200ms,error=0.1,reset=0.05,badsign=0.02,truncate=0.02,ratelimit=0.05"')
    p.add_argument("--ready-json", action="store_true",
                   help="print one JSON line with the base URL and credentials once serving (for the app)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        ChaosSpec.parse(args.chaos)
    except ValueError as exc:
        print(f"shopdesk-sandbox: --chaos: {exc}", file=sys.stderr)
        return 2
    if args.orders < 0:
        print("shopdesk-sandbox: --orders must be 0 or more", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = SandboxConfig(data=args.data, seed=args.seed, orders=args.orders, users=args.users,
                           simulate=args.simulate, chaos=args.chaos, port=args.port)
    server = SandboxServer(config)
    try:
        url = server.start(timeout=600)
    except OSError as exc:
        print(f"shopdesk-sandbox: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}. "
              "Pick another --port, or --port 0 for a free one.", file=sys.stderr)
        return 1
    if args.ready_json:
        print(json.dumps({
            "baseUrl": url, "apifm": {"merchantNo": config.apifm_merchant_no, "merchantKey": config.apifm_merchant_key,
                                      "subDomain": config.apifm_sub_domain},
            "ruanmao": {"appId": config.ruanmao_app_id, "appSecret": config.ruanmao_app_secret},
        }), flush=True)
    else:
        print(f"ShopDesk practice platform on {url}\n"
              f"  API工厂 merchant API: {url}  (merchantNo {config.apifm_merchant_no}, "
              f"merchantKey {config.apifm_merchant_key})\n"
              f"  API工厂 shop API:     {url}/{config.apifm_sub_domain}/...\n"
              f"  软猫引擎 open API:    {url}/open/...  (appId {config.ruanmao_app_id}, "
              f"appSecret {config.ruanmao_app_secret})\n"
              f"  state: {config.data}\nCtrl+C to stop.", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # A parent that dies closes our stdin; stop with it rather than linger.
    if args.ready_json:
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    server.stop()
    return 0
