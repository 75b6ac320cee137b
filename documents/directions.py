"""Which way a target points, and whether a result reaches it: pure functions of the figures and their words.

A reduction target (下降3%, 再降低20%以上) is reached by a fall at least as large, a ceiling (4.5%以内, or a measure
kept low such as 失业率) by a result at or below it, a range (6%-6.5%) by a result inside it, and anything else by a
result at or past it. The words are data: reductions and ceiling measures in vocabulary.toml, 以上/以内/力争 read
with the number (documents.quantities).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from documents.facts import Fact
from documents.models import Qualifier, TargetDirection, TargetStatus
from documents.vocabulary import vocabulary


class RateVerdict(BaseModel):
    """A rate result against its target: the status, the gap in percentage points, and one line a person reads."""

    direction: TargetDirection
    status: TargetStatus
    gap: Decimal  # how far past (positive) or short of (negative) the target, in the direction that counts
    text: str


def direction_of(target: Fact, actual: Fact | None = None) -> TargetDirection:
    """The direction of a target figure; `actual` lends its measure words for a ceiling measure the target's
    clause does not name."""
    q = target.quantity
    if q.qualifier == Qualifier.RANGE and q.upper is not None:
        return TargetDirection.RANGE
    if target.falls:
        return TargetDirection.REDUCE
    measures = target.measure + " " + (actual.measure if actual is not None else "")
    if q.qualifier == Qualifier.AT_MOST or any(w in measures for w in vocabulary().ceilings):
        return TargetDirection.CEILING
    if q.qualifier in (Qualifier.AT_LEAST, Qualifier.AIM):
        return TargetDirection.FLOOR
    return TargetDirection.INCREASE


def _pts(value: Decimal) -> str:
    return f"{abs(value).normalize():f}个百分点"


def rate_verdict(target: Fact, actual: Fact) -> RateVerdict:
    """A rate against a rate target (growth, level or share), by the target's direction."""
    direction = direction_of(target, actual)
    t, a = target.signed, actual.signed
    if direction == TargetDirection.RANGE:
        low, high = t.value, t.upper or t.value
        gap = a.value - high if a.value > high else a.value - low if a.value < low else Decimal(0)
        status = TargetStatus.EXCEEDED if gap > 0 else TargetStatus.BELOW_TARGET if gap < 0 else TargetStatus.MET
        where = "高于" if gap > 0 else "低于" if gap < 0 else "在"
        text = f"{a.number_text},{where}目标区间{t.number_text}" + ("以内" if gap == 0 else _pts(gap))
    elif direction == TargetDirection.REDUCE:
        fall, goal = -a.value, -t.value  # the sizes of the falls
        gap = fall - goal
        status = TargetStatus.EXCEEDED if gap > 0 else TargetStatus.MET if gap == 0 else TargetStatus.BELOW_TARGET
        did = f"下降{fall.normalize():f}%" if fall >= 0 else f"上升{(-fall).normalize():f}%"
        word = "超过" if gap > 0 else "达到" if gap == 0 else "未达到"
        text = f"{did},{word}下降{target.quantity.text}的目标" + (f" {_pts(gap)}" if gap else "")
    elif direction == TargetDirection.CEILING:
        gap = t.value - a.value
        within = gap >= 0
        status = TargetStatus.WITHIN_CEILING if within else TargetStatus.ABOVE_CEILING
        bound = t.number_text.removesuffix("以内")
        text = f"{a.number_text},{'控制在' if within else '高于'}{bound}{'以内' if within else '的上限'}"
    else:
        gap = a.value - t.value
        status = TargetStatus.EXCEEDED if gap > 0 else TargetStatus.MET if gap == 0 else TargetStatus.BELOW_TARGET
        word = "高于" if gap > 0 else "达到" if gap == 0 else "低于"
        text = f"{a.number_text},{word}目标{t.number_text}" + (f" {_pts(gap)}" if gap else "")
    return RateVerdict(direction=direction, status=status, gap=gap, text=text)


def amount_reached(target: Fact, progress_pct: Decimal) -> bool:
    """Whether an amount or count at `progress_pct` of its target reaches it: at or below 100 % for a ceiling
    (控制在100人以内), else at or past it (a count reduced, 减少贫困人口1000万以上, counts the amount reduced)."""
    if direction_of(target) == TargetDirection.CEILING:
        return progress_pct <= 100
    return progress_pct >= 100
