"""The account registry: accounts.json without secrets, the current account, caches, migrations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import null

from app.platform.account import Account, PlatformKind
from app.services import accounts as accounts_module
from app.services.accounts import (
    FORMAT_VERSION,
    PRACTICE_ID,
    AccountError,
    AccountRegistry,
    Draft,
    account_for,
    load_current,
    migrate,
    url_problem,
    validate,
    window_title,
)
from app.services.secrets import SecretStore

SECRET = "as-Hc4Wm8Kt2Qv6Lp9Xn3Rj7Fb5Dz1Yg0Ts"
KEY = "mk-Zq7XvP3nT9wL2sKd8fJ4hR6yB1cM5gN0"


@pytest.fixture
def registry(tmp_path: Path) -> AccountRegistry:
    return AccountRegistry(tmp_path)


@pytest.fixture
def secrets(tmp_path: Path) -> SecretStore:
    return SecretStore(tmp_path / "secrets", backend=null.Keyring())


def ruanmao_draft(name: str = "旗舰店") -> Draft:
    return Draft(name=name, kind=PlatformKind.RUANMAO, base_url=" https://open.ruanmao.example/ ",
                 app_id=" rm_app_1 ", app_secret=SECRET)


def apifm_draft(name: str = "分店") -> Draft:
    return Draft(name=name, kind=PlatformKind.APIFM, base_url="https://user.api.it120.cc",
                 merchant_no="m-100", merchant_key=KEY, sub_domain="myshop")


def test_with_no_file_the_practice_shop_is_current(registry: AccountRegistry, secrets: SecretStore) -> None:
    assert registry.records() == [] and registry.current == PRACTICE_ID
    assert load_current(registry, secrets) is None
    assert registry.cache_path(PRACTICE_ID) == registry.folder / "accounts" / "practice" / "cache.sqlite"


def test_add_keeps_the_secret_out_of_the_file(registry: AccountRegistry, secrets: SecretStore) -> None:
    a = registry.add(ruanmao_draft(), secrets)
    b = registry.add(apifm_draft(), secrets)
    assert a.id != b.id and PRACTICE_ID not in (a.id, b.id)
    text = registry.path.read_text("utf-8")
    assert SECRET not in text and KEY not in text
    assert "旗舰店" in text  # readable, not \u-escaped
    assert json.loads(text)["version"] == FORMAT_VERSION
    assert [r.name for r in registry.records()] == ["旗舰店", "分店"]
    # Spaces that came with a paste are gone; the secret went to the store.
    assert a.base_url == "https://open.ruanmao.example" and a.app_id == "rm_app_1"
    assert secrets.get(a.id) == {"app_secret": SECRET} and secrets.get(b.id) == {"merchant_key": KEY}
    assert registry.cache_path(a.id) != registry.cache_path(b.id)


def test_account_for_builds_a_connectable_account(registry: AccountRegistry, secrets: SecretStore) -> None:
    b = registry.add(apifm_draft(), secrets)
    account = account_for(registry, secrets, b.id)
    assert account == Account(kind=PlatformKind.APIFM, base_url="https://user.api.it120.cc", name="分店",
                              merchant_no="m-100", merchant_key=KEY, sub_domain="myshop")
    registry.set_current(b.id)
    assert AccountRegistry(registry.folder).current == b.id  # survives a restart
    assert load_current(registry, secrets) == account


def test_a_lost_secret_says_which_account_and_what_to_do(registry: AccountRegistry, secrets: SecretStore) -> None:
    a = registry.add(ruanmao_draft(), secrets)
    registry.set_current(a.id)
    secrets.delete(a.id)
    with pytest.raises(AccountError) as info:
        load_current(registry, secrets)
    assert "旗舰店" in info.value.message("zh") and "AppSecret" in info.value.message("zh")


def test_edit_changes_the_record_and_the_secret(registry: AccountRegistry, secrets: SecretStore) -> None:
    a = registry.add(ruanmao_draft(), secrets)
    draft = registry.draft_for(a.id, secrets)
    assert draft.app_secret == SECRET and draft.app_id == "rm_app_1"
    draft.name, draft.app_secret = "旗舰店（新）", "new-secret"
    edited = registry.edit(a.id, draft, secrets)
    assert edited.id == a.id and registry.get(a.id).name == "旗舰店（新）"
    assert secrets.get(a.id) == {"app_secret": "new-secret"}
    # Switching the platform of an account drops the other platform's fields.
    registry.edit(a.id, apifm_draft("旗舰店（新）"), secrets)
    assert registry.get(a.id).app_id == "" and secrets.get(a.id) == {"merchant_key": KEY}


def test_remove_deletes_the_secret_and_the_cache_only_when_asked(registry: AccountRegistry,
                                                                 secrets: SecretStore) -> None:
    a = registry.add(ruanmao_draft(), secrets)
    b = registry.add(apifm_draft(), secrets)
    for record in (a, b):
        registry.cache_path(record.id).parent.mkdir(parents=True)
        registry.cache_path(record.id).write_bytes(b"cache")
    registry.set_current(a.id)
    registry.remove(a.id, secrets, delete_cache=False)
    assert [r.id for r in registry.records()] == [b.id]
    assert secrets.get(a.id) == {} and registry.cache_path(a.id).exists()
    assert registry.current == PRACTICE_ID  # the removed account was in use
    registry.remove(b.id, secrets, delete_cache=True)
    assert not registry.cache_path(b.id).parent.exists() and secrets.get(b.id) == {}


def test_validation_names_every_problem_on_its_field() -> None:
    problems = validate(Draft(kind=PlatformKind.RUANMAO, base_url="ftp://x"), [])
    assert {p.field for p in problems} == {"name", "base_url", "app_id", "app_secret"}
    problems = validate(Draft(name="店", kind=PlatformKind.APIFM, base_url="https://a.example", sub_domain="a b"), [])
    assert {p.field for p in problems} == {"merchant_no", "merchant_key", "sub_domain"}
    assert validate(apifm_draft(), []) == []
    assert validate(Draft(name="店", kind=PlatformKind.APIFM, base_url="https://a.example", merchant_no="1",
                          merchant_key="k"), []) == []  # subDomain is optional


def test_duplicate_names_are_refused_with_what_to_do(registry: AccountRegistry, secrets: SecretStore) -> None:
    registry.add(ruanmao_draft(), secrets)
    with pytest.raises(AccountError) as info:
        registry.add(apifm_draft("旗舰店"), secrets)
    assert "换一个名称" in info.value.message("zh")
    assert len(registry.records()) == 1


@pytest.mark.parametrize(("url", "ok"), [
    ("https://api.example.com", True), ("https://api.example.com/v1", True), ("http://127.0.0.1:8080", True),
    ("http://localhost:9000", True), ("http://api.example.com", False), ("api.example.com", False),
    ("https://", False), ("https://a.example:99999", False), ("https://a.example/?x=1", False), ("", False),
])
def test_base_url_rules(url: str, ok: bool) -> None:
    assert (url_problem(url) is None) is ok


def test_migrate_runs_each_step_in_order() -> None:
    steps: dict[int, Any] = {
        1: lambda d: {**d, "accounts": [{**a, "kind": "ruanmao"} for a in d["accounts"]]},
        2: lambda d: {**d, "note": "v3"},
    }
    out = migrate({"version": 1, "accounts": [{"id": "x"}]}, steps, 3)
    assert out == {"version": 3, "accounts": [{"id": "x", "kind": "ruanmao"}], "note": "v3"}
    with pytest.raises(AccountError):
        migrate({"version": 4, "accounts": []}, steps, 3)  # from a newer ShopDesk: refused
    with pytest.raises(ValueError):
        migrate({"version": 1}, {}, 2)  # a gap in the chain is a bug, not a silent skip


def test_the_registry_applies_migrations_when_reading(registry: AccountRegistry, secrets: SecretStore,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    registry.path.write_text(json.dumps({"version": 1, "current": "practice", "accounts": [
        {"id": "old1", "title": "老店", "kind": "apifm", "base_url": "https://a.example"}]}), "utf-8")
    monkeypatch.setattr(accounts_module, "FORMAT_VERSION", 2)
    monkeypatch.setattr(accounts_module, "MIGRATIONS", {1: lambda d: {**d, "accounts": [
        {**{k: v for k, v in a.items() if k != "title"}, "name": a["title"]} for a in d["accounts"]]}})
    assert registry.get("old1").name == "老店"


def test_a_damaged_file_is_an_error_with_what_to_do(registry: AccountRegistry) -> None:
    registry.path.write_text("{not json", "utf-8")
    with pytest.raises(AccountError) as info:
        registry.records()
    assert str(registry.path) in info.value.message("zh") and "备份" in info.value.message("zh")


def test_window_title_names_a_real_account_and_leaves_practice_to_the_window() -> None:
    assert window_title(None) == "ShopDesk 商家工作台"  # MainWindow(practice=True) adds 练习模式
    account = Account(kind=PlatformKind.APIFM, base_url="https://a.example", name="分店", merchant_no="1",
                      merchant_key="k")
    assert window_title(account) == "ShopDesk 商家工作台 — 分店（API工厂）"
    assert window_title(account, "ShopDesk", "en") == "ShopDesk — 分店 (API Factory (apifm))"
