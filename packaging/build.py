"""Build the one-folder ShopDesk bundle with PyInstaller, then start it to check it works.

    .venv/bin/pip install pyinstaller && .venv/bin/python packaging/build.py

Before freezing, lrelease builds the translations (.qm, never committed) into build/i18n,
which the spec ships in the bundle (app/resources/i18n), where app/ui/i18n.py finds them;
on Linux, Noto Sans CJK is copied from the build machine into build/fonts and shipped in
app/resources/fonts, which app/ui/fonts.py loads when the system has no Chinese font.

The smoke test starts the frozen app headless on a fresh profile: it must start its own
practice platform (the same executable with --sandbox), fill the orders panel and exit 0.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N_OUT = ROOT / "build" / "i18n"  # the spec reads the .qm from here
FONTS_OUT = ROOT / "build" / "fonts"  # and the CJK font for Linux bundles from here
# Linux desktops may have no Chinese font at all; Windows (Microsoft YaHei) and macOS
# (PingFang SC) always do. Noto Sans CJK (SIL Open Font License) from the build machine.
NOTO = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc")
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"),
             Path("/usr/share/fonts/google-noto-cjk"))
sys.path.insert(0, str(ROOT))  # run as a script: the app package is beside this folder


def translations() -> list[Path]:
    """Compile every .ts for the bundle; a failure stops the build (a bundle would be Chinese only)."""
    from app.ui.i18n import compile_ts, find_lrelease, translations_dir

    lrelease = find_lrelease()
    if lrelease is None:
        raise SystemExit("lrelease not found: install PySide6-Essentials in this environment")
    built = []
    for ts in sorted(translations_dir().glob("*.ts")):
        qm = I18N_OUT / ts.with_suffix(".qm").name
        compile_ts(lrelease, ts, qm)
        built.append(qm)
    print(f"translations: {', '.join(q.name for q in built)}")
    return built


def fonts() -> list[Path]:
    """Copy Noto Sans CJK into build/fonts for a Linux bundle; elsewhere the system has one."""
    FONTS_OUT.mkdir(parents=True, exist_ok=True)
    for old in FONTS_OUT.iterdir():
        old.unlink()
    if not sys.platform.startswith("linux"):
        return []
    found = [d / name for name in NOTO for d in FONT_DIRS if (d / name).exists()][:len(NOTO)]
    if not found:
        raise SystemExit("Noto Sans CJK not found on this build machine: apt install fonts-noto-cjk")
    for path in found:
        shutil.copy2(path, FONTS_OUT / path.name)
    print(f"fonts: {', '.join(p.name for p in found)}")
    return found


def build() -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", str(ROOT / "dist"),
                    "--workpath", str(ROOT / "build"), str(ROOT / "packaging" / "shopdesk.spec")], check=True)
    exe = ROOT / "dist" / "ShopDesk" / ("ShopDesk.exe" if os.name == "nt" else "ShopDesk")
    if not exe.exists():
        raise SystemExit(f"no executable at {exe}")
    return exe


def smoke(exe: Path) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SHOPDESK_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        started = time.perf_counter()
        done = subprocess.run([str(exe), "--quit-after-load"], env=env, capture_output=True, text=True, timeout=180)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"the frozen app failed ({done.returncode}):\n{done.stderr[-3000:]}")
        if not (Path(home) / "practice" / "practice-shop.sqlite").exists():
            raise SystemExit("the frozen app did not start its practice platform")
    size = sum(f.stat().st_size for f in exe.parent.rglob("*") if f.is_file())
    print(f"smoke test passed: started, seeded the practice shop, showed orders and quit in {elapsed:.1f} s; "
          f"bundle {size / 1e6:.0f} MB at {exe.parent}")


if __name__ == "__main__":
    translations()
    fonts()
    smoke(build())
