"""Cold start: the main window over a 1M-order cache until its first order rows are painted,
against an empty PySide6 window started the same way in the same run.

Goals (issue 4): ShopDesk / empty window <= 1.5x, and ShopDesk <= 1 s.

Each start is a fresh ``python`` child (QT_QPA_PLATFORM=offscreen), timed from just before
Popen to the stamp the child takes once the paint is done, so interpreter start and every
import count, as they do for the user. The parent imports neither Qt nor the app before
the runs. The ShopDesk child runs the app's own start (``app.ui.application``) up to
its first painted rows: what ``run()`` does before it imports the platform client and
starts the practice shop and the sync. "Painted": a Paint event on the window (empty),
or the end of the app's own wait for its first rows (``show_first_rows``: a Paint of the
table's viewport after the first rows arrived), then a zero timer after it.
One discarded warm-up run of each first: the figures are for a warm OS file cache, not a
cold disk, and for compiled modules (see ui_common.child_env).

A third child, not part of the goal, shows where the floor is: a bare PySide6 table of 40
rows of Chinese text in the same window, from a QStandardItemModel filled in memory (no
app code, no cache, no search box or tabs). What it costs over the empty window is what
any Qt app pays to paint a table of Chinese text at all.

    .venv/bin/python tests/benchmarks/bench_ui_start.py [--cache PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.ui_common import (
    DEFAULT_CACHE,
    WINDOW_SIZE,
    as_float,
    clock,
    emit,
    fmt_ms,
    median,
    run_child,
    versions,
)

if TYPE_CHECKING:  # the parent imports no Qt before the runs
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

PHASES = ("start", "imports", "qapp", "window", "shown", "painted")
GOAL_RATIO = 1.5
GOAL_SECONDS = 1.0


# -- children ------------------------------------------------------------------------------
def _finish() -> None:
    emit("painted", clock())
    emit("done", 1)
    # _exit: the start is over once the rows are painted; tearing down Qt and the loader's
    # thread (still reading the whole id list) is not part of it.
    os._exit(0)


def _bare_window(title: str) -> tuple[QApplication, QMainWindow]:
    """The empty window's and the bare table's start, stamped alike."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    emit("imports", clock())
    app = QApplication([sys.argv[0]])
    emit("qapp", clock())
    window = QMainWindow()
    window.setWindowTitle(title)
    window.resize(*WINDOW_SIZE)
    return app, window


def _show_until_painted(app: QApplication, window: QMainWindow, painted: QWidget) -> None:
    from tests.benchmarks.ui_common import on_painted

    _probe = on_painted(painted, lambda: True, _finish)
    emit("window", clock())
    window.show()
    emit("shown", clock())
    app.exec()


def child_empty() -> None:
    app, window = _bare_window("empty")
    _show_until_painted(app, window, window)


def child_table() -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    app, window = _bare_window("table")
    model = QStandardItemModel(40, 11)
    for row in range(40):
        for column in range(11):
            model.setItem(row, column, QStandardItem(f"浙江省杭州市西湖区文三路{row}号 {column}"))
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    _show_until_painted(app, window, table.viewport())


def child_app(cache_path: Path) -> None:
    # The app's own start (app.ui.application.run) up to its first painted rows: its imports,
    # translations, theme and font, the account registry, the cache and the window, then
    # show_first_rows. The platform client, the asyncio loop and the keyring are imported
    # by run() only after that, so they are not part of what the user waits for here.
    import app.ui.application as application
    from app.services.accounts import PRACTICE_ID, AccountRegistry
    from app.ui import theme
    from app.ui.fonts import apply_cjk_font
    from app.ui.i18n import install_translations
    from tests.benchmarks.ui_common import make_app, open_cache, temp_settings

    emit("imports", clock())
    app = make_app()
    app.setApplicationName("ShopDesk")
    app.setOrganizationName("ShopDesk")
    settings = temp_settings()
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(settings.fileName()).parent))
    install_translations(app, settings)
    theme.install(app, settings)
    apply_cjk_font(app)
    emit("qapp", clock())
    open_cache(cache_path).close()  # refuses a cache the app would migrate (not timed: done before)
    home = Path(settings.fileName()).parent / "home"
    registry = AccountRegistry(home)
    registry.cache_path(PRACTICE_ID).parent.mkdir(parents=True)
    registry.cache_path(PRACTICE_ID).symlink_to(cache_path)
    _cache, window = application.open_window(registry, PRACTICE_ID)
    emit("window", clock())
    emit("shown", clock())
    application.show_first_rows(window)
    if window.orders_panel.model.rowCount() == 0:
        raise SystemExit("no rows painted within the start's wait")
    _finish()


# -- parent --------------------------------------------------------------------------------
def one_run(kind: str, cache: Path) -> dict[str, float]:
    started, values = run_child(Path(__file__), [kind, str(cache)])
    return {phase: as_float(values, phase) - started for phase in PHASES}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--child", nargs=2, metavar=("KIND", "CACHE"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        emit("start", clock())
        kind, cache = args.child
        {"empty": child_empty, "table": child_table}.get(kind, lambda: child_app(Path(cache)))()
        return
    if not args.cache.exists():
        raise SystemExit(f"{args.cache} is missing: run bench_sync.py --orders 1000000 --rounds 1 --keep first")

    kinds = {"empty": "empty PySide6 window", "table": "bare PySide6 table", "app": f"ShopDesk, {args.cache.name}"}
    warm = {kind: one_run(kind, args.cache)["painted"] for kind in kinds}  # OS file cache, .pyc files
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for _ in range(args.runs):
        for kind in kinds:  # alternated, so a busy spell on the machine hits both alike
            runs[kind].append(one_run(kind, args.cache))

    print(f"cold start to first paint, median of {args.runs} runs each (alternated; warm-up runs "
          f"{', '.join(f'{k} {fmt_ms(v)}' for k, v in warm.items())} not counted)")
    print("cumulative seconds since Popen: interpreter up / imports / QApplication / window built / "
          "show() returned / painted")
    print(f"{'':24}" + "".join(f"{ph:>10}" for ph in PHASES) + f"{'min':>10}{'max':>10}")
    totals = {}
    for kind, label in kinds.items():
        med = {ph: median([r[ph] for r in runs[kind]]) for ph in PHASES}
        painted = [r["painted"] for r in runs[kind]]
        totals[kind] = med["painted"]
        print(f"{label[:24]:24}" + "".join(f"{med[ph]:>10.3f}" for ph in PHASES)
              + f"{min(painted):>10.3f}{max(painted):>10.3f}")
    ratio = totals["app"] / totals["empty"]
    floor = totals["table"] / totals["empty"]
    print(f"floor: a bare PySide6 table of Chinese text {totals['table']:.2f} s = {floor:.2f}x the empty window "
          "(not a goal: what painting such a table costs any Qt app)")
    print(f"ratio {ratio:.2f}x (goal <= {GOAL_RATIO}x: {'met' if ratio <= GOAL_RATIO else 'MISSED'}); "
          f"ShopDesk {totals['app']:.2f} s (goal <= {GOAL_SECONDS:.0f} s: "
          f"{'met' if totals['app'] <= GOAL_SECONDS else 'MISSED'})")
    print(f"machine: {versions()}")
    print(f"README: Cold start to the first painted order rows, 1M-order cache: {totals['app']:.2f} s against "
          f"{totals['empty']:.2f} s for an empty PySide6 window started the same way, {ratio:.2f}x "
          f"(a bare PySide6 table of Chinese text: {totals['table']:.2f} s, {floor:.2f}x) "
          f"(goals <= {GOAL_RATIO}x and <= {GOAL_SECONDS:.0f} s; median of {args.runs}, offscreen, warm file cache; "
          f"`bench_ui_start.py`; {versions()}).")


if __name__ == "__main__":
    main()
