"""The fact table: every figure typed by subject, kind, role, period and scope; golden on the Q1 notice and on
every real notice in ../shared/notices/real (read from there, never copied into the project)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.facts_view import FACTS_SCHEMA, render_facts
from documents.corpus import BUNDLED_NOTICES, load_corpus, load_notice
from documents.fact_reader import read_facts
from documents.facts import Fact, FactKind, FactRole
from documents.library import Library
from documents.parser import parse_notice
from documents.places import Level
from documents.profile import build_profile

REAL = Path(__file__).resolve().parents[2] / "shared" / "notices" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is not here (CI and the dev machine have it)")
GOLDEN = Path(__file__).resolve().parent / "data" / "facts-golden.json"
Q1 = load_notice(BUNDLED_NOTICES / "xianning-2021-q1.txt")


def _facts(text: str, doc_id: str = "notice") -> list[Fact]:
    notice = parse_notice(text, doc_id)
    return read_facts(notice, build_profile(notice))


def _find(facts: list[Fact], text: str, measure: str = "", paragraph: str = "") -> Fact:
    return next(
        f for f in facts
        if f.quantity.text == text and measure in f.measure and (not paragraph or f.paragraph_id == paragraph)
    )  # fmt: skip


@pytest.fixture(scope="module")
def q1() -> list[Fact]:
    return read_facts(Q1, build_profile(Q1))


@pytest.mark.parametrize(
    ("value", "measure", "kind", "role", "period"),
    [
        ("58.3%", "实现地区生产总值", FactKind.GROWTH, FactRole.ACTUAL, "一季度"),
        ("10.5%", "实现地区生产总值", FactKind.GROWTH, FactRole.TARGET, "全年"),  # (目标10.5%)
        ("4.5%以内", "城镇登记失业率", FactKind.LEVEL, FactRole.TARGET, "全年"),
        ("1000座", "新建5G基站", FactKind.COUNT, FactRole.TARGET, "全年"),  # 3.新建5G基站1000座。…
        ("236座", "新建5G基站", FactKind.COUNT, FactRole.ACTUAL, "一季度"),
        ("428.6%", "工业技术改造投资", FactKind.GROWTH, FactRole.ACTUAL, "一季度"),
        ("第四", "工业技术改造投资", FactKind.RANK, FactRole.ACTUAL, "一季度"),  # 全省排名第四: the same measure
        ("120家", "计划申报高新技术企业", FactKind.COUNT, FactRole.PLAN, "一季度"),
        ("100家", "通过认定", FactKind.COUNT, FactRole.PLAN, "一季度"),  # the plan goes on
        ("101.73%", "占年度计划任务", FactKind.COMPLETION, FactRole.ACTUAL, "一季度"),
        ("36.2%", "对“一带一路”国家出口总额", FactKind.SHARE, FactRole.ACTUAL, "一季度"),
        ("28.12亿元", "预算安排民生支出", FactKind.AMOUNT, FactRole.COMPARISON, "一季度"),  # 同比增加
    ],
)
def test_q1_facts(q1: list[Fact], value: str, measure: str, kind: FactKind, role: FactRole, period: str) -> None:
    fact = _find(q1, value, measure)
    assert (fact.measure, fact.kind, fact.role, fact.period.label) == (measure, kind, role, period)


def test_rank_facts_say_what_they_rank_among(q1: list[Fact]) -> None:
    assert _find(q1, "第四").among == "全省" and _find(q1, "第四").scope.level == Level.CITY


def test_respectively_lists_align_items_with_figures(q1: list[Fact]) -> None:
    trade = _find(q1, "第二位", paragraph="p118")  # 规模以上工业增加值、进出口总额增速分别位列全省第五位、第二位
    assert "进出口总额" in trade.measure and "进出口" not in _find(q1, "第五位", paragraph="p118").measure


def test_a_class_name_is_not_a_figure(q1: list[Fact]) -> None:
    assert not any(f.quantity.text in ("亿元以上", "10亿元以上", "亿元及以上") for f in q1)


@pytest.mark.parametrize(
    ("text", "value", "kind", "role", "scope"),
    [
        ("(一)全县规模以上工业增加值同比增长7.5%(全市11.1%),六县市排名第五。", "11.1%", FactKind.GROWTH,
         FactRole.COMPARISON, Level.CITY),
        ("全年开展食品安全抽样检验5.48万批次,超额完成4.7万批次的年度目标任务。", "4.7万批次", FactKind.COUNT,
         FactRole.TARGET, Level.CITY),
        ("开平市列入江门市重点项目93项,总投资638.8亿元,年度投资计划127.1亿元,1-2月累计完成投资20.0亿元。",
         "127.1亿元", FactKind.AMOUNT, FactRole.TARGET, Level.CITY),
        ("“主城区置换天然气项目”计划累计完成铸铁管网改造7公里,实际完成22.12公里。", "7公里", FactKind.AMOUNT,
         FactRole.PLAN, Level.CITY),
        ("报告提出国内生产总值增长6%-6.5%的目标,实际显示,去年国内生产总值比上年增长6.1%。", "6.1%", FactKind.GROWTH,
         FactRole.ACTUAL, Level.NATION),
        ("一季度,重大项目累计完成投资988.38亿元,超额完成900亿元的工作目标任务。", "900亿元", FactKind.AMOUNT,
         FactRole.TARGET, Level.CITY),
        # a figure counting what was planned, then what is done of it
        ("24个计划建成投产项目已经有甲段、乙段、丙路等21个项目建成。", "24个", FactKind.COUNT, FactRole.PLAN,
         Level.CITY),
        ("24个计划建成投产项目已经有甲段、乙段、丙路等21个项目建成。", "21个", FactKind.COUNT, FactRole.ACTUAL,
         Level.CITY),
        ("69个计划竣工项目中,甲区、乙区三个项目未按计划竣工。", "三个", FactKind.COUNT, FactRole.ACTUAL, Level.CITY),
        # the level a change starts from is neither a target nor a result
        ("报告提出,制造业等行业现行16%的税率降至13%。", "16%", FactKind.LEVEL, FactRole.COMPARISON, Level.NATION),
        ("报告提出,制造业等行业现行16%的税率降至13%。", "13%", FactKind.LEVEL, FactRole.TARGET, Level.NATION),
        ("全市森林覆盖率由51.2%提高到53.1%。", "51.2%", FactKind.LEVEL, FactRole.COMPARISON, Level.CITY),
        # the margin over a target is not the target
        ("社会消费品零售总额同比增速为11.3%,高于目标任务1.3个百分点。", "1.3个百分点", FactKind.CHANGE,
         FactRole.COMPARISON, Level.CITY),
        # a share of the number of tasks is no completion rate
        ("已经完成的指标任务共计19项,占任务总数的15.2%。", "15.2%", FactKind.SHARE, FactRole.CUMULATIVE, Level.CITY),
        # a row of the year's targets, a ceiling set, a target restated or adjusted
        ("经济社会发展主要预期目标1地区生产总值增长6%左右。", "6%左右", FactKind.GROWTH, FactRole.TARGET, Level.CITY),
        ("经济社会发展主要预期目标4城镇登记失业率控制在1.5%以内。", "控制在1.5%以内", FactKind.LEVEL, FactRole.TARGET,
         Level.CITY),
        ("一般公共预算收入由年初预算439.55亿元调整为413.8亿元左右。", "413.8亿元左右", FactKind.AMOUNT, FactRole.TARGET,
         Level.CITY),
        ("全市重点项目完成投资突破1200亿元,超额完成了年初确定的完成投资1000亿元的工程建设任务。", "1000亿元",
         FactKind.AMOUNT, FactRole.TARGET, Level.CITY),
    ],
)  # fmt: skip
def test_facts_in_other_wordings(text: str, value: str, kind: FactKind, role: FactRole, scope: Level) -> None:
    level = {Level.CITY: "我市", Level.NATION: "全国", Level.COUNTY: "全县"}[scope]
    facts = _facts(f"通报\n{level}概况。\n{text}")
    fact = _find(facts, value)
    assert (fact.kind, fact.role) == (kind, role)
    if role != FactRole.COMPARISON:
        assert fact.scope.level in (scope, None)


@pytest.mark.parametrize(
    ("text", "falls"),
    [
        ("去年全国二氧化硫、氮氧化物排放量分别下降4.4%和3.5%。", {"4.4%": True, "3.5%": True}),
        ("化学需氧量、氨氮排放量下降3%、2%。", {"3%": True, "2%": True}),
        ("工业增加值增长8%,能耗下降3%。", {"8%": False, "3%": True}),  # a new verb: not the list of the fall
        ("出口下降2%,进口增长5%和6%。", {"2%": True, "5%": False, "6%": False}),
    ],
)
def test_a_fall_verb_reaches_every_figure_of_its_list(text: str, falls: dict[str, bool]) -> None:
    facts = _facts(f"通报\n全国概况。\n{text}")
    assert {f.quantity.text: f.falls for f in facts} == falls


def test_table_rows_read_by_their_columns(tmp_path: Path) -> None:
    from documents.models import Cell

    text = "目标任务一览表\n目标任务:新建5G基站1000座;责任单位:市通信发展办;1-3月完成情况:新建236座;进度:23.6%\n"
    cells = {2: [Cell(header="目标任务", text="新建5G基站1000座"), Cell(header="责任单位", text="市通信发展办"),
                 Cell(header="1-3月完成情况", text="新建236座"), Cell(header="进度", text="23.6%")]}  # fmt: skip
    notice = parse_notice(text, "table", cells=cells)
    facts = read_facts(notice, build_profile(notice))
    target, actual, rate = _find(facts, "1000座"), _find(facts, "236座"), _find(facts, "23.6%")
    assert (target.role, target.period.label, target.column) == (FactRole.TARGET, "全年", "目标任务")
    assert (actual.role, actual.period.label) == (FactRole.ACTUAL, "一季度")
    assert rate.kind == FactKind.COMPLETION and "5G基站" in actual.topic


def _compact(fact: Fact) -> list[str]:
    return [fact.paragraph_id, fact.quantity.text, fact.kind.value, fact.role.value,
            fact.period.label if fact.period else "", fact.scope.label]  # fmt: skip


def _real_library() -> Library:
    """The real notices and the Q1 notice; the folder's SOURCES.md lists where the notices came from and is not one."""
    notices = [n for n in load_corpus(REAL).notices if n.doc_id != "SOURCES"]
    return Library.of(notices + [Q1])


@needs_real
def test_real_notices_match_their_golden_fact_tables() -> None:
    """A snapshot of each figure's paragraph, value, kind, role, period and scope on every real notice: a change in
    the reader shows here as a diff, to be read before regenerating it with `python -m tests.test_facts`. (The
    hand-checked readings are the parametrized tests above; this one guards everything else.)"""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    library = _real_library()
    assert set(golden) == set(library.entries), "a notice came or went: regenerate the golden file"
    for doc_id, rows in golden.items():
        assert [_compact(f) for f in library.entries[doc_id].facts] == rows, doc_id


def test_facts_cli_table_and_json() -> None:
    library = Library.of([Q1])
    table = render_facts(library, "table")
    assert table.splitlines()[0].startswith("doc_id | paragraph") and table.endswith(
        f"{len(library.entries['xianning-2021-q1'].facts)} facts"
    )
    parsed = FACTS_SCHEMA.validate_python(json.loads(render_facts(library, "json")))
    assert parsed[0].doc_id == "xianning-2021-q1"


if __name__ == "__main__":  # regenerate the golden file after reading the diff
    library = _real_library()
    GOLDEN.write_text(
        json.dumps(
            {d: [_compact(f) for f in e.facts] for d, e in library.entries.items()}, ensure_ascii=False, indent=0
        ),
        encoding="utf-8",
    )


def test_cached_facts_are_the_facts_read_and_a_damaged_cache_is_read_again(tmp_path: Path) -> None:
    fresh = Library.of([Q1])
    cached = Library.of([Q1], cache=tmp_path)
    (entry,) = list(tmp_path.glob("*.json"))
    again = Library.of([Q1], cache=tmp_path)  # from the cache file
    for library in (cached, again):
        assert library.entries[Q1.doc_id].facts == fresh.entries[Q1.doc_id].facts
        assert library.entries[Q1.doc_id].profile == fresh.entries[Q1.doc_id].profile
    entry.write_text("{not json", encoding="utf-8")
    assert Library.of([Q1], cache=tmp_path).entries[Q1.doc_id].facts == fresh.entries[Q1.doc_id].facts
    edited = Q1.model_copy(update={"text": Q1.text + "\n"})
    Library.of([edited], cache=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 2  # another text, another entry


@pytest.mark.parametrize(
    ("text", "figure", "year"),
    [
        ("2019年全市新增就业5000人。", "5000人", 2019),
        # a year named as a comparison's base is not the figure's year
        ("居民消费价格指数比2017同期上涨1.3%。", "1.3%", 2018),
        ("全市工业增加值较2020年增长8.5%。", "8.5%", 2018),
        # a year then 去年 in one sentence: the year before it
        ("2015新年伊始,从省重点办传出喜讯,去年,全省重点项目完成投资1200亿元。", "1200亿元", 2014),
        ("2015年一季度,全省完成投资300亿元,比去年同期增长5%。", "300亿元", 2015),
    ],
)
def test_a_figure_is_of_the_year_its_sentence_frames(text: str, figure: str, year: int) -> None:
    facts = _facts("某市2018年重点工作完成情况通报\n" + text)
    assert _find(facts, figure).year == year


def test_a_sentence_opening_with_its_growth_is_about_the_subject_before_it() -> None:
    facts = _facts("某市通报\n一季度,全市地区生产总值完成242.0亿元,总量保持在全省第7位;同比增长5.5%,增速全省第7位。")
    assert "地区生产总值" in _find(facts, "5.5%").measure
    facts = _facts("某市通报\n一季度,全市地区生产总值完成242.0亿元;新增城镇就业5193人。")
    assert "地区生产总值" not in _find(facts, "5193人").measure
