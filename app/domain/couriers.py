"""Chinese courier companies: the codes the platforms use and their tracking-number forms.

The patterns are what the couriers print on their labels today; they are used both to
generate believable numbers in the practice shop and to check numbers staff type or scan
(app/domain/tracking.py). Codes are 快递鸟's (the platforms' lists use them); ``aliases``
are what staff write in a spreadsheet instead: short names, English names, kuaidi100 codes.
"""

from __future__ import annotations

import difflib
import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CourierInfo:
    id: int
    code: str
    name: str
    pattern: str  # full-match regex for a tracking number, "" when unknown
    template: str  # for generation: "#" a digit, other characters literal
    shape_zh: str = ""  # the pattern in words, for messages
    shape_en: str = ""
    aliases: tuple[str, ...] = ()
    # Letters only this courier's numbers start with. With ``strict``, a number that starts
    # with them and still misses the pattern is certainly mistyped (SF + 13 digits has no
    # other form); without, a miss is only unusual.
    prefix: str = ""
    strict: bool = False

    def matches(self, number: str) -> bool:
        return not self.pattern or re.fullmatch(self.pattern, number) is not None

    def make_number(self, rng: random.Random) -> str:
        prefix = self.template.rstrip("#")
        digits = len(self.template) - len(prefix)
        head = "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in prefix)
        return f"{head}{rng.randrange(10**digits):0{digits}d}"

    def label(self, lang: str = "zh") -> str:
        return self.name if lang.startswith("zh") else f"{self.name} ({self.code})"


# S10 (UPU): two letters, 8 digits, a check digit, the posting country. China Post's EMS and
# international parcels use it; domestic mail numbers are 13 digits.
S10 = r"[A-Z]{2}\d{9}[A-Z]{2}"

COURIERS: tuple[CourierInfo, ...] = (
    CourierInfo(1, "SF", "顺丰速运", r"SF\d{13}", "SF#############", "SF 加 13 位数字", "SF followed by 13 digits",
                ("顺丰", "顺丰快递", "SF Express", "shunfeng", "顺丰速递"), prefix="SF", strict=True),
    CourierInfo(2, "ZTO", "中通快递", r"(7[1-8]|5[0-9]|6[0-9])\d{10,13}", "75############",
                "12–15 位数字，多以 7、5、6 开头", "12–15 digits, usually starting with 7, 5 or 6",
                ("中通", "中通速递", "ZTO Express", "zhongtong")),
    CourierInfo(3, "YTO", "圆通速递", r"YT\d{13}", "YT#############", "YT 加 13 位数字", "YT followed by 13 digits",
                ("圆通", "圆通快递", "YTO Express", "yuantong"), prefix="YT"),
    CourierInfo(4, "STO", "申通快递", r"(77|88|66|55|22|33|44|11)\d{10,13}", "77###########",
                "12–15 位数字，多以 77、88、66 开头", "12–15 digits, usually starting with 77, 88 or 66",
                ("申通", "申通速递", "STO Express", "shentong")),
    CourierInfo(5, "YD", "韵达快递", r"(31|43|46|47|10|12|19)\d{11,13}", "43###########",
                "13–15 位数字，多以 31、43、46 开头", "13–15 digits, usually starting with 31, 43 or 46",
                ("韵达", "韵达速递", "Yunda", "Yunda Express", "yunda")),
    CourierInfo(6, "JD", "京东快递", r"JD[A-Z0-9]{11,13}", "JDVA##########", "JD 加 11–13 位字母数字，如 JDVA…",
                "JD followed by 11–13 letters and digits, e.g. JDVA…",
                ("京东", "京东物流", "JD Logistics", "JD Express", "jingdong"), prefix="JD"),
    CourierInfo(7, "EMS", "EMS", r"(1\d{12}|E[A-Z]\d{9}[A-Z]{2})", "1############",
                "13 位数字（以 1 开头）或 EA123456785CN 这样的国际单号",
                "13 digits starting with 1, or an international number like EA123456785CN",
                ("邮政EMS", "中国邮政EMS", "EMS快递", "EMS特快专递", "特快专递", "China EMS", "ems")),
    CourierInfo(8, "JTSD", "极兔速递", r"JT\d{13}", "JT#############", "JT 加 13 位数字", "JT followed by 13 digits",
                ("极兔", "极兔快递", "J&T", "J&T Express", "JT Express", "jtexpress"), prefix="JT", strict=True),
    CourierInfo(9, "YZPY", "邮政快递包裹", rf"(9\d{{12}}|{S10})", "98###########",
                "13 位数字（以 9 开头）或国际挂号单号", "13 digits starting with 9, or an international number",
                ("邮政", "中国邮政", "邮政包裹", "邮政快递", "邮政国内小包", "China Post", "youzhengguonei")),
    CourierInfo(10, "DBL", "德邦快递", r"DPK\d{12}", "DPK############", "DPK 加 12 位数字",
                "DPK followed by 12 digits", ("德邦", "德邦物流", "Deppon", "debangwuliu", "debangkuaidi"),
                prefix="DPK"),
    CourierInfo(11, "HTKY", "百世快递", r"(A|55|56|70|71)\d{11,13}", "55############", "12–15 位数字",
                "12–15 digits", ("百世", "百世汇通", "汇通快递", "Best Express", "huitongkuaidi")),
    CourierInfo(12, "ZJS", "宅急送", r"\d{10}", "##########", "10 位数字", "10 digits", ("zhaijisong",)),
    CourierInfo(13, "UC", "优速快递", r"UC\d{12}", "UC############", "UC 加 12 位数字", "UC followed by 12 digits",
                ("优速", "优速物流", "UC Express", "youshuwuliu"), prefix="UC"),
    CourierInfo(14, "KYSY", "跨越速运", r"KY\d{11}", "KY###########", "KY 加 11 位数字", "KY followed by 11 digits",
                ("跨越", "跨越快递", "KYE", "kuayue"), prefix="KY"),
    CourierInfo(15, "FWX", "丰网速运", r"FW\d{13}", "FW#############", "FW 加 13 位数字", "FW followed by 13 digits",
                ("丰网", "丰网快递", "fengwang"), prefix="FW"),
    CourierInfo(16, "ANE", "安能物流", r"\d{12,13}", "3############", "12–13 位数字", "12–13 digits",
                ("安能", "安能快递", "ANE Express", "annengwuliu")),
)

OTHER_COURIER_ID = -1
"""API工厂's pseudo courier "其他快递公司" (other courier or own delivery)."""

BY_ID = {c.id: c for c in COURIERS}
BY_CODE = {c.code: c for c in COURIERS}
POSTAL_CODES = frozenset({"EMS", "YZPY"})  # whose numbers may be S10

# What a spreadsheet adds around a name ("顺丰速运有限公司", "SF-Express", "韵达 快递"):
# dropped before comparing, so the alias list stays short.
_NOISE = re.compile(r"[\s\-_.·•()（）【】\[\]]+")
_SUFFIXES = ("股份有限公司", "有限公司", "公司", "快递", "速运", "速递", "物流", "express", "logistics")


def courier_key(text: str) -> str:
    """A name as compared: width-folded, lower-case, without spaces, punctuation and the
    words every courier's name ends with."""
    key = _NOISE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    changed = True
    while changed and key:
        changed = False
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key


def _keys(c: CourierInfo) -> set[str]:
    return {courier_key(t) for t in (c.code, c.name, *c.aliases)}


_BY_KEY: dict[str, CourierInfo] = {k: c for c in COURIERS for k in _keys(c)}


def courier_for(id_or_code: int | str) -> CourierInfo | None:
    """A known courier by id, code, name, the start of its name or an alias."""
    if isinstance(id_or_code, int):
        return BY_ID.get(id_or_code)
    key = str(id_or_code).strip()
    if key.isdigit():
        return BY_ID.get(int(key))
    upper = key.upper()
    if upper in BY_CODE:
        return BY_CODE[upper]
    for c in COURIERS:
        if key and (c.name == key or c.name.startswith(key)):
            return c
    return _BY_KEY.get(courier_key(key)) if key else None


def closest_names(text: str, names: Iterable[str], n: int = 3) -> list[str]:
    """The names most like ``text``, for "did you mean …": by shared start or by spelling."""
    names = list(dict.fromkeys(names))
    key = courier_key(text)
    if not key:
        return []
    by_key = {courier_key(name): name for name in names}
    found = [name for k, name in by_key.items() if k and (k.startswith(key) or key.startswith(k))]
    for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.5):
        if by_key[k] not in found:
            found.append(by_key[k])
    return found[:n]
