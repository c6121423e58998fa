"""Labels in zh_CN and English for the domain's enums.

The UI layer picks the language; the domain only keeps both texts next to the value so
that a new status can never be added without its labels.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Self


class LabelledEnum(IntEnum):
    """An IntEnum whose members carry a Chinese and an English label.

    Members are declared as ``NAME = (value, "中文", "English")``.
    """

    zh: str
    en: str

    def __new__(cls, value: int, zh: str = "", en: str = "") -> Self:
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh
        obj.en = en
        return obj

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en

    @classmethod
    def parse(cls, raw: object) -> Self:
        """The member for a wire value (int or numeric string); ValueError if unknown."""
        if type(raw) is int:
            found = cls._value2member_map_.get(raw)
            if found is not None:
                return found  # type: ignore[return-value]
        try:
            return cls(int(str(raw).strip()))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"unknown {cls.__name__}: {raw!r}") from exc
