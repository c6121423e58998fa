"""Opening a cache an older ShopDesk wrote: the migration runs off the GUI thread under a
notice that says what is happening; a current cache opens without one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from app.store import migrations
from app.store.database import Cache, CacheError, schema_behind
from app.ui import application
from tests.unit.legacy_writes import write_bundles_before_v8
from tests.unit.test_store import make_bundle


def older_cache(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS[:7])
        old = Cache(path)
        old.writer.run_sync(lambda conn: write_bundles_before_v8(conn, [make_bundle(i) for i in range(1, 6)]))
        old.close()


def notices() -> list[str]:
    return [w.labelText() for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def slow_cache(monkeypatch: pytest.MonkeyPatch, seen: list[tuple[bool, list[str]]]) -> None:
    """Cache() that takes a while, and a look at the screen 150 ms in: (still opening?, notices)."""
    real = application.Cache
    opening = [False]

    def slow(path: Path) -> Cache:
        opening[0] = True
        time.sleep(0.4)
        opened = real(path)
        opening[0] = False
        return opened

    monkeypatch.setattr(application, "Cache", slow)
    QTimer.singleShot(150, lambda: seen.append((opening[0], notices())))


def test_an_older_cache_is_migrated_under_a_notice(qapp: QApplication, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    older_cache(path, monkeypatch)
    assert schema_behind(path) == 7
    seen: list[tuple[bool, list[str]]] = []
    slow_cache(monkeypatch, seen)
    cache = application.open_cache(path)
    try:
        assert cache.migrated_from == 7 and schema_behind(path) is None
        # Looked at while the migration ran (the GUI thread was free), and the notice was up.
        assert len(seen) == 1 and seen[0][0] and len(seen[0][1]) == 1 and "升级本地缓存" in seen[0][1][0]
        assert notices() == []  # and gone after
        assert len(cache.read.execute("SELECT id FROM order_search").fetchall()) == 5
    finally:
        cache.close()


def test_a_current_cache_opens_without_a_notice(qapp: QApplication, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    Cache(path).close()
    assert schema_behind(path) is None and schema_behind(tmp_path / "none.sqlite") is None
    seen: list[tuple[bool, list[str]]] = []
    slow_cache(monkeypatch, seen)
    application.open_cache(path).close()
    QApplication.processEvents()
    assert seen == [(False, [])]  # the look came after the open (on the GUI thread): nothing was shown


def test_a_failed_migration_is_raised_and_the_notice_goes(qapp: QApplication, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    older_cache(path, monkeypatch)

    def broken(path: Path) -> Cache:
        raise CacheError("disk full")

    monkeypatch.setattr(application, "Cache", broken)
    with pytest.raises(CacheError, match="disk full"):
        application.open_cache(path)
    assert notices() == []
