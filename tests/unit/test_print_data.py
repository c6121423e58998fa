"""What printed documents show (app/services/print_data.py) and the template renderer
(app/services/print_templates.py): no Qt."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from app.domain.enums import OrderStatus
from app.domain.models import OrderBundle, OrderItem
from app.services import print_data
from app.services.print_templates import (
    FILES,
    Safe,
    TemplateError,
    Templates,
    default_dir,
    documents_for,
    ensure_user_copies,
    render,
)
from app.store import orders as store_orders
from app.store.database import Cache
from tests.unit.test_store import make_bundle

PRINTED = datetime(2026, 11, 5, 10, 30)


def rich_bundle(i: int) -> OrderBundle:
    """Shipped in two parcels, three goods lines, a long address and a remark."""
    b = make_bundle(i, OrderStatus.SHIPPED)
    second = replace(b.parcels[0], id=b.parcels[0].id + 1000, courier_name="圆通速递",
                     tracking_number=f"YT{i:013d}")
    items = tuple(OrderItem(id=i * 10 + k, order_id=i, goods_id=100 + k, sku_id=200 + k, name=f"商品{k}",
                            pic="", property="颜色:红" if k else "", quantity=k + 1, quantity_unshipped=0,
                            unit_price=b.items[0].unit_price, amount=b.items[0].amount) for k in range(3))
    return replace(b, parcels=(*b.parcels, second), items=items,
                   order=replace(b.order, buyer_remark="放门口 <b>别敲门</b>", admin_remark="送赠品"))


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    bundles = [rich_bundle(1), make_bundle(2), make_bundle(3), rich_bundle(4)]
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


def test_bundles_come_in_the_order_asked_with_few_queries(cache: Cache) -> None:
    statements: list[str] = []
    cache.read.set_trace_callback(statements.append)
    try:
        found = store_orders.bundles(cache.read, [4, 99, 2, 1, 4])
    finally:
        cache.read.set_trace_callback(None)
    assert [b.order.id for b in found] == [4, 2, 1]  # 99 is not cached; the repeated 4 comes once
    assert len(statements) == 3  # orders, items, parcels: not three per order
    assert found[0] == store_orders.bundle(cache.read, 4)  # the same as the one-order read


def test_slip_shows_the_order_as_shipped(cache: Cache) -> None:
    slip = print_data.slips(cache.read, [1])[0]
    assert slip.order_number == "26110000000001"
    assert slip.receiver_phone == "13800130001"
    assert slip.address == "浙江省杭州市西湖区文三路1号"
    assert slip.tracking_numbers == ("SF0000000000001", "YT0000000000001")
    assert slip.courier == "顺丰速运、圆通速递"
    # Shipped in full: a reprint lists everything ordered.
    assert [(g.name, g.spec, g.quantity) for g in slip.goods] == [("商品0", "", 1), ("商品1", "颜色:红", 2),
                                                                ("商品2", "颜色:红", 3)]
    assert slip.total_quantity == 6
    assert print_data.packing_lists(cache.read, [1])[0].admin_remark == "送赠品"


def test_a_partly_shipped_order_packs_what_is_left() -> None:
    b = rich_bundle(5)
    items = (replace(b.items[0], quantity_unshipped=0), replace(b.items[1], quantity=2, quantity_unshipped=1),
             replace(b.items[2], quantity_unshipped=3))
    slip = print_data.slip_from(replace(b, items=items))
    assert [(g.name, g.quantity) for g in slip.goods] == [("商品1", 1), ("商品2", 3)]


def test_address_does_not_repeat_what_the_street_already_says() -> None:
    b = make_bundle(1)
    assert b.receiver is not None
    whole = replace(b, receiver=replace(b.receiver, address="浙江省杭州市西湖区文三路1号"))
    assert print_data.full_address(whole) == "浙江省杭州市西湖区文三路1号"
    city = replace(b, receiver=replace(b.receiver, province="北京市", city="北京市", district="朝阳区",
                                       address="建国路88号"))
    assert print_data.full_address(city) == "北京市朝阳区建国路88号"
    assert print_data.full_address(make_bundle(2, pickup=True)) == ""


@pytest.mark.parametrize(("phone", "masked"), [
    ("13800130123", "138****0123"),
    ("+86 138-0013-0123", "138****0123"),
    ("0571-88886666", "057*****6666"),
    ("12345", "***45"),
    ("", ""),
])
def test_mask_phone(phone: str, masked: str) -> None:
    assert print_data.mask_phone(phone) == masked


def test_pick_list_sums_a_batch_per_sku(cache: Cache) -> None:
    picks = print_data.pick_list(cache.read, [1, 4, 2, 77])
    by_name = {line.name: line for line in picks.lines}
    assert by_name["商品2"].quantity == 6  # 3 in order 1 and 3 in order 4
    assert [o.order_number for o in by_name["商品2"].orders] == ["26110000000001", "26110000000004"]
    assert by_name[make_bundle(2).items[0].name].quantity == 1
    assert picks.total_quantity == 6 + 6 + 1
    assert picks.order_numbers == ("26110000000001", "26110000000004", "26110000000002")
    assert picks.missing == (77,)
    assert [line.name for line in picks.lines] == sorted(line.name for line in picks.lines)


# ---- the renderer ---------------------------------------------------------------------------

def test_render_escapes_values_and_keeps_unknown_placeholders_visible() -> None:
    out = render("<p>{{ name }} {{nmae}} {{logo}}</p>", {"name": "<b>A&B</b>", "logo": Safe("<img src='x'>")})
    assert out == "<p>&lt;b&gt;A&amp;B&lt;/b&gt; {{nmae}} <img src='x'></p>"


def test_render_sections_repeat_lists_and_drop_empty_values() -> None:
    template = "<!-- {{#goods}} doc {{/goods}} -->{{#goods}}[{{name}}×{{quantity}}]{{/goods}}{{#remark}}R:{{remark}}{{/remark}}"
    assert render(template, {"goods": [{"name": "橙", "quantity": 2}, {"name": "米", "quantity": 1}],
                             "remark": ""}) == "[橙×2][米×1]"
    assert render("{{#remark}}R:{{remark}}{{/remark}}", {"remark": "a\nb"}) == "R:a<br>b"


def test_render_leaves_typos_in_sections_visible() -> None:
    assert render("{{#goods}}x{{/goods}}", {}) == "{{#goods}}x{{/goods}}"
    assert render("{{#goods}}x", {"goods": [{}]}) == "{{#goods}}x"  # never closed
    assert render("a{{/goods}}", {"goods": []}) == "a{{/goods}}"


def test_a_value_is_never_expanded_as_a_template() -> None:
    # A buyer who types "{{shop_name}}" into a remark gets it printed as typed.
    assert render("{{remark}}", {"remark": "{{shop_name}}", "shop_name": "店"}) == "{{shop_name}}"


# ---- templates on disk -----------------------------------------------------------------------

def test_defaults_are_found_in_a_source_checkout() -> None:
    folder = default_dir()
    assert folder is not None
    assert all((folder / name).is_file() for name in FILES)
    json.loads((folder / "templates.json").read_text(encoding="utf-8"))


def test_shop_copies_are_made_once_and_never_overwritten(tmp_path: Path) -> None:
    mine = ensure_user_copies(tmp_path / "templates")
    assert sorted(p.name for p in mine.iterdir()) == sorted(FILES)
    (mine / "slip.html").write_text("<p>我的面单 {{order_number}}</p>", encoding="utf-8")
    (mine / "packing.html").unlink()  # deleted by the shop: comes back as the default
    ensure_user_copies(mine)
    assert (mine / "slip.html").read_text(encoding="utf-8") == "<p>我的面单 {{order_number}}</p>"
    assert (mine / "packing.html").read_text(encoding="utf-8") == (default_dir() / "packing.html").read_text(  # type: ignore[operator]
        encoding="utf-8")


def test_missing_defaults_say_so(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"slip\.html"):
        ensure_user_copies(tmp_path / "t", defaults=tmp_path / "nowhere")


def test_settings_errors_name_the_line(tmp_path: Path) -> None:
    mine = ensure_user_copies(tmp_path / "templates")
    (mine / "templates.json").write_text('{\n  "shop_name": "店",\n  "footer": \n}', encoding="utf-8")
    with pytest.raises(TemplateError, match="第 4 行"):
        Templates(mine)
    (mine / "templates.json").write_text('{"mask_phone": "yes"}', encoding="utf-8")
    with pytest.raises(TemplateError, match="mask_phone"):
        Templates(mine)


def test_shop_settings_mask_hide_and_fall_back_to_defaults(tmp_path: Path, cache: Cache) -> None:
    mine = ensure_user_copies(tmp_path / "templates")
    # An older settings file without most keys: the defaults fill them in.
    (mine / "templates.json").write_text(json.dumps({"shop_name": "橙子铺", "show": {"order_barcode": False}}),
                                         encoding="utf-8")
    templates = Templates(mine)
    assert templates.settings.mask_phone is True
    slip = documents_for(cache.read, "slip", [1], templates, PRINTED)[0]
    assert "橙子铺" in slip.html and "138****0001" in slip.html
    assert "barcode:SF0000000000001" in slip.html and "barcode:26110000000001" not in slip.html
    assert "&lt;b&gt;别敲门&lt;/b&gt;" in slip.html  # the remark as typed, not as markup
    (mine / "templates.json").write_text(json.dumps({"mask_phone": False}), encoding="utf-8")
    assert "13800130001" in documents_for(cache.read, "slip", [1], Templates(mine), PRINTED)[0].html


def test_slip_lists_a_few_goods_and_points_to_the_packing_list(tmp_path: Path) -> None:
    b = rich_bundle(1)
    items = tuple(replace(b.items[0], id=k, name=f"货{k}") for k in range(9))
    templates = Templates(ensure_user_copies(tmp_path / "templates"))
    doc = templates.slip(print_data.slip_from(replace(b, items=items)), PRINTED)
    assert "货5" in doc.html and "货6" not in doc.html
    assert "另有 3 种商品" in doc.html
    packing = templates.packing(print_data.packing_from(replace(b, items=items)), PRINTED)
    assert "货8" in packing.html and "送赠品" in packing.html


def test_every_placeholder_in_the_defaults_is_known(cache: Cache, tmp_path: Path) -> None:
    templates = Templates(ensure_user_copies(tmp_path / "templates"))
    for kind in ("slip", "packing", "picklist"):
        for doc in documents_for(cache.read, kind, [1, 2], templates, PRINTED):  # type: ignore[arg-type]
            assert "{{" not in doc.html, (kind, doc.html[doc.html.index("{{") - 40:][:120])
