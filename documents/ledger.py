"""The target ledger: pairs of facts (a target and the actual that reports on it) with progress and status.

Built from the fact table (documents/fact_reader.py) and its pairs (documents/pairs.py): a rate target gets the
gap in percentage points and met/exceeded/below (within/above for a ceiling such as 失业率4.5%以内); an amount or
count target gets actual / target. A completion rate the notice states with no target beside it (完成总投资的91%)
is a row of its own, quoted as stated.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from documents.columns import column_role
from documents.directions import direction_of, rate_verdict
from documents.fact_reader import read_facts
from documents.facts import Fact, FactKind, FactRole
from documents.models import (
    ColumnRole,
    FigureRef,
    Notice,
    Paragraph,
    Qualifier,
    Target,
    TargetDirection,
    TargetKind,
    TargetStatus,
)
from documents.pairs import MIN_SIMILARITY, FactPair, pair_facts, similarity
from documents.profile import build_profile
from documents.vocabulary import vocabulary

_RATES = (FactKind.GROWTH, FactKind.LEVEL, FactKind.SHARE)


def _ref(notice: Notice, fact: Fact) -> FigureRef:
    shift = notice.paragraph(fact.paragraph_id).start
    q = fact.signed
    return FigureRef(
        paragraph_id=fact.paragraph_id, quantity=q.model_copy(update={"start": q.start + shift, "end": q.end + shift})
    )


# A measure that only frames a figure against its plan (占年度计划任务5.1万亩) names no measure: the row is named by
# the other figure's. A leading 实现/完成/力争 (or 报告提出) is the report's verb, not the measure (实现地区生产总值 →
# 地区生产总值).
_FRAME_ONLY = re.compile(r"(?:占|为|达到?)?(?:全年|年度|本年)?(?:计划|目标|预期)?(?:任务|目标)?(?:的)?")
_FRAMED = re.compile(r"^.*(?:确定|设定|下达|提出|明确)的(?=..)")  # 省政府年初确定的完成投资 → 完成投资
_REPORT_VERB = re.compile(
    r"^(?:报告(?:提出|明确)[,，]?)?(?:原|二季度|上半年|全年|年内)?(?:计划(?:为)?)?(?:力争|累计)?(?:实现|完成了?|已完成)?"
)
_QUOTED = re.compile(r"^“?([^”]{2,})”(?=.{2})")  # “主城区置换天然气项目”计划…: the project, then its measure


def _named(*facts: Fact) -> dict[str, str]:
    """A row's name is its measure, in the notice's words, with the section or subject it sits under as context:
    the first of the facts whose measure is more than a frame."""
    for fact in facts:
        measure = fact.measure.strip()
        if not measure or _FRAME_ONLY.fullmatch(measure):
            continue
        quoted = _QUOTED.match(measure)
        context = quoted.group(1) if quoted else fact.topic
        unframed = _FRAMED.sub("", measure[quoted.end() :] if quoted else measure)
        bare = _REPORT_VERB.sub("", unframed)
        name = bare if len(bare) >= 3 else unframed
        return {"indicator": name, "context": context if context not in name else ""}
    first = facts[0]
    return {"indicator": first.subject, "context": ""}


def _period(fact: Fact) -> str:
    return fact.period.label if fact.period else ""


def _rate_row(notice: Notice, pair: FactPair, index: int) -> Target:
    verdict = rate_verdict(pair.target, pair.actual)
    t, a = pair.target.signed, pair.actual.signed
    ceiling = verdict.direction == TargetDirection.CEILING
    return Target(
        id=f"r{index}", doc_id=notice.doc_id, **_named(pair.target, pair.actual),
        period=_period(pair.actual), kind=TargetKind.CEILING if ceiling else TargetKind.GROWTH_RATE,
        direction=verdict.direction, target=_ref(notice, pair.target), actual=_ref(notice, pair.actual),
        formula=f"{a.number_text} − {t.number_text} = {(a.value - t.value).normalize():f}个百分点",
        status=verdict.status, status_text=verdict.text,
    )  # fmt: skip


def _check(pair: FactPair, stated: Fact | None) -> str | None:
    """Our ratio against a rate the notice states beside the figures: flagged only beyond rounding."""
    if stated is None or pair.progress_pct is None:
        return None
    if abs(pair.progress_pct - stated.quantity.value) <= Decimal("0.6"):
        return None
    return f"通报写{stated.quantity.text},按数字计算为{pair.formula}"


def _count_row(notice: Notice, pair: FactPair, index: int, stated: Fact | None = None) -> Target:
    # the notice's own rate (占年度计划任务5.1万亩的101.73%) is the progress; the computed one stays as `formula`
    pct = stated.quantity.value if stated is not None else pair.progress_pct
    floor = pair.target.quantity.qualifier == Qualifier.AT_LEAST
    direction = direction_of(pair.target, pair.actual)
    status = (
        TargetStatus.IN_PROGRESS
        if pct is None or pct < 100
        else TargetStatus.MET
        if pct == 100
        else TargetStatus.EXCEEDED
    )
    if direction == TargetDirection.CEILING and pct is not None:  # 控制在100人以内: at or below is met
        status = TargetStatus.WITHIN_CEILING if pct <= 100 else TargetStatus.ABOVE_CEILING
    plan = pair.actual.role == FactRole.PLAN
    return Target(
        id=f"r{index}",
        doc_id=notice.doc_id,
        **_named(pair.target, pair.actual),
        period=_period(pair.actual),
        kind=TargetKind.FLOOR if floor else TargetKind.CUMULATIVE,
        direction=direction,
        target=_ref(notice, pair.target),
        actual=None if plan else _ref(notice, pair.actual),
        parts=[]
        if plan
        else [_ref(notice, f) for f in sorted([pair.actual, *pair.parts], key=lambda f: f.quantity.start)]
        if pair.parts
        else [],
        plan=_ref(notice, pair.actual) if plan else None,
        progress_pct=None if plan else pct,
        formula=None if plan else pair.formula,
        status=TargetStatus.PLAN_ONLY if plan else status,
        status_text="只有计划数,没有完成数"
        if plan
        else f"通报写明完成{stated.quantity.text}"
        if stated is not None
        else f"完成{pair.formula}"
        if pair.formula
        else "",
        stated_rate=_ref(notice, stated) if stated else None,
        rate_check=_check(pair, stated),
    )


def _stated_row(notice: Notice, fact: Fact, index: int, actual: Fact | None = None) -> Target:
    """A completion rate the notice states with no target figure (城镇新增就业2860人,完成全年目标的71.5%)."""
    value = fact.quantity.value
    status = TargetStatus.IN_PROGRESS if value < 100 else TargetStatus.MET if value == 100 else TargetStatus.EXCEEDED
    return Target(
        id=f"r{index}", doc_id=notice.doc_id, **_named(*([actual] if actual else []), fact), period=_period(fact),
        kind=TargetKind.CUMULATIVE, stated_rate=_ref(notice, fact), progress_pct=value, status=status,
        actual=_ref(notice, actual) if actual else None, status_text=f"通报写明完成{fact.quantity.text}",
    )  # fmt: skip


def _reported_with(rate: Fact, facts: list[Fact], paired: set[str]) -> Fact | None:
    """The amount a stated rate is the completion of: the figure just before it in its clause group."""
    before = [
        f for f in facts
        if f.id not in paired and f.paragraph_id == rate.paragraph_id and f.group == rate.group
        and f.role == FactRole.ACTUAL and f.kind not in _RATES and f.kind != FactKind.COMPLETION
        and f.quantity.start < rate.quantity.start
    ]  # fmt: skip
    return before[-1] if before else None


def _unreported_row(notice: Notice, target: Fact, plans: list[Fact], index: int) -> Target:
    """A target the notice reports no result for: a plan for it is shown when a sentence gives one."""
    plan = next(
        (p for p in plans if p.paragraph_id == target.paragraph_id and similarity(target, p) >= MIN_SIMILARITY), None
    )
    done = None if plan else task_done(notice.paragraph(target.paragraph_id))
    status = TargetStatus.PLAN_ONLY if plan else TargetStatus.MET if done else TargetStatus.NO_ACTUAL
    return Target(
        id=f"r{index}", doc_id=notice.doc_id, **_named(target), period=_period(target),
        kind=TargetKind.FLOOR if target.quantity.qualifier == Qualifier.AT_LEAST else TargetKind.CUMULATIVE,
        direction=direction_of(target), target=_ref(notice, target), plan=_ref(notice, plan) if plan else None,
        status=status,
        status_text="只有计划数,没有完成数" if plan else f"通报写明:{done}" if done else "通报未给出完成数",
    )  # fmt: skip


def task_done(paragraph: Paragraph) -> str | None:
    """A table row whose progress cell says, and only says, that the task is done (进展情况:已完工。)."""
    for cell in paragraph.cells:
        if column_role(cell.header) not in (ColumnRole.ACTUAL, ColumnRole.PROGRESS):
            continue
        said = cell.text.strip(" 。.;；,，")
        if said and _done_phrase().fullmatch(said):
            return said
    return None


@lru_cache(maxsize=1)
def _done_phrase() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(vocabulary().done, key=len, reverse=True))
    if not words:
        return re.compile(r"(?!)")  # no done words: no row is read as done
    return re.compile(rf"(?:项目|工程|任务)?(?:均|均已|全部)?(?:{words})")


def _list_pairs(notice: Notice, facts: list[Fact], pairs: list[FactPair]) -> list[FactPair]:
    """One rate target set for a list of measures (二氧化硫、氮氧化物排放量下降3%) is the target of each: a result of
    the paragraph left unpaired, of another measure of that list, pairs with it too (二氧化硫…下降4.4%)."""
    taken = {p.target.id for p in pairs} | {p.actual.id for p in pairs}
    extra: list[FactPair] = []
    for pair in pairs:
        target = pair.target
        if target.kind not in _RATES:
            continue
        text = notice.paragraph(target.paragraph_id).text
        listed = text[target.clause[0] : target.quantity.start]
        if "、" not in listed:
            continue
        for fact in facts:
            if (
                fact.id not in taken and fact.paragraph_id == target.paragraph_id and fact.role == FactRole.ACTUAL
                and fact.kind == pair.actual.kind and fact.falls == pair.actual.falls
                and fact.quantity.start > target.quantity.start and similarity(target, fact) >= MIN_SIMILARITY
            ):  # fmt: skip
                taken.add(fact.id)
                extra.append(FactPair(target=target, actual=fact))
    return extra


def ledger_rows(notice: Notice, facts: list[Fact], pairs: list[FactPair] | None = None) -> list[Target]:
    """Every target of one notice with what was done, in reading order."""
    pairs = pair_facts(facts) if pairs is None else pairs
    pairs = pairs + _list_pairs(notice, facts, pairs)
    rows: list[Target] = []
    paired = {p.target.id for p in pairs} | {p.actual.id for p in pairs}
    for pair in pairs:
        both = (pair.target.kind, pair.actual.kind)
        if all(k in _RATES for k in both) or both == (FactKind.COMPLETION, FactKind.COMPLETION):
            rows.append(_rate_row(notice, pair, len(rows) + 1))  # 计划完成工程量5%, 实际完成6%: shares compared
            continue
        stated = next(
            (f for f in facts if f.kind == FactKind.COMPLETION and f.paragraph_id == pair.actual.paragraph_id
             and f.group in (pair.actual.group, pair.target.group)), None,
        )  # fmt: skip
        if stated is not None:
            paired.add(stated.id)
        rows.append(_count_row(notice, pair, len(rows) + 1, stated))
    for fact in facts:
        if fact.kind == FactKind.COMPLETION and fact.id not in paired and fact.role == FactRole.ACTUAL:
            actual = _reported_with(fact, facts, paired)
            if actual is not None:
                paired.add(actual.id)
            rows.append(_stated_row(notice, fact, len(rows) + 1, actual))
    plans = [f for f in facts if f.role == FactRole.PLAN and f.id not in paired]
    targets = [p.target for p in pairs]
    for fact in facts:
        if fact.role == FactRole.TARGET and fact.id not in paired and not _restates(fact, targets):
            rows.append(_unreported_row(notice, fact, plans, len(rows) + 1))
            targets.append(fact)
    return sorted(rows, key=lambda r: _position(r))


def _restates(fact: Fact, targets: list[Fact]) -> bool:
    """A target figure that repeats one already in the ledger (由年初设定的6%左右调整为…, a title restating the body's
    1000亿元): the same value and unit, in the same paragraph or of a like measure."""
    return any(
        t.quantity.value == fact.quantity.value and t.quantity.unit == fact.quantity.unit
        and (t.paragraph_id == fact.paragraph_id or similarity(t, fact) >= MIN_SIMILARITY)
        for t in targets
    )  # fmt: skip


def _position(row: Target) -> int:
    refs = [r for r in (row.target, row.actual, row.stated_rate, row.plan) if r is not None]
    return min(r.quantity.start for r in refs) if refs else 0


def build_ledger(notice: Notice) -> list[Target]:
    """The ledger of a notice on its own (profile and facts read here)."""
    return ledger_rows(notice, read_facts(notice, build_profile(notice)))


def format_pct(value: Decimal | None) -> str:
    """Progress for display: one decimal (rounded for display only)."""
    return "" if value is None else f"{value.quantize(Decimal('0.1'))}%"
