"""The faithfulness check on hand-built answers: a figure is allowed only from a cited paragraph, a derived value
or the question's own words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.faithfulness import unsupported_figures
from assistant.models import Answer, Citation, Derived

CITED = Citation(doc_id="n", paragraph_id="p001", breadcrumb="", text="新增城镇就业5193人,年度目标10000人。", start=0,
                 end=20)  # fmt: skip


@pytest.mark.parametrize(
    ("question", "text", "derived", "unsupported"),
    [
        ("新增城镇就业多少人?", "新增城镇就业5193人[1]。", [], []),
        ("新增城镇就业多少人?", "新增城镇就业5200人[1]。", [], ["5200"]),
        ("完成率?", "完成5193 / 10000 = 51.9%[1]。", [Derived(name="p", value=Decimal("51.93"), formula="")], []),
        # a part said to be missing echoes the question's words, figures included
        ("三类工程各完成投资多少、新增就业多少?", "新增城镇就业5193人[1]。通报没有给出三类工程的数字。", [], []),
        ("新增就业多少?", "新增城镇就业5193人[1]。通报没有给出三类工程的数字。", [], ["三"]),
    ],
)
def test_only_cited_derived_or_asked_figures(question: str, text: str, derived: list, unsupported: list) -> None:
    answer = Answer(question=question, answer=text, citations=[CITED], derived=derived, confidence=0.9)
    assert unsupported_figures(answer) == unsupported
