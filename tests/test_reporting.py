"""Reporting periods and places, read from text: table-driven, pure."""

from __future__ import annotations

import pytest

from documents.places import Level, english_places, is_pinyin, pinyin_matches, place_names, scope_levels
from documents.reporting import agrees, period_mentions, read_period, year_mentions


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("一季度,全市新建5G基站236座", ["一季度"]),
        ("第一季度完成情况", ["一季度"]),
        ("1至11月份,省重点工程完成投资797.8亿元", ["1-11月"]),
        ("截至4月底,各级预算下达1107.98亿元", ["截至4月底"]),
        ("11月份,全省重点工程完成投资238.7亿元", ["11月"]),
        ("前三季度我市民生实事加快推进", ["前三季度"]),
        ("截至三季度末", ["截至9月底"]),
        ("2015年前4个月民生资金", ["1-4月"]),
        ("咱们市头三个月GDP涨了多少", ["一季度"]),
        ("较1-10月回落0.3个百分点", []),  # a comparison base, not the period of the figure
        ("全年计划竣工项目42项", []),  # 全年 of a plan is not a period reported on
        ("提前完成7、8月份节点任务", ["8月"]),
        ("In November 2018 alone", ["11月"]),
        ("by the end of April 2015", ["截至4月底"]),
        ("By mid-2021, how far", ["上半年"]),
        ("what share of the full-year target", []),
    ],
)
def test_period_mentions(text: str, labels: list[str]) -> None:
    assert [p.label for _, _, p in period_mentions(text)] == labels


def test_a_question_comparing_periods_names_both() -> None:
    assert [p.label for _, _, p in period_mentions("上半年比一季度多引进了多少个", bases=True)] == ["上半年", "一季度"]


@pytest.mark.parametrize(
    ("asked", "have", "ok"),
    [
        ("1-4月", "截至4月底", True),  # a running total as of the end of April answers 1-4月
        ("1-4月", "4月", True),  # 4月,已完成…: a bare month in a report is often the year to date (loose)
        ("1-4月", "二季度", False),
        ("1-10月", "1-11月", False),
        ("三季度", "前三季度", True),  # 三季度 in a title usually means the year to date
        ("一季度", "1-3月", True),
        ("上半年", "全年", False),
    ],
)
def test_period_agreement(asked: str, have: str, ok: bool) -> None:
    assert agrees(read_period(asked), read_period(have)) is ok


def test_years_in_text_and_questions() -> None:
    assert [y for _, _, y in year_mentions("丹东2016三季度 2015年")] == [2016, 2015]


@pytest.mark.parametrize(
    ("name", "key", "ok"),
    [("宁都县", "ningdu", True), ("郏县", "jia", True), ("郏县", "jiaxian", True), ("岳阳楼区", "yueyanglou", True),
     ("連雲港", "lianyungang", True), ("荔城区", "chengxiang", False), ("城乡", "chengxiang", True)],
)  # fmt: skip
def test_pinyin_matching_tries_every_reading(name: str, key: str, ok: bool) -> None:
    assert pinyin_matches(name, key) is ok


def test_place_names_leave_out_generic_words() -> None:
    assert place_names("开平市列入江门市重点项目") == ["开平市", "江门市"]
    assert place_names("全市新建5G基站,老旧小区改造,鄂东南地区") == []
    assert place_names("来自省政府督查室的报告") == []


def test_scope_words_and_english_places() -> None:
    assert scope_levels("全县规模以上工业增加值(全市11.1%)") == [Level.COUNTY, Level.CITY]
    assert english_places("What was the tax revenue of Jia County in Q1 2025") == [("jia", Level.COUNTY)]
    assert english_places("Across Hubei province as a whole") == [("hubei", Level.PROVINCE)]
    assert is_pinyin("Yueyanglou") and not is_pinyin("Across")


@pytest.mark.parametrize(
    ("question", "keys"),
    [
        # names that are not pinyin reach their place through the exonym table; level words are not places
        ("How many key projects did Xilingol League plan?", [("xilinguolei", Level.CITY)]),
        ("How much did Inner Mongolia invest in Q1?", [("neimenggu", None)]),
        ("Harbin's key projects by September", [("haerbin", None)]),
        ("What share had Xi'an reached by July?", [("xian", None)]),
        ("How many projects in the league?", []),
    ],
)
def test_english_places_beyond_pinyin(question: str, keys: list) -> None:
    assert english_places(question) == keys
