"""The province / city / district table (12-digit GB/T 2260 codes) shipped as data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    level: int
    parent: str


class RegionTable:
    def __init__(self, rows: list[Region]) -> None:
        self._by_code = {r.code: r for r in rows}
        self._children: dict[str, list[Region]] = {}
        for r in rows:
            self._children.setdefault(r.parent, []).append(r)

    def get(self, code: str) -> Region | None:
        return self._by_code.get(str(code).strip())

    def name(self, code: str) -> str:
        r = self.get(code)
        return r.name if r else ""

    def provinces(self) -> list[Region]:
        return list(self._children.get("", []))

    def children(self, code: str) -> list[Region]:
        return list(self._children.get(code, []))

    def all(self) -> list[Region]:
        return list(self._by_code.values())

    def districts(self) -> list[Region]:
        return [r for r in self._by_code.values() if r.level == 3]

    def display_city(self, city_code: str) -> str:
        """The name staff expect for a city: municipalities' '市辖区' shows the province."""
        city = self.get(city_code)
        if city is None:
            return ""
        if city.name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            return self.name(city.parent)
        return city.name

    def is_valid_path(self, province: str, city: str, district: str) -> bool:
        d, c = self.get(district), self.get(city)
        return bool(d and c and d.parent == c.code and c.parent == province)

    def __len__(self) -> int:
        return len(self._by_code)


@cache
def regions() -> RegionTable:
    text = resources.files("app.domain").joinpath("data/regions.csv").read_text(encoding="utf-8")
    rows = [
        Region(code=r["code"], name=r["name"], level=int(r["level"]), parent=r["parent"])
        for r in csv.DictReader(text.splitlines())
    ]
    return RegionTable(rows)
