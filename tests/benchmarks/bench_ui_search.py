"""Search as you type in the orders panel over a 1M-order cache: keystroke to repaint.

Goal (issue 4): keystroke-to-repaint <= 100 ms. The panel waits SEARCH_DELAY_MS (40 ms)
after a keystroke before it searches, so that a scanner's or a paste's burst of keys is one
search (a newer search interrupts an older one anyway). Printed: "processing", from the
end of that wait to the repaint, and "total", from the key event.

For each keystroke, one character at a time into the panel's search box (QTest.keyClick
for ASCII; a committed input-method event for Chinese, as a pinyin IME delivers it):

* key      just before the key event is sent;
* request  the debounce fired and the panel asked its loader for the new filter;
* shown    the first viewport paint after the model took the new rows has finished
           (a zero timer after the Paint event, so data() and the row reads are in it);
           when the new result leaves the rows as they were, nothing repaints and the
           rows are on screen when the panel has handled the result: that moment counts.

"settled": before each keystroke the previous search has finished everything (whole id
list, tab counts), which isolates one keystroke. "typing": each term typed at a steady
--cadence, measured from the last keystroke to its result on screen: with a cadence over
the debounce, earlier searches are still running (a worker reads a filter's whole id list
in one statement) and the last one queues behind them, as it does for a slow typist.

Terms come from the cache itself: order numbers, 8-digit phone fragments, receivers'
names, goods names (the first word, up to 6 characters). One term of each kind is typed
first and not counted, to warm the OS file cache.

    .venv/bin/python tests/benchmarks/bench_ui_search.py [--cache PATH] [--terms 3] [--cadence 300]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import percentiles
from tests.benchmarks.ui_common import DEFAULT_CACHE, clock, versions, wait_until

GOAL_MS = 100
KINDS = ("order number", "phone fragment", "receiver name", "goods name")


def pick_terms(path: Path, per_kind: int, seed: int = 5) -> dict[str, list[str]]:
    """Real values, from orders spread over the whole cache (read-only connection)."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        top = conn.execute("SELECT MAX(id) FROM orders").fetchone()[0]
        rows: list[tuple[Any, ...]] = []
        while len(rows) < per_kind:
            rows += conn.execute("SELECT number, receiver_mobile, receiver_name, goods_names FROM orders "
                                 "WHERE id >= ? AND receiver_mobile != '' AND receiver_name != '' AND goods_names != '' "
                                 "LIMIT 1", (rng.randrange(top),)).fetchall()
    finally:
        conn.close()
    return {
        "order number": [r[0] for r in rows],
        "phone fragment": [r[1][-8:] for r in rows],  # staff rarely have the prefix; the tail is what they read out
        "receiver name": [r[2] for r in rows],
        "goods name": [r[3].split("×")[0].split()[0][:6] for r in rows],  # the first word, as typed to find it
    }


def search_path(text: str) -> str:
    """Which index answers the text (queries.split_terms): the latency differs by an order of magnitude."""
    from app.store.queries import split_terms

    terms = split_terms(text)
    return "trigram FTS" if terms.long else "2-char CJK grams" if terms.pairs else "LIKE scan (1-2 chars)"


@dataclass
class Sample:
    kind: str
    text: str
    count: int
    debounce: float  # s, key -> request
    total: float  # s, key -> shown
    changed: bool  # the rows changed (a repaint was waited for)
    result: float  # s, key -> the panel handled the loader's first rows (SQL on the worker, queued to the GUI)

    @property
    def processing(self) -> float:
        return self.total - self.debounce


class Meter:
    """Watches one panel: which request a keystroke caused, when its result was on screen,
    when the loader went idle. Hooks only public signals, plus a wrapper around the
    loader's ``request`` (the panel calls it when the debounce fires)."""

    def __init__(self, panel: Any) -> None:
        from tests.benchmarks.ui_common import on_painted

        self.panel = panel
        self.latest = 0  # newest request issued
        self.idle_upto = 0  # newest request whose work has all been delivered
        self.after: float | None = None  # a request issued after this clock is the one measured
        self.target: int | None = None
        self.t_req = self.t_first = self.t_shown = 0.0
        self.count = 0
        self.reset_seen = False
        self.waiting_paint = False
        loader = panel.loader
        request = loader.request

        def wrapped(flt: Any, sort: str) -> int:
            rid = request(flt, sort)
            self.latest = rid
            if self.after is not None and self.target is None and clock() >= self.after:
                self.target, self.t_req = rid, clock()
            return rid

        loader.request = wrapped
        # Connected after the panel's own slots, so they run after the panel has handled the result.
        loader.first.connect(self._first)
        loader.counts.connect(self._idle)
        loader.failed.connect(self._idle)
        panel.model.modelReset.connect(self._reset)
        self._probe = on_painted(panel.table.viewport(), lambda: self.waiting_paint, self._painted, once=False)

    def arm(self, after: float) -> None:
        self.after, self.target, self.t_shown, self.reset_seen, self.waiting_paint = after, None, 0.0, False, False

    def _reset(self) -> None:
        if self.target is not None and not self.t_shown:
            self.reset_seen = True

    def _first(self, rid: int, _ids: list[int], count: int) -> None:
        if rid != self.target:
            return
        self.t_first, self.count = clock(), count
        if self.reset_seen:
            self.waiting_paint = True
        else:
            self.t_shown = self.t_first  # same rows as before: nothing to repaint

    def _painted(self) -> None:
        if self.waiting_paint:
            self.waiting_paint = False
            self.t_shown = clock()

    def _idle(self, rid: int, *_rest: Any) -> None:
        self.idle_upto = max(self.idle_upto, rid)

    @property
    def shown(self) -> bool:
        return bool(self.t_shown)

    @property
    def idle(self) -> bool:
        return self.idle_upto >= self.latest


def type_char(line_edit: Any, ch: str) -> None:
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    if ch.isascii():
        QTest.keyClick(line_edit, ch)
    else:  # QTest only types ASCII; a pinyin IME commits each chosen character like this
        event = QInputMethodEvent("", [])
        event.setCommitString(ch)
        QApplication.sendEvent(line_edit, event)


def settle(meter: Meter) -> None:
    """Wait for the debounce and for the loader to deliver everything of the newest request."""
    from app.ui.orders.panel import SEARCH_DELAY_MS

    started = clock()
    wait_until(lambda: clock() - started > SEARCH_DELAY_MS / 1000 + 0.05 and meter.idle, timeout=120)


def clear(panel: Any, meter: Meter) -> None:
    panel.search.clear()
    settle(meter)


def run_settled(panel: Any, meter: Meter, terms: dict[str, list[str]]) -> list[Sample]:
    samples = []
    for kind, texts in terms.items():
        for text in texts:
            clear(panel, meter)
            for ch in text:
                key = clock()
                meter.arm(key)
                type_char(panel.search, ch)
                if not wait_until(lambda: meter.shown, timeout=120):
                    raise SystemExit(f"no result shown for {panel.search.text()!r}")
                samples.append(Sample(kind, panel.search.text(), meter.count, meter.t_req - key,
                                      meter.t_shown - key, meter.reset_seen, meter.t_first - key))
                settle(meter)
    clear(panel, meter)
    return samples


def run_typing(panel: Any, meter: Meter, terms: dict[str, list[str]], cadence: float) -> list[Sample]:
    samples = []
    for kind, texts in terms.items():
        for text in texts:
            clear(panel, meter)
            next_key = clock()
            for ch in text:
                wait_until(lambda t=next_key: clock() >= t, timeout=60)  # type: ignore[misc]
                key = clock()
                next_key = key + cadence
                type_char(panel.search, ch)
            meter.arm(key)  # the search after the last keystroke is the one the user waits for
            if not wait_until(lambda: meter.shown, timeout=120):
                raise SystemExit(f"no result shown for {panel.search.text()!r}")
            samples.append(Sample(kind, text, meter.count, meter.t_req - key, meter.t_shown - key, meter.reset_seen,
                                  meter.t_first - key))
            settle(meter)
    clear(panel, meter)
    return samples


def table(title: str, groups: dict[str, list[Sample]]) -> None:
    print(title)
    print(f"  {'':24}{'n':>4}  {'processing p50/p95/max':>24}  {'total p50/p95/max':>22}  {'SQL/GUI p50':>12}"
          "  slowest (processing)")
    for label, group in groups.items():
        if not group:
            continue
        p50, p95 = percentiles([s.processing for s in group])
        t50, t95 = percentiles([s.total for s in group])
        worst = max(group, key=lambda s: s.processing)
        # Where the processing goes: request -> result handled (the loader's count and first
        # ids, plus the queued signal) and result handled -> rows painted (reset, row reads, paint).
        sql = percentiles([s.result - s.debounce for s in group])[0]
        gui = percentiles([s.total - s.result for s in group])[0]
        print(f"  {label[:24]:24}{len(group):>4}  {p50:>8.0f}{p95:>8.0f}{max(s.processing for s in group) * 1000:>8.0f}"
              f"  {t50:>7.0f}{t95:>7.0f}{max(s.total for s in group) * 1000:>8.0f}"
              f"  {sql:>5.0f}/{gui:<6.0f}  {worst.text!r} ({worst.count:,} hits, {worst.processing * 1000:.0f} ms)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    p.add_argument("--terms", type=int, default=3, help="terms per kind")
    p.add_argument("--cadence", type=float, default=300, help="ms between keystrokes in the typing run")
    args = p.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    terms = pick_terms(args.cache, args.terms)

    from app.ui.orders.panel import SEARCH_DELAY_MS
    from tests.benchmarks.ui_common import app_window, open_cache

    cache = open_cache(args.cache)
    window = app_window(cache)
    panel = window.orders_panel
    meter = Meter(panel)
    window.show()
    settle(meter)  # the first rows, the whole id list, the tab counts of the start
    # Not counted: one term of each kind first, so the file's pages are in the OS cache
    # (a first LIKE scan from disk took 5 s, not the 0.1-0.5 s it takes warm).
    run_settled(panel, meter, pick_terms(args.cache, 1, seed=99))

    settled = run_settled(panel, meter, terms)
    typing = run_typing(panel, meter, terms, args.cadence / 1000)

    print(f"search as you type, {sum(map(len, terms.values()))} terms ({args.terms} per kind) from {args.cache.name}; "
          f"debounce {SEARCH_DELAY_MS} ms (measured p50 {percentiles([s.debounce for s in settled])[0]:.0f} ms)")
    print("processing = debounce fired -> new rows painted (what the goal is checked against); "
          "total = key event -> new rows painted; ms")
    table("settled, one keystroke at a time, by kind of term:",
          {k: [s for s in settled if s.kind == k] for k in KINDS})
    paths = ("LIKE scan (1-2 chars)", "2-char CJK grams", "trigram FTS")
    table("settled, by how the text is searched:", {k: [s for s in settled if search_path(s.text) == k] for k in paths})
    table(f"typing at {args.cadence:.0f} ms a key, last keystroke of each term to its rows painted:",
          {k: [s for s in typing if s.kind == k] for k in KINDS})
    unchanged = sum(not s.changed for s in settled)
    print(f"({unchanged} of {len(settled)} settled keystrokes left the rows as they were: no repaint, "
          "timed to the panel handling the result)")
    p50, p95 = percentiles([s.processing for s in settled])
    t50, t95 = percentiles([s.total for s in settled])
    ty50, ty95 = percentiles([s.processing for s in typing])
    verdict = "met" if p95 <= GOAL_MS else "MISSED"
    print(f"all settled keystrokes: processing p50 {p50:.0f} ms, p95 {p95:.0f} ms (goal <= {GOAL_MS} ms: {verdict}); "
          f"total p50 {t50:.0f} ms, p95 {t95:.0f} ms")
    print(f"machine: {versions()}")
    print(f"README: Search as you type on 1M orders, keystroke to repaint after the {SEARCH_DELAY_MS} ms debounce: "
          f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (goal <= {GOAL_MS} ms); with the debounce p50 {t50:.0f} ms, "
          f"p95 {t95:.0f} ms; typing at {args.cadence:.0f} ms a key, last key to rows p50 {ty50:.0f} ms, "
          f"p95 {ty95:.0f} ms after the debounce ({len(settled)} keystrokes over order numbers, phone fragments, "
          f"names, goods; `bench_ui_search.py`; {versions()}).")
    window.close()
    cache.close()


if __name__ == "__main__":
    main()
