"""One error hierarchy for everything the platforms can answer.

Every error carries a Chinese and an English message written for shop staff: what went
wrong and what to do. ``retryable`` says whether the transport may try the same call
again without checking anything first (reads only; writes are checked by the caller).
"""

from __future__ import annotations


class PlatformError(Exception):
    """The platform said no, or could not be reached. Staff can act on every subclass."""

    zh: str = "平台返回了错误。请稍后重试；如果一直出现，请联系平台客服。"
    en: str = "The platform returned an error. Try again later; if it keeps happening, contact the platform's support."
    retryable: bool = False

    def __init__(self, detail: str = "", *, code: int | None = None, zh: str | None = None,
                 en: str | None = None) -> None:
        self.detail = detail
        self.code = code
        if zh is not None:
            self.zh = zh
        if en is not None:
            self.en = en
        super().__init__(self.message("en") + (f" ({detail})" if detail else ""))

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


class OfflineError(PlatformError):
    zh = "无法连接到平台。请检查网络；已缓存的数据仍可查看，操作会在恢复联网后发送。"
    en = "Cannot reach the platform. Check the network; cached data stays available and actions are sent when it is back."
    retryable = True


class TimeoutError_(OfflineError):
    zh = "平台响应超时。网络可能较慢，请稍后重试。"
    en = "The platform took too long to answer. The network may be slow; try again shortly."


class HostNotFoundError(OfflineError):
    """The host name of the base URL did not resolve: a typo, or no network at all."""

    zh = "找不到平台服务器（域名解析失败）。请检查接口地址是否拼写正确，以及电脑是否已联网。"
    en = "The platform's server cannot be found (its host name does not resolve). Check the address for typos and that this computer is online."


class TlsError(OfflineError):
    """The TLS handshake failed. Not retried: a certificate does not fix itself in a second."""

    zh = "无法与平台建立安全连接：服务器证书无法验证（已过期、自签名或与域名不符，也可能是网络被拦截）。请检查接口地址；在公司网络中请联系网络管理员。"
    en = "Cannot open a secure connection: the server's certificate cannot be verified (expired, self-signed, for another name, or the network intercepts it). Check the address; on a company network ask its administrator."
    retryable = False


class ServerError(PlatformError):
    """5xx, a dropped connection mid-answer, or a body that is not valid JSON."""

    zh = "平台暂时出错（服务器错误或响应不完整）。请稍后重试。"
    en = "The platform had a temporary fault (server error or an incomplete answer). Try again shortly."
    retryable = True


class AuthenticationError(PlatformError):
    zh = "登录平台失败：AppId/AppSecret 或商户号/商户密钥不正确，或已被停用。请在账号设置中检查。"
    en = "Could not sign in to the platform: the AppId/AppSecret or merchant number/key is wrong or disabled. Check the account settings."


class ClockSkewError(PlatformError):
    zh = "本机时间与平台相差太多，请求被拒绝。请把电脑时间设为自动同步。"
    en = "This computer's clock is too far from the platform's, so requests are refused. Set the clock to sync automatically."


class TamperedResponseError(PlatformError):
    zh = "平台的响应签名校验失败，数据已丢弃。可能是网络被篡改或 AppSecret 不正确；请检查网络和账号设置。"
    en = "The platform's answer failed its signature check and was discarded. The network may be tampered with or the AppSecret is wrong; check both."
    retryable = True


class RateLimitedError(PlatformError):
    zh = "请求过于频繁，平台要求稍候。ShopDesk 会自动放慢并重试。"
    en = "Too many requests: the platform asks us to wait. ShopDesk slows down and retries by itself."
    retryable = True

    def __init__(self, detail: str = "", *, retry_after: float = 1.0, code: int | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(detail, code=code)


class ConflictError(PlatformError):
    zh = "操作与订单当前状态冲突（例如订单已被退款或关闭）。请刷新后查看最新状态。"
    en = "The action conflicts with the current state (for example the order was refunded or closed). Refresh to see the latest state."


class NotFoundError(PlatformError):
    zh = "平台上找不到该记录，可能已被删除。请刷新列表。"
    en = "The platform has no such record; it may have been deleted. Refresh the list."


class InvalidInputError(PlatformError):
    zh = "平台拒绝了提交的内容：参数不正确。请检查填写的内容。"
    en = "The platform rejected what was sent: a value is invalid. Check what was entered."


class UnsupportedError(PlatformError):
    zh = "当前平台不支持该功能。"
    en = "This platform does not offer that feature."


class ProtocolError(PlatformError):
    """The platform answered something we cannot understand (a bug on one side)."""

    zh = "平台返回了无法识别的数据。请把错误报告发给 ShopDesk 开发者。"
    en = "The platform answered with data ShopDesk cannot read. Send the error report to the ShopDesk developers."


def with_detail(cls: type[PlatformError], msg: str, code: int | None = None) -> PlatformError:
    """An error whose staff message includes the platform's own text (it often names the field)."""
    err = cls(msg, code=code)
    if msg:
        err.zh = f"{cls.zh}（平台提示：{msg}）"
        err.en = f"{cls.en} (platform says: {msg})"
    return err
