"""The accounts dialog as staff use it: add, check, test, save, switch, remove — and nothing
typed is lost on the way."""

from __future__ import annotations

from pathlib import Path

import keyring.errors
import pytest
import qasync
from keyring.backend import KeyringBackend
from keyring.backends import null
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from app.platform.account import Account, PlatformKind
from app.sandbox import credentials
from app.sandbox.server import SandboxServer
from app.services.accounts import PRACTICE_ID, AccountRegistry, Draft
from app.services.connection_check import ConnectionResult, Problem
from app.services.secrets import SecretStore
from app.ui.accounts import AccountsDialog
from tests.ui.conftest import screenshot

SECRET = "as-Hc4Wm8Kt2Qv6Lp9Xn3Rj7Fb5Dz1Yg0Ts"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def registry(tmp_path: Path) -> AccountRegistry:
    return AccountRegistry(tmp_path)


@pytest.fixture
def secrets(tmp_path: Path) -> SecretStore:
    return SecretStore(tmp_path, backend=MemoryKeyring())


def make(qtbot: QtBot, registry: AccountRegistry, secrets: SecretStore, current: str = PRACTICE_ID,
         **kwargs: object) -> AccountsDialog:
    dialog = AccountsDialog(registry, secrets, current, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot: QtBot, dialog: AccountsDialog, **fields: str) -> None:
    for key, text in fields.items():
        edit = dialog.form.edits[key]
        edit.clear()
        if text.isascii():
            qtbot.keyClicks(edit, text)
        else:  # QTest aborts on keys it has no key code for: Chinese goes in as an input method would put it
            edit.insert(text)


def choose_platform(dialog: AccountsDialog, kind: PlatformKind) -> None:
    dialog.form.platform.setCurrentIndex(dialog.form.platform.findData(kind.value))


def visible_fields(dialog: AccountsDialog) -> set[str]:
    return {key for key, field in dialog.form.fields.items() if field.isVisibleTo(dialog)}


def test_the_practice_shop_is_always_listed_and_explained(qtbot: QtBot, registry: AccountRegistry,
                                                         secrets: SecretStore) -> None:
    dialog = make(qtbot, registry, secrets)
    assert dialog.list.count() == 1 and dialog.current_key() == PRACTICE_ID
    assert dialog.list.item(0).text() == "● 练习商店（练习模式） · 正在使用"
    assert dialog.pages.currentWidget() is dialog.practice_text
    assert not dialog.remove_button.isEnabled() and not dialog.switch_button.isEnabled()
    assert not dialog.banner.isVisible()  # a real keyring: no warning


def test_adding_an_account_checks_each_field_and_keeps_what_was_typed(qtbot: QtBot, registry: AccountRegistry,
                                                                    secrets: SecretStore) -> None:
    dialog = make(qtbot, registry, secrets)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.form and "未保存" in dialog.list.currentItem().text()
    assert visible_fields(dialog) == {"name", "base_url", "app_id", "app_secret"}
    type_into(qtbot, dialog, name="旗舰店", base_url="http://open.example.com", app_secret=SECRET)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    errors = {k: f.error.text() for k, f in dialog.form.fields.items() if f.error.isVisibleTo(dialog)}
    assert set(errors) == {"base_url", "app_id"}
    assert "https://" in errors["base_url"] and "AppId" in errors["app_id"]
    assert "标红" in dialog.result.text() and registry.records() == []
    # Everything typed is still there, and fixing the fields saves.
    assert dialog.form.edits["name"].text() == "旗舰店" and dialog.form.edits["app_secret"].text() == SECRET
    type_into(qtbot, dialog, base_url="https://open.example.com", app_id="rm_app_1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [record] = registry.records()
    assert record.name == "旗舰店" and record.app_id == "rm_app_1"
    assert secrets.get(record.id) == {"app_secret": SECRET}
    assert dialog.current_key() == record.id and "未保存" not in dialog.list.currentItem().text()
    assert not dialog.form.fields["base_url"].error.isVisibleTo(dialog)
    assert dialog.result.text() == "已保存。" and not dialog.save_button.isEnabled()


def test_fields_switch_with_the_platform_and_nothing_is_cleared(qtbot: QtBot, registry: AccountRegistry,
                                                               secrets: SecretStore) -> None:
    dialog = make(qtbot, registry, secrets)
    dialog.add_account()
    type_into(qtbot, dialog, app_id="rm_app_1")
    choose_platform(dialog, PlatformKind.APIFM)
    assert visible_fields(dialog) == {"name", "base_url", "merchant_no", "merchant_key", "sub_domain"}
    type_into(qtbot, dialog, merchant_no="m-100")
    choose_platform(dialog, PlatformKind.RUANMAO)
    assert dialog.form.edits["app_id"].text() == "rm_app_1"
    assert "软猫引擎" in dialog.list.currentItem().text()


def test_the_secret_is_hidden_until_shown(qtbot: QtBot, registry: AccountRegistry, secrets: SecretStore) -> None:
    dialog = make(qtbot, registry, secrets)
    dialog.add_account()
    edit, button = dialog.form.edits["app_secret"], dialog.form.reveal["app_secret"]
    assert edit.echoMode() is QLineEdit.EchoMode.Password
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert edit.echoMode() is QLineEdit.EchoMode.Normal and button.text() == "隐藏"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert edit.echoMode() is QLineEdit.EchoMode.Password


def test_leaving_an_unsaved_account_keeps_it(qtbot: QtBot, registry: AccountRegistry, secrets: SecretStore) -> None:
    saved = registry.add(Draft(name="分店", kind=PlatformKind.APIFM, base_url="https://a.example", merchant_no="1",
                               merchant_key="k"), secrets)
    dialog = make(qtbot, registry, secrets)
    dialog.add_account()
    type_into(qtbot, dialog, name="新店", app_id="rm_x")
    dialog.list.setCurrentRow(1)  # the saved account
    assert dialog.current_key() == saved.id and dialog.form.edits["name"].text() == "分店"
    type_into(qtbot, dialog, name="分店二")
    assert "有修改" in dialog.list.currentItem().text()
    dialog.list.setCurrentRow(2)
    assert dialog.form.edits["name"].text() == "新店" and dialog.form.edits["app_id"].text() == "rm_x"
    dialog.list.setCurrentRow(1)
    assert dialog.form.edits["name"].text() == "分店二"
    # Closing asks first, and "continue editing" keeps it all.
    dialog.close()
    box = dialog.close_box
    assert box is not None and box.isVisible() and "新店" in box.text() and "分店二" in box.text()
    next(b for b in box.buttons() if b.text() == "继续编辑").click()
    assert dialog.isVisible() and dialog.form.edits["name"].text() == "分店二"
    dialog.close()
    assert dialog.close_box is not None
    next(b for b in dialog.close_box.buttons() if b.text() == "放弃修改并关闭").click()
    assert not dialog.isVisible() and registry.get(saved.id).name == "分店"
    assert dialog.list.count() == 2  # the unsaved new account was dropped, the saved one is as stored
    # A new account nobody typed into closes without a question.
    dialog.show()
    dialog.add_account()
    dialog.close()
    assert not dialog.isVisible()


def fake_result(ok: bool, problem: Problem, zh: str) -> ConnectionResult:
    return ConnectionResult(ok, problem, zh, zh)


def test_test_connection_runs_in_the_background_and_shows_the_exact_message(
        qtbot: QtBot, loop: qasync.QEventLoop, registry: AccountRegistry, secrets: SecretStore) -> None:
    tested: list[Account] = []

    async def tester(account: Account) -> ConnectionResult:
        tested.append(account)
        return fake_result(False, Problem.CLOCK_SKEW, "本机时钟与平台相差太多，平台拒绝了请求：请校准电脑时间（设为自动同步）后重试。")

    dialog = make(qtbot, registry, secrets, tester=tester)
    dialog.add_account()
    type_into(qtbot, dialog, base_url="https://open.example.com", app_id="rm_app_1", app_secret=SECRET)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert not dialog.test_button.isEnabled() and dialog.result.text() == "正在连接…"
    assert dialog.test_task is not None
    loop.run_until_complete(dialog.test_task)
    assert tested[0].app_secret == SECRET and tested[0].base_url == "https://open.example.com"
    assert "校准电脑时间" in dialog.result.text() and dialog.result.text().startswith("✖")
    assert dialog.test_button.isEnabled()
    # Typing makes the result stale: it goes, so it never describes other values.
    type_into(qtbot, dialog, app_id="rm_app_2")
    assert dialog.result.text() == ""


def test_test_connection_checks_the_fields_first(qtbot: QtBot, registry: AccountRegistry,
                                                 secrets: SecretStore) -> None:
    async def tester(account: Account) -> ConnectionResult:
        raise AssertionError("not to be called with an empty form")

    dialog = make(qtbot, registry, secrets, tester=tester)
    dialog.add_account()
    choose_platform(dialog, PlatformKind.APIFM)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    shown = {k for k, f in dialog.form.fields.items() if f.error.isVisibleTo(dialog)}
    assert shown == {"base_url", "merchant_no", "merchant_key"} and dialog.test_task is None


def test_a_wrong_secret_against_the_practice_platform(qtbot: QtBot, loop: qasync.QEventLoop, sandbox: SandboxServer,
                                                     registry: AccountRegistry, tmp_path: Path) -> None:
    # The keyring of a headless box: the file fallback, and its warning on top.
    store = SecretStore(tmp_path / "s", backend=null.Keyring())
    dialog = make(qtbot, registry, store)
    assert dialog.banner.isVisible() and "系统钥匙串" in dialog.banner.text()
    screenshot(dialog, "accounts-keyring-warning")
    dialog.add_account()
    type_into(qtbot, dialog, name="练习（软猫）", base_url=sandbox.base_url, app_id=credentials.RUANMAO_APP_ID,
              app_secret="wrong-secret")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.test_task is not None
    loop.run_until_complete(dialog.test_task)
    assert dialog.result.text().startswith("✖ AppSecret 不正确")
    screenshot(dialog, "accounts-ruanmao-test-failed")
    type_into(qtbot, dialog, app_secret=credentials.RUANMAO_APP_SECRET)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.test_task is not None
    loop.run_until_complete(dialog.test_task)
    assert dialog.result.text().startswith("✔ 连接成功") and "400 个订单" in dialog.result.text()
    screenshot(dialog, "accounts-ruanmao-test-ok")


def test_apifm_form_screenshot_and_save(qtbot: QtBot, registry: AccountRegistry, secrets: SecretStore) -> None:
    dialog = make(qtbot, registry, secrets)
    dialog.add_account()
    choose_platform(dialog, PlatformKind.APIFM)
    type_into(qtbot, dialog, name="杭州分店", base_url="https://user.api.it120.cc", merchant_no="1234",
              merchant_key="mk-secret", sub_domain="hz shop")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.form.fields["sub_domain"].error.isVisibleTo(dialog)
    screenshot(dialog, "accounts-apifm-invalid")
    type_into(qtbot, dialog, sub_domain="hzshop")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [record] = registry.records()
    assert record.kind is PlatformKind.APIFM and record.sub_domain == "hzshop"
    screenshot(dialog, "accounts-apifm-saved")


def test_switching_emits_the_account_id(qtbot: QtBot, registry: AccountRegistry, secrets: SecretStore) -> None:
    record = registry.add(Draft(name="旗舰店", base_url="https://a.example", app_id="a", app_secret="s"), secrets)
    dialog = make(qtbot, registry, secrets)
    dialog.list.setCurrentRow(1)
    type_into(qtbot, dialog, name="旗舰店2")
    with qtbot.assertNotEmitted(dialog.switch_requested):
        qtbot.mouseClick(dialog.switch_button, Qt.MouseButton.LeftButton)
    assert "先保存" in dialog.result.text()
    type_into(qtbot, dialog, name="旗舰店")  # back to what is saved: nothing to lose
    with qtbot.waitSignal(dialog.switch_requested) as switched:
        qtbot.mouseClick(dialog.switch_button, Qt.MouseButton.LeftButton)
    assert switched.args == [record.id]
    dialog.set_current(record.id)
    assert "正在使用" in dialog.list.item(1).text() and not dialog.switch_button.isEnabled()
    screenshot(dialog, "accounts-ruanmao-current")
    dialog.list.setCurrentRow(0)
    assert dialog.switch_button.text() == "切换到练习商店"
    with qtbot.waitSignal(dialog.switch_requested) as switched:
        qtbot.mouseClick(dialog.switch_button, Qt.MouseButton.LeftButton)
    assert switched.args == [PRACTICE_ID]


def click(box: QMessageBox | None, text: str) -> None:
    assert box is not None and box.isVisible()
    next(b for b in box.buttons() if b.text() == text).click()


def test_remove_asks_about_the_cache(qtbot: QtBot, registry: AccountRegistry, secrets: SecretStore) -> None:
    a = registry.add(Draft(name="甲店", base_url="https://a.example", app_id="a", app_secret="s"), secrets)
    b = registry.add(Draft(name="乙店", base_url="https://b.example", app_id="b", app_secret="s"), secrets)
    for record in (a, b):
        registry.cache_path(record.id).parent.mkdir(parents=True)
        registry.cache_path(record.id).write_bytes(b"cache")
    dialog = make(qtbot, registry, secrets, current=b.id)
    dialog.list.setCurrentRow(2)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert "正在使用" in dialog.result.text() and len(registry.records()) == 2  # the one in use stays
    dialog.list.setCurrentRow(1)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.remove_box is not None and "甲店" in dialog.remove_box.text()
    screenshot(dialog.remove_box, "accounts-remove-question")
    click(dialog.remove_box, "取消")
    assert len(registry.records()) == 2
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    click(dialog.remove_box, "只删除账号")
    assert [r.id for r in registry.records()] == [b.id] and secrets.get(a.id) == {}
    assert registry.cache_path(a.id).exists() and dialog.list.count() == 2
    assert dialog.result.text() == "账号已删除。"
