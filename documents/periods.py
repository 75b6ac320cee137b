"""Dates and reporting periods in notice text, with a normalised label, so they are never read as figures.

Labels (ISO 8601 where there is one):

=========================  ==========================  ====================================================
written                    label                       notes
=========================  ==========================  ====================================================
2021年1月1日 / 2021年06月04日  ``2021-01-01``
3月31日                    ``--03-31``                 month-day without a year
截至3月31日                ``until:--03-31``           截至 / 截止 / 截止到 kept in the span
2021年6月 / 2021年6月份    ``2021-06``
3月 / 6月份                ``--06``                    Arabic months 1-12; Chinese months need 份/底/初…
15日                       ``---15``                   days 1-31 with no month (not 3日内: a duration)
2021年 / 2020年度          ``2021`` / ``2020``         4-digit years 1900-2099 (二〇二一年 too)
1至3月 / 1-5月 / 1—4月份    ``--01/--03``               month ranges; with a year ``2021-01/2021-05``
3月1日至3月31日            ``--03-01/--03-31``
一季度 / 第一季度 / 1季度   ``Q1``                      with a year: ``2021-Q1``
前三季度                   ``Q1-Q3``
上半年 / 下半年 / 全年      ``H1`` / ``H2`` / ``FY``    with a year: ``2021-H1``
今年 明年 去年/上年 …       ``this-year`` …             see ``_RELATIVE``
今年以来                   ``since:this-year``         suffixes: 以来 since, 起 from, 前 before, 后 after,
                                                       底/末 end, 初 start, 上/中/下旬 early/mid/late
春节期间                   ``during:春节``             a fixed list of festivals and seasons
“十四五”                   ``14th-FYP``                five-year-plan periods (the digits, not the quotes)
截至目前                   ``until:now``
=========================  ==========================  ====================================================

Year spans (2021-2023年, 2020-2022, 2021—2022年) are figures of kind ``year_span`` and are returned by
``find_year_spans``, not by ``find_periods``.  Nothing inside a document name 《…》 is a period of the
text around it, so ``find_periods`` skips those.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from documents.numerals import chinese_to_int, normalise

_NB = r"(?<![0-9.])(?<![0-9],)"  # not inside a longer number (a comma may end a clause)
_Y = r"([0-9]{4}|[〇零一二三四五六七八九]{4})年"
_M = r"([0-9]{1,2}|十[一二]?|[一二三四五六七八九])"
_D = r"([0-9]{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_AM = r"([0-9]{1,2})"  # Arabic-only month / day
_SEP = r"\s?[-~—–至到]\s?"

_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "两": 2, "1": 1, "2": 2, "3": 3, "4": 4}
_RELATIVE = {
    "上年同期": "same-period-last-year",
    "去年同期": "same-period-last-year",
    "本年度": "this-year",
    "今年": "this-year",
    "本年": "this-year",
    "当年": "this-year",
    "明年": "next-year",
    "次年": "next-year",
    "去年": "last-year",
    "上年": "last-year",
    "前年": "year-before-last",
    "年初": "year-start",
    "年底": "year-end",
    "年末": "year-end",
    "本月": "this-month",
    "当月": "this-month",
    "上月": "last-month",
    "下月": "next-month",
    "月底": "month-end",
    "月末": "month-end",
    "本季度": "this-quarter",
    "上季度": "last-quarter",
}
_FESTIVALS = (
    "春节|春运|元旦|国庆|五一|十一|中秋|端午|清明|节假日|节日|两会|汛期|疫情|暑期|寒假|暑假|"
    "“十四五”|十四五|“十三五”|十三五"
)
_PLANS = {"十三五": "13th-FYP", "十四五": "14th-FYP", "十五五": "15th-FYP"}
_PREFIX = re.compile(r"(截至到|截止到|截至|截止)\s?$")
_SUFFIX = re.compile(
    r"以来|起(?![草步来点诉始])|以前|之前|前(?![三两二]季度|期)|以后|之后|后(?![期续])|"
    r"底(?![数线])|末|初|上旬|中旬|下旬"
)
_SUFFIX_LABEL = {
    "以来": "since", "起": "from", "以前": "before", "之前": "before", "前": "before", "以后": "after",
    "之后": "after", "后": "after", "底": "end", "末": "end", "初": "start", "上旬": "early",
    "中旬": "mid", "下旬": "late",
}  # fmt: skip

_YEAR_SPAN = re.compile(_NB + r"((?:19|20)[0-9]{2})(?:年)?" + _SEP + r"((?:19|20)[0-9]{2})(年度|年)?(?![0-9])")


def _num(token: str) -> int | None:
    """An Arabic or Chinese month, day or quarter number."""
    return int(token) if token.isascii() else chinese_to_int(token)


def _year(token: str | None) -> int | None:
    """A written year (2021 / 二〇二一) if it lies in 1900-2099."""
    if token is None:
        return None
    value = _num(token)
    return value if value is not None and 1900 <= value <= 2099 else None


def _md(month: str | None, day: str | None = None) -> tuple[int, int | None] | None:
    """A valid month (1-12) and optional day (1-31)."""
    m = _num(month) if month else None
    d = _num(day) if day else None
    if m is None or not 1 <= m <= 12 or (day is not None and (d is None or not 1 <= d <= 31)):
        return None
    return m, d


def _date_label(year: str | None, month: str | None, day: str | None = None) -> str | None:
    """'2021-03-31', '--03-31', '2021-03' or '--03' (None for an impossible date)."""
    md = _md(month, day)
    if md is None:
        return None
    y = _year(year)
    if year is not None and y is None:
        return None
    head = f"{y:04d}" if y is not None else "-"
    label = f"{head}-{md[0]:02d}"
    return label if md[1] is None else f"{label}-{md[1]:02d}"


def _full_date(m: re.Match[str]) -> str | None:
    return _date_label(m.group(1), m.group(2), m.group(3))


def _day_range(m: re.Match[str]) -> str | None:
    first = _date_label(m.group(1), m.group(2), m.group(3))
    second = _date_label(m.group(4) or m.group(1), m.group(5) or m.group(2), m.group(6))
    return f"{first}/{second}" if first and second else None


def _month_range(m: re.Match[str]) -> str | None:
    first, second = _date_label(m.group(1), m.group(2)), _date_label(m.group(1), m.group(3))
    if not first or not second or _num(m.group(2)) >= _num(m.group(3)):  # type: ignore[operator]
        return None
    return f"{first}/{second}"


def _year_month(m: re.Match[str]) -> str | None:
    return _date_label(m.group(1), m.group(2))


def _quarter(m: re.Match[str]) -> str | None:
    year = _year(m.group(1))
    if m.group(1) is not None and year is None:
        return None
    if m.group(2):
        part = f"Q{_QUARTERS[m.group(2)]}"
    elif m.group(3):
        part = f"Q1-Q{_QUARTERS[m.group(3)]}"
    elif m.group(4):
        part = "H1" if m.group(4) == "上" else "H2"
    else:
        part = "FY"
    if year is None:
        return part
    return f"{year}" if part == "FY" else f"{year}-{part}"


def _year_only(m: re.Match[str]) -> str | None:
    year = _year(m.group(1))
    return None if year is None else f"{year}"


def _month(m: re.Match[str]) -> str | None:
    return _date_label(None, m.group(1))


def _day(m: re.Match[str]) -> str | None:
    d = int(m.group(1))
    return f"---{d:02d}" if 1 <= d <= 31 else None


_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]] = [
    (re.compile(_NB + f"(?:{_Y})?{_M}月{_D}[日号]"), _full_date),
    (re.compile(_NB + f"(?:{_Y})?{_AM}月{_AM}[日号]?{_SEP}(?:{_Y})?(?:{_AM}月)?{_AM}[日号]"), _day_range),
    (re.compile(_NB + f"(?:{_Y})?{_M}月?{_SEP}{_M}月份?"), _month_range),
    (re.compile(_NB + rf"{_AM}(?:、{_AM})+月份?"), lambda m: "--" + m.group().rstrip("月份").replace("、", ",--")),
    (re.compile(_NB + f"{_Y}{_M}月份?"), _year_month),
    (re.compile(_NB + f"(?:{_Y})?(?:第?([一二三四1-4])季度|前([二三两])季度|([上下])半年|(全)年)"), _quarter),
    (re.compile(_NB + f"{_Y}度?"), _year_only),
    (re.compile(_NB + _AM + "月份?"), _month),
    (re.compile(_M + r"月(?:份|(?=底|末|初|[上中下]旬))"), _month),
    (re.compile(_NB + r"([0-9]{1,2})日(?!内|以内|之内)"), _day),
    (re.compile("|".join(sorted(_RELATIVE, key=len, reverse=True))), lambda m: _RELATIVE[m.group()]),
    (re.compile(f"({_FESTIVALS})期间"), lambda m: "during:" + m.group(1).strip("“”")),
    (re.compile("|".join(_PLANS)), lambda m: _PLANS[m.group()]),
    (re.compile(r"(?:截至|截止)(?:到)?目前"), lambda m: "until:now"),
]


def document_name_spans(norm: str) -> list[tuple[int, int]]:
    """Spans of document names 《…》 (nesting allowed, one line at most) in normalised text."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(norm)
    while i < n:
        start = norm.find("《", i)
        if start < 0:
            break
        depth, j = 0, start
        while j < n and norm[j] != "\n":
            if norm[j] == "《":
                depth += 1
            elif norm[j] == "》":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j < n and norm[j] == "》" and depth == 0:
            spans.append((start, j + 1))
            i = j + 1
        else:
            i = start + 1
    return spans


def find_year_spans(norm: str) -> list[tuple[int, int, int, int]]:
    """Year ranges (2021-2023年, 2020-2022, 2021—2022年) in normalised text: (start, end, first, last)."""
    out = []
    for m in _YEAR_SPAN.finditer(norm):
        first, last = int(m.group(1)), int(m.group(2))
        if first < last <= first + 100:
            out.append((m.start(), m.end(), first, last))
    return out


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def periods_in(norm: str) -> list[tuple[int, int, str]]:
    """``find_periods`` on text already passed through ``numerals.normalise``."""
    excluded = document_name_spans(norm) + [(s, e) for s, e, _, _ in find_year_spans(norm)]
    candidates: list[tuple[int, int, str]] = []
    for pattern, label_of in _PATTERNS:
        for m in pattern.finditer(norm):
            label = label_of(m)
            if label is not None:
                candidates.append((m.start(), m.end(), label))
    candidates.sort(key=lambda c: (c[0], -c[1]))
    chosen: list[tuple[int, int, str]] = []
    last_end = 0
    for start, end, label in candidates:
        if start < last_end or _overlaps(start, end, excluded):
            continue
        suffix = _SUFFIX.match(norm, end)
        if suffix and not _overlaps(start, suffix.end(), excluded):
            label = f"{_SUFFIX_LABEL[suffix.group()]}:{label}"
            end = suffix.end()
        prefix = _PREFIX.search(norm, max(last_end, start - 4), start)
        if prefix and not label.startswith("until:"):
            label = f"until:{label}"
            start = prefix.start()
        chosen.append((start, end, label))
        last_end = end
    return chosen


def find_periods(text: str) -> list[tuple[int, int, str]]:
    """Spans of dates and periods (2021年1月1日, 截至3月31日, 一季度, 1至3月, 今年以来 …) with a normalised label.

    Spans index ``text`` itself (full-width forms are read as ASCII without moving offsets).  These
    spans are never figures: ``extract_quantities`` skips them.  See the module docstring for labels.
    """
    return periods_in(normalise(text))
