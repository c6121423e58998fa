"""What every 软猫引擎 area module shares: sending an operation through the one transport,
and turning list data into pages while counting the rows that had to be skipped."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from app.domain.models import ListQuery, Page
from app.platform.errors import ProtocolError
from app.platform.ruanmao import envelope, mapping
from app.platform.ruanmao.routes import MAX_PAGE_SIZE, path
from app.platform.transport import Transport

log = logging.getLogger(__name__)
T = TypeVar("T")
Verify = Callable[[], Awaitable[bool]]


class Calls:
    """Sends operations by name from the route table; the auth flow signs them."""

    def __init__(self, transport: Transport, app_secret: str) -> None:
        self.transport = transport
        self._decode = partial(envelope.decode, secret=app_secret)

    async def read(self, operation: str, **params: Any) -> Any:
        return await self.transport.call("POST", path(operation), self._decode, idempotent=True,
                                         json=_clean(params))

    async def write(self, operation: str, params: dict[str, Any], verify: Verify | None) -> Any:
        """Send a write. Returns its data, or None when the answer was lost but ``verify``
        found the write applied on the platform."""
        return await self.transport.call("POST", path(operation), self._decode, idempotent=False, verify=verify,
                                         json=_clean(params))


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    # None means "not given": leave the key out rather than send null.
    return {k: v for k, v in params.items() if v is not None}


class Area:
    """One API area. ``skipped`` counts list rows that were unreadable and left out."""

    def __init__(self, calls: Calls) -> None:
        self._calls = calls
        self.skipped = 0

    def _bad_row(self, what: str) -> Callable[[Any, Exception], None]:
        def report(row: Any, exc: Exception) -> None:
            self.skipped += 1
            ident = row.get("id") if isinstance(row, dict) else None
            log.warning("软猫引擎 %s row %s skipped: %s: %s", what, ident, type(exc).__name__, exc)

        return report

    def _page(self, data: Any, build: Callable[[dict[str, Any]], T], page_no: int, page_size: int,
              what: str) -> Page[T]:
        try:
            return mapping.page(data, build, page_no, page_size, self._bad_row(what))
        except mapping.BAD_ROW as exc:  # the list envelope itself, not a row
            raise ProtocolError(f"{what} list not understood: {exc}") from exc

    def _rows(self, data: Any, build: Callable[[dict[str, Any]], T], what: str) -> list[T]:
        try:
            return mapping.rows_of(data, build, self._bad_row(what))
        except mapping.BAD_ROW as exc:
            raise ProtocolError(f"{what} list not understood: {exc}") from exc

    @staticmethod
    def _one(data: Any, build: Callable[[Any], T], what: str) -> T:
        """A single record: unlike a list row it cannot be skipped, so a bad one is an error."""
        try:
            return build(data)
        except mapping.BAD_ROW as exc:
            raise ProtocolError(f"{what} not understood: {exc}") from exc


def paging(query: ListQuery) -> dict[str, Any]:
    size = min(max(query.page_size, 1), MAX_PAGE_SIZE)
    return {"page": max(query.page, 1), "pageSize": size}


def when(value: datetime | None) -> str | None:
    return mapping.since(value)
