"""Fault injection for the practice platform, deterministic from the seed.

``--chaos "latency=200ms,error=0.1,reset=0.05,badsign=0.02,truncate=0.02,ratelimit=0.05"``.
The n-th request always draws the n-th numbers from a generator seeded with ``--seed``,
so a run with the same requests in the same order meets the same faults.
"""

from __future__ import annotations

import asyncio
import random
import threading
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

FAULTS = ("error", "reset", "badsign", "truncate", "ratelimit")


@dataclass
class ChaosSpec:
    latency: float = 0.0  # seconds added to every request
    error: float = 0.0  # 5xx before the request is handled (nothing happens)
    reset: float = 0.0  # connection dropped; half before handling, half after (the client cannot know)
    badsign: float = 0.0  # 软猫引擎 responses with a wrong sign
    truncate: float = 0.0  # the body cut short (invalid JSON)
    ratelimit: float = 0.0  # 429 / 40029 before handling

    @classmethod
    def parse(cls, text: str | None) -> ChaosSpec:
        spec = cls()
        for part in (text or "").split(","):
            part = part.strip()
            if not part:
                continue
            key, _, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if key == "latency":
                spec.latency = _duration(value)
            elif key in FAULTS:
                p = float(value)
                if not 0 <= p <= 1:
                    raise ValueError(f"chaos {key} must be a probability between 0 and 1, not {value}")
                setattr(spec, key, p)
            else:
                raise ValueError(f"unknown chaos setting {key!r}; known: latency, {', '.join(FAULTS)}")
        return spec

    @property
    def active(self) -> bool:
        return self.latency > 0 or any(getattr(self, f) > 0 for f in FAULTS)


def _duration(text: str) -> float:
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    if text.endswith("s"):
        return float(text[:-1])
    return float(text) / 1000


class Chaos:
    """Draws the fault for each request."""

    def __init__(self, spec: ChaosSpec, seed: int) -> None:
        self.spec = spec
        self._rng = random.Random(seed * 7919 + 17)
        self._lock = threading.Lock()
        self.counts: dict[str, int] = dict.fromkeys(FAULTS, 0)

    def draw(self) -> tuple[str | None, float]:
        """(fault or None, a second number in [0, 1) for the fault's own choices)."""
        with self._lock:
            roll, extra = self._rng.random(), self._rng.random()
        edge = 0.0
        for fault in FAULTS:
            edge += getattr(self.spec, fault)
            if roll < edge:
                self.counts[fault] += 1
                return fault, extra
        return None, extra


class ChaosMiddleware:
    """Applies faults to the API routes (not to pictures or the sandbox's own info route)."""

    def __init__(self, app: ASGIApp, chaos: Chaos) -> None:
        self.app = app
        self.chaos = chaos

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.chaos.spec.active or scope["path"].startswith(("/img/", "/__sandbox")):
            await self.app(scope, receive, send)
            return
        if self.chaos.spec.latency:
            await asyncio.sleep(self.chaos.spec.latency)
        fault, extra = self.chaos.draw()
        ruanmao = scope["path"].startswith("/open/")
        if fault == "error":
            await _plain(send, 503 if extra < 0.5 else 500, b"Service Temporarily Unavailable")
            return
        if fault == "ratelimit":
            if ruanmao:
                scope.setdefault("state", {})["chaos_ratelimit"] = True
            else:
                await _plain(send, 429, b'{"code":429,"msg":"\xe8\xaf\xb7\xe6\xb1\x82\xe8\xbf\x87\xe4\xba\x8e\xe9\xa2\x91\xe7\xb9\x81"}',
                             {b"retry-after": b"1", b"content-type": b"application/json"})
                return
        if fault == "reset" and extra < 0.5:
            await _drop(send)
            return
        if fault == "badsign" and ruanmao:
            scope.setdefault("state", {})["chaos_badsign"] = True
        if fault in ("reset", "truncate"):
            await self.app(scope, receive, _cutter(send, fault))
            return
        await self.app(scope, receive, send)


def _cutter(send: Send, fault: str) -> Send:
    """Let the handler run, then drop the connection (reset) or cut the body short (truncate)."""
    started: dict[str, Any] = {}

    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
            return
        if message["type"] == "http.response.body":
            body = message.get("body", b"")
            if fault == "reset":
                await _drop(send)
                return
            cut = body[: max(1, len(body) // 2)]
            headers = [(k, v) for k, v in started.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(cut)).encode()))
            await send({"type": "http.response.start", "status": started.get("status", 200), "headers": headers})
            await send({"type": "http.response.body", "body": cut})

    return wrapped


class DroppedConnection(Exception):
    """Raised after the headers went out, so that uvicorn closes the socket mid-answer."""


async def _drop(send: Send) -> None:
    """Make the client see a connection that died mid-answer.

    ASGI gives no handle on the socket; uvicorn closes it when the app fails after the
    response started, which the client sees as an incomplete message (a reset).
    """
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")]})
    await send({"type": "http.response.body", "body": b'{"code":0,', "more_body": True})
    raise DroppedConnection("chaos: connection dropped")


async def _plain(send: Send, status: int, body: bytes, extra: dict[bytes, bytes] | None = None) -> None:
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    if extra:
        headers = [(k, v) for k, v in headers if k not in extra] + list(extra.items())
        headers = [(k, v) for k, v in headers if k != b"content-length"] + [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
