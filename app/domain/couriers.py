"""Chinese courier companies: the codes the platforms use and their tracking-number forms.

The patterns are what the couriers print on their labels today; they are used both to
generate believable numbers in the practice shop and to check numbers staff type or scan.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CourierInfo:
    id: int
    code: str
    name: str
    pattern: str  # full-match regex for a tracking number, "" when unknown
    template: str  # for generation: "#" a digit, other characters literal

    def matches(self, number: str) -> bool:
        return not self.pattern or re.fullmatch(self.pattern, number) is not None

    def make_number(self, rng: random.Random) -> str:
        prefix = self.template.rstrip("#")
        digits = len(self.template) - len(prefix)
        head = "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in prefix)
        return f"{head}{rng.randrange(10**digits):0{digits}d}"


COURIERS: tuple[CourierInfo, ...] = (
    CourierInfo(1, "SF", "顺丰速运", r"SF\d{13}", "SF#############"),
    CourierInfo(2, "ZTO", "中通快递", r"(7[1-8]|5[0-9]|6[0-9])\d{10,13}", "75############"),
    CourierInfo(3, "YTO", "圆通速递", r"YT\d{13}", "YT#############"),
    CourierInfo(4, "STO", "申通快递", r"(77|88|66|55|22|33|44|11)\d{11}", "77###########"),
    CourierInfo(5, "YD", "韵达快递", r"(31|43|46|47|10)\d{11,13}", "43###########"),
    CourierInfo(6, "JD", "京东快递", r"JD[A-Z0-9]{11,13}", "JDVA##########"),
    CourierInfo(7, "EMS", "EMS", r"(1\d{12}|E[A-Z]\d{9}CN)", "1############"),
    CourierInfo(8, "JTSD", "极兔速递", r"JT\d{13}", "JT#############"),
    CourierInfo(9, "YZPY", "邮政快递包裹", r"9\d{12}", "98###########"),
    CourierInfo(10, "DBL", "德邦快递", r"DPK\d{12}", "DPK############"),
    CourierInfo(11, "HTKY", "百世快递", r"(A|55|56|70|71)\d{11,13}", "55############"),
    CourierInfo(12, "ZJS", "宅急送", r"\d{10}", "##########"),
    CourierInfo(13, "UC", "优速快递", r"UC\d{12}", "UC############"),
    CourierInfo(14, "KYSY", "跨越速运", r"KY\d{11}", "KY###########"),
    CourierInfo(15, "FWX", "丰网速运", r"FW\d{13}", "FW#############"),
    CourierInfo(16, "ANE", "安能物流", r"\d{12,13}", "3############"),
)

OTHER_COURIER_ID = -1
"""API工厂's pseudo courier "其他快递公司" (other courier or own delivery)."""

BY_ID = {c.id: c for c in COURIERS}
BY_CODE = {c.code: c for c in COURIERS}


def courier_for(id_or_code: int | str) -> CourierInfo | None:
    if isinstance(id_or_code, int):
        return BY_ID.get(id_or_code)
    key = str(id_or_code).strip()
    if key.isdigit():
        return BY_ID.get(int(key))
    upper = key.upper()
    if upper in BY_CODE:
        return BY_CODE[upper]
    for c in COURIERS:
        if c.name == key or c.name.startswith(key):
            return c
    return None
