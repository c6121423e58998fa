"""The first rows of a search: walked newest first for a common word, from the index for a
rare one; the same rows as the plain window query either way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.domain.enums import OrderStatus
from app.store import orders as store_orders
from app.store import queries
from app.store.database import Cache
from app.store.queries import OrderFilter, OrderTab
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
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cache]:
    c = Cache(tmp_path_factory.mktemp("fw") / "cache.sqlite")
    bundles = [make_bundle(i, status=STATUSES[i % 4]) for i in range(1, 1501)]
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


@pytest.mark.parametrize("flt", CASES, ids=lambda f: f"{f.text}|{f.tab}")
@pytest.mark.parametrize("sort", ["created_desc", "created_asc", "id_desc", "paid_desc"])
def test_same_rows_as_the_window_query_walked_or_not(cache: Cache, flt: OrderFilter, sort: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    expected = queries.window_ids(cache.read, flt, sort, 0, 50)
    monkeypatch.setattr(queries, "WALK_BUDGET", 0)  # the index answers at once
    assert queries.first_window_ids(cache.read, flt, sort, 50) == expected
    monkeypatch.setattr(queries, "WALK_BUDGET", 10**9)  # the walk always finishes
    assert queries.first_window_ids(cache.read, flt, sort, 50) == expected


def test_a_common_word_is_walked_and_a_rare_one_goes_to_the_index(cache: Cache,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[str] = []
    real = queries.window_ids

    def window_ids(*args: Any) -> list[int]:
        used.append("index")
        return real(*args)

    monkeypatch.setattr(queries, "window_ids", window_ids)
    monkeypatch.setattr(queries, "WALK_BUDGET", 2)  # a couple of thousand steps
    assert len(queries.first_window_ids(cache.read, OrderFilter(text="2611"), "created_desc", 20)) == 20
    assert used == []
    assert queries.first_window_ids(cache.read, OrderFilter(text="nothing-like-this"), "created_desc", 20) == []
    assert used == ["index"]


def test_the_walk_leaves_no_progress_handler_behind(cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "WALK_BUDGET", 0)
    queries.first_window_ids(cache.read, OrderFilter(text="nothing-like-this"), "created_desc", 20)
    # a handler left set would abort this long query too
    n = cache.read.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 300000) "
                           "SELECT COUNT(*) FROM n").fetchone()[0]
    assert n == 300000


