"""Tracking numbers: cleaning scanner and paste noise, and checking per courier."""

from __future__ import annotations

import pytest

from app.domain.couriers import COURIERS, closest_names, courier_for
from app.domain.tracking import check, clean, looks_like, s10_check_digit, s10_valid


def levels(number: str, code: str | None) -> list[str]:
    return [p.level for p in check(clean(number), courier_for(code) if code else None)]


@pytest.mark.parametrize(("raw", "expected"), [
    ("SF1234567890123", "SF1234567890123"),
    ("  sf1234567890123\r\n", "SF1234567890123"),  # lower case, a scanner's CR/LF
    ("ＳＦ１２３４５６７８９０１２３", "SF1234567890123"),  # full-width from a Chinese IME
    ("SF 1234 5678 90123", "SF1234567890123"),  # grouped as a text message shows it
    ("SF1234\u3000567890123", "SF1234567890123"),  # ideographic space
    ("\u200bSF123456\u200d7890123\ufeff", "SF1234567890123"),  # zero-width from a web page
    ("]C1SF1234567890123", "SF1234567890123"),  # AIM prefix: Code 128
    ("]E0 773012345678901", "773012345678901"),
    ("'75312345678901", "75312345678901"),  # Excel's text apostrophe
    ('"YT1234567890123"', "YT1234567890123"),
    ("“JT0001234567890”", "JT0001234567890"),
    ("SF1234567890123\t\x1d", "SF1234567890123"),  # tab and a GS separator
    ("", ""),
    (None, ""),
])
def test_clean(raw: object, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(("number", "code"), [
    ("SF1409876543210", "SF"),
    ("75312345678901", "ZTO"),  # ZTO: 14 digits, 75…
    ("731234567890", "ZTO"),  # ZTO: the older 12 digits
    ("YT7412345678901", "YTO"),
    ("773012345678901", "STO"),
    ("4312345678901", "YD"),
    ("312345678901234", "YD"),
    ("JDVA12345678901", "JD"),
    ("JDX012345678901", "JD"),
    ("1012345678901", "EMS"),
    ("EA123456785CN", "EMS"),  # S10, check digit 5
    ("JT0001234567890", "JTSD"),
    ("9812345678901", "YZPY"),
    ("RA473124829GB", "YZPY"),  # a real-world S10 example, check digit 9
    ("DPK364251234567", "DBL"),
    ("1234567890", "ZJS"),
])
def test_good_numbers_pass(number: str, code: str) -> None:
    assert check(number, courier_for(code)) == []


def test_s10_check_digit() -> None:
    assert s10_check_digit("12345678") == 5
    assert s10_check_digit("47312482") == 9
    assert s10_valid("EA123456785CN")
    assert not s10_valid("EA123456784CN")
    # the two special cases: 11 - sum % 11 is 11 → 5 and 10 → 0
    assert s10_check_digit("00000000") == 5
    assert s10_check_digit("00300000") == 0  # 3 × 4 = 12, 12 % 11 = 1
    assert s10_check_digit("00000001") == 4 and s10_check_digit("10000000") == 3


@pytest.mark.parametrize(("number", "code"), [
    ("", "SF"),  # empty
    ("SF12345678901-3", "SF"),  # a character no number has
    ("SF1234567890123#", "ZTO"),
    ("7531234", "ZTO"),  # too short for any courier
    ("7" * 31, "ZTO"),  # too long for any
    ("SF123456789012", "SF"),  # SF is always SF + 13 digits: one missing
    ("SF12345678901234", "SF"),  # one extra
    ("JT000123456789", "JTSD"),
    ("EA123456784CN", "EMS"),  # S10 check digit wrong
    ("RA473124828GB", "YZPY"),
    ("JDVA12345678901-1-1-", "JD"),  # a JD package number, not the waybill
    ("SF1409876543210SF1409876543210", "SF"),  # scanned twice
])
def test_certain_mistakes_are_errors(number: str, code: str) -> None:
    problems = check(clean(number), courier_for(code))
    assert [p.level for p in problems] == ["error"], problems
    assert problems[0].zh.endswith("。") and problems[0].en


def test_messages_say_what_is_wrong_and_what_to_do() -> None:
    [missing] = check("SF123456789012", courier_for("SF"))
    assert "SF 加 13 位数字" in missing.zh and "重新填写" in missing.zh
    assert "SF followed by 13 digits" in missing.en
    [digit] = check("EA123456784CN", courier_for("EMS"))
    assert "第 11 位应为 5" in digit.zh and "should be 5" in digit.en
    [doubled] = check("SF1409876543210SF1409876543210", courier_for("SF"))
    assert "请只填 SF1409876543210" in doubled.zh


@pytest.mark.parametrize(("number", "code", "other"), [
    ("SF1409876543210", "ZTO", "顺丰速运"),  # an SF number entered as ZTO
    ("JT0001234567890", "YD", "极兔速递"),
    ("YT7412345678901", "SF", "圆通速递"),  # not SF-prefixed: only a warning for SF
    ("JDVA12345678901", "STO", "京东快递"),
    ("EA123456785CN", "ZTO", "EMS"),
])
def test_another_couriers_number_is_named(number: str, code: str, other: str) -> None:
    [problem] = check(number, courier_for(code))
    assert problem.level == "warning"
    assert other in problem.zh and other in problem.en


def test_unusual_for_the_courier_is_a_warning() -> None:
    [problem] = check("888812345678", courier_for("ZTO"))  # 88…: not how ZTO numbers start
    assert problem.level == "warning"
    assert "looks unusual for 中通快递 (ZTO)" in problem.en and "不太常见" in problem.zh


def test_old_numeric_sf_number_is_only_a_warning() -> None:
    # SF printed 12-digit numbers before the SF prefix: unusual today, not impossible.
    assert levels("287654321098", "SF") == ["warning"]


def test_phone_and_order_numbers_are_named() -> None:
    [phone] = check("13800138000", courier_for("ZTO"))
    assert phone.level == "warning" and "手机号" in phone.zh and "phone" in phone.en
    [order] = check("26112500000399", courier_for("STO"), order_numbers={"26112500000399"})
    assert order.level == "warning" and "订单号" in order.zh
    assert check("26112500000399", courier_for("STO")) != check("26112500000399", courier_for("STO"),
                                                                order_numbers={"26112500000399"})


def test_unknown_courier_gets_the_checks_every_courier_shares() -> None:
    assert check("ZT1234567890", None) == []
    assert levels("ZT12-34567890", None) == ["error"]
    assert levels("13912345678", None) == ["warning"]
    assert levels("EA123456784CN", None) == ["warning"]  # looks postal, fails the check digit


def test_looks_like_only_names_distinctive_forms() -> None:
    assert [c.code for c in looks_like("SF1409876543210")] == ["SF"]
    assert looks_like("75312345678901") == []  # digits only: ZTO, STO, ANE… all could
    assert {c.code for c in looks_like("EA123456785CN")} == {"EMS", "YZPY"}


@pytest.mark.parametrize(("text", "code"), [
    ("顺丰", "SF"), ("SF Express", "SF"), ("sf-express", "SF"), ("顺丰速运有限公司", "SF"), ("ＳＦ", "SF"),
    ("中通", "ZTO"), ("圆通", "YTO"), ("申通快递", "STO"), ("韵达", "YD"), ("Yunda Express", "YD"),
    ("京东", "JD"), ("京东物流", "JD"), ("极兔", "JTSD"), ("J&T", "JTSD"), ("J&T Express", "JTSD"),
    ("邮政", "YZPY"), ("中国邮政", "YZPY"), ("EMS", "EMS"), ("ems", "EMS"), ("邮政EMS", "EMS"),
    ("德邦", "DBL"), ("德邦物流", "DBL"), ("百世汇通", "HTKY"), ("shunfeng", "SF"), ("7", "EMS"),
])
def test_courier_aliases(text: str, code: str) -> None:
    found = courier_for(text)
    assert found is not None and found.code == code


def test_unknown_courier_names_and_hints() -> None:
    assert courier_for("中铁快运") is None
    assert courier_for("") is None
    assert closest_names("顺风", [c.name for c in COURIERS]) == ["顺丰速运"]
    assert "中通快递" in closest_names("中通速运", [c.name for c in COURIERS])


def test_generated_practice_numbers_pass_their_own_courier() -> None:
    import random

    rng = random.Random(5)
    for c in COURIERS:
        for _ in range(20):
            number = c.make_number(rng)
            assert [p for p in check(number, c) if p.level == "error"] == [], (c.code, number)
