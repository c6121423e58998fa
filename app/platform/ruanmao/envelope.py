"""The 软猫引擎 answer envelope ``{code, msg, data, timestamp, nonceStr, sign}``: parse it,
check its sign, and turn a non-zero code into the one error staff can act on."""

from __future__ import annotations

import json
from typing import Any

import httpx

from app.platform import signing
from app.platform.errors import (
    AuthenticationError,
    ClockSkewError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PlatformError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    TamperedResponseError,
    with_detail,
)
from app.platform.wire import parse_json

OK = 0
TOKEN_INVALID = 40001
BAD_SIGN = 40002
REPLAY = 40003
BAD_PARAM = 40004
BAD_APP = 40010
RATE_LIMITED = 40029
NOT_FOUND = 40400
CONFLICT = 40900
PLATFORM_ERROR = 50000
# Answers that refuse our credentials. The platform signs them with the AppSecret it
# holds; when ours is the wrong one we cannot check that sign, so these codes are
# believed unsigned. They carry no data, and the worst a forger gains is an error.
CREDENTIAL_CODES = (BAD_SIGN, BAD_APP)
# The platform allows 300 s; a 40003 whose timestamp is this far from ours was a stale
# clock, anything closer was a replayed nonce.
STALE_MS = 240_000


def parse(response: httpx.Response) -> dict[str, Any]:
    """The envelope as a dict; a body that is not one is a transient fault (cut short)."""
    try:
        body = parse_json(response.content)
    except ValueError as exc:
        if response.status_code >= 400:
            raise ProtocolError(f"HTTP {response.status_code}: {response.text[:200]}") from exc
        raise ServerError(f"incomplete answer ({len(response.content)} bytes)") from exc
    if not isinstance(body, dict) or not isinstance(body.get("code"), int):
        raise ProtocolError(f"not a 软猫引擎 envelope: {response.text[:200]}")
    return body


def is_signed(envelope: dict[str, Any], secret: str) -> bool:
    return signing.verify_response(envelope, secret)


def checked(response: httpx.Response, secret: str) -> dict[str, Any]:
    """Parse and verify; raise for a missing or wrong sign (the data is never looked at)."""
    envelope = parse(response)
    if envelope["code"] in CREDENTIAL_CODES and not is_signed(envelope, secret):
        raise error_for(envelope)
    if not is_signed(envelope, secret):
        raise TamperedResponseError("missing or wrong sign" if envelope.get("sign") else "unsigned answer")
    return envelope


def sent_timestamp(response: httpx.Response) -> int | None:
    """The timestamp our own request carried (read back from the request that got this answer)."""
    try:
        body = json.loads(response.request.content or b"{}")
    except (ValueError, RuntimeError):
        return None
    value = body.get("timestamp") if isinstance(body, dict) else None
    return value if isinstance(value, int) else None


def is_stale(envelope: dict[str, Any], sent_ms: int | None) -> bool:
    server_ms = envelope.get("timestamp")
    if envelope.get("code") != REPLAY or sent_ms is None or not isinstance(server_ms, int):
        return False
    return abs(server_ms - sent_ms) > STALE_MS


def error_for(envelope: dict[str, Any], *, sent_ms: int | None = None) -> PlatformError:
    code = envelope.get("code")
    msg = str(envelope.get("msg") or "")
    data = envelope.get("data")
    if code in CREDENTIAL_CODES:
        return with_detail(AuthenticationError, msg, code)
    if code == TOKEN_INVALID:
        # Still refused after a fresh token: the app lost its rights on the platform.
        return with_detail(AuthenticationError, msg, code)
    if code == REPLAY:
        if is_stale(envelope, sent_ms):
            return ClockSkewError(msg, code=code)
        # A fresh nonce reported as seen: something between us replayed the request.
        # Retryable like a lost answer, so a write is checked before it is sent again.
        return ServerError(f"nonce reported as replayed: {msg}", code=code)
    if code == RATE_LIMITED:
        after = data.get("retryAfter") if isinstance(data, dict) else None
        retry_after = float(after) if isinstance(after, int | float) and not isinstance(after, bool) else 1.0
        return RateLimitedError(msg, retry_after=min(max(retry_after, 0.0), 60.0), code=code)
    if code == BAD_PARAM:
        return with_detail(InvalidInputError, msg, code)
    if code == NOT_FOUND:
        return with_detail(NotFoundError, msg, code)
    if code == CONFLICT:
        return with_detail(ConflictError, msg, code)
    if code == PLATFORM_ERROR:
        return with_detail(ServerError, msg, code)
    return ProtocolError(f"unknown code {code}: {msg}", code=code if isinstance(code, int) else None)


def decode(response: httpx.Response, secret: str) -> Any:
    """The ``data`` of a verified, successful answer; otherwise the matching error."""
    envelope = checked(response, secret)
    if envelope["code"] != OK:
        raise error_for(envelope, sent_ms=sent_timestamp(response))
    return envelope.get("data")
