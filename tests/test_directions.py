"""Target directions and what reaching a target means (documents.directions): hand-built facts, every target form
of the open notices (增长, 下降/降低, 以内/控制在, 以上/不低于, ranges, ceiling measures, counts)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from documents.directions import amount_reached, direction_of, rate_verdict
from documents.facts import Fact, FactKind, FactRole
from documents.models import TargetDirection, TargetStatus
from documents.quantities import extract_quantities

D, S = TargetDirection, TargetStatus


def fact(figure: str, measure: str = "", *, falls: bool = False, kind: FactKind = FactKind.GROWTH) -> Fact:
    quantity = extract_quantities(figure)[0]
    return Fact(
        id="n:p001:1", doc_id="n", paragraph_id="p001", quantity=quantity, subject=measure, measure=measure,
        kind=kind, role=FactRole.TARGET, falls=falls, clause=(0, 1), group=(0, 1), sentence=(0, 1),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("target", "actual", "direction", "status"),
    [
        (fact("10.5%", "地区生产总值增长"), fact("58.3%", "地区生产总值增长"), D.INCREASE, S.EXCEEDED),
        (fact("10.5%", "进出口总额增长"), fact("8.2%", "进出口总额增长"), D.INCREASE, S.BELOW_TARGET),
        (fact("6%-6.5%", "国内生产总值增长"), fact("6.1%", "国内生产总值"), D.RANGE, S.MET),
        (fact("6%-6.5%", "国内生产总值增长"), fact("6.5%", "国内生产总值"), D.RANGE, S.MET),
        (fact("7%—7.5%", "地区生产总值增长"), fact("7.8%", "地区生产总值"), D.RANGE, S.EXCEEDED),
        (fact("7%—7.5%", "地区生产总值增长"), fact("6.9%", "地区生产总值"), D.RANGE, S.BELOW_TARGET),
        # 再降低20%以上 against 降低41%: a 41 % cut beats a 20 % cut
        (fact("20%以上", "移动网络流量平均资费", falls=True), fact("41%", "资费", falls=True), D.REDUCE, S.EXCEEDED),
        (fact("3%", "氮氧化物排放量", falls=True), fact("3.5%", "氮氧化物排放量", falls=True), D.REDUCE, S.EXCEEDED),
        (fact("2%", "化学需氧量", falls=True), fact("2%", "化学需氧量", falls=True), D.REDUCE, S.MET),
        (fact("3%", "单位GDP能耗", falls=True), fact("1.2%", "单位GDP能耗", falls=True), D.REDUCE, S.BELOW_TARGET),
        (fact("3%", "能耗", falls=True), fact("0.5%", "能耗"), D.REDUCE, S.BELOW_TARGET),  # it rose instead
        (fact("4.5%以内", "城镇登记失业率"), fact("3.52%", "城镇登记失业率"), D.CEILING, S.WITHIN_CEILING),
        (fact("3%", "居民消费价格涨幅"), fact("-0.9%", "居民消费价格涨幅"), D.CEILING, S.WITHIN_CEILING),
        (fact("3%", "居民消费价格涨幅"), fact("3.4%", "居民消费价格涨幅"), D.CEILING, S.ABOVE_CEILING),
        (fact("15%以上", "工业技改投资增长"), fact("15%", "工业技改投资"), D.FLOOR, S.MET),
        (fact("不低于8%", "研发投入增长"), fact("7%", "研发投入增长"), D.FLOOR, S.BELOW_TARGET),
    ],
)
def test_rate_verdicts(target: Fact, actual: Fact, direction: TargetDirection, status: TargetStatus) -> None:
    verdict = rate_verdict(target, actual)
    assert (verdict.direction, verdict.status) == (direction, status)
    assert actual.quantity.number_text.lstrip("-") in verdict.text


def test_a_range_verdict_reads_as_inside_the_range() -> None:
    verdict = rate_verdict(fact("6%-6.5%", "国内生产总值增长"), fact("6.1%", "国内生产总值"))
    assert verdict.text == "6.1%,在目标区间6%-6.5%以内" and verdict.gap == 0


def test_a_reduction_verdict_says_how_far_past_the_cut() -> None:
    verdict = rate_verdict(fact("20%以上", "资费", falls=True), fact("41%", "资费", falls=True))
    assert verdict.text == "下降41%,超过下降20%以上的目标 21个百分点" and verdict.gap == 21


@pytest.mark.parametrize(
    ("target", "progress", "direction", "reached"),
    [
        (fact("1000座", "新建5G基站", kind=FactKind.COUNT), "23.6", D.INCREASE, False),
        (fact("1100万人以上", "城镇新增就业", kind=FactKind.COUNT), "122.9", D.FLOOR, True),
        (fact("1000万以上", "减少农村贫困人口", falls=True, kind=FactKind.COUNT), "110.9", D.REDUCE, True),
        (fact("100人以内", "生产安全事故死亡人数", kind=FactKind.COUNT), "80", D.CEILING, True),
        (fact("100人以内", "生产安全事故死亡人数", kind=FactKind.COUNT), "120", D.CEILING, False),
    ],
)
def test_amounts_reach_their_target_by_direction(
    target: Fact, progress: str, direction: TargetDirection, reached: bool
) -> None:
    assert direction_of(target) == direction
    assert amount_reached(target, Decimal(progress)) is reached


@pytest.mark.parametrize(
    ("progress", "done"),
    [
        ("已完工。", "已完工"),
        ("项目均已完成", "项目均已完成"),
        ("已投入使用", "已投入使用"),
        ("主体已完工,正在装修", None),  # part of the task: not the whole of it
        ("已完成投资3.2亿元", None),  # a figure to pair, not a verdict
        ("", None),
    ],
)
def test_a_table_row_saying_its_task_is_done_meets_its_targets(progress: str, done: str | None) -> None:
    from documents.ledger import task_done
    from documents.models import Cell, Paragraph, ParagraphKind

    cells = [Cell(header="具体任务及目标", text="新建发热门诊1栋"), Cell(header="进展情况", text=progress)]
    row = Paragraph(id="p004", doc_id="n", kind=ParagraphKind.BODY, text="", start=0, end=0, cells=cells)
    assert task_done(row) == done
