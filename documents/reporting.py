"""Reporting periods: the months a figure, a notice or a question covers (一季度, 1-11月, 截至4月底, 11月份 …).

A period is a month range within one year. ``point`` marks "as of the end of that month" (截至4月底, a level or a
running total), which agrees with any range ending there; a single month (11月份) is a flow of that month alone
and does not agree with 1-11月. 三季度 is read as July–September but may mean the cumulative 1-9月, as notices
titled 三季度 often do (``loose``).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from documents.numerals import chinese_to_int, normalise


class Period(BaseModel):
    start: int | None = Field(default=1, description="first month, 1-12 (None when only the end is known)")
    end: int = Field(ge=1, le=12, description="last month")
    point: bool = Field(default=False, description="as of the end of `end`: agrees with any range ending there")
    loose: bool = Field(
        default=False, description="a single quarter or month that may mean the cumulative year to date"
    )

    @property
    def label(self) -> str:
        """As a notice writes it: 一季度, 上半年, 前三季度, 全年, 二季度, 1-4月, 11月, 截至4月底."""
        if self.point:
            return f"截至{self.end}月底"
        return _LABELS.get((self.start, self.end)) or (
            f"{self.end}月" if self.start == self.end else f"{self.start or 1}-{self.end}月"
        )

    @property
    def label_en(self) -> str:
        if self.point:
            return f"by the end of {MONTHS_EN[self.end - 1]}"
        named = _LABELS_EN.get((self.start, self.end))
        if named:
            return named
        if self.start == self.end:
            return MONTHS_EN[self.end - 1]
        return f"{MONTHS_EN[(self.start or 1) - 1][:3]}–{MONTHS_EN[self.end - 1][:3]}"


_LABELS = {(1, 3): "一季度", (1, 6): "上半年", (1, 9): "前三季度", (1, 12): "全年", (4, 6): "二季度",
           (7, 9): "三季度", (10, 12): "四季度", (7, 12): "下半年"}  # fmt: skip
_LABELS_EN = {(1, 3): "Q1", (1, 6): "H1", (1, 9): "Q1–Q3", (1, 12): "the full year", (4, 6): "Q2",
              (7, 9): "Q3", (10, 12): "Q4", (7, 12): "H2"}  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
_MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "两": 2}


def _m(token: str) -> int:
    return int(token) if token.isdigit() else chinese_to_int(token) or 0


def _quarter(n: int, written: str) -> Period:
    if n == 1:
        return Period(start=1, end=3)
    return Period(start=3 * n - 2, end=3 * n, loose=not written.startswith("第"))


# Each cue: a pattern and how to read it. Order matters: longer forms first; matches never overlap.
_CUES: list[tuple[re.Pattern[str], object]] = [
    (
        re.compile(rf"(?:截至|截止|到)(?:今年)?{_MONTH}月(?:份)?(?:底|末|末尾)?(?![0-9日号])"),
        lambda m: Period(end=_m(m[1]), point=True),
    ),
    (
        re.compile(r"(?:截至|截止|到)(?:今年)?(?:第?([一二三四1-4])季度末|([上下])半年末?)"),
        lambda m: Period(end=3 * _Q[m[1]] if m[1] else (6 if m[2] == "上" else 12), point=True),
    ),
    (re.compile(rf"{_MONTH}\s?[-~—–至到]\s?{_MONTH}月(?:份)?"), lambda m: Period(start=_m(m[1]), end=_m(m[2]))),
    (re.compile(r"前([1-9]|1[01]|[一二三四五六七八九十]|十一)个月"), lambda m: Period(start=1, end=_m(m[1]))),
    (re.compile(r"前([二三两])(?:个)?季度"), lambda m: Period(start=1, end=3 * _Q[m[1]])),
    (re.compile(r"头([1-9]|1[01]|[一二三四五六七八九十两]|十一)个月"), lambda m: Period(start=1, end=_m(m[1]) or 2)),
    (re.compile(r"(第?)([一二三四1-4])季度(?:末)?"), lambda m: _quarter(_Q[m[2]], m[1] + m[2])),
    (re.compile(r"上半年"), lambda m: Period(start=1, end=6)),
    (re.compile(r"下半年"), lambda m: Period(start=7, end=12)),
    (re.compile(rf"{_MONTH}月(?:底|末)"), lambda m: Period(end=_m(m[1]), point=True)),
    (
        re.compile(rf"(?<![0-9年])(?<!月){_MONTH}月(?:份)?(?![0-9]|[日号]|[-~—–至到]|底|末|初|上旬|中旬|下旬)"),
        lambda m: Period(start=_m(m[1]), end=_m(m[1]), loose=_m(m[1]) > 1),  # 4月,已完成…: often the year to date
    ),
    (re.compile(r"全年(?![^,，?？;；。]{0,10}(?:目标|任务|计划|预期))|全年度"), lambda m: Period(start=1, end=12)),
    # English
    (re.compile(r"\b(?:q1|first quarter)\b", re.I), lambda m: Period(start=1, end=3)),
    (re.compile(r"\b(?:h1|first half|half[- ]year|mid-year|mid-(?=\d{4}))", re.I), lambda m: Period(start=1, end=6)),
    (re.compile(r"\b(?:q1\s?[-–]\s?q3|first three quarters)\b", re.I), lambda m: Period(start=1, end=9)),
    (re.compile(r"\b(?:q2|second quarter)\b", re.I), lambda m: Period(start=4, end=6)),
    (
        re.compile(r"\b(?:by|at|until|through) (?:the )?end of (?:q3|the third quarter)\b", re.I),
        lambda m: Period(end=9, point=True),
    ),
    (re.compile(r"\b(?:q3|third quarter)\b", re.I), lambda m: Period(start=7, end=9, loose=True)),
    (
        re.compile(r"\b(?:full[- ]year|whole year)\b(?! (?:targets?|goals?|plans?|tasks?))", re.I),
        lambda m: Period(start=1, end=12),
    ),
    (re.compile(r"\bfirst (\w+) months\b", re.I), lambda m: _english_count(m[1])),
    (re.compile(r"\b(?:by|at|until|through) (?:the )?end of (\w+)", re.I), lambda m: _english_month(m[1], point=True)),
    (re.compile(r"\bby (\w+)(?= \d{4}| alone|\b)", re.I), lambda m: _english_month(m[1], point=True)),
    (re.compile(r"\bin (\w+) (?:\d{4} )?alone\b", re.I), lambda m: _english_month(m[1], point=False)),
    (re.compile(r"\b(\w{3})\w*\s?[-–]\s?(\w{3})\w*\b", re.I), lambda m: _english_range(m[1], m[2])),
]
_COUNT_EN = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
             "eleven": 11}  # fmt: skip


def _english_month(word: str, point: bool) -> Period | None:
    month = next((i + 1 for i, name in enumerate(MONTHS_EN) if name.lower().startswith(word.lower()[:3])), None)
    if month is None or len(word) < 3:
        return None
    return Period(end=month, point=True) if point else Period(start=month, end=month)


def _english_range(first: str, last: str) -> Period | None:
    a, b = _english_month(first, False), _english_month(last, False)
    if a is None or b is None or a.end >= b.end:
        return None
    return Period(start=a.end, end=b.end)


def _english_count(word: str) -> Period | None:
    n = _COUNT_EN.get(word.lower()) or (int(word) if word.isdigit() else None)
    return Period(start=1, end=n) if n and 1 <= n <= 12 else None


# A period right after these words is what a figure is compared with (较1-10月回落), not what it covers.
_BASE_BEFORE = re.compile(r"(?:较|比|与|同比|环比|相比|比上年|比去年|低于|高于)$")


def period_mentions(text: str, bases: bool = False) -> list[tuple[int, int, Period]]:
    """(start, end, period) of each period a text names, in order; comparison bases (较1-10月) left out unless
    asked for (a question comparing 上半年比一季度 names both)."""
    plain = normalise(text)
    taken = bytearray(len(plain))
    found: list[tuple[int, int, Period]] = []
    for pattern, read in _CUES:
        for m in pattern.finditer(plain):
            if any(taken[m.start() : m.end()]):
                continue
            period = read(m)  # type: ignore[operator]
            if period is None or (period.start is not None and not 1 <= period.start <= period.end):
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            if not bases and _BASE_BEFORE.search(plain[max(0, m.start() - 3) : m.start()]):
                continue
            found.append((m.start(), m.end(), period))
    return sorted(found, key=lambda f: f[0])


def read_period(text: str) -> Period | None:
    """The first period a text names, or None."""
    found = period_mentions(text)
    return found[0][2] if found else None


def agrees(asked: Period, have: Period) -> bool:
    """Whether a figure covering `have` answers a question about `asked`."""
    if _same(asked, have):
        return True
    if asked.loose and _same(asked.model_copy(update={"start": 1, "loose": False}), have):
        return True
    return have.loose and _same(asked, have.model_copy(update={"start": 1, "loose": False}))


def _same(a: Period, b: Period) -> bool:
    if a.end != b.end:
        return False
    if a.point or b.point or a.start is None or b.start is None:
        return not ((a.point and b.start == b.end and b.end > 1) or (b.point and a.start == a.end and a.end > 1))
    return a.start == b.start


_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?:年|(?![0-9]))")


def year_mentions(text: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of each year a text names (2021年, or a bare 2019 in a question)."""
    return [(m.start(), m.end(), int(m.group(1))) for m in _YEAR.finditer(normalise(text))]
