"""Golden target ledger of the real notices: every expected value was checked by reading the text."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from assistant.ledger_view import LEDGER_SCHEMA, render_ledger
from documents.corpus import BUNDLED_NOTICES, load_notice
from documents.ledger import build_ledger
from documents.ledger_rates import check_rate
from documents.models import Target, TargetStatus
from documents.quantities import extract_quantities

Q1 = load_notice(BUNDLED_NOTICES / "xianning-2021-q1.txt")
H1 = load_notice(BUNDLED_NOTICES / "xianning-2021-h1-digest.txt")
S = TargetStatus

# id: (indicator, target as written, actual as written (parts joined by +), progress to 0.1 or None, status)
Q1_GOLDEN: dict[str, tuple[str, str, str, str | None, TargetStatus]] = {
    "i1": ("地区生产总值", "10.5%", "58.3%", None, S.EXCEEDED),
    "i2": ("全社会固定资产投资", "11%", "245.0%", None, S.EXCEEDED),
    "i3": ("规模以上工业增加值", "11%", "106.7%", None, S.EXCEEDED),
    "i4": ("地方一般公共预算收入", "26%", "95%", None, S.EXCEEDED),
    "i5": ("社会消费品零售总额", "15.5%", "53.4%", None, S.EXCEEDED),
    "i6": ("进出口总额", "10.5%", "187.9%", None, S.EXCEEDED),
    "i7": ("城镇登记失业率", "4.5%以内", "3.52%", None, S.WITHIN_CEILING),
    "i8": ("居民消费价格涨幅", "3%", "-0.9%", None, S.WITHIN_CEILING),
    "t1.1": (
        "引进世界500强、中国500强、上市公司或行业龙头企业投资项目",
        "不少于3个",
        "3个+1个+2个",
        "200.0",
        S.EXCEEDED,
    ),
    "t1.2": ("投资10亿元以上项目", "10个", "24个", "240.0", S.EXCEEDED),
    "t1.3": ("亿元以上项目", "100个", "68个", "68.0", S.IN_PROGRESS),
    "t1.4": ("新开工亿元以上产业项目", "100个", "36个", "36.0", S.IN_PROGRESS),
    "t2.1": ("培育互联网融合发展平台", "2家", "", None, S.NO_ACTUAL),
    "t2.2": ("省级工业互联网融合发展试点示范企业总数达", "30家", "", None, S.NO_ACTUAL),
    "t3.1": ("新建5G基站", "1000座", "236座", "23.6", S.IN_PROGRESS),
    "t4.1": ("工业技改投资增长", "15%以上", "428.6%", None, S.EXCEEDED),
    "t5.1": ("培育省级及以上科技企业孵化器、众创空间", "2家", "", None, S.NO_ACTUAL),
    "t5.2": ("新增科创企业", "100家", "32家", "32.0", S.IN_PROGRESS),
    "t5.3": ("力争高新技术企业总数", "突破300家", "", None, S.PLAN_ONLY),
    "t6.1": ("新增省级新型研发机构", "5家", "", None, S.NO_ACTUAL),
    "t6.2": ("建设科技创新平台", "50家", "", None, S.PLAN_ONLY),
    "t6.3": ("规模以上工业企业建立研发机构的比例达", "40%", "", None, S.PLAN_ONLY),
    "t7.1": ("新增城镇就业", "3.7万人", "5193人", "14.0", S.IN_PROGRESS),
    # stated completion rates and done-of-total pairs elsewhere in the notice
    "rp023.1": ("赤壁长江公路大桥已合龙", "", "", "91.0", S.IN_PROGRESS),
    "rp042.1": ("已完成投资", "", "近6亿元", "60.0", S.IN_PROGRESS),
    "rp068.1": ("完成科技成果登记", "", "20项", "25.0", S.IN_PROGRESS),
    "rp078.1": ("完成新造林", "5.1万亩", "5.19万亩", "101.7", S.MET),
    "rp089.1": ("2020年94个小区改造已全部开工,已完工", "94个", "27个", "28.7", S.IN_PROGRESS),
    "rp089.2": ("2021年计划实施改造的145个小区中已开工", "145个", "13个", "9.0", S.IN_PROGRESS),
    "rp092.1": ("2020年度高标准农田建设项目11个、40个标段", "", "", "60.5", S.IN_PROGRESS),
}


def _actual(row: Target) -> str:
    if row.parts:
        return "+".join(p.quantity.text for p in row.parts)
    return row.actual.quantity.text if row.actual else ""


@pytest.fixture(scope="module")
def q1_rows() -> dict[str, Target]:
    return {row.id: row for row in build_ledger(Q1)}


def test_q1_ledger_has_exactly_the_golden_rows(q1_rows: dict[str, Target]) -> None:
    assert sorted(q1_rows) == sorted(Q1_GOLDEN)


@pytest.mark.parametrize(("row_id", "expected"), Q1_GOLDEN.items())
def test_q1_ledger_row(q1_rows: dict[str, Target], row_id: str, expected: tuple) -> None:
    indicator, target, actual, progress, status = expected
    row = q1_rows[row_id]
    assert row.indicator == indicator
    assert (row.target.quantity.text if row.target else "") == target
    assert _actual(row) == actual
    shown = None if row.progress_pct is None else str(row.progress_pct.quantize(Decimal("0.1")))
    assert shown == progress
    assert row.status == status


def test_every_figure_span_points_at_its_text(q1_rows: dict[str, Target]) -> None:
    for row in q1_rows.values():
        for ref in (row.target, row.actual, row.stated_rate, row.plan, *row.parts):
            if ref is not None:
                paragraph = Q1.paragraph(ref.paragraph_id)
                assert Q1.text[ref.quantity.start : ref.quantity.end] == ref.quantity.text
                assert paragraph.start <= ref.quantity.start < ref.quantity.end <= paragraph.end


def test_progress_keeps_its_formula(q1_rows: dict[str, Target]) -> None:
    assert q1_rows["t3.1"].formula == "236 / 1000 = 23.6%"
    assert q1_rows["t1.1"].formula == "3 + 1 + 2 = 6; 6 / 3 = 200.0%"
    assert q1_rows["i1"].status_text == "exceeded the 10.5% target by 47.8 percentage points"
    assert q1_rows["i7"].status_text == "3.52%, within the 4.5% ceiling"


def test_plans_are_not_actuals(q1_rows: dict[str, Target]) -> None:
    high_tech = q1_rows["t5.3"]
    assert high_tech.actual is None and high_tech.progress_pct is None
    assert high_tech.plan is not None and high_tech.plan.quantity.text == "超过300家"
    assert "plan" in high_tech.status_text


def test_stated_rates_are_checked_against_the_figures(q1_rows: dict[str, Target]) -> None:
    afforestation = q1_rows["rp078.1"]  # 5.19万亩 / 5.1万亩 = 101.76%; the text says 101.73%, within rounding
    assert afforestation.stated_rate is not None and afforestation.rate_check is None
    assert q1_rows["rp068.1"].note == "the stated rate implies a target of about 80项"


def test_a_stated_rate_that_contradicts_its_figures_is_flagged() -> None:
    actual, target, stated = extract_quantities("完成新造林5.19万亩,占年度计划任务5.1万亩的110.5%")
    assert check_rate(actual, target, stated) == "stated 110.5%, but 5.19万 / 5.1万 = 101.8%"


def test_no_date_ordinal_or_name_becomes_a_ledger_figure(q1_rows: dict[str, Target]) -> None:
    figures = [ref.quantity for row in q1_rows.values() for ref in (row.target, row.actual, row.plan) if ref]
    assert all(q.kind.value not in ("rank", "year_span") for q in figures)
    assert not any(q.text.endswith("年") or "月" in q.text for q in figures)


def test_h1_digest_ledger() -> None:
    rows = {row.id: row for row in build_ledger(H1)}
    assert _actual(rows["t1.1"]) == "3个+1个+2个"
    assert (_actual(rows["t1.2"]), rows["t1.2"].status) == ("25个", S.EXCEEDED)
    assert (_actual(rows["t1.3"]), str(rows["t1.3"].progress_pct.quantize(Decimal("0.1")))) == ("107个", "107.0")
    assert (_actual(rows["t1.4"]), rows["t1.4"].status) == ("80个", S.IN_PROGRESS)
    assert all(r.period == "上半年" for r in rows.values())


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
