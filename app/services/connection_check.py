""""Test connection": sign in with an account and read one order, then say exactly what is
wrong — the secret, the host, the name lookup, the certificate, the clock, the address —
in words staff can act on.

Nothing is retried: a test should answer in seconds, and the first failure is the one to
report. The HTTP status and content type of the last answer are recorded on the way, so
that "this address is not the platform's API" can name what came back instead.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

import httpx

from app.domain.models import OrderQuery
from app.platform.account import Account, PlatformKind
from app.platform.connect import connect
from app.platform.errors import (
    AuthenticationError,
    ClockSkewError,
    HostNotFoundError,
    NotFoundError,
    OfflineError,
    PlatformError,
    ProtocolError,
    ServerError,
    TamperedResponseError,
    TimeoutError_,
    TlsError,
)

log = logging.getLogger(__name__)

# Beyond this the desk's clock is reported even when the call worked: ShopDesk signs with
# the platform's time, but order times shown "ago" and the staff's own sense of time drift.
SKEW_WARNING_S = 60.0


class Problem(StrEnum):
    NONE = "ok"
    WRONG_SECRET = "wrong_secret"
    UNREACHABLE = "unreachable"
    DNS = "dns"
    TLS = "tls"
    CLOCK_SKEW = "clock_skew"
    WRONG_ENDPOINT = "wrong_endpoint"  # the wrong platform type or base URL
    TIMEOUT = "timeout"
    SERVER_ERROR = "server_error"
    OTHER = "other"


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    problem: Problem
    zh: str
    en: str
    detail: str = ""  # the technical cause, for a tooltip and the log; never a secret
    clock_offset_s: float = 0.0  # platform clock minus this desk's, as learned
    orders: int | None = None

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


class _Recorder(httpx.AsyncBaseTransport):
    """Passes requests through and remembers what the last answer was."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.status: int | None = None
        self.content_type = ""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.status = response.status_code
        self.content_type = response.headers.get("content-type", "").split(";")[0].strip()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _minutes(seconds: float) -> str:
    minutes = abs(seconds) / 60
    return f"{minutes:.0f}" if minutes >= 1.5 else f"{minutes:.1f}".rstrip("0").rstrip(".")


def _skew_words(offset_s: float) -> tuple[str, str]:
    ahead = offset_s < 0  # the platform is behind: this desk runs ahead
    m = _minutes(offset_s)
    return ((f"本机时钟比平台{'快' if ahead else '慢'} {m} 分钟"),
            (f"this computer's clock is {m} minutes {'ahead of' if ahead else 'behind'} the platform's"))


async def test_connection(account: Account, *, timeout: float = 10.0,
                          transport: httpx.AsyncBaseTransport | None = None) -> ConnectionResult:
    """Log in, list one order, and report. Never raises for anything the platform or the
    network does; ``transport`` replaces the network (tests)."""
    recorder = _Recorder(transport or httpx.AsyncHTTPTransport())
    platform = connect(account, transport=recorder, retries=0, timeout=timeout)
    started = time.monotonic()
    try:
        await platform.login()
        page = await platform.orders.list(OrderQuery(page_size=1))
    except PlatformError as exc:
        result = _failure(account, exc, recorder, platform.transport.clock.offset_ms / 1000, timeout)
        log.info("test connection to %s failed: %s (%s)", account.base_url, result.problem.value, exc)
        return result
    finally:
        await platform.aclose()
    offset = platform.transport.clock.offset_ms / 1000
    log.info("test connection to %s: ok in %.2f s, clock offset %.1f s", account.base_url,
             time.monotonic() - started, offset)
    name = account.kind.label("zh")
    zh = f"连接成功：已登录{name}，店铺共有 {page.total_rows} 个订单。"
    en = f"Connected: signed in to {account.kind.label('en')}; the shop has {page.total_rows} orders."
    if abs(offset) >= SKEW_WARNING_S:
        skew_zh, skew_en = _skew_words(offset)
        zh += f"但{skew_zh}：ShopDesk 会按平台时间工作，请仍把电脑时间设为自动同步。"
        en += f" But {skew_en}: ShopDesk works on the platform's time, still set this computer's clock to sync automatically."
        return ConnectionResult(True, Problem.CLOCK_SKEW, zh, en, clock_offset_s=offset, orders=page.total_rows)
    return ConnectionResult(True, Problem.NONE, zh, en, clock_offset_s=offset, orders=page.total_rows)


def _failure(account: Account, exc: PlatformError, recorder: _Recorder, offset: float,
             timeout: float) -> ConnectionResult:
    parts = urlsplit(account.base_url)
    host = parts.hostname or account.base_url
    where = f"{host}:{parts.port}" if parts.port else host
    platform_zh, platform_en = account.kind.label("zh"), account.kind.label("en")
    detail = exc.detail or type(exc).__name__

    def result(problem: Problem, zh: str, en: str) -> ConnectionResult:
        return ConnectionResult(False, problem, zh, en, detail=detail, clock_offset_s=offset)

    if isinstance(exc, TlsError):
        return result(Problem.TLS, f"{exc.message('zh')}（{exc.detail}）", f"{exc.message('en')} ({exc.detail})")
    if isinstance(exc, HostNotFoundError):
        return result(Problem.DNS, f"找不到服务器 {host}（域名解析失败）：请检查接口地址的拼写，并确认电脑已联网。",
                      f"The server {host} cannot be found (name lookup failed): check the address for typos "
                      "and that this computer is online.")
    if isinstance(exc, TimeoutError_):
        return result(Problem.TIMEOUT, f"{where} 在 {timeout:g} 秒内没有响应：网络可能很慢或被防火墙拦截。请稍后重试，或检查网络。",
                      f"{where} did not answer within {timeout:g} seconds: the network may be slow or a firewall "
                      "drops the traffic. Try again shortly, or check the network.")
    if isinstance(exc, OfflineError):
        return result(Problem.UNREACHABLE,
                      f"无法连接到 {where}（连接被拒绝或网络不通）：请检查接口地址和端口是否正确、电脑是否已联网。",
                      f"Cannot connect to {where} (refused, or no route): check the address and port, and that "
                      "this computer is online.")
    if isinstance(exc, ClockSkewError):
        # No number here: the platform refused even the time it told us, so what we learned is not to be trusted.
        return result(Problem.CLOCK_SKEW, "本机时钟与平台相差太多，平台拒绝了请求：请校准电脑时间（设为自动同步）后重试。",
                      "This computer's clock is too far from the platform's, so the platform refused the request: "
                      "correct the clock (set it to sync automatically) and try again.")
    if isinstance(exc, AuthenticationError | TamperedResponseError):
        # A 软猫引擎 answer we cannot verify at sign-in is signed with another secret than ours.
        if account.kind is PlatformKind.RUANMAO:
            if exc.code == 40010:
                zh = "AppId 不存在：请在软猫引擎开放平台的应用详情中核对 AppId 后重新填写。"
                en = "No app has this AppId: check the AppId on the app's page of the open platform and enter it again."
            else:
                zh = "AppSecret 不正确（平台无法验证签名）：请在软猫引擎开放平台的应用详情中核对 AppSecret 后重新填写。"
                en = "The AppSecret is wrong (the platform cannot verify the signature): check it on the app's page of the open platform and enter it again."
        else:
            zh = "商户号或商户密钥不正确，或该商户已停用：请在 API工厂后台核对后重新填写。"
            en = "The merchant number or key is wrong, or the merchant is disabled: check them in the API工厂 back office and enter them again."
        said = f"（平台提示：{exc.detail}）" if exc.detail and isinstance(exc, AuthenticationError) else ""
        return result(Problem.WRONG_SECRET, zh + said, en + (f" (platform says: {exc.detail})" if said else ""))
    status = recorder.status
    if isinstance(exc, ServerError) and status is not None and status >= 500:
        return result(Problem.SERVER_ERROR, f"{where} 的服务器出错（HTTP {status}）：请稍后重试；若一直如此，请联系平台客服。",
                      f"The server at {where} failed (HTTP {status}): try again later; if it persists, contact "
                      "the platform's support.")
    if isinstance(exc, ProtocolError | ServerError | NotFoundError):
        got = f"HTTP {status}" if status is not None else "无应答"
        got_en = f"HTTP {status}" if status is not None else "no answer"
        if status is not None and recorder.content_type and "json" not in recorder.content_type:
            got += f"，{recorder.content_type}"
            got_en += f", {recorder.content_type}"
        return result(Problem.WRONG_ENDPOINT,
                      f"{where} 有应答，但不是{platform_zh}的接口（{got}）：请检查平台类型和接口地址（包括路径）是否正确。",
                      f"{where} answered, but not as the {platform_en} API ({got_en}): check the platform type "
                      "and the base URL (its path too).")
    return result(Problem.OTHER, exc.message("zh"), exc.message("en"))


test_connection.__test__ = False  # type: ignore[attr-defined]  # its name would make pytest collect it
