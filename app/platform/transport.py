"""The one HTTP transport every adapter uses.

One ``httpx.AsyncClient`` per connected account, with timeouts, a bound on requests in
flight, and retries with backoff where a retry is safe:

* reads (``idempotent=True``) are retried on any transient fault;
* a write is retried by itself only when it surely never reached the platform (the
  connection was refused, or the platform refused it before handling: rate limit).
  After any other fault (a dropped connection, a 5xx, a cut-off answer) the write may or
  may not have happened, so the caller's ``verify`` reads the platform's state and the
  write is sent again only if it did not take effect.

The server clock offset is learned from every answer so that signed requests carry the
platform's time even when the desk's clock is wrong.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from app.platform.errors import (
    HostNotFoundError,
    OfflineError,
    PlatformError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    TimeoutError_,
    TlsError,
)
from app.platform.wire import parse_json

log = logging.getLogger(__name__)
T = TypeVar("T")


class ServerClock:
    """The platform's time as seen from here: local time plus a learned offset."""

    def __init__(self) -> None:
        self.offset_ms = 0.0
        self._precise = False

    def now_ms(self) -> int:
        return int(time.time() * 1000 + self.offset_ms)

    def observe_ms(self, server_ms: float, sent_at: float, received_at: float) -> None:
        """Learn from a millisecond server timestamp taken between sent_at and received_at."""
        midpoint = (sent_at + received_at) / 2 * 1000
        self.offset_ms = server_ms - midpoint
        self._precise = True

    def observe_date_header(self, value: str | None, received_at: float) -> None:
        """Fallback from the HTTP Date header (one-second resolution)."""
        if not value or self._precise:
            return
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return
        offset = parsed.timestamp() * 1000 - received_at * 1000
        if abs(offset) > 2000:  # below that the header's rounding is all we would learn
            self.offset_ms = offset


class Transport:
    def __init__(self, base_url: str, *, auth: httpx.Auth | None = None, timeout: float = 15.0,
                 max_in_flight: int = 8, retries: int = 5, backoff: float = 0.2,
                 transport: httpx.AsyncBaseTransport | None = None, verify_tls: bool = True) -> None:
        self.base_url = base_url.rstrip("/")
        self.clock = ServerClock()
        self.retries = retries
        self.backoff = backoff
        self._slots = asyncio.Semaphore(max_in_flight)
        self._client = httpx.AsyncClient(
            base_url=self.base_url, auth=auth, transport=transport, verify=verify_tls,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight),
            headers={"User-Agent": "ShopDesk/0.1"},
        )
        self.stats = {"requests": 0, "retries": 0, "verified_writes": 0}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def call(self, method: str, path: str, decode: Callable[[httpx.Response], T], *,
                   idempotent: bool, verify: Callable[[], Awaitable[bool]] | None = None,
                   **kwargs: Any) -> T | None:
        """Send one call and decode its answer; retry as the module docstring says.

        Returns None only for a write that failed in transit but that ``verify`` found
        applied on the platform.
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._once(method, path, decode, **kwargs)
            except PlatformError as exc:
                if not exc.retryable or attempt > self.retries:
                    raise
                never_arrived = isinstance(exc, RateLimitedError) or getattr(exc, "never_sent", False)
                if not idempotent and not never_arrived:
                    if verify is None:
                        raise
                    try:
                        applied = await self._verified(verify)
                    except PlatformError:
                        raise exc from None
                    if applied:
                        self.stats["verified_writes"] += 1
                        log.info("%s %s: answer lost, but the platform shows it applied", method, path)
                        return None
                self.stats["retries"] += 1
                await asyncio.sleep(self._delay(exc, attempt))

    async def _verified(self, verify: Callable[[], Awaitable[bool]]) -> bool:
        """Run verify with its own retries: it is a read."""
        for attempt in range(1, self.retries + 2):
            try:
                return await verify()
            except PlatformError as exc:
                if not exc.retryable or attempt > self.retries:
                    raise
                await asyncio.sleep(self._delay(exc, attempt))
        raise AssertionError("unreachable")

    def _delay(self, exc: PlatformError, attempt: int) -> float:
        if isinstance(exc, RateLimitedError):
            return max(exc.retry_after, 0.05)
        return self.backoff * (2 ** (attempt - 1)) * (0.5 + random.random())

    async def _once(self, method: str, path: str, decode: Callable[[httpx.Response], T], **kwargs: Any) -> T:
        async with self._slots:
            self.stats["requests"] += 1
            sent = time.time()
            try:
                response = await self._client.request(method, path, **kwargs)
            except httpx.ConnectError as exc:
                err = connect_error(exc)
                err.never_sent = True  # type: ignore[attr-defined]
                raise err from exc
            except httpx.TimeoutException as exc:
                raise TimeoutError_(type(exc).__name__) from exc
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                raise ServerError(f"connection dropped: {exc}") from exc
            except httpx.TransportError as exc:
                raise OfflineError(str(exc)) from exc
            received = time.time()
        self.clock.observe_date_header(response.headers.get("date"), received)
        if response.status_code == 429:
            raise RateLimitedError("HTTP 429", retry_after=_retry_after(response.headers.get("retry-after")))
        if response.status_code >= 500:
            raise ServerError(f"HTTP {response.status_code}")
        try:
            return decode(response)
        except PlatformError:
            raise
        except ValueError as exc:  # JSON cut short or not JSON at all
            raise ServerError(f"unreadable answer: {exc}") from exc
        finally:
            self.last_round_trip = (sent, received)

    def json(self, response: httpx.Response) -> Any:
        """The body as JSON; a body that is not JSON is a transient fault (cut short)."""
        try:
            return parse_json(response.content)
        except ValueError as exc:
            if response.status_code >= 400:
                raise ProtocolError(f"HTTP {response.status_code}: {response.text[:200]}") from exc
            raise ServerError(f"incomplete answer ({len(response.content)} bytes)") from exc


def connect_error(exc: httpx.ConnectError) -> OfflineError:
    """The error for a connection that never opened, naming what staff can fix: the
    certificate, the host name, or (otherwise) the network or a server that is down."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return TlsError(cause.verify_message or str(cause))
        if isinstance(cause, ssl.SSLError):
            # Not the certificate: the handshake itself, most often https:// sent to a plain-http port.
            return TlsError(str(cause), zh="无法与平台建立安全连接（TLS 握手失败）。请确认接口地址开头是 https:// 还是 http://，"
                                           "并且端口正确。",
                            en="Cannot open a secure connection (the TLS handshake failed). Check whether the address "
                               "starts with https:// or http://, and that the port is right.")
        if isinstance(cause, socket.gaierror):
            return HostNotFoundError(str(cause))
        cause = cause.__cause__ or cause.__context__
    return OfflineError(str(exc) or "connection refused")


def _retry_after(value: str | None) -> float:
    try:
        return min(float(value or 1), 60.0)
    except ValueError:
        return 1.0
