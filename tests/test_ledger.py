"""Golden target ledger (pairs of facts) of the Q1 notice: every expected value was checked by reading the text."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from assistant.ledger_view import LEDGER_SCHEMA, render_ledger
from documents.corpus import BUNDLED_NOTICES, load_notice
from documents.ledger import build_ledger
from documents.models import Target, TargetStatus

Q1 = load_notice(BUNDLED_NOTICES / "xianning-2021-q1.txt")
H1 = load_notice(BUNDLED_NOTICES / "xianning-2021-h1-digest.txt")
S = TargetStatus

# target as written → (actual as written, parts joined by +; progress to 0.1 or None; status)
Q1_GOLDEN: dict[str, tuple[str, str | None, TargetStatus]] = {
    "10.5%": ("58.3%", None, S.EXCEEDED),  # 地区生产总值 (the first 10.5%; 进出口总额's is checked below)
    "11%": ("245.0%", None, S.EXCEEDED),
    "26%": ("95%", None, S.EXCEEDED),
    "15.5%": ("53.4%", None, S.EXCEEDED),
    "4.5%以内": ("3.52%", None, S.WITHIN_CEILING),
    "3%": ("-0.9%", None, S.WITHIN_CEILING),  # 居民消费价格涨幅: a ceiling by the genre's vocabulary
    "不少于3个": ("3个+1个+2个", "200.0", S.EXCEEDED),
    "10个": ("24个", "240.0", S.EXCEEDED),
    "1000座": ("236座", "23.6", S.IN_PROGRESS),
    "15%以上": ("428.6%", None, S.EXCEEDED),  # 工业技改投资: 技改 read as 技术改造
    "100家": ("32家", "32.0", S.IN_PROGRESS),
    "3.7万人": ("5193人", "14.0", S.IN_PROGRESS),
    "5.1万亩": ("5.19万亩", "101.7", S.EXCEEDED),  # the notice's own 101.73%, not 5.19万 / 5.1万
    "94个": ("27个", "28.7", S.IN_PROGRESS),  # a total and the part of it done
    "221.48亿元": ("57.28亿元", "25.9", S.IN_PROGRESS),  # 预算安排民生支出, not 同比增加28.12亿元
    "2家": ("", None, S.NO_ACTUAL),
    "30家": ("", None, S.NO_ACTUAL),
    "突破300家": ("", None, S.PLAN_ONLY),
    "50家": ("", None, S.PLAN_ONLY),
    "5家": ("", None, S.NO_ACTUAL),
}
STATED = {"91%", "25%", "60.5%", "60%"}  # completion rates stated with no target beside them


def _actual(row: Target) -> str:
    if row.parts:
        return "+".join(p.quantity.text for p in row.parts)
    return row.actual.quantity.text if row.actual else ""


@pytest.fixture(scope="module")
def q1_rows() -> list[Target]:
    return build_ledger(Q1)


def _by_target(rows: list[Target], target: str) -> Target:
    return next(r for r in rows if r.target is not None and r.target.quantity.text == target)


@pytest.mark.parametrize(("target", "expected"), Q1_GOLDEN.items())
def test_q1_ledger_row(q1_rows: list[Target], target: str, expected: tuple) -> None:
    actual, progress, status = expected
    row = _by_target(q1_rows, target)
    assert _actual(row) == actual
    shown = None if row.progress_pct is None else str(row.progress_pct.quantize(Decimal("0.1")))
    assert (shown, row.status) == (progress, status)


def test_stated_completion_rates_are_rows(q1_rows: list[Target]) -> None:
    stated = {r.stated_rate.quantity.text for r in q1_rows if r.stated_rate is not None and r.target is None}
    assert stated >= STATED


def test_both_trade_and_growth_targets_pair_in_their_own_clause(q1_rows: list[Target]) -> None:
    targets = {(r.target.quantity.text, r.actual.quantity.text) for r in q1_rows if r.target and r.actual}
    assert ("10.5%", "187.9%") in targets and ("11%", "106.7%") in targets


def test_every_figure_span_points_at_its_text(q1_rows: list[Target]) -> None:
    for row in q1_rows:
        for ref in (row.target, row.actual, row.stated_rate, row.plan, *row.parts):
            if ref is not None:
                paragraph = Q1.paragraph(ref.paragraph_id)
                assert Q1.text[ref.quantity.start : ref.quantity.end] == ref.quantity.text
                assert paragraph.start <= ref.quantity.start < ref.quantity.end <= paragraph.end


def test_progress_keeps_its_formula_and_status_reads_in_chinese(q1_rows: list[Target]) -> None:
    assert _by_target(q1_rows, "1000座").formula == "236 / 1000 = 23.6%"
    assert _by_target(q1_rows, "不少于3个").formula == "3 + 1 + 2 = 6; 6 / 3 = 200.0%"
    assert _by_target(q1_rows, "4.5%以内").status_text == "3.52%,控制在4.5%以内"
    assert _by_target(q1_rows, "10.5%").formula == "58.3% − 10.5% = 47.8个百分点"


def test_plans_are_not_actuals(q1_rows: list[Target]) -> None:
    high_tech = _by_target(q1_rows, "突破300家")
    assert high_tech.actual is None and high_tech.progress_pct is None and high_tech.plan is not None


def test_a_stated_rate_wins_and_the_computed_one_is_its_check(q1_rows: list[Target]) -> None:
    afforestation = _by_target(q1_rows, "5.1万亩")  # 5.19万 / 5.1万 = 101.76%; the text says 101.73%: rounding
    assert afforestation.indicator == "新造林"
    assert afforestation.progress_pct == Decimal("101.73") and afforestation.stated_rate is not None
    assert afforestation.status_text == "通报写明完成101.73%" and afforestation.formula == "5.19万 / 5.1万 = 101.8%"
    assert afforestation.rate_check is None


def test_rows_are_named_by_their_measure_with_the_section_as_context(q1_rows: list[Target]) -> None:
    gdp = _by_target(q1_rows, "10.5%")
    assert (gdp.indicator, gdp.context) == ("地区生产总值", "全市经济社会发展主要预期目标完成情况")
    assert {"新建5G基站", "新增城镇就业", "城镇登记失业率"} <= {r.indicator for r in q1_rows}


def test_no_date_ordinal_or_name_becomes_a_ledger_figure(q1_rows: list[Target]) -> None:
    figures = [ref.quantity for row in q1_rows for ref in (row.target, row.actual, row.plan) if ref]
    assert all(q.kind.value not in ("rank", "year_span") for q in figures)
    assert not any(q.text.endswith("年") or "月" in q.text for q in figures)


def test_h1_digest_ledger() -> None:
    rows = build_ledger(H1)
    assert _actual(_by_target(rows, "不少于3个")) == "3个+1个+2个"
    assert (_actual(_by_target(rows, "10个")), _by_target(rows, "10个").status) == ("25个", S.EXCEEDED)
    assert all(r.period in ("上半年", "全年") for r in rows)


def test_ledger_json_validates_against_the_schema() -> None:
    rows = build_ledger(Q1)
    parsed = LEDGER_SCHEMA.validate_python(json.loads(render_ledger(rows, "json")))
    assert [r.id for r in parsed] == [r.id for r in rows]


def test_ledger_csv_and_table_have_every_row() -> None:
    rows = build_ledger(Q1)
    assert render_ledger(rows, "csv").count("\n") == len(rows) + 1
    assert render_ledger(rows, "table").endswith(f"{len(rows)} rows")
    with pytest.raises(ValueError, match="unknown format"):
        render_ledger(rows, "xml")


def test_the_ledger_eval_counts_right_wrong_lost_and_missed_rows(q1_rows: list[Target]) -> None:
    from assistant.ledger_eval import evaluate

    golden = {
        "xianning-2021-q1": {
            "right": [
                {"target": "10.5%", "result": "58.3%", "status": "exceeded", "direction": "increase"},
                {"target": "1000座", "result": "236座", "status": "met", "direction": "increase"},  # status wrong
                {"target": "9个", "result": "9个", "status": "met", "direction": "increase"},  # not in the ledger
            ],
            "wrong": [{"target": "3.7万人", "result": "5193人"}],
            "missed": [
                {"measure": "某指标", "target": "1项", "actual": "", "paragraph": "p001", "why": ""},
                {"measure": "新造林", "target": "新造林5.1万亩", "actual": "完成5.19万亩", "paragraph": "", "why": ""},
            ],
        }
    }
    line = evaluate({"xianning-2021-q1": q1_rows}, golden)["xianning-2021-q1"]
    assert (line["right"], line["wrong"], line["lost"], line["missed"], line["status"]) == (3, 1, 1, 1, 1)
    assert line["unreviewed"] == len(q1_rows) - 4  # the 新造林 row is the missed target found


def _ledger_of(text: str) -> list[Target]:
    from documents.parser import parse_notice

    return build_ledger(parse_notice(f"通报\n全国概况。\n{text}", "notice"))


def test_a_paragraph_left_with_one_target_and_one_later_result_of_its_unit_pairs_them() -> None:
    rows = _ledger_of("报告提出,减轻企业税收和社保缴费负担近2万亿元。实际上,去年全年减税降费超过2.3万亿元。")
    assert [(r.target.quantity.text, r.actual.quantity.text if r.actual else "") for r in rows] == [
        ("近2万亿元", "超过2.3万亿元")
    ]
    assert rows[0].status == TargetStatus.EXCEEDED


def test_a_target_restated_in_the_same_paragraph_is_one_row() -> None:
    rows = _ledger_of(
        "经济社会发展主要预期目标1地区生产总值增长6%左右。地区生产总值增速由年初设定的6%左右调整为正增长。"
        "2020年度地区生产总值初步核算数50610595万元,增幅-1.1%。"
    )
    assert [(r.target.quantity.text, r.status) for r in rows if r.target] == [("6%左右", TargetStatus.BELOW_TARGET)]


def test_a_rate_target_set_for_a_list_of_measures_is_each_ones_target() -> None:
    rows = _ledger_of(
        "报告明确,二氧化硫、氮氧化物排放量下降3%。落实结果显示,去年二氧化硫、氮氧化物排放量分别下降4.4%和3.5%。"
    )
    assert sorted((r.target.quantity.text, r.actual.quantity.text, r.status) for r in rows) == [
        ("3%", "3.5%", TargetStatus.EXCEEDED),
        ("3%", "4.4%", TargetStatus.EXCEEDED),
    ]


def test_a_count_of_what_was_not_done_is_no_result_of_the_target() -> None:
    rows = _ledger_of("省重点工程建设项目中计划新开工项目39项,实际开工37项,未按期开工两项。")
    assert [(r.target.quantity.text, r.actual.quantity.text) for r in rows if r.target and r.actual] == [
        ("39项", "37项")
    ]


def test_a_planned_share_and_the_share_done_are_a_target_and_its_result_named_by_the_measure() -> None:
    rows = _ledger_of("“建设东北路人行过街天桥项目”计划完成工程量5%,实际完成工程量6%。")
    assert [(r.indicator, r.context, r.target.quantity.text, r.actual.quantity.text, r.status) for r in rows] == [
        ("工程量", "建设东北路人行过街天桥项目", "5%", "6%", TargetStatus.EXCEEDED)
    ]
