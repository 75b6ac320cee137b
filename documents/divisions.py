"""China's administrative divisions as data: which place a name is, its level, and what contains it.

A notice seldom names its own place, but it names the places inside it (宜都、夷陵、猇亭 of 宜昌) or above it
(辽宁 for 朝阳市); a question names a place that is a notice's own, one inside it (赤壁市 in a 咸宁 notice), one
above it (北京市西城区), or another place. The division codes (documents/data/divisions.csv) tell which.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from documents.places import Level

DIVISIONS_FILE = Path(__file__).resolve().parent / "data" / "divisions.csv"
# Longest first: 壮族自治区 before 自治区, 自治州 before 州. What is left is the stem a notice writes (宜昌, 锡林郭勒).
_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区",
    "新区", "矿区", "特区", "省", "市", "盟", "州", "县", "区", "旗",
)  # fmt: skip
# The 56 ethnic groups (cpca's 56_nations.csv), whose names stand between a stem and 自治区/州/县/旗.
_NATIONS = (Path(__file__).resolve().parent / "data" / "nations.txt").read_text(encoding="utf-8").split()
_ETHNIC = re.compile("(?:" + "|".join(sorted(_NATIONS, key=len, reverse=True)) + ")+(?=自治)")


class Division(BaseModel, frozen=True):
    code: str
    name: str

    @property
    def level(self) -> Level:
        if self.code[2:] == "0" * 10:
            return Level.PROVINCE
        if self.code[4:] == "0" * 8:
            return Level.CITY
        return Level.DISTRICT if self.name.endswith("区") else Level.COUNTY

    @property
    def stem(self) -> str:
        return division_stem(self.name)

    def within(self, other: Division) -> bool:
        """Whether this division lies inside `other` (strictly)."""
        if self.code == other.code:
            return False
        if other.level == Level.PROVINCE:
            return self.code[:2] == other.code[:2]
        if other.level == Level.CITY:
            return self.code[:4] == other.code[:4]
        return False

    @property
    def province(self) -> str:
        return self.code[:2]


def division_stem(name: str) -> str:
    """The name without its level word (宜昌市 → 宜昌, 恩施土家族苗族自治州 → 恩施, 广西壮族自治区 → 广西)."""
    plain = _ETHNIC.sub("", name)
    for suffix in _SUFFIXES:
        if plain.endswith(suffix) and len(plain) - len(suffix) >= 2:
            return plain[: -len(suffix)]
        if plain.endswith(suffix) and len(plain) - len(suffix) == 1 and suffix in ("县", "区", "市", "省"):
            return plain  # 郏县, 沙市区: a one-character stem is written with its level
    return plain


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, list[Division]], dict[str, list[Division]], dict[str, Division]]:
    by_name: dict[str, list[Division]] = {}
    by_stem: dict[str, list[Division]] = {}
    by_code: dict[str, Division] = {}
    with DIVISIONS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            d = Division(code=row["code"], name=row["name"])
            by_code[d.code] = d
            by_name.setdefault(d.name, []).append(d)
            by_stem.setdefault(d.stem, []).append(d)
    return by_name, by_stem, by_code


def divisions_named(name: str) -> list[Division]:
    """The divisions a name may be: by its full name (朝阳市), else by its stem (朝阳 → 朝阳市, 朝阳区 …)."""
    by_name, by_stem, _ = _table()
    if name in by_name:
        return by_name[name]
    return by_stem.get(division_stem(name), []) if len(division_stem(name)) >= 2 else []


def division_by_code(code: str) -> Division | None:
    return _table()[2].get(code)


def parent_of(division: Division) -> Division | None:
    """The division directly above (a county-level city under a province has the province)."""
    _, _, by_code = _table()
    if division.level == Level.PROVINCE:
        return None
    if division.level == Level.CITY:
        return by_code.get(division.code[:2] + "0" * 10)
    return by_code.get(division.code[:4] + "0" * 8) or by_code.get(division.code[:2] + "0" * 10)


_STEM_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _spelled() -> dict[str, list[Division]]:
    from documents.places import pinyin_of

    _, by_stem, _ = _table()
    out: dict[str, list[Division]] = {}
    for stem, divisions in by_stem.items():
        out.setdefault(pinyin_of(stem), []).extend(divisions)
    return out


def divisions_spelled(key: str) -> list[Division]:
    """The divisions whose stem a pinyin word spells (liaoning → 辽宁省, chaoyang → 朝阳市, 朝阳区 …)."""
    return _spelled().get(key.lower().replace(" ", "").replace("-", ""), [])
