"""The product end to end on the real notice, the real model and the real index."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.batch import safe_ask
from assistant.faithfulness import unsupported_figures
from assistant.grading import load_items, mentioned_figures
from assistant.models import Answer, ErrorReply
from documents.errors import QuestionError
from tests.conftest import DEV_SET

pytestmark = pytest.mark.model


def _numbers(answer: Answer) -> set[str]:
    return {m.text for m in mentioned_figures(answer.answer, english=answer.language == "en")}


def test_every_dev_answer_states_only_cited_figures(assistant) -> None:
    for item in load_items(DEV_SET):
        answer = assistant.ask(item.question)
        assert unsupported_figures(answer) == [], (item.id, answer.answer)
        assert answer.refused or answer.citations  # an answer cites; a refusal may cite what the notices have


def test_target_progress_with_formula_and_citation(assistant) -> None:
    answer = assistant.ask("5G基站建设进度")
    assert {"236", "1000", "23.6%"} <= _numbers(answer)
    assert answer.derived[0].formula == "236 / 1000 = 23.6%" and answer.derived[0].value == Decimal("23.6")
    assert [c.paragraph_id for c in answer.citations] == ["p013"]
    assert {(f.text, f.role) for f in answer.figures} >= {("236座", "actual"), ("1000座", "target")}


def test_ceiling_indicator_status(assistant) -> None:
    answer = assistant.ask("失业率控制得怎么样")
    assert "3.52%" in answer.answer and "4.5%" in answer.answer and "以内" in answer.answer
    assert answer.citations[0].paragraph_id == "p009"


def test_follow_ups_use_the_conversation(assistant) -> None:
    first = assistant.ask("5G基站建了多少?")
    assert "236" in _numbers(first)
    second = assistant.ask("目标呢?", [first])
    assert "1000" in _numbers(second) and second.citations[0].paragraph_id == "p013"
    third = assistant.ask("完成了百分之几?", [first, second])
    assert any(d.value == Decimal("23.6") for d in third.derived)


def test_english_question_gets_english_answer_with_same_figures(assistant) -> None:
    answer = assistant.ask("How many 5G base stations were built in Q1?")
    assert answer.language == "en" and not answer.refused
    # one figure asked: that figure, not its target (1000) or progress (23.6%), which were not asked
    assert "236" in _numbers(answer) and not {"1000", "23.6%"} & _numbers(answer)
    assert "According to the notice, Xianning, Q1 2021" in answer.answer
    employment = assistant.ask("How many new urban jobs were created in the first quarter?")
    assert "5193" in _numbers(employment) and not employment.refused


@pytest.mark.parametrize(
    ("question", "figure", "paragraph"),
    [
        ("ODR企業建成了幾個", "20", "p025"),  # traditional characters
        ("火炬年报线上陪训了多少家入统企业", "465", "p038"),  # typo 陪训 for 培训
        ("外贸增长多少", "187.9%", "p009"),  # other words: 外贸 for 进出口
        ("新造林完成了多少", "5.19万", "p078"),
    ],
)
def test_phrasings_find_their_figure(assistant, question: str, figure: str, paragraph: str) -> None:
    answer = assistant.ask(question)
    assert figure in _numbers(answer) and answer.citations[0].paragraph_id == paragraph


@pytest.mark.parametrize(
    "question",
    [
        "黄石市一季度进出口增速是多少?",  # another city
        "咸宁2020年全年GDP增长了多少?",  # another period
        "What was Xianning's retail sales growth in the third quarter of 2021?",
        "一季度全市粮食产量多少吨?",  # a figure the notice never gives
        "一季度社会消费品零售总额是多少亿元?",  # only its growth rate is given
    ],
)
def test_questions_the_notices_do_not_cover_are_refused(assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused and not answer.figures
    assert not [m for m in mentioned_figures(answer.answer) if not m.is_date]


@pytest.mark.parametrize("question", ["", "   \n\t", "\x00\x01\x02", "？？！！", "a" * 100_000])
def test_unusable_questions_get_a_message_not_a_traceback(assistant, question: str) -> None:
    with pytest.raises(QuestionError):
        assistant.ask(question)
    reply = safe_ask(assistant, question)
    assert isinstance(reply, ErrorReply) and reply.error


FRAGMENTS = [
    "5G基站",
    "失业率",
    "高新技术企业",
    "老旧小区",
    "新造林",
    "科技成果登记",
    "出口",
    "民生支出",
    "疫苗接种",
    "垃圾分类",
    "充电站",
    "赤壁长江公路大桥",
    "城镇就业",
    "亿元以上项目",
    "债券",
    "信访",
    "黄石",
    "粮食",
]
FRAMES = ["{}是多少", "{}完成了多少", "{}的目标呢", "{}进展怎么样", "一季度{}增长多少", "上半年{}多少", "{}完成率"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FRAGMENTS), st.sampled_from(FRAMES), st.sampled_from(["", "?", "呢", "  ", "吗"]))
def test_fuzzed_questions_never_state_an_uncited_figure(assistant, fragment: str, frame: str, tail: str) -> None:
    answer = assistant.ask(frame.format(fragment) + tail)
    assert unsupported_figures(answer) == []
    if not answer.refused:
        assert answer.citations and all(c.text for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "figures"),
    [
        ("一季度集中开工了多少项目,总投资多大", {"132", "441.7亿"}),  # second part answered beside the first
        ("证照分离改革取消审批、改为备案各多少项", {"19", "10"}),  # a list of figures in one sentence
        ("疫苗累计接种剂次", {"265930"}),  # keywords only
    ],
)
def test_compound_and_keyword_questions(assistant, question: str, figures: set[str]) -> None:
    answer = assistant.ask(question)
    assert figures <= _numbers(answer), answer.answer


@pytest.mark.xfail(
    strict=True, reason="known near miss of the fitted judge: 使用资金 stated for 总投资 (issue 19 notes)"
)
def test_a_figure_of_another_measure_is_not_an_answer(assistant) -> None:
    answer = assistant.ask("市第二人民医院总投资多少亿元?")  # the notice gives only 已使用资金2.3692亿元
    assert answer.refused


def test_periods_compared_across_notices(assistant) -> None:
    both = assistant.ask("一季度和上半年地区生产总值分别增长多少")
    assert {"58.3%", "28.6%"} <= _numbers(both)
    assert {c.doc_id for c in both.citations} == {"xianning-2021-q1", "xianning-2021-h1-digest"}
    more = assistant.ask("上半年比一季度多引进了多少个亿元以上项目")
    assert {"68", "107"} <= _numbers(more)
    assert any(d.name == "difference" and d.formula == "107个 − 68个 = 39个" for d in more.derived)


def test_a_period_one_notice_lacks_is_answered_for_the_other_and_said_missing(assistant) -> None:
    answer = assistant.ask("一季度和上半年科技成果登记分别多少项")  # the digest does not report it
    assert not answer.refused and "20" in _numbers(answer) and "通报没有给出上半年科技成果登记" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"xianning-2021-q1"}  # no figure of another measure for 上半年


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("多少", "没有说要问哪一项"),  # nothing asked about, no conversation before
        ("武汉5G基站多少座", "武汉"),  # a place the notices name elsewhere, not in the answer's paragraph
        ("2020年5G基站多少座", "2020年"),  # a year no notice reports on
        ("how many 5g base stations in wuhan?", "wuhan"),
    ],
)
def test_questions_about_nothing_or_elsewhere_are_refused_with_the_reason(
    assistant, question: str, reason: str
) -> None:
    answer = assistant.ask(question)
    assert answer.refused and reason.lower() in answer.answer.lower()


def test_summed_parts_and_checked_rates_pass_the_faithfulness_check(assistant) -> None:
    parts = assistant.ask("一季度引进世界500强、中国500强和上市公司的投资项目完成目标了吗?完成率多少")
    assert not parts.refused and "3 + 1 + 2 = 6" in parts.answer and "6 / 3 = 200.0%" in parts.answer
    share = assistant.ask("一季度对一带一路国家出口占比")
    assert "36.2%" in share.answer
