"""The practice platform's HTTP server: one Starlette app, both dialects, one state.

Start it from code (``SandboxServer(...).start()`` runs uvicorn in a thread on a free
loopback port) or as a process (``python -m app.sandbox``). Handlers run on the server's
event loop and use one SQLite connection, so the state has a single writer.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from app.sandbox import credentials, ops
from app.sandbox.chaos import Chaos, ChaosMiddleware, ChaosSpec
from app.sandbox.db import connect, create_schema, get_meta
from app.sandbox.images import image_route
from app.sandbox.seed import SeedOptions, seed_shop

log = logging.getLogger(__name__)


@dataclass
class SandboxConfig:
    data: Path | None = None  # None: a temporary file removed on stop
    seed: int = 7
    orders: int = 2000
    users: int | None = None
    simulate: float = 0.0  # simulated customer actions per second
    chaos: str = ""
    host: str = "127.0.0.1"
    port: int = 0
    apifm_merchant_no: str = credentials.APIFM_MERCHANT_NO
    apifm_merchant_key: str = credentials.APIFM_MERCHANT_KEY
    apifm_sub_domain: str = credentials.APIFM_SUB_DOMAIN
    ruanmao_app_id: str = credentials.RUANMAO_APP_ID
    ruanmao_app_secret: str = credentials.RUANMAO_APP_SECRET
    token_ttl: int = 7200  # seconds an admin token or AccessToken lives


@dataclass
class SandboxState:
    """What the dialects share: the connection, the settings, the fault injector."""

    conn: sqlite3.Connection
    config: SandboxConfig
    chaos: Chaos
    started: float = field(default_factory=time.time)
    clock_offset: float = 0.0  # tests move the server clock to check skew handling
    requests: int = 0

    def now(self) -> float:
        return time.time() + self.clock_offset


def open_state(config: SandboxConfig) -> SandboxState:
    path = config.data
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="shopdesk-sandbox-")) / "practice.sqlite"
        config.data = path
    conn = connect(path)
    create_schema(conn)
    if not get_meta(conn, "seed") and conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]:
        # Seeding was interrupted (it marks the shop seeded last): start the file again.
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        conn = connect(path)
        create_schema(conn)
    if not get_meta(conn, "seed"):
        started = time.perf_counter()
        counts = seed_shop(conn, SeedOptions(seed=config.seed, orders=config.orders, users=config.users))
        log.info("seeded practice shop in %.1fs: %s", time.perf_counter() - started, counts)
    return SandboxState(conn=conn, config=config, chaos=Chaos(ChaosSpec.parse(config.chaos), config.seed))


def build_app(state: SandboxState) -> Starlette:
    from app.sandbox.dialects import apifm_admin, apifm_shop, ruanmao

    async def info(request: Request) -> JSONResponse:
        c = state.config
        return JSONResponse({
            "name": "ShopDesk practice platform",
            "orders": state.conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0],
            "apifm": {"merchantNo": c.apifm_merchant_no, "subDomain": c.apifm_sub_domain},
            "ruanmao": {"appId": c.ruanmao_app_id},
            "chaos": state.chaos.counts,
            "requests": state.requests,
        })

    routes: list[BaseRoute] = [
        Route("/__sandbox/info", info),
        Route("/img/{kind}/{name}", image_route(lambda: state.conn)),
        *ruanmao.routes(state),
        *apifm_admin.routes(state),
        *apifm_shop.routes(state),
    ]
    app = Starlette(routes=routes)
    app.state.sandbox = state
    app.add_middleware(ChaosMiddleware, chaos=state.chaos)
    return app


class SandboxServer:
    """Runs the practice platform on a loopback port in a background thread."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.state: SandboxState | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._temp = self.config.data is None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://{self.config.host}:{self.port}"

    def start(self, timeout: float = 60.0) -> str:
        self.state = open_state(self.config)
        app = build_app(self.state)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.config.host, self.config.port))
        self.port = sock.getsockname()[1]
        uconfig = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30)
        self._server = uvicorn.Server(uconfig)
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            server = self._server
            assert server is not None and self.state is not None
            tasks = []
            if self.config.simulate > 0:
                from app.sandbox.simulate import simulate

                tasks.append(loop.create_task(simulate(self.state, self.config.simulate)))
            loop.call_soon(ready.set)
            try:
                loop.run_until_complete(server.serve(sockets=[sock]))
            finally:
                for task in tasks:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
                loop.close()

        self._thread = threading.Thread(target=run, name="sandbox", daemon=True)
        self._thread.start()
        ready.wait(timeout)
        deadline = time.monotonic() + timeout
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self._server.started:
            raise RuntimeError("the practice platform did not start")
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        if self.state is not None:
            ops.forget(self.state.conn)
            self.state.conn.close()
            if self._temp and self.config.data:
                shutil.rmtree(self.config.data.parent, ignore_errors=True)

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
