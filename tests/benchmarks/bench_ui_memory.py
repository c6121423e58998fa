"""Memory after scrolling through a 1M-order cache, above an empty PySide6 window.

Goal (issue 4): resident memory after scrolling through 1M orders <= 150 MB above the
empty window.

Two fresh ``python`` children (QT_QPA_PLATFORM=offscreen), as in bench_ui_start.py:

* empty: a QMainWindow of the app's size, shown and painted; its RSS.
* ShopDesk: the main window over the cache, shown; RSS once the first rows are painted,
  once the loader has read the whole id list and the tab counts, then after scrolling:
  --jumps positions spread evenly from the top to the last row, then --pages pages one
  after another from the middle (a user holding Page Down), each step waiting for the
  viewport to repaint, so every row on screen was read and drawn. RSS at the end and the
  peak (VmHWM) over the child's life.

The time from each scroll step to its repaint is printed too (the rows of a new position
are read from SQLite during that paint).

    .venv/bin/python tests/benchmarks/bench_ui_memory.py [--cache PATH] [--jumps 400] [--pages 2000]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.ui_common import (
    DEFAULT_CACHE,
    WINDOW_SIZE,
    as_float,
    clock,
    emit,
    rss_mb,
    run_child,
    sqlite_mb,
    versions,
)

GOAL_MB = 150


# -- children ------------------------------------------------------------------------------
def child_empty() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    from tests.benchmarks.ui_common import on_painted

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)

    def painted() -> None:
        now, peak = rss_mb()
        emit("rss", now)
        emit("peak", peak)
        emit("done", 1)
        os._exit(0)

    _probe = on_painted(window, lambda: True, painted)
    window.show()
    app.exec()


def child_app(cache_path: Path, jumps: int, pages: int) -> None:
    os.environ.setdefault("QT_API", "pyside6")
    # The modules of the running app (the desk brings the HTTP client, the asyncio loop and
    # the keyring, imported once the window has painted), so the same memory.
    import app.ui.application
    import app.ui.desk  # noqa: F401
    from tests.benchmarks.ui_common import app_window, on_painted, open_cache, wait_until

    window = app_window(open_cache(cache_path))
    panel = window.orders_panel
    table, model = panel.table, panel.model
    paints = [0]
    counted = [False]

    def painted() -> None:
        paints[0] += 1

    _probe = on_painted(table.viewport(), lambda: model.rowCount() > 0, painted, once=False)
    panel.loader.counts.connect(lambda *_args: counted.__setitem__(0, True))  # the loader's last step
    window.show()
    if not wait_until(lambda: paints[0] > 0, timeout=60):
        raise SystemExit("no rows painted")
    emit("rss_first", rss_mb()[0])
    emit("sqlite_first", sqlite_mb() or 0)
    if not wait_until(lambda: counted[0] and not model.loading, timeout=120):
        raise SystemExit("the whole id list never arrived")
    wait_until(lambda: False, timeout=0.3)  # its repaint with the complete model
    emit("rss_loaded", rss_mb()[0])
    emit("sqlite_loaded", sqlite_mb() or 0)

    bar = table.verticalScrollBar()
    steps: list[float] = []

    def scroll_to(value: int) -> None:
        before = paints[0]
        started = clock()
        bar.setValue(value)
        if wait_until(lambda: paints[0] > before, timeout=30):
            steps.append(clock() - started)

    top = bar.maximum()
    for i in range(1, jumps + 1):
        scroll_to(round(i * top / jumps))
    emit("rss_jumps", rss_mb()[0])
    emit("sqlite_jumps", sqlite_mb() or 0)
    start = top // 2
    for i in range(pages):
        scroll_to(min(top, start + i * bar.pageStep()))
    now, peak = rss_mb()
    emit("rss_end", now)
    emit("sqlite_end", sqlite_mb() or 0)
    emit("peak", peak)
    emit("rows_paged", pages * bar.pageStep())
    ordered = sorted(steps)
    emit("step_p50", ordered[len(ordered) // 2])
    emit("step_p95", ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))])
    emit("step_max", ordered[-1])
    emit("steps", len(steps))
    emit("done", 1)
    os._exit(0)  # RSS is read; closing the window and the cache would only add time


# -- parent --------------------------------------------------------------------------------
def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    p.add_argument("--jumps", type=int, default=400, help="positions spread evenly over all rows")
    p.add_argument("--pages", type=int, default=2000, help="pages scrolled one after another from the middle")
    p.add_argument("--child", nargs=4, metavar=("KIND", "CACHE", "JUMPS", "PAGES"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        kind, cache, jumps, pages = args.child
        child_empty() if kind == "empty" else child_app(Path(cache), int(jumps), int(pages))
        return
    if not args.cache.exists():
        raise SystemExit(f"{args.cache} is missing: run bench_sync.py --orders 1000000 --rounds 1 --keep first")

    child_args = [str(args.cache), str(args.jumps), str(args.pages)]
    _, empty = run_child(Path(__file__), ["empty", *child_args])
    _, app = run_child(Path(__file__), ["app", *child_args], timeout=3600)
    base = as_float(empty, "rss")
    print(f"resident memory (MB), {args.cache.name}: {args.jumps} jumps spread over all rows, then "
          f"{args.pages} pages ({int(app['rows_paged']):,} rows) one after another")
    print(f"  empty PySide6 window, painted          {base:8.1f}")
    stages = (("ShopDesk, first rows painted", "first"), ("... whole id list and tab counts read", "loaded"),
              ("... after the jumps", "jumps"), ("... after paging (end)", "end"))
    print(f"  {'':38}{'RSS':>8}  {'above':>8}  {'of which SQLite':>16}")
    for label, key in stages:
        value = as_float(app, f"rss_{key}")
        # SQLite's own allocations (page caches of the GUI's, the loader's and the writer's
        # connections): the part that cache_size bounds, apart from Python and Qt.
        print(f"  {label:38}{value:8.1f}  {value - base:+8.1f}  {as_float(app, f'sqlite_{key}'):16.1f}")
    peak_value = as_float(app, "peak")
    print(f"  {'... peak over the run (VmHWM)':38}{peak_value:8.1f}  {peak_value - base:+8.1f}")
    above = as_float(app, "rss_end") - base
    peak_above = as_float(app, "peak") - base
    print(f"scroll step to repaint: p50 {as_float(app, 'step_p50') * 1000:.1f} ms, "
          f"p95 {as_float(app, 'step_p95') * 1000:.1f} ms, max {as_float(app, 'step_max') * 1000:.0f} ms "
          f"({app['steps']} steps)")
    print(f"after scrolling: {above:.0f} MB above the empty window, peak {peak_above:.0f} MB above "
          f"(goal <= {GOAL_MB} MB: {'met' if max(above, peak_above) <= GOAL_MB else 'MISSED'})")
    print(f"machine: {versions()}")
    print(f"README: Memory after scrolling through 1M orders ({args.jumps} jumps over all rows, then "
          f"{int(app['rows_paged']):,} rows page by page): {as_float(app, 'rss_end'):.0f} MB RSS, "
          f"{above:.0f} MB above an empty PySide6 window ({base:.0f} MB), peak {peak_above:.0f} MB above "
          f"(goal <= {GOAL_MB} MB); `bench_ui_memory.py`; {versions()}.")


if __name__ == "__main__":
    main()
