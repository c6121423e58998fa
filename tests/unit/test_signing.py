"""The 软猫引擎 signing scheme against the shared test vectors, and its negative cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.platform import signing

VECTORS_FILE = Path(__file__).resolve().parents[3] / "shared" / "platform" / "ruanmao-sign-vectors.json"
VECTORS = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))["vectors"]
SECRET = "sk_test_3f9a7c2e5b8d4a1f"


def test_there_are_vectors_for_requests_and_answers() -> None:
    names = " ".join(v["name"] for v in VECTORS)
    assert len(VECTORS) >= 5 and "MD5" in names and "response" in names


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_canonical_string(vector: dict) -> None:
    assert signing.canonical(vector["params"], vector["appSecret"]) == vector["canonical"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_sign(vector: dict) -> None:
    assert signing.sign(vector["params"], vector["appSecret"]) == vector["sign"]


@pytest.mark.parametrize("vector", [v for v in VECTORS if "signType" in v["params"]],
                         ids=lambda v: v["name"])
def test_request_vectors_verify_and_reject_changes(vector: dict) -> None:
    body = {**vector["params"], "sign": vector["sign"]}
    assert signing.verify_request(body, vector["appSecret"])
    assert signing.verify_request({**body, "sign": vector["sign"].lower()}, vector["appSecret"])
    assert not signing.verify_request({**body, "timestamp": body["timestamp"] + 1}, vector["appSecret"])
    assert not signing.verify_request(body, vector["appSecret"] + "x")
    assert not signing.verify_request({**body, "extra": "1"}, vector["appSecret"])
    assert not signing.verify_request({k: v for k, v in body.items() if k != "sign"}, vector["appSecret"])


@pytest.mark.parametrize("vector", [v for v in VECTORS if "code" in v["params"]], ids=lambda v: v["name"])
def test_response_vectors_verify_and_reject_changes(vector: dict) -> None:
    envelope = {**vector["params"], "sign": vector["sign"]}
    assert signing.verify_response(envelope, vector["appSecret"])
    assert not signing.verify_response({**envelope, "msg": envelope["msg"] + "!"}, vector["appSecret"])
    assert not signing.verify_response({**envelope, "data": {"accessToken": "forged"}}, vector["appSecret"])
    assert not signing.verify_response({**envelope, "sign": ""}, vector["appSecret"])
    assert not signing.verify_response({k: v for k, v in envelope.items() if k != "sign"}, vector["appSecret"])


def test_nested_values_are_compact_sorted_json_with_chinese_kept() -> None:
    params = {"b": [{"z": 1, "a": "易碎"}], "a": {"y": True, "x": None}}
    assert signing.canonical(params, "s") == 'a={"x":null,"y":true}&b=[{"a":"易碎","z":1}]&key=s'


def test_null_and_empty_skipped_but_zero_false_and_empty_list_kept() -> None:
    params = {"a": None, "b": "", "c": 0, "d": False, "e": [], "sign": "X"}
    assert signing.canonical(params, "s") == "c=0&d=false&e=[]&key=s"


def test_float_has_no_canonical_form() -> None:
    with pytest.raises(signing.SigningError):
        signing.canonical({"amount": 99.5}, "s")


def test_sign_request_round_trip_hmac_and_md5() -> None:
    for sign_type in signing.SIGN_TYPES:
        body = signing.sign_request({"orderId": 1, "amount": "9.90"}, app_id="app", secret=SECRET,
                                    timestamp_ms=1795000000000, access_token="at", sign_type=sign_type)
        assert body["signType"] == sign_type and body["accessToken"] == "at" and signing.is_valid_nonce(body["nonceStr"])
        assert len(body["sign"]) == (64 if sign_type == signing.HMAC_SHA256 else 32)
        assert signing.verify_request(body, SECRET)
        assert not signing.verify_request({**body, "amount": "0.01"}, SECRET)


def test_unknown_sign_type_is_refused() -> None:
    body = signing.sign_request({}, app_id="app", secret=SECRET, timestamp_ms=1)
    assert not signing.verify_request({**body, "signType": "SHA1"}, SECRET)
    with pytest.raises(signing.SigningError):
        signing.sign({}, SECRET, "SHA1")


def test_sign_response_is_always_hmac() -> None:
    envelope = signing.sign_response(0, "success", {"x": "1.00"}, secret=SECRET, timestamp_ms=5)
    assert len(envelope["sign"]) == 64 and signing.verify_response(envelope, SECRET)
    assert not signing.verify_response(envelope, "other-secret")


def test_nonces_are_fresh_and_well_formed() -> None:
    nonces = {signing.new_nonce() for _ in range(200)}
    assert len(nonces) == 200
    assert all(signing.is_valid_nonce(n) for n in nonces)
    assert signing.is_valid_nonce(signing.new_nonce(16)) and signing.is_valid_nonce(signing.new_nonce(32))
    with pytest.raises(ValueError):
        signing.new_nonce(8)
    assert not signing.is_valid_nonce("short")
    assert not signing.is_valid_nonce("has-a-dash-in-it-000")
    assert not signing.is_valid_nonce(1234567890123456)


@pytest.mark.parametrize("vector", [v for v in VECTORS if "code" in v["params"]], ids=lambda v: v["name"])
def test_response_json_reproduces_the_response_vectors(vector: dict) -> None:
    p = vector["params"]
    text = signing.response_json(p["code"], p["msg"], p["data"], secret=vector["appSecret"],
                                 timestamp_ms=p["timestamp"], nonce=p["nonceStr"])
    envelope = json.loads(text)
    assert envelope == {**p, "sign": vector["sign"]}
    assert signing.verify_response(envelope, vector["appSecret"])


@pytest.mark.parametrize("data", [None, "", "文本", 0, False, {}, [], {"b": [{"z": 1, "a": "易碎"}], "a": None}])
def test_response_json_signs_like_sign_response_and_sends_data_as_signed(data: object) -> None:
    text = signing.response_json(40002, "签名错误", data, secret=SECRET, timestamp_ms=5, nonce="n" * 16)
    envelope = json.loads(text)
    assert envelope == signing.sign_response(40002, "签名错误", data, secret=SECRET, timestamp_ms=5, nonce="n" * 16)
    assert list(envelope) == ["code", "msg", "data", "timestamp", "nonceStr", "sign"]
    if isinstance(data, dict):  # the body carries the very text that was signed
        assert f'"data":{signing.render(data)},' in text


def test_response_json_sign_override_and_no_nan() -> None:
    text = signing.response_json(0, "success", {"x": "1.00"}, secret=SECRET, timestamp_ms=5, sign_override="F" * 64)
    assert not signing.verify_response(json.loads(text), SECRET)
    with pytest.raises(ValueError):
        signing.response_json(0, "success", {"x": float("nan")}, secret=SECRET, timestamp_ms=5)
