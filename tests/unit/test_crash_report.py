from __future__ import annotations

import traceback

from app.services.crash_report import HIDDEN, redact, register_secret


def test_registered_secret_is_hidden_wherever_it_appears() -> None:
    register_secret("s3cr3t-app-secret-value")
    text = "ValueError: could not parse 's3cr3t-app-secret-value' (from s3cr3t-app-secret-value)"
    out = redact(text)
    assert "s3cr3t" not in out
    assert out.count(HIDDEN) == 2


def test_named_fields_are_hidden_in_urls_json_headers_and_kwargs() -> None:
    text = (
        "GET https://api.example.com/order/list?page=1&token=abc123def456&pageSize=20\n"
        '{"merchantKey": "mk-9f8e7d", "merchantNo": "M1001"}\n'
        "X-Token: 7c1f0a9b2e\n"
        "Account(app_secret='zz-top-secret', app_id='AID42')\n"
        "sign=0123456789abcdef"
    )
    out = redact(text)
    for secret in ("abc123def456", "mk-9f8e7d", "7c1f0a9b2e", "zz-top-secret", "0123456789abcdef"):
        assert secret not in out
    # what is needed to understand the bug stays
    for kept in ("page=1", "pageSize=20", "M1001", "AID42", "https://api.example.com/order/list"):
        assert kept in out


def test_a_real_traceback_keeps_its_shape() -> None:
    try:
        raise RuntimeError("login failed for merchantKey=abcdef123")
    except RuntimeError as exc:
        text = "".join(traceback.format_exception(exc))
    out = redact(text)
    assert "abcdef123" not in out
    assert "RuntimeError: login failed for merchantKey=" in out
    assert "test_a_real_traceback_keeps_its_shape" in out


def test_short_values_are_not_registered() -> None:
    register_secret("ab")
    assert redact("a tab and a cab") == "a tab and a cab"
