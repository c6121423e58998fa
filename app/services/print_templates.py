"""The print templates a shop edits, and the small renderer that fills them in.

Templates are HTML files with ``{{placeholders}}`` (slip.html, packing.html, picklist.html)
plus ``templates.json`` (shop name, logo, footer, which fields show, phone masking,
barcode size). The defaults live in the repository's ``resources/templates``; the shop's
own copies live in ``data_dir()/templates``, copied there on first use, so an upgrade
never overwrites a shop's edits, and a file a shop deletes comes back as the default.

The renderer is a deliberately small subset of Mustache: ``{{name}}`` inserts a value,
HTML-escaped; ``{{#name}}…{{/name}}`` repeats its body for each item of a list, or shows
it once when the value is non-empty. Nothing else: no expressions, so a template can
neither break the app nor run anything. A placeholder the renderer does not know is left
in the output as written, so a shop that types ``{{shop_nmae}}`` sees it on the preview.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import sqlite3
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import barcode

from app.paths import data_dir
from app.services import print_data
from app.services.print_data import PackingList, PickList, SlipData, mask_phone

log = logging.getLogger(__name__)

Kind = Literal["slip", "packing", "picklist"]
KINDS: tuple[Kind, ...] = ("slip", "packing", "picklist")
SETTINGS_FILE = "templates.json"
FILES: tuple[str, ...] = (*(f"{kind}.html" for kind in KINDS), SETTINGS_FILE)
BARCODE_SCHEME = "barcode:"  # <img src="barcode:…">: the Qt renderer draws these as vector bars
QUIET_MODULES = 10  # Code128 wants a quiet zone of at least 10 modules each side
TEXT_MM = 3.2  # room under the bars for the human-readable number
PX_PER_MM = 96 / 25.4  # QTextDocument lays out in 96-dpi pixels


class TemplateError(Exception):
    """A template or its settings cannot be used; the message says which file and why."""


# ---- where the templates are -------------------------------------------------------------

def default_dir() -> Path | None:
    """The shipped defaults: ``resources/templates`` next to ``app/`` in a source checkout,
    or in the PyInstaller bundle (packaging/shopdesk.spec copies it there). A wheel does
    not carry the top-level ``resources/``: there this is None (see ensure_user_copies)."""
    roots = []
    if getattr(sys, "frozen", False):
        roots.append(Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)))
    roots.append(Path(__file__).resolve().parents[2])
    for root in roots:
        folder = root / "resources" / "templates"
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return None


def user_dir() -> Path:
    return data_dir() / "templates"


def ensure_user_copies(target: Path | None = None, defaults: Path | None = None) -> Path:
    """Copy every default the shop does not have yet into its templates folder; return it.

    Existing files are never touched: they are the shop's edits.
    """
    target = target or user_dir()
    defaults = defaults if defaults is not None else default_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        mine = target / name
        if mine.exists():
            continue
        if defaults is None or not (defaults / name).is_file():
            raise TemplateError(f"找不到打印模板 {name}：{target} 里没有，默认模板也不在（安装包缺少 resources/templates）")
        shutil.copyfile(defaults / name, mine)
    return target


# ---- settings ------------------------------------------------------------------------------

SHOWABLE = ("logo", "shop_name", "order_barcode", "tracking_barcode", "receiver_phone", "buyer_remark",
            "admin_remark", "goods", "paid_at", "footer", "orders")


@dataclass(frozen=True, slots=True)
class TemplateSettings:
    shop_name: str = ""
    logo: str = ""  # a picture file; a relative path is relative to the templates folder
    logo_height_mm: float = 8.0
    footer: str = ""
    mask_phone: bool = True
    date_format: str = "%Y-%m-%d %H:%M"
    module_mm: float = 0.3  # width of the narrowest bar
    bar_height_mm: float = 12.0
    # A label lists this many goods lines at most: more would shrink the whole label and
    # its barcodes with it; the rest are on the packing list.
    slip_max_goods: int = 6
    show: Mapping[str, bool] = field(default_factory=dict)  # a field missing here shows

    def shows(self, name: str) -> bool:
        return bool(self.show.get(name, True))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise TemplateError(f"{path.name} 第 {e.lineno} 行第 {e.colno} 列有误：{e.msg}") from e
    except OSError as e:
        raise TemplateError(f"读不了 {path}：{e.strerror}") from e
    if not isinstance(value, dict):
        raise TemplateError(f"{path.name} 应是一个 {{…}} 对象")
    return value


def parse_settings(raw: Mapping[str, Any], base: TemplateSettings | None = None) -> TemplateSettings:
    """Settings from a templates.json, over ``base`` for keys it lacks (an older file
    after an upgrade added a key). Wrong types are refused by name rather than guessed."""
    base = base or TemplateSettings()
    out: dict[str, Any] = {}
    for name, kind in (("shop_name", str), ("logo", str), ("footer", str), ("date_format", str),
                       ("mask_phone", bool), ("logo_height_mm", (int, float)), ("slip_max_goods", int)):
        if name in raw:
            if not isinstance(raw[name], kind) or (kind is not bool and isinstance(raw[name], bool)):
                raise TemplateError(f"{SETTINGS_FILE}：{name} 的值类型不对")
            out[name] = raw[name]
    code = raw.get("barcode", {})
    if not isinstance(code, dict):
        raise TemplateError(f"{SETTINGS_FILE}：barcode 应是 {{…}} 对象")
    for key, name in (("module_mm", "module_mm"), ("height_mm", "bar_height_mm")):
        if key in code:
            if not isinstance(code[key], int | float) or isinstance(code[key], bool) or code[key] <= 0:
                raise TemplateError(f"{SETTINGS_FILE}：barcode.{key} 应是正数（毫米）")
            out[name] = float(code[key])
    show = dict(base.show)
    if isinstance(raw.get("show"), dict):
        show.update({str(k): bool(v) for k, v in raw["show"].items()})
    return TemplateSettings(**{**{f: getattr(base, f) for f in TemplateSettings.__slots__}, **out, "show": show})


# ---- the renderer --------------------------------------------------------------------------

class Safe(str):
    """HTML made by this module (barcode and logo tags, line breaks): inserted as is."""


Context = Mapping[str, Any]
_TOKEN = re.compile(r"\{\{\s*([#/]?)\s*([A-Za-z_][\w]*)\s*\}\}")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(slots=True)
class _Section:
    name: str
    opening: str
    body: list[Any]


def _parse(text: str) -> list[Any]:
    """Text and tokens into a tree: str, ("var", name, raw) and _Section. A section never
    closed, or a close without its open, stays as literal text: a shop's typo shows."""
    root: list[Any] = []
    stack: list[tuple[_Section, list[Any]]] = []
    current = root
    pos = 0
    for m in _TOKEN.finditer(text):
        current.append(text[pos:m.start()])
        pos = m.end()
        sign, name = m[1], m[2]
        if sign == "#":
            section = _Section(name, m[0], [])
            current.append(section)
            stack.append((section, current))
            current = section.body
        elif sign == "/" and stack and stack[-1][0].name == name:
            current = stack.pop()[1]
        elif sign == "/":
            current.append(m[0])
        else:
            current.append(("var", name, m[0]))
    current.append(text[pos:])
    while stack:  # unclosed: put the opening tag back as text, keep its body inline
        section, parent = stack.pop()
        index = parent.index(section)
        parent[index:index + 1] = [section.opening, *section.body]
    return root


def _text(value: Any) -> str:
    if isinstance(value, Safe):
        return value
    if value is None or isinstance(value, bool):
        return ""
    return html.escape(str(value)).replace("\n", "<br>")


def _emit(nodes: list[Any], context: Context, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Section):
            if node.name not in context:
                out.append(node.opening)
                _emit(node.body, context, out)
                out.append("{{/" + node.name + "}}")
                continue
            value = context[node.name]
            if isinstance(value, list | tuple):
                for item in value:
                    _emit(node.body, {**context, **item}, out)
            elif value:
                _emit(node.body, context, out)
        else:
            _, name, raw = node
            out.append(_text(context[name]) if name in context else raw)


def render(template: str, context: Context) -> str:
    """Fill in a template. Values are escaped (a buyer's remark with ``<b>`` prints as
    typed); HTML comments are dropped first, so a template documents its placeholders
    at the top without them being filled in or printed."""
    out: list[str] = []
    _emit(_parse(_COMMENT.sub("", template)), context, out)
    return "".join(out)


# ---- documents -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Document:
    """One document, ready for the Qt renderer."""

    kind: Kind
    title: str  # for the print job and the journal: the order number, or "拣货单"
    html: str
    one_page: bool  # a label shrinks to fit its one page; a list runs on to more pages


def barcode_modules(value: str) -> int:
    """How many module widths the Code128 bars of ``value`` take, without quiet zones."""
    return len(barcode.get("code128", value).build()[0])


def barcode_tag(value: str, settings: TemplateSettings) -> Safe:
    """An <img> the Qt renderer replaces with vector bars: its size reserves the room,
    quiet zones and the number under the bars included."""
    if not value:
        return Safe("")
    width = (barcode_modules(value) + 2 * QUIET_MODULES) * settings.module_mm * PX_PER_MM
    height = (settings.bar_height_mm + TEXT_MM) * PX_PER_MM
    return Safe(f'<img src="{BARCODE_SCHEME}{quote(value, safe="")}" width="{width:.1f}" height="{height:.1f}">')


class Templates:
    """A templates folder, read once: settings and the three templates."""

    def __init__(self, folder: Path, defaults: Path | None = None) -> None:
        self.folder = folder
        base = TemplateSettings()
        defaults = defaults if defaults is not None else default_dir()
        if defaults is not None and (defaults / SETTINGS_FILE).is_file() and defaults != folder:
            base = parse_settings(_read_json(defaults / SETTINGS_FILE))
        self.settings = parse_settings(_read_json(folder / SETTINGS_FILE), base)
        self.texts: dict[Kind, str] = {}
        for kind in KINDS:
            path = folder / f"{kind}.html"
            try:
                self.texts[kind] = path.read_text(encoding="utf-8")
            except OSError as e:
                raise TemplateError(f"读不了打印模板 {path}：{e.strerror}") from e
        self._logo = self._logo_tag()

    @classmethod
    def for_shop(cls) -> Templates:
        """The shop's own templates, created from the defaults on first use."""
        return cls(ensure_user_copies())

    def _logo_tag(self) -> Safe:
        s = self.settings
        if not s.logo or not s.shows("logo"):
            return Safe("")
        path = Path(s.logo).expanduser()
        path = path if path.is_absolute() else self.folder / path
        if not path.is_file():
            log.warning("print logo %s not found", path)
            return Safe("")
        return Safe(f'<img src="{html.escape(path.resolve().as_uri())}" height="{s.logo_height_mm * PX_PER_MM:.0f}">')

    def _date(self, value: datetime | None) -> str:
        return value.strftime(self.settings.date_format) if value else ""

    def _common(self, printed_at: datetime) -> dict[str, Any]:
        s = self.settings
        return {"shop_name": s.shop_name if s.shows("shop_name") else "", "logo": self._logo,
                "footer": s.footer if s.shows("footer") else "", "printed_at": self._date(printed_at)}

    def _order_context(self, data: SlipData, printed_at: datetime) -> dict[str, Any]:
        s = self.settings
        phone = mask_phone(data.receiver_phone) if s.mask_phone else data.receiver_phone
        first_tracking = data.tracking_numbers[0] if data.tracking_numbers else ""
        return {
            **self._common(printed_at),
            "order_number": data.order_number,
            "order_barcode": barcode_tag(data.order_number, s) if s.shows("order_barcode") else "",
            "tracking_number": first_tracking,
            "tracking_numbers": "、".join(data.tracking_numbers),
            "tracking_barcode": barcode_tag(first_tracking, s) if s.shows("tracking_barcode") else "",
            "courier": data.courier,
            "created_at": self._date(data.created_at),
            "paid_at": self._date(data.paid_at) if s.shows("paid_at") else "",
            "receiver_name": data.receiver_name,
            "receiver_phone": phone if s.shows("receiver_phone") else "",
            "address": data.address,
            "buyer_remark": data.buyer_remark if s.shows("buyer_remark") else "",
            "goods": [{"name": g.name, "spec": g.spec, "quantity": g.quantity, "index": n}
                      for n, g in enumerate(data.goods, 1)] if s.shows("goods") else [],
            "goods_lines": len(data.goods),
            "total_quantity": data.total_quantity,
        }

    def slip(self, data: SlipData, printed_at: datetime) -> Document:
        context = self._order_context(data, printed_at)
        shown = max(0, self.settings.slip_max_goods)
        context["goods_more"] = max(0, len(context["goods"]) - shown) or ""
        context["goods"] = context["goods"][:shown]
        return Document("slip", data.order_number, render(self.texts["slip"], context), one_page=True)

    def packing(self, data: PackingList, printed_at: datetime) -> Document:
        context = self._order_context(data, printed_at)
        context["admin_remark"] = data.admin_remark if self.settings.shows("admin_remark") else ""
        return Document("packing", data.order_number, render(self.texts["packing"], context), one_page=False)

    def picklist(self, data: PickList, printed_at: datetime) -> Document:
        show_orders = self.settings.shows("orders")
        context = {
            **self._common(printed_at),
            "order_count": len(data.order_numbers),
            "total_quantity": data.total_quantity,
            "missing_count": len(data.missing) or "",
            "lines": [{"index": n, "name": line.name, "spec": line.spec, "sku": line.sku_id or "",
                       "quantity": line.quantity,
                       "orders": "、".join(o.order_number + (f"×{o.quantity}" if o.quantity != 1 else "")
                                          for o in line.orders) if show_orders else ""}
                      for n, line in enumerate(data.lines, 1)],
            "order_numbers": "、".join(data.order_numbers),
        }
        return Document("picklist", "拣货单", render(self.texts["picklist"], context), one_page=False)


def documents_for(conn: sqlite3.Connection, kind: Kind, order_ids: Sequence[int], templates: Templates,
                  printed_at: datetime | None = None) -> list[Document]:
    """The documents of one kind for a selection, read from the cache in one batch: a slip
    or a packing list per order (orders the cache lacks are left out), or one pick list."""
    printed_at = printed_at or datetime.now()
    if kind == "picklist":
        return [templates.picklist(print_data.pick_list(conn, order_ids), printed_at)]
    if kind == "packing":
        return [templates.packing(d, printed_at) for d in print_data.packing_lists(conn, order_ids)]
    return [templates.slip(d, printed_at) for d in print_data.slips(conn, order_ids)]
