"""The 软猫引擎 signing scheme, whole, in one module (contract: shared/platform/ruanmao-signing.md).

The platform's own page on signing is not public; this is the scheme the project fixed,
checked against shared/platform/ruanmao-sign-vectors.json. Both the desktop client and the
practice platform import it, so that when the real page turns up there is one place to
correct. Nothing here knows about HTTP.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import string
from collections.abc import Mapping
from typing import Any

HMAC_SHA256 = "HMAC-SHA256"
MD5 = "MD5"
SIGN_TYPES = (HMAC_SHA256, MD5)
# The keys the platform signs in an answer; anything else in an answer is not covered.
RESPONSE_KEYS = ("code", "msg", "data", "timestamp", "nonceStr")
NONCE_ALPHABET = string.ascii_letters + string.digits


class SigningError(ValueError):
    """A value that has no canonical form (a float, an unknown sign type)."""


def render(value: Any) -> str:
    """One value as the canonical string renders it."""
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # Floats are refused: their text differs between languages, and money travels as strings.
    raise SigningError(f"no canonical form for {type(value).__name__}: {value!r}")


def canonical(params: Mapping[str, Any], secret: str) -> str:
    """``k=v&...&key=SECRET`` over every key but ``sign`` whose value is not null or ""."""
    parts = [f"{key}={render(params[key])}" for key in sorted(params)
             if key != "sign" and params[key] is not None and params[key] != ""]
    parts.append(f"key={secret}")
    return "&".join(parts)


def digest(text: str, secret: str, sign_type: str = HMAC_SHA256) -> str:
    data = text.encode("utf-8")
    if sign_type == HMAC_SHA256:
        return hmac.new(secret.encode("utf-8"), data, hashlib.sha256).hexdigest().upper()
    if sign_type == MD5:
        return hashlib.md5(data).hexdigest().upper()
    raise SigningError(f"unknown signType {sign_type!r}")


def sign(params: Mapping[str, Any], secret: str, sign_type: str | None = None) -> str:
    """The sign of a request or answer; the sign type defaults to the params' ``signType``."""
    kind = sign_type or str(params.get("signType") or HMAC_SHA256)
    return digest(canonical(params, secret), secret, kind)


def new_nonce(length: int = 24) -> str:
    """A fresh nonceStr: 16 to 32 characters of [A-Za-z0-9]."""
    if not 16 <= length <= 32:
        raise ValueError("a nonceStr has 16 to 32 characters")
    return "".join(secrets.choice(NONCE_ALPHABET) for _ in range(length))


def is_valid_nonce(value: Any) -> bool:
    return isinstance(value, str) and 16 <= len(value) <= 32 and all(c in NONCE_ALPHABET for c in value)


def sign_request(business: Mapping[str, Any], *, app_id: str, secret: str, timestamp_ms: int,
                 access_token: str | None = None, nonce: str | None = None,
                 sign_type: str = HMAC_SHA256) -> dict[str, Any]:
    """The full body of one call: business parameters, the common keys and the sign."""
    body: dict[str, Any] = dict(business)
    body.update(appId=app_id, timestamp=int(timestamp_ms), nonceStr=nonce or new_nonce(), signType=sign_type)
    if access_token:
        body["accessToken"] = access_token
    body.pop("sign", None)
    body["sign"] = sign(body, secret, sign_type)
    return body


def verify_request(body: Mapping[str, Any], secret: str) -> bool:
    """Whether a request's sign matches (with the sign type it names)."""
    given = body.get("sign")
    kind = body.get("signType") or HMAC_SHA256
    if not isinstance(given, str) or kind not in SIGN_TYPES:
        return False
    try:
        expected = sign(body, secret, str(kind))
    except SigningError:
        return False
    return hmac.compare_digest(expected, given.upper())


def sign_response(code: int, msg: str, data: Any, *, secret: str, timestamp_ms: int,
                  nonce: str | None = None) -> dict[str, Any]:
    """A signed answer envelope (always HMAC-SHA256)."""
    envelope: dict[str, Any] = {"code": code, "msg": msg, "data": data, "timestamp": int(timestamp_ms),
                                "nonceStr": nonce or new_nonce()}
    envelope["sign"] = sign(envelope, secret, HMAC_SHA256)
    return envelope


def response_json(code: int, msg: str, data: Any, *, secret: str, timestamp_ms: int, nonce: str | None = None,
                  sign_override: str | None = None) -> str:
    """A signed answer envelope as compact JSON text, ``data`` rendered only once.

    Same sign and same values as ``sign_response`` then ``json.dumps``; a 200-row page is
    hundreds of kilobytes, and rendering it twice (once for the canonical string, once for
    the body) was a large share of the platform's time. So an object or array ``data`` is
    rendered once, in its canonical form (sorted keys, compact), and that very text is
    both signed and put in the body: readers must not depend on key order. ``allow_nan``
    is off because the body must be valid JSON; where it succeeds the text is the one
    ``render`` gives. ``sign_override`` sends another sign (the sandbox's chaos badsign).
    """
    ts, nonce = int(timestamp_ms), nonce or new_nonce()
    if isinstance(data, dict | list | tuple):
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        # A string value is rendered as it is, so the pre-rendered text signs exactly like ``data``.
        signed_data: Any = text
    else:
        text, signed_data = json.dumps(data, ensure_ascii=False, allow_nan=False), data
    signature = sign_override or sign({"code": code, "msg": msg, "data": signed_data, "timestamp": ts,
                                       "nonceStr": nonce}, secret, HMAC_SHA256)
    dump = json.dumps
    return (f'{{"code":{dump(code)},"msg":{dump(msg, ensure_ascii=False)},"data":{text},"timestamp":{ts},'
            f'"nonceStr":{dump(nonce, ensure_ascii=False)},"sign":{dump(signature)}}}')


def verify_response(envelope: Mapping[str, Any], secret: str) -> bool:
    """Whether an answer carries the platform's sign over code, msg, data, timestamp, nonceStr."""
    given = envelope.get("sign")
    if not isinstance(given, str) or not given:
        return False
    try:
        expected = sign({k: envelope.get(k) for k in RESPONSE_KEYS}, secret, HMAC_SHA256)
    except SigningError:
        return False
    return hmac.compare_digest(expected, given.upper())
