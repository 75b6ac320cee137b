"""The soft type reading of a question: which cues each part carries (the scorer weighs them; nothing branches)."""

from __future__ import annotations

import pytest

from assistant.reading import read_question


@pytest.mark.parametrize(
    ("text", "on", "off"),
    [
        ("地区生产总值增长多少", {"number", "growth"}, {"plain", "status", "target"}),
        ("新增城镇就业多少人", {"number", "count", "plain"}, {"growth", "rate"}),
        ("经济增长达到年初定的目标了吗", {"growth", "target", "yes_no", "status"}, {"listing"}),
        ("完成全年目标的几成", {"progress", "number", "rate"}, {"plain"}),
        ("进出口增速在全省排第几", {"rank", "growth"}, {"plain"}),
        ("比全省高几个百分点", {"difference", "change"}, {"plain"}),
        ("哪几个县市区没有新开工项目", {"listing"}, {"when"}),
        ("凤凰街道中心幼儿园什么时候建成", {"when"}, {"number"}),
        ("总投资多少亿元", {"money", "number"}, {"growth"}),
        ("县域内就诊率实际达到了多少", {"actual", "rate"}, {"target"}),
        ("一共多少个项目", {"total", "count"}, set()),
        ("How many new jobs were created?", {"number", "count"}, {"growth"}),
        ("Did GDP growth meet the target?", {"yes_no", "target", "growth"}, {"listing"}),
        ("How much did GDP grow in Q1?", {"number", "growth"}, {"yes_no"}),  # did after how asks a figure
    ],
)
def test_reading_cues(text: str, on: set[str], off: set[str]) -> None:
    reading = read_question(text.lower())
    names = set(reading.names())
    assert on <= names, f"missing {on - names}"
    assert not off & names, f"unexpected {off & names}"


def test_plain_is_a_figure_with_no_kind_named() -> None:
    assert read_question("新增城镇就业多少人").plain
    assert not read_question("新增城镇就业增长多少").plain
    assert not read_question("项目进展如何").plain
