"""The shop accounts this desk knows, which one is in use, and where each keeps its cache.

``accounts.json`` in the data folder holds everything but the secrets (those go to the
``SecretStore``). It is versioned: a file from an older ShopDesk is brought up to date by
``MIGRATIONS`` when read; one from a newer ShopDesk is refused rather than overwritten.
The practice shop is not in the file: it is always there, with the id ``practice``, and
is the current account when none is chosen.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.paths import data_dir, write_private
from app.platform.account import Account, PlatformKind

if TYPE_CHECKING:  # the keyring and cryptography modules behind it are slow to import (~30 ms)
    from app.services.secrets import SecretStore

log = logging.getLogger(__name__)

PRACTICE_ID = "practice"
FORMAT_VERSION = 1
Migration = Callable[[dict[str, Any]], dict[str, Any]]
# version n -> the function that turns a version-n file into version n+1.
MIGRATIONS: dict[int, Migration] = {}
# Which secret each platform needs, by the name the SecretStore keeps it under.
SECRET_FIELDS = {PlatformKind.RUANMAO: "app_secret", PlatformKind.APIFM: "merchant_key"}


class AccountError(Exception):
    """Something about the accounts staff can fix; zh/en say how."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class AccountRecord:
    """One real account as stored: everything except its secret."""

    id: str
    name: str
    kind: PlatformKind
    base_url: str
    app_id: str = ""  # 软猫引擎
    merchant_no: str = ""  # API工厂
    sub_domain: str = ""  # API工厂, used by the shop-user API

    def to_json(self) -> dict[str, str]:
        data = asdict(self)
        data["kind"] = self.kind.value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AccountRecord:
        return cls(id=str(data["id"]), name=str(data["name"]), kind=PlatformKind(data["kind"]),
                   base_url=str(data["base_url"]), app_id=str(data.get("app_id", "")),
                   merchant_no=str(data.get("merchant_no", "")), sub_domain=str(data.get("sub_domain", "")))


@dataclass
class Draft:
    """What the account form holds, secret included, before it is checked and saved."""

    name: str = ""
    kind: PlatformKind = PlatformKind.RUANMAO
    base_url: str = ""
    app_id: str = ""
    app_secret: str = ""
    merchant_no: str = ""
    merchant_key: str = ""
    sub_domain: str = ""

    def cleaned(self) -> Draft:
        """Surrounding spaces removed (pasted credentials often carry them); a base URL's
        trailing slash too, so two spellings of one address compare equal."""
        stripped: dict[str, Any] = {k: v.strip() for k, v in asdict(self).items() if k != "kind"}
        stripped["kind"] = PlatformKind(self.kind)  # a StrEnum is a str: strip() would make it a plain one
        stripped["base_url"] = stripped["base_url"].rstrip("/")
        return Draft(**stripped)

    def secret(self) -> str:
        return self.merchant_key if self.kind is PlatformKind.APIFM else self.app_secret

    def account(self) -> Account:
        """The Account to connect with (test connection); call after ``validate`` found nothing."""
        d = self.cleaned()
        if d.kind is PlatformKind.APIFM:
            return Account(kind=d.kind, base_url=d.base_url, name=d.name, merchant_no=d.merchant_no,
                           merchant_key=d.merchant_key, sub_domain=d.sub_domain)
        return Account(kind=d.kind, base_url=d.base_url, name=d.name, app_id=d.app_id, app_secret=d.app_secret)


@dataclass(frozen=True)
class FieldError:
    field: str
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


def url_problem(url: str) -> tuple[str, str] | None:
    """Why a base URL cannot be used, in zh and en; None when it can."""
    if not url:
        return ("请填写接口地址，例如 https://api.example.com", "Enter the base URL, for example https://api.example.com")
    # Imported here, like ipaddress, uuid and shutil below: a start only reads the registry.
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a bad port only raises when read
    except ValueError:
        return ("接口地址格式不正确（端口无效）。请检查冒号后面的数字。",
                "The base URL is malformed (bad port). Check the number after the colon.")
    if parts.scheme not in ("http", "https"):
        return ("接口地址必须以 https:// 开头，例如 https://api.example.com",
                "The base URL must start with https://, for example https://api.example.com")
    if not parts.hostname or " " in url:
        return ("接口地址不完整：https:// 后面要写服务器域名，例如 https://api.example.com",
                "The base URL is incomplete: put the server's name after https://, for example https://api.example.com")
    if parts.query or parts.fragment:
        return ("接口地址不能带 ? 或 # 后面的部分，请只保留到路径为止。",
                "The base URL cannot have a ? or # part; keep it up to the path.")
    if parts.scheme == "http" and not _is_local(parts.hostname):
        # API工厂 sends the merchantKey itself at login: over plain http anyone on the way reads it.
        return ("真实平台的接口地址必须用 https://（http:// 会让密钥在网络上明文传输）。",
                "A real platform's base URL must use https:// (with http:// the secret crosses the network in clear).")
    return None


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate(draft: Draft, others: list[AccountRecord]) -> list[FieldError]:
    """Every problem in the form at once, each on its field, so staff fix them in one go."""
    d = draft.cleaned()
    problems: list[FieldError] = []
    if not d.name:
        problems.append(FieldError("name", "请填写账号名称，例如店铺名。", "Enter a name for the account, such as the shop's."))
    elif d.name == "练习商店" or any(o.name == d.name for o in others):
        problems.append(FieldError("name", f"已有名为“{d.name}”的账号，请换一个名称。",
                                   f"An account named “{d.name}” exists already; choose another name."))
    problem = url_problem(d.base_url)
    if problem:
        problems.append(FieldError("base_url", *problem))
    if d.kind is PlatformKind.RUANMAO:
        if not d.app_id:
            problems.append(FieldError("app_id", "请填写 AppId（在软猫引擎开放平台的应用详情中）。",
                                       "Enter the AppId (on the app's page of the 软猫引擎 open platform)."))
        if not d.app_secret:
            problems.append(FieldError("app_secret", "请填写 AppSecret（在软猫引擎开放平台的应用详情中）。",
                                       "Enter the AppSecret (on the app's page of the 软猫引擎 open platform)."))
    else:
        if not d.merchant_no:
            problems.append(FieldError("merchant_no", "请填写商户号（API工厂后台“工厂设置 → 商户信息”）。",
                                       "Enter the merchant number (API工厂 back office, factory settings → merchant)."))
        if not d.merchant_key:
            problems.append(FieldError("merchant_key", "请填写商户密钥（API工厂后台“工厂设置 → 商户信息”）。",
                                       "Enter the merchant key (API工厂 back office, factory settings → merchant)."))
        if d.sub_domain and not d.sub_domain.replace("-", "").replace("_", "").isalnum():
            problems.append(FieldError("sub_domain", "专属域名只能包含字母、数字、- 和 _。",
                                       "The subDomain may contain only letters, digits, - and _."))
    return problems


@dataclass
class AccountsFile:
    """The file's content once read and migrated."""

    accounts: list[AccountRecord] = field(default_factory=list)
    current: str = PRACTICE_ID


def migrate(data: dict[str, Any], migrations: Mapping[int, Migration], target: int) -> dict[str, Any]:
    """Bring a file's content up to ``target``, one version step at a time."""
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"no format version: {version!r}")
    if version > target:
        raise AccountError(
            "账号列表文件来自更新版本的 ShopDesk，当前版本无法读取。请升级 ShopDesk。",
            "The account list was written by a newer ShopDesk, which this version cannot read. Upgrade ShopDesk.")
    while version < target:
        if version not in migrations:
            raise ValueError(f"no migration from format {version}")
        data = migrations[version](data)
        version += 1
        data["version"] = version
    return data


class AccountRegistry:
    """add / edit / remove / list the real accounts; remember the current one."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_dir()
        self.path = self.folder / "accounts.json"

    # ---- reading and writing the file ---------------------------------------------------

    def _load(self) -> AccountsFile:
        if not self.path.exists():
            return AccountsFile()
        try:
            data = migrate(json.loads(self.path.read_text("utf-8")), MIGRATIONS, FORMAT_VERSION)
            accounts = [AccountRecord.from_json(a) for a in data["accounts"]]
            current = str(data.get("current", PRACTICE_ID))
        except AccountError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise AccountError(
                f"账号列表文件 {self.path} 已损坏，无法读取。请从备份恢复该文件，或把它移走后重新添加账号"
                "（各账号的密钥和缓存仍在）。",
                f"The account list {self.path} is damaged and cannot be read. Restore it from a backup, or move it "
                "away and add the accounts again (their secrets and caches are still there).") from exc
        if current != PRACTICE_ID and all(a.id != current for a in accounts):
            current = PRACTICE_ID
        return AccountsFile(accounts, current)

    def _save(self, content: AccountsFile) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"version": FORMAT_VERSION, "current": content.current,
                "accounts": [a.to_json() for a in content.accounts]}
        write_private(self.path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))

    # ---- what the UI and the app use -----------------------------------------------------

    def records(self) -> list[AccountRecord]:
        return self._load().accounts

    def get(self, account_id: str) -> AccountRecord:
        for record in self.records():
            if record.id == account_id:
                return record
        raise AccountError("找不到该账号，可能已被删除。请重新打开账号设置。",
                           "That account no longer exists; it may have been removed. Reopen the account settings.")

    @property
    def current(self) -> str:
        """The id of the account in use: ``practice`` when no real account is chosen."""
        return self._load().current

    def set_current(self, account_id: str) -> None:
        content = self._load()
        if account_id != PRACTICE_ID and all(a.id != account_id for a in content.accounts):
            raise AccountError("找不到该账号，无法切换。请重新打开账号设置。",
                               "That account does not exist, so it cannot be switched to. Reopen the account settings.")
        content.current = account_id
        self._save(content)

    def cache_path(self, account_id: str) -> Path:
        return self.folder / "accounts" / account_id / "cache.sqlite"

    def add(self, draft: Draft, secrets: SecretStore) -> AccountRecord:
        """Check and store a new account; its secret goes to ``secrets``, the rest to the file."""
        content = self._load()
        self._check(draft, content.accounts)
        d = draft.cleaned()
        import uuid

        record = AccountRecord(id=uuid.uuid4().hex[:12], name=d.name, kind=d.kind, base_url=d.base_url,
                               app_id=d.app_id if d.kind is PlatformKind.RUANMAO else "",
                               merchant_no=d.merchant_no if d.kind is PlatformKind.APIFM else "",
                               sub_domain=d.sub_domain if d.kind is PlatformKind.APIFM else "")
        # The secret first: an account in the list without its secret would be one that cannot connect.
        secrets.put(record.id, {SECRET_FIELDS[d.kind]: d.secret()})
        try:
            self._save(AccountsFile([*content.accounts, record], content.current))
        except OSError:
            secrets.delete(record.id)
            raise
        return record

    def edit(self, account_id: str, draft: Draft, secrets: SecretStore) -> AccountRecord:
        content = self._load()
        old = next((a for a in content.accounts if a.id == account_id), None)
        if old is None:
            raise AccountError("找不到该账号，可能已被删除。请重新打开账号设置。",
                               "That account no longer exists; it may have been removed. Reopen the account settings.")
        self._check(draft, [a for a in content.accounts if a.id != account_id])
        d = draft.cleaned()
        record = replace(old, name=d.name, kind=d.kind, base_url=d.base_url,
                         app_id=d.app_id if d.kind is PlatformKind.RUANMAO else "",
                         merchant_no=d.merchant_no if d.kind is PlatformKind.APIFM else "",
                         sub_domain=d.sub_domain if d.kind is PlatformKind.APIFM else "")
        secrets.put(account_id, {SECRET_FIELDS[d.kind]: d.secret()})
        self._save(AccountsFile([record if a.id == account_id else a for a in content.accounts], content.current))
        return record

    def remove(self, account_id: str, secrets: SecretStore, *, delete_cache: bool) -> None:
        """Forget the account and its secret; its cached data too when ``delete_cache``.
        The current account falls back to the practice shop when it is the one removed."""
        content = self._load()
        remaining = [a for a in content.accounts if a.id != account_id]
        if len(remaining) == len(content.accounts):
            return
        secrets.delete(account_id)
        self._save(AccountsFile(remaining, PRACTICE_ID if content.current == account_id else content.current))
        if delete_cache:
            import shutil

            shutil.rmtree(self.cache_path(account_id).parent, ignore_errors=True)

    def draft_for(self, account_id: str, secrets: SecretStore) -> Draft:
        """The form's content for editing an account, its secret included."""
        record = self.get(account_id)
        secret = secrets.get(account_id).get(SECRET_FIELDS[record.kind], "")
        return Draft(name=record.name, kind=record.kind, base_url=record.base_url, app_id=record.app_id,
                     merchant_no=record.merchant_no, sub_domain=record.sub_domain,
                     app_secret=secret if record.kind is PlatformKind.RUANMAO else "",
                     merchant_key=secret if record.kind is PlatformKind.APIFM else "")

    def _check(self, draft: Draft, others: list[AccountRecord]) -> None:
        problems = validate(draft, others)
        if problems:
            raise AccountError("\n".join(p.zh for p in problems), "\n".join(p.en for p in problems))


def account_for(registry: AccountRegistry, secrets: SecretStore, account_id: str) -> Account:
    """The Account to connect with, secret included."""
    record = registry.get(account_id)
    secret = secrets.get(account_id).get(SECRET_FIELDS[record.kind], "")
    if not secret:
        what = "商户密钥" if record.kind is PlatformKind.APIFM else "AppSecret"
        raise AccountError(
            f"找不到账号“{record.name}”的{what}（系统钥匙串或密钥文件中没有）。请在账号设置中编辑该账号，重新填写{what}。",
            f"The {'merchant key' if record.kind is PlatformKind.APIFM else 'AppSecret'} of “{record.name}” is not "
            "stored (neither in the keyring nor in the secrets file). Edit the account and enter it again.")
    if record.kind is PlatformKind.APIFM:
        return Account(kind=record.kind, base_url=record.base_url, name=record.name, merchant_no=record.merchant_no,
                       merchant_key=secret, sub_domain=record.sub_domain)
    return Account(kind=record.kind, base_url=record.base_url, name=record.name, app_id=record.app_id,
                   app_secret=secret)


def load_current(registry: AccountRegistry, secrets: SecretStore) -> Account | None:
    """The account to start with; None means the practice shop. Raises AccountError (with
    what to do) when the chosen account cannot be used, e.g. its secret is gone."""
    current = registry.current
    if current == PRACTICE_ID:
        return None
    return account_for(registry, secrets, current)


def window_title(account: Account | AccountRecord | None, app_title: str = "ShopDesk 商家工作台",
                 lang: str = "zh") -> str:
    """The title bar's text for this account: the shop's name and platform for a real one.
    For the practice shop it is the app's title alone: MainWindow(practice=True) adds the
    translated "练习模式" itself. (A record is enough: the title shows before secrets are read.)"""
    if account is None or getattr(account, "practice", False):
        return app_title
    return f"{app_title} — {account.name}（{account.kind.label(lang)}）" if lang.startswith("zh") else \
        f"{app_title} — {account.name} ({account.kind.label(lang)})"
