"""A connection that never opened is named by its cause: certificate, host name, or network."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest

from app.platform import errors
from app.platform.transport import Transport, connect_error


def caused_by(cause: BaseException) -> httpx.ConnectError:
    # httpx wraps httpcore's error, which wraps the OS's: the cause sits two links down.
    inner = httpx.ConnectError("inner")
    inner.__cause__ = cause
    outer = httpx.ConnectError(str(cause))
    outer.__cause__ = inner
    return outer


def cert_failure() -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    exc.verify_message = "certificate has expired"
    return exc


def test_certificate_failures_are_tls_errors_with_the_reason() -> None:
    err = connect_error(caused_by(cert_failure()))
    assert isinstance(err, errors.TlsError) and not err.retryable
    assert err.detail == "certificate has expired" and "证书无法验证" in err.message("zh")


def test_a_handshake_failure_points_at_the_scheme() -> None:
    err = connect_error(caused_by(ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")))
    assert isinstance(err, errors.TlsError) and "https://" in err.message("zh")


def test_a_failed_name_lookup_is_host_not_found() -> None:
    err = connect_error(caused_by(socket.gaierror(-2, "Name or service not known")))
    assert isinstance(err, errors.HostNotFoundError) and isinstance(err, errors.OfflineError)
    assert "域名解析失败" in err.message("zh")


def test_anything_else_stays_offline() -> None:
    err = connect_error(caused_by(ConnectionRefusedError(111, "refused")))
    assert type(err) is errors.OfflineError


@pytest.mark.asyncio
async def test_a_tls_failure_is_not_retried_but_a_lookup_failure_is() -> None:
    for cause, attempts in ((cert_failure(), 1), (socket.gaierror(-3, "Temporary failure"), 3)):
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request, cause: BaseException = cause,
                    seen: list[httpx.Request] = seen) -> httpx.Response:
            seen.append(request)
            raise caused_by(cause)

        t = Transport("https://platform.test", transport=httpx.MockTransport(handler), retries=2, backoff=0.001)
        with pytest.raises(errors.OfflineError):
            await t.call("GET", "/x", lambda r: r, idempotent=True)
        assert len(seen) == attempts
        await t.aclose()
