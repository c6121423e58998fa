"""Build the Platform for an account: the one place that knows both adapters."""

from __future__ import annotations

import httpx

from app.platform.account import Account, PlatformKind
from app.platform.api import Platform


def connect(account: Account, *, transport: httpx.AsyncBaseTransport | None = None, **options: float) -> Platform:
    """A Platform for the account. Nothing is sent until the first call."""
    if account.kind is PlatformKind.APIFM:
        from app.platform.apifm import ApifmPlatform

        return ApifmPlatform(account, transport=transport, **options)
    from app.platform.ruanmao import RuanmaoPlatform

    return RuanmaoPlatform(account, transport=transport, **options)
