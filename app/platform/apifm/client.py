"""What every API工厂 area shares: one transport, the envelope, the row mapper."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from app.domain.models import ListQuery
from app.platform.apifm.envelope import unwrap
from app.platform.apifm.mapping import Rows, fmt_time
from app.platform.errors import NotFoundError
from app.platform.transport import Transport

Verify = Callable[[], Awaitable[bool]]


class Client:
    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.rows = Rows()

    def _decoder(self, empty_ok: bool) -> Callable[[httpx.Response], Any]:
        def decode(response: httpx.Response) -> Any:
            return unwrap(self.transport.json(response), empty_ok=empty_ok)
        return decode

    async def get(self, path: str, params: dict[str, Any] | None = None, *, empty_ok: bool = False) -> Any:
        return await self.transport.call("GET", path, self._decoder(empty_ok), idempotent=True,
                                         params=_form(params))

    async def query(self, path: str, data: dict[str, Any] | None = None, *, empty_ok: bool = True) -> Any:
        """A read sent as a form POST (the admin API's list endpoints): safe to repeat."""
        return await self.transport.call("POST", path, self._decoder(empty_ok), idempotent=True, data=_form(data))

    async def write(self, path: str, data: dict[str, Any], verify: Verify | None) -> Any:
        """A change. ``verify`` tells, after a fault in transit, whether it already took effect."""
        return await self.transport.call("POST", path, self._decoder(False), idempotent=False, verify=verify,
                                         data=_form(data))

    async def gone(self, read: Callable[[], Awaitable[Any]]) -> bool:
        """For deletes: the record no longer reads back."""
        try:
            await read()
        except NotFoundError:
            return True
        return False


def _form(params: dict[str, Any] | None) -> dict[str, str]:
    """Form fields as text; None means "not sent"; booleans as the platform writes them."""
    out: dict[str, str] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


def list_params(query: ListQuery, **names: str) -> dict[str, Any]:
    """The common ListQuery fields under this endpoint's parameter names.

    ``names`` maps a ListQuery field (uid, status, order_id, keyword) to the endpoint's
    parameter; fields without a name are not sent. ``extra`` passes through as given.
    """
    params: dict[str, Any] = {"page": query.page, "pageSize": query.page_size}
    for field in ("uid", "status", "order_id", "keyword"):
        value = getattr(query, field)
        if value is not None and field in names:
            params[names[field]] = value
    params["dateUpdateBegin"] = fmt_time(query.updated_from)
    params["dateAddBegin"] = fmt_time(query.created_from)
    params["dateAddEnd"] = fmt_time(query.created_to)
    params.update(query.extra)
    return params
