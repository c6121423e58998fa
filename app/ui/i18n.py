"""The UI language: Chinese source strings, English from a Qt translation.

zh_CN is the source language, so Chinese needs no file at all; English comes from
``app/resources/i18n/shopdesk_en.ts``. Only the ``.ts`` is kept in git. The ``.qm`` Qt
loads is built by lrelease: by packaging/build.py into a frozen bundle, or here at start
for a source install, into the user's cache folder whenever it is missing or older than
its ``.ts``. Without lrelease the app runs in Chinese and says why in the log.

The language is read once at start; changing it takes effect after a restart (as in
Picard and Anki), which keeps every widget free of retranslation code.
"""

from __future__ import annotations

import importlib.resources
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal, cast

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

log = logging.getLogger(__name__)

Language = Literal["zh_CN", "en"]
Choice = Literal["", "zh_CN", "en"]  # "": whatever the system's language is
SOURCE: Language = "zh_CN"
LANGUAGES: dict[Language, str] = {"zh_CN": "简体中文", "en": "English"}  # each in its own language
SETTING = "ui/language"
LANGUAGE_PROPERTY = "shopdesk_language"  # on the application: the language in force
LRELEASE_TIMEOUT = 60  # s; a few hundred strings compile in well under a second

FindTool = Callable[[], Path | None]


def tr_label(context: str, text: str) -> str:
    """Translate a source string outside a QObject (module constants, plain functions).

    update_translations.py tells lupdate that this is ``translate``, so a literal passed
    here is collected into the .ts like ``QCoreApplication.translate(context, text)``.
    """
    return QCoreApplication.translate(context, text)


def ui_language() -> Language:
    """The language in force: for labels that carry their own English (the domain's
    ``.zh`` / ``.en``, ``PlatformError.message(lang)``), so they match the translated UI."""
    app = QCoreApplication.instance()
    value = app.property(LANGUAGE_PROPERTY) if app is not None else None
    return cast(Language, value) if value in LANGUAGES else SOURCE


def load_choice(settings: QSettings) -> Choice:
    value = settings.value(SETTING, "")
    return cast(Choice, value) if value in LANGUAGES else ""


def save_choice(settings: QSettings, choice: Choice) -> None:
    settings.setValue(SETTING, choice if choice in LANGUAGES else "")
    settings.sync()


def resolve(choice: Choice, locale: QLocale | None = None) -> Language:
    """The language to show: the chosen one, or Chinese on a Chinese system, else English."""
    if choice in LANGUAGES:
        return cast(Language, choice)
    languages = (locale or QLocale.system()).uiLanguages()
    first = languages[0] if languages else ""
    return "zh_CN" if first.lower().startswith("zh") else "en"


# ---- finding and building the .qm -------------------------------------------------------


def translations_dir() -> Path:
    return Path(str(importlib.resources.files("app.resources").joinpath("i18n")))


def cache_dir() -> Path:
    """Where a source install keeps the .qm it built; under SHOPDESK_HOME when that is set,
    so tests and portable installs leave nothing in the user's real cache."""
    override = os.environ.get("SHOPDESK_HOME")
    base = Path(override) / "cache" if override else Path(platformdirs.user_cache_dir("ShopDesk", "ShopDesk"))
    return base / "i18n"


def find_lrelease() -> Path | None:
    """Qt's lrelease: the one inside the PySide6 wheel, else pyside6-lrelease or lrelease on PATH."""
    import PySide6

    exe = "lrelease.exe" if os.name == "nt" else "lrelease"
    bundled = Path(PySide6.__file__).parent / exe
    if bundled.is_file():
        return bundled
    import shutil  # here and in compile_ts: a start with its .qm built needs none of them

    for name in ("pyside6-lrelease", "lrelease"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def compile_ts(lrelease: Path, ts: Path, qm: Path) -> None:
    """Build ``qm`` from ``ts``; the file appears whole or not at all (two starts at once)."""
    import subprocess
    import tempfile

    qm.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(suffix=".qm", dir=qm.parent)
    os.close(fd)
    try:
        done = subprocess.run([str(lrelease), "-silent", str(ts), "-qm", partial], capture_output=True,
                              text=True, timeout=LRELEASE_TIMEOUT)
        if done.returncode != 0 or Path(partial).stat().st_size == 0:
            raise OSError(f"lrelease failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
        os.replace(partial, qm)
    finally:
        Path(partial).unlink(missing_ok=True)


def _fresh(qm: Path, ts: Path) -> bool:
    return qm.is_file() and (not ts.is_file() or qm.stat().st_mtime >= ts.stat().st_mtime)


def qm_file(language: Language, *, source: Path | None = None, cache: Path | None = None,
            find_tool: FindTool = find_lrelease) -> Path | None:
    """The compiled translation to load for ``language``, building it if need be; None if
    there is none to be had (the caller then stays in Chinese)."""
    source = source or translations_dir()
    name = f"shopdesk_{language}"
    ts, shipped = source / f"{name}.ts", source / f"{name}.qm"
    # A frozen bundle ships its .qm and no lrelease; file times there say nothing.
    if shipped.is_file() and (getattr(sys, "frozen", False) or _fresh(shipped, ts)):
        return shipped
    built = (cache or cache_dir()) / f"{name}.qm"
    if _fresh(built, ts):
        return built
    if not ts.is_file():
        log.warning("no translation source %s: the UI stays in Chinese", ts)
        return None
    tool = find_tool()
    if tool is None:
        log.warning("lrelease not found (install PySide6-Essentials, or Qt's linguist tools): "
                    "cannot build %s, the UI stays in Chinese", ts.name)
        return None
    import subprocess

    try:
        compile_ts(tool, ts, built)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not build %s with %s: %s; the UI stays in Chinese", ts.name, tool, exc)
        return None
    # Stamped with the source's time: a .ts from a clock ahead of ours (a pull, an unpacked
    # archive) would otherwise look newer than its build on every start.
    stamp = max(ts.stat().st_mtime, built.stat().st_mtime)
    os.utime(built, (stamp, stamp))
    log.info("built %s", built)
    return built


def _qt_translator(app: QCoreApplication, language: Language) -> QTranslator | None:
    """Qt's own strings (Cancel, the file dialog) in the same language as ours."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return translator if translator.load(f"qtbase_{language}", folder) else None


def install_translations(app: QCoreApplication, settings: QSettings, *, source: Path | None = None,
                         cache: Path | None = None, find_tool: FindTool = find_lrelease) -> Language:
    """At start, before any widget is built: load the chosen language; returns the one in force."""
    wanted = resolve(load_choice(settings))
    language: Language = SOURCE
    if wanted != SOURCE:
        qm = qm_file(wanted, source=source, cache=cache, find_tool=find_tool)
        translator = QTranslator(app)  # parented: Qt drops a translator whose object was collected
        if qm is not None and translator.load(str(qm)):
            app.installTranslator(translator)
            language = wanted
        elif qm is not None:
            log.warning("%s is not a usable translation: the UI stays in Chinese", qm)
    qt = _qt_translator(app, language)
    if qt is not None:
        app.installTranslator(qt)
    app.setProperty(LANGUAGE_PROPERTY, language)
    log.info("UI language %s (wanted %s)", language, wanted)
    return language
