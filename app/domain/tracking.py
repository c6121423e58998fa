"""Tracking numbers: cleaning what staff type, paste or scan, and checking it per courier.

A wrong number is expensive: WeChat lets a shop correct an order's shipping info only
once, and the buyer sees the wrong parcel meanwhile. So what is certainly wrong is an
error (nothing to send), and what is only unusual is a warning that names the likely
mistake (another courier's number, a phone number, an order number) for staff to judge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

from app.domain.couriers import COURIERS, POSTAL_CODES, S10, CourierInfo

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    level: Level
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


# Shorter than any courier's number or longer than any waybill: a slip of the hand or paste.
MIN_LENGTH, MAX_LENGTH = 8, 30

# A scanner's AIM symbology identifier: "]" + a letter + one character ("]C1" Code128,
# "]E0" EAN-13, "]Q1" QR). Printed by scanners configured to say what they read.
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
# Zero-width characters and the BOM come with text copied from web pages and chat apps.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = "'\"`‘’“”「」『』《》"
_ALLOWED = re.compile(r"[A-Z0-9]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")  # a mainland mobile: 11 digits from 13x to 19x


def clean(raw: object) -> str:
    """The number as the courier prints it: no spaces of any width, no invisible or control
    characters, full-width letters and digits made ASCII, upper-case, without a scanner's
    symbology prefix and without quotes (Excel's leading apostrophe included)."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).translate(_INVISIBLE)
    # Whitespace (NFKC made U+3000 a plain space) and control characters: a scanner's
    # CR/LF/tab suffix, GS separators from GS1 codes.
    text = "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cc")
    previous = None
    while text != previous:  # quotes and a prefix can wrap each other: "']C1SF…'"
        previous = text
        text = text.strip(_QUOTES)
        text = _AIM.sub("", text)
    return text.upper()


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of 8 serial digits (weights 8 6 4 2 3 5 9 7, mod 11)."""
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def s10_valid(number: str) -> bool:
    return re.fullmatch(S10, number) is not None and s10_check_digit(number[2:10]) == int(number[10])


def _name(c: CourierInfo) -> tuple[str, str]:
    return c.name, f"{c.name} ({c.code})"


def looks_like(number: str) -> list[CourierInfo]:
    """Couriers whose distinctive form this number has (a letter prefix, or S10 for the post).
    All-digit numbers are left out: ZTO, STO, Yunda and others share them."""
    found = [c for c in COURIERS if c.prefix and number.startswith(c.prefix) and c.matches(number)]
    if re.fullmatch(S10, number):
        found += [c for c in COURIERS if c.code in POSTAL_CODES and c.matches(number)]
    return found


def check(number: str, courier: CourierInfo | None, *, order_numbers: Container[str] = ()) -> list[Problem]:
    """Problems with a cleaned ``number`` for ``courier`` (None: a courier whose forms are
    not known, so only what holds for every courier is checked). ``order_numbers``: the
    shop's order numbers the caller knows, to catch one pasted into the tracking column."""
    if not number:
        return [Problem("error", "快递单号为空。请填写快递单号。", "The tracking number is empty. Enter it.")]
    bad = sorted(set(re.sub(r"[A-Z0-9]", "", number)))
    if bad:
        chars = " ".join(bad)
        if courier is not None and courier.code == "JD" and "-" in bad:
            return [Problem("error", f"单号 {number} 含有“-”：这是京东的包裹号。请填写不带 -1-1- 后缀的运单号。",
                            f"{number} contains '-': that is a JD package number. Enter the waybill number "
                            "without the -1-1- suffix.")]
        return [Problem("error", f"单号 {number} 含有不允许的字符：{chars}。快递单号只有字母和数字，请核对后重新填写。",
                        f"{number} contains characters a tracking number cannot have: {chars}. "
                        "Tracking numbers are letters and digits only; check and re-enter it.")]
    if not MIN_LENGTH <= len(number) <= MAX_LENGTH:
        return [Problem("error", f"单号 {number} 有 {len(number)} 位，快递单号不会这么{'短' if len(number) < MIN_LENGTH else '长'}。"
                        "请核对是否少扫或多扫了。",
                        f"{number} has {len(number)} characters: too {'short' if len(number) < MIN_LENGTH else 'long'} "
                        "for any tracking number. Check for a partial or doubled scan.")]
    half = len(number) // 2
    if len(number) % 2 == 0 and number[:half] == number[half:] and courier is not None and courier.pattern \
            and courier.matches(number[:half]) and not courier.matches(number):
        return [Problem("error", f"单号 {number} 像是同一个单号扫了两次。请只填 {number[:half]}。",
                        f"{number} looks like one number scanned twice. Enter {number[:half]} only.")]
    found = _s10_hint(number) if courier is None else _against(number, courier)
    elsewhere = _not_a_waybill(number, order_numbers)
    # A phone or order number is unusual for every courier: say what it is, not that.
    return [p for p in found if p.level == "error" or not elsewhere] + elsewhere


def _against(number: str, courier: CourierInfo) -> list[Problem]:
    """What the courier's own forms say about a well-formed number."""
    zh_name, en_name = _name(courier)
    if re.fullmatch(S10, number) and courier.code in POSTAL_CODES and not s10_valid(number):
        expected = s10_check_digit(number[2:10])
        return [Problem(
            "error", f"单号 {number} 的校验位不对（第 11 位应为 {expected}）：有一位数字输错了。请对照面单重新填写。",
            f"{number} fails its check digit (the 11th character should be {expected}): a digit is mistyped. "
            "Re-enter it from the label.")]
    if courier.matches(number):
        return []
    if courier.strict and courier.prefix and number.startswith(courier.prefix):
        return [Problem("error", f"单号 {number} 不是{zh_name}的单号格式（{courier.shape_zh}），可能少了或多了一位。"
                        "请对照面单重新填写。",
                        f"{number} is not in {en_name}'s format ({courier.shape_en}); a character may be missing "
                        "or extra. Re-enter it from the label.")]
    others = [c for c in looks_like(number) if c.id != courier.id]
    if others:
        other = others[0]
        return [Problem("warning", f"单号 {number} 看起来是{other.name}的单号，不是{zh_name}的。请核对快递公司是否选错。",
                        f"{number} looks like a {_name(other)[1]} number, not {en_name}. Check the courier.")]
    shape_zh = f"（通常是{courier.shape_zh}）" if courier.shape_zh else ""
    shape_en = f" (usually {courier.shape_en})" if courier.shape_en else ""
    return [Problem("warning", f"单号 {number} 对{zh_name}来说不太常见{shape_zh}。请对照面单确认。",
                    f"{number} looks unusual for {en_name}{shape_en}. Check it against the label.")]


def _s10_hint(number: str) -> list[Problem]:
    if re.fullmatch(S10, number) and not s10_valid(number):
        return [Problem("warning", f"单号 {number} 像邮政国际单号，但校验位不对。请对照面单确认。",
                        f"{number} looks like a postal number but fails its check digit. Check it against the label.")]
    return []


def _not_a_waybill(number: str, order_numbers: Container[str]) -> list[Problem]:
    """Other numbers that sit near a tracking number on a screen or a slip."""
    if number in order_numbers:
        return [Problem("warning", f"{number} 是一个订单号，不是快递单号。请填写面单上的运单号。",
                        f"{number} is an order number, not a tracking number. Enter the waybill number from the label.")]
    if _MOBILE.fullmatch(number):
        return [Problem("warning", f"{number} 看起来是手机号，不是快递单号。请确认填的是面单上的运单号。",
                        f"{number} looks like a mobile phone number, not a tracking number. "
                        "Check you entered the waybill number from the label.")]
    return []
