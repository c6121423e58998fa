"""The first rows of a search: read from the index in id order, walked newest first, or
sorted by the index; the same rows as the plain window query whichever answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from app.domain.enums import OrderStatus
from app.domain.models import OrderBundle
from app.store import orders as store_orders
from app.store import queries
from app.store.database import Cache
from app.store.queries import OrderFilter, OrderTab, split_terms
from tests.unit.test_store import make_bundle

STATUSES = [OrderStatus.UNPAID, OrderStatus.TO_SHIP, OrderStatus.SHIPPED, OrderStatus.DONE]
CASES = [
    OrderFilter(text="2611"),  # every order: the walk finds them at once
    OrderFilter(text="26110000000123"),  # one order
    OrderFilter(text="易碎品"),  # one in five
    OrderFilter(text="杭州 文三路1"),  # two words
    OrderFilter(text="2611 8"),  # a long word and a short one (LIKE on the columns)
    OrderFilter(text="芳", tab=OrderTab.TO_SHIP),
    OrderFilter(text="2611", tab=OrderTab.SHIPPED),
    OrderFilter(text="nothing-like-this"),
    OrderFilter(text="王伟"),  # a 2-character word alone: the gram index in id order
    OrderFilter(text="王伟", tab=OrderTab.SHIPPED),
    OrderFilter(text="2611", courier_id=2),
    # The oldest orders only: read newest id first, every match is rejected until the end.
    OrderFilter(text="2611", created_to=datetime(2026, 11, 1, 3)),
    OrderFilter(text="文三路1", created_from=datetime(2026, 11, 1, 20)),
]
SORTS = ["created_desc", "created_asc", "id_desc", "paid_desc"]


def _created(i: int, kind: str) -> datetime:
    base = datetime(2026, 11, 1)
    if kind == "ties":  # 40 orders share each created_at: the id decides among them
        return base + timedelta(hours=i // 40)
    if kind == "out of line":  # created_at edited or imported: some ids far from their time
        shift = 1000 if i % 97 == 0 else -1000 if i % 89 == 0 else 0
        return base + timedelta(minutes=i + shift)
    return base + timedelta(minutes=i)


def _bundle(i: int, kind: str) -> OrderBundle:
    b = make_bundle(i, status=STATUSES[i % 4])
    created = _created(i, kind)
    return replace(b, order=replace(b.order, created_at=created, updated_at=created))


@pytest.fixture(scope="module", params=["in id order", "ties", "out of line"])
def cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cache]:
    c = Cache(tmp_path_factory.mktemp("fw") / "cache.sqlite")
    bundles = [_bundle(i, request.param) for i in range(1, 1501)]
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


@pytest.fixture(autouse=True)
def no_time_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The budgets are milliseconds: a busy test machine must not change which way answers.
    Tests that cut one short set it to 0 (cut at the first look, after 1,000 SQLite steps)."""
    for budget in ("STREAM_BUDGET", "READ_ON_BUDGET", "CHECK_BUDGET", "WALK_BUDGET"):
        monkeypatch.setattr(queries, budget, 10**9)


def _no_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "_streamed", lambda *args: None)


@pytest.mark.parametrize("flt", CASES, ids=lambda f: f"{f.text}|{f.tab}|{f.courier_id}|{f.created_from}|{f.created_to}")
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("path", ["streamed", "streamed, proof refused", "streamed, read on", "streamed, read whole",
                                  "streamed, read on cut short", "walked", "index"])
def test_same_rows_as_the_window_query_whichever_answers(cache: Cache, flt: OrderFilter, sort: str, path: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    expected = queries.window_ids(cache.read, flt, sort, 0, 50)
    if path == "streamed, proof refused":
        # The proof runs out of time (on these small files it would not): the walk answers
        # unless every match was read.
        real = queries._budgeted
        monkeypatch.setattr(queries, "CHECK_BUDGET", 12345.0)
        monkeypatch.setattr(queries, "_budgeted", lambda conn, budget, read:
                            None if budget == 12345.0 else real(conn, budget, read))
    elif path.startswith("streamed, read"):  # as for a word spread thin over a big shop
        monkeypatch.setattr(queries, "PROOF_SPAN", 0)
        # 100: some words have more matches (then proved), some fewer (then read whole)
        monkeypatch.setattr(queries, "READ_ON", 100 if path.endswith("on") else 10**6)
        if path.endswith("cut short"):
            monkeypatch.setattr(queries, "READ_ON_BUDGET", 0)
    elif path == "walked":
        _no_stream(monkeypatch)
    elif path == "index":
        _no_stream(monkeypatch)
        monkeypatch.setattr(queries, "WALK_BUDGET", 0)  # the index answers at once
    assert queries.first_window_ids(cache.read, flt, sort, 50) == expected


def test_an_older_id_created_later_is_not_missed(tmp_path: Any) -> None:
    """Ids follow creation time, but an order created (or re-dated) out of line must still
    come first: the proof after the id-order read sees it and the walk answers."""
    c = Cache(tmp_path / "cache.sqlite")
    try:
        bundles = [make_bundle(i) for i in range(1, 301)]
        newest = bundles[0].order.created_at + timedelta(days=30)
        bundles[4] = replace(bundles[4], order=replace(bundles[4].order, created_at=newest))  # id 5
        c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
        flt = OrderFilter(text="2611")
        assert queries._streamed(c.read, flt, split_terms(flt.text), "created_desc", 20) is None
        assert queries._streamed(c.read, flt, split_terms(flt.text), "id_desc", 20) == list(range(300, 280, -1))
        got = queries.first_window_ids(c.read, flt, "created_desc", 20)
        assert got == [5, *range(300, 281, -1)] == queries.window_ids(c.read, flt, "created_desc", 0, 20)
        # Read on past the first rows, every match is read and sorted: no proof needed.
        with pytest.MonkeyPatch.context() as m:
            m.setattr(queries, "PROOF_SPAN", 0)
            m.setattr(queries, "READ_ON", 1000)
            assert queries._streamed(c.read, flt, split_terms(flt.text), "created_desc", 20) == got
        # Oldest first, id 5 now sorts last of all: the proof refuses the ids 1-20 as well.
        assert queries._streamed(c.read, flt, split_terms(flt.text), "created_asc", 20) is None
        assert queries.first_window_ids(c.read, flt, "created_asc", 20) == [*range(1, 5), *range(6, 22)]
    finally:
        c.close()


@pytest.fixture
def in_order(tmp_path: Any) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    bundles = [make_bundle(i, status=STATUSES[i % 4]) for i in range(1, 1501)]
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


def _spy_index(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    used: list[str] = []
    real = queries.window_ids

    def window_ids(*args: Any) -> list[int]:
        used.append("index")
        return real(*args)

    monkeypatch.setattr(queries, "window_ids", window_ids)
    return used


def test_common_and_rare_words_are_read_in_id_order(in_order: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    used = _spy_index(monkeypatch)
    monkeypatch.setattr(queries, "WALK_BUDGET", 0)  # a walk would give up and call the index
    assert queries.first_window_ids(in_order.read, OrderFilter(text="2611"), "created_desc", 20) == \
        list(range(1500, 1480, -1))
    assert queries.first_window_ids(in_order.read, OrderFilter(text="26110000000123"), "created_desc", 20) == [123]
    assert queries.first_window_ids(in_order.read, OrderFilter(text="nothing-like-this"), "created_asc", 20) == []
    assert used == []


def test_a_filter_that_rejects_most_matches_stops_the_id_order_read(in_order: Cache,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "STREAM_BUDGET", 0)  # cut at the first look, after 1,000 SQLite steps
    flt = OrderFilter(text="2611", tab=OrderTab.CLOSED)  # no closed orders: every match is read and rejected
    assert queries._streamed(in_order.read, flt, split_terms(flt.text), "created_desc", 20) is None
    assert queries.first_window_ids(in_order.read, flt, "created_desc", 20) == []


def test_reading_on_cut_short_proves_the_rows_read_first(in_order: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes: list[tuple[float, bool]] = []
    real = queries._budgeted

    def budgeted(conn: Any, budget: float, read: Any) -> Any:
        got = real(conn, budget, read)
        outcomes.append((budget, got is not None))
        return got

    monkeypatch.setattr(queries, "_budgeted", budgeted)
    monkeypatch.setattr(queries, "PROOF_SPAN", 0)
    monkeypatch.setattr(queries, "READ_ON", 10**6)
    monkeypatch.setattr(queries, "READ_ON_BUDGET", 0)  # the other 1,480 matches take more than 1,000 steps
    flt = OrderFilter(text="2611")
    assert queries._streamed(in_order.read, flt, split_terms(flt.text), "created_desc", 20) == \
        list(range(1500, 1480, -1))
    assert outcomes == [(queries.STREAM_BUDGET, True), (0, False), (queries.CHECK_BUDGET, True)]


def test_a_common_word_is_walked_and_a_rare_one_goes_to_the_index(in_order: Cache,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _no_stream(monkeypatch)
    used = _spy_index(monkeypatch)
    # Cut at the first look, after 1,000 SQLite steps: 20 rows of a common word are walked
    # by then, a word in no order is not.
    monkeypatch.setattr(queries, "WALK_BUDGET", 0)
    assert len(queries.first_window_ids(in_order.read, OrderFilter(text="2611"), "created_desc", 20)) == 20
    assert used == []
    assert queries.first_window_ids(in_order.read, OrderFilter(text="nothing-like-this"), "created_desc", 20) == []
    assert used == ["index"]


@pytest.mark.parametrize("budget", ["STREAM_BUDGET", "CHECK_BUDGET", "WALK_BUDGET"])
def test_no_progress_handler_is_left_behind(in_order: Cache, budget: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, budget, 0)
    for text in ("nothing-like-this", "2611"):
        queries.first_window_ids(in_order.read, OrderFilter(text=text, tab=OrderTab.SHIPPED), "created_desc", 20)
    # a handler left set would abort this long query too
    n = in_order.read.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 300000) "
                              "SELECT COUNT(*) FROM n").fetchone()[0]
    assert n == 300000
