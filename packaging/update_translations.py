"""Collect the UI's strings into the .ts files, keeping every translation already made.

    python packaging/update_translations.py           # after adding or changing UI text
    python packaging/update_translations.py --check   # exit 1 while a string lacks English

Runs pyside6-lupdate over app/ui: new strings arrive as "unfinished" in shopdesk_en.ts
(open it in Qt Linguist, ``pyside6-linguist``, or edit the XML), strings gone from the
code are dropped, the rest keep their English. shopdesk_zh_CN.ts holds only plural forms,
since Chinese is the source language. Strings are collected from ``self.tr("…")``,
``QCoreApplication.translate("context", "…")``, ``QT_TRANSLATE_NOOP("context", "…")`` and
``tr_label("context", "…")``; only literals can be collected, so put values in with
``.format(name=…)`` after translating, never an f-string inside the call.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "app" / "ui"
TS_DIR = ROOT / "app" / "resources" / "i18n"
TARGETS = {"en": [], "zh_CN": ["-pluralonly"]}


def find_lupdate() -> Path:
    import PySide6

    bundled = Path(PySide6.__file__).parent / ("lupdate.exe" if os.name == "nt" else "lupdate")
    if bundled.is_file():
        return bundled
    for name in ("pyside6-lupdate", "lupdate"):
        if found := shutil.which(name):
            return Path(found)
    raise SystemExit("lupdate not found: install PySide6-Essentials in this environment")


def sources() -> list[Path]:
    return sorted(p for p in SOURCES.rglob("*.py") if "__pycache__" not in p.parts)


def update(lupdate: Path, ts_dir: Path = TS_DIR, *, quiet: bool = False) -> None:
    """Refresh the .ts files in ``ts_dir`` (another folder: a dry run, as the tests do)."""
    files = [str(p.relative_to(ROOT)) for p in sources()]
    for language, extra in TARGETS.items():
        ts = ts_dir / f"shopdesk_{language}.ts"
        # No locations: line numbers would change the .ts on every unrelated edit.
        subprocess.run([str(lupdate), *files, "-source-language", "zh_CN", "-target-language", language,
                        "-no-obsolete", "-locations", "none", "-tr-function-alias", "translate+=tr_label", *extra,
                        *(["-silent"] if quiet else []), "-ts", str(ts.resolve())], cwd=ROOT, check=True)


def untranslated(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished, non-empty translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete") \
                    or not "".join(translation.itertext()).strip():
                missing.append((name, message.findtext("source", "")))
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report strings without English; exit 1 if any")
    args = parser.parse_args(argv)
    if not args.check:
        update(find_lupdate())
    missing = untranslated(TS_DIR / "shopdesk_en.ts")
    for context, source in missing:
        print(f"untranslated: [{context}] {source}")
    print(f"{len(missing)} string(s) without English")
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
