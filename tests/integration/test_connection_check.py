""""Test connection" against the practice platform and against servers that fail in each way
staff meet: a wrong secret, a closed port, an unknown host, a wrong path, a certificate
that cannot be verified, a clock too far off, a server that never answers."""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.platform import signing
from app.platform.account import Account, PlatformKind
from app.sandbox import credentials
from app.sandbox.server import SandboxServer
from app.services.connection_check import Problem, test_connection
from tests.conftest import apifm_account, ruanmao_account


def real(account: Account) -> Account:
    return replace(account, practice=False)


@pytest.mark.asyncio
@pytest.mark.parametrize("dialect", [apifm_account, ruanmao_account])
async def test_a_good_account_connects_and_counts_orders(sandbox: SandboxServer, dialect) -> None:  # type: ignore[no-untyped-def]
    result = await test_connection(real(dialect(sandbox)))
    assert result.ok and result.problem is Problem.NONE
    assert result.orders == 400 and "连接成功" in result.message("zh") and "400" in result.message("en")


@pytest.mark.asyncio
async def test_a_wrong_app_secret_is_named(sandbox: SandboxServer) -> None:
    account = replace(real(ruanmao_account(sandbox)), app_secret="not-the-secret-0000")
    result = await test_connection(account)
    assert not result.ok and result.problem is Problem.WRONG_SECRET
    assert result.message("zh").startswith("AppSecret 不正确")
    stranger = replace(real(ruanmao_account(sandbox)), app_id="rm_nobody")
    result = await test_connection(stranger)
    assert result.problem is Problem.WRONG_SECRET and result.message("zh").startswith("AppId 不存在")


@pytest.mark.asyncio
async def test_a_wrong_merchant_key_is_named(sandbox: SandboxServer) -> None:
    account = replace(real(apifm_account(sandbox)), merchant_key="wrong-key")
    result = await test_connection(account)
    assert not result.ok and result.problem is Problem.WRONG_SECRET
    assert "商户密钥不正确" in result.message("zh") and "merchant number or key" in result.message("en")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.asyncio
async def test_a_closed_port_is_unreachable_with_the_address(sandbox: SandboxServer) -> None:
    port = closed_port()
    account = replace(real(apifm_account(sandbox)), base_url=f"http://127.0.0.1:{port}")
    result = await test_connection(account)
    assert not result.ok and result.problem is Problem.UNREACHABLE
    assert f"127.0.0.1:{port}" in result.message("zh") and "端口" in result.message("zh")


@pytest.mark.asyncio
async def test_an_unknown_host_is_a_name_lookup_failure() -> None:
    account = Account(kind=PlatformKind.APIFM, base_url="https://no-such-shop.invalid", merchant_no="1",
                      merchant_key="k")
    result = await test_connection(account)
    assert not result.ok and result.problem is Problem.DNS
    assert "no-such-shop.invalid" in result.message("zh") and "域名解析失败" in result.message("zh")


@pytest.mark.asyncio
@pytest.mark.parametrize("dialect", [apifm_account, ruanmao_account])
async def test_a_wrong_path_is_not_the_platform_api(sandbox: SandboxServer, dialect) -> None:  # type: ignore[no-untyped-def]
    account = real(dialect(sandbox))
    account = replace(account, base_url=account.base_url + "/wrong/path")
    result = await test_connection(account)
    assert not result.ok and result.problem is Problem.WRONG_ENDPOINT
    assert "HTTP 404" in result.message("zh") and "平台类型和接口地址" in result.message("zh")


@pytest.mark.asyncio
async def test_a_skewed_clock_is_reported_even_though_the_call_worked(fresh_sandbox: SandboxServer) -> None:
    assert fresh_sandbox.state is not None
    fresh_sandbox.state.clock_offset = 7 * 60  # the platform is 7 minutes ahead of this desk
    result = await test_connection(real(ruanmao_account(fresh_sandbox)))
    assert result.ok and result.problem is Problem.CLOCK_SKEW
    assert "本机时钟比平台慢 7 分钟" in result.message("zh") and "7 minutes behind" in result.message("en")


@pytest.mark.asyncio
async def test_a_clock_the_platform_keeps_refusing_is_a_clock_skew_failure() -> None:
    def platform(request: httpx.Request) -> httpx.Response:
        # Every request refused as stale, whatever its timestamp: the clock is "running away".
        sent = json.loads(request.content)["timestamp"]
        return httpx.Response(200, json=signing.sign_response(40003, "请求已过期", None,
                                                              secret=credentials.RUANMAO_APP_SECRET,
                                                              timestamp_ms=sent + 3_600_000))

    account = Account(kind=PlatformKind.RUANMAO, base_url="https://ruanmao.test", app_id=credentials.RUANMAO_APP_ID,
                      app_secret=credentials.RUANMAO_APP_SECRET)
    result = await test_connection(account, transport=httpx.MockTransport(platform))
    assert not result.ok and result.problem is Problem.CLOCK_SKEW
    assert "相差太多" in result.message("zh") and "校准电脑时间" in result.message("zh")


@pytest.mark.asyncio
async def test_a_server_error_says_to_try_later() -> None:
    account = Account(kind=PlatformKind.APIFM, base_url="https://apifm.test", merchant_no="1", merchant_key="k")
    result = await test_connection(account, transport=httpx.MockTransport(lambda r: httpx.Response(502)))
    assert not result.ok and result.problem is Problem.SERVER_ERROR and "HTTP 502" in result.message("zh")


@pytest.mark.asyncio
async def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # connections are queued by the kernel but never answered
        port = silent.getsockname()[1]
        account = Account(kind=PlatformKind.APIFM, base_url=f"http://127.0.0.1:{port}", merchant_no="1",
                          merchant_key="k")
        result = await test_connection(account, timeout=0.5)
    assert not result.ok and result.problem is Problem.TIMEOUT and "0.5 秒内没有响应" in result.message("zh")


# ---- TLS -------------------------------------------------------------------------------------

def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class JsonOk(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b'{"code":0,"data":"token"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[int]:
    """An https server on loopback whose certificate no client trusts (self-signed)."""
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), JsonOk)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


@pytest.mark.asyncio
async def test_a_self_signed_certificate_is_a_tls_failure(https_server: int) -> None:
    account = Account(kind=PlatformKind.APIFM, base_url=f"https://localhost:{https_server}", merchant_no="1",
                      merchant_key="k")
    result = await test_connection(account)
    assert not result.ok and result.problem is Problem.TLS
    assert "证书无法验证" in result.message("zh") and "self-signed" in result.message("zh")


@pytest.mark.asyncio
async def test_https_to_a_plain_http_port_is_a_tls_failure_that_names_the_scheme(sandbox: SandboxServer) -> None:
    account = real(apifm_account(sandbox))
    account = replace(account, base_url=account.base_url.replace("http://", "https://"))
    result = await test_connection(account)
    assert not result.ok and result.problem is Problem.TLS
    assert "https:// 还是 http://" in result.message("zh")
