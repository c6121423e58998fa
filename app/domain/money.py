"""Money as Decimal with two places: never float, on the wire or in memory."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


_FLOATS: dict[float, Decimal] = {}


def to_money(raw: object) -> Decimal:
    """Parse a wire value ("99.5", 99.5, 9950 as str…) into Decimal('99.50').

    Raises ValueError for anything that is not a finite number.
    """
    if type(raw) is float and math.isfinite(raw):  # API工厂 sends money as JSON numbers: a sync's hot path
        # Prices repeat across a shop's orders; Decimals are immutable, so one can be shared.
        found = _FLOATS.get(raw)
        if found is None:
            found = Decimal(repr(raw)).quantize(CENT, rounding=ROUND_HALF_UP)
            if len(_FLOATS) < 1 << 16:
                _FLOATS[raw] = found
        return found
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, bool) or raw is None:
        raise ValueError(f"not an amount: {raw!r}")
    elif isinstance(raw, int | float):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(",", "")
        if not text:
            raise ValueError("empty amount")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not an amount: {raw!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not an amount: {raw!r}")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value: Decimal) -> str:
    """'99.50': how money travels on the wire."""
    return str(to_money(value))


def cents(value: Decimal) -> int:
    if type(value) is Decimal:  # whole cents already (every amount the adapters make): the sync's hot path
        scaled = value.scaleb(2)
        whole = int(scaled)
        if scaled == whole:
            return whole
    return int((to_money(value) * 100).to_integral_value())


def from_cents(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(CENT)
