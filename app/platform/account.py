"""What identifies one connected shop account. Secrets are held here only in memory;
they are stored in the OS keyring by the app, never in settings or the cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PlatformKind(StrEnum):
    APIFM = "apifm"
    RUANMAO = "ruanmao"

    def label(self, lang: str = "zh") -> str:
        if self is PlatformKind.APIFM:
            return "API工厂" if lang.startswith("zh") else "API Factory (apifm)"
        return "软猫引擎" if lang.startswith("zh") else "Ruanmao Engine"


@dataclass(frozen=True)
class Account:
    kind: PlatformKind
    base_url: str
    # API工厂: merchant number and key (+ the shop's subDomain for shop-user calls)
    merchant_no: str = ""
    merchant_key: str = field(default="", repr=False)
    sub_domain: str = ""
    # 软猫引擎: AppId and AppSecret
    app_id: str = ""
    app_secret: str = field(default="", repr=False)
    name: str = ""
    practice: bool = False

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("base URL must start with http:// or https://")
