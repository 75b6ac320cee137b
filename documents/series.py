"""Which year and period a notice covers, read from its title (一季度, 上半年, 前三季度, 全年)."""

from __future__ import annotations

import re

from documents.models import Notice

_PERIOD_CUES = (
    ("一季度", re.compile(r"第?一季度|1[至-]3月")),
    ("上半年", re.compile(r"上半年|1[至-]6月")),
    ("前三季度", re.compile(r"前三季度|1[至-]9月")),
    ("全年", re.compile(r"全年|年度(?:完成|工作)情况")),
)
PERIOD_EN = {"一季度": "Q1", "上半年": "H1", "前三季度": "Q1–Q3", "全年": "the full year"}


def notice_period(notice: Notice) -> tuple[int | None, str | None]:
    """(year, period label) of a notice from its title, falling back to its first lines."""
    for text in (notice.title, notice.text[:400]):
        period = next((label for label, cue in _PERIOD_CUES if cue.search(text)), None)
        year = re.search(r"(20\d{2})年", text)
        if period or year:
            return (int(year.group(1)) if year else None), period
    return None, None


def period_label(notice: Notice, english: bool = False) -> str:
    """'2021年一季度' or '2021 Q1' for showing which notice an answer came from."""
    year, period = notice_period(notice)
    if english:  # "Q1 2021": a year after the period reads as a date, never as a figure
        return " ".join(x for x in (PERIOD_EN.get(period or "", ""), str(year) if year else "") if x) or notice.doc_id
    return f"{year or ''}{'年' if year else ''}{period or ''}" or notice.doc_id


_ORDER = {"一季度": 1, "上半年": 2, "前三季度": 3, "全年": 4}


def chronology(notice: Notice) -> tuple[int, int, str]:
    """Sort key: year, then period within the year (一季度 < 上半年 < 前三季度 < 全年)."""
    year, period = notice_period(notice)
    return (year or 0, _ORDER.get(period or "", 5), notice.doc_id)
