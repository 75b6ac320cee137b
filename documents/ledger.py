"""The target ledger: pairs of facts (a target and the actual that reports on it) with progress and status.

Built from the fact table (documents/fact_reader.py) and its pairs (documents/pairs.py): a rate target gets the
gap in percentage points and met/exceeded/below (within/above for a ceiling such as 失业率4.5%以内); an amount or
count target gets actual / target. A completion rate the notice states with no target beside it (完成总投资的91%)
is a row of its own, quoted as stated.
"""

from __future__ import annotations

from decimal import Decimal

from documents.fact_reader import read_facts
from documents.facts import Fact, FactKind, FactRole
from documents.models import FigureRef, Notice, Qualifier, Target, TargetKind, TargetStatus
from documents.pairs import FactPair, pair_facts
from documents.profile import build_profile
from documents.vocabulary import vocabulary

_RATES = (FactKind.GROWTH, FactKind.LEVEL, FactKind.SHARE)


def _ref(notice: Notice, fact: Fact) -> FigureRef:
    shift = notice.paragraph(fact.paragraph_id).start
    q = fact.quantity
    return FigureRef(paragraph_id=fact.paragraph_id, quantity=q.model_copy(update={"start": q.start + shift, "end": q.end + shift}))


def _period(fact: Fact) -> str:
    return fact.period.label if fact.period else ""


def _rate_row(notice: Notice, pair: FactPair, index: int) -> Target:
    t, a = pair.target.quantity, pair.actual.quantity
    gap = a.value - t.value
    ceiling = t.qualifier == Qualifier.AT_MOST or any(w in pair.actual.measure for w in vocabulary().ceilings)
    if ceiling:
        status = TargetStatus.WITHIN_CEILING if a.value <= t.value else TargetStatus.ABOVE_CEILING
        text = f"{a.number_text}, {'within' if a.value <= t.value else 'above'} the {t.number_text} ceiling"
    else:
        status = TargetStatus.EXCEEDED if gap > 0 else TargetStatus.MET if gap == 0 else TargetStatus.BELOW_TARGET
        text = f"{a.number_text} against {t.number_text}: {gap.normalize():f} percentage points"
    return Target(
        id=f"r{index}", doc_id=notice.doc_id, indicator=pair.actual.subject or pair.target.subject,
        period=_period(pair.actual), kind=TargetKind.CEILING if ceiling else TargetKind.GROWTH_RATE,
        target=_ref(notice, pair.target), actual=_ref(notice, pair.actual),
        formula=f"{a.number_text} − {t.number_text} = {gap.normalize():f}个百分点", status=status, status_text=text,
    )  # fmt: skip


def _count_row(notice: Notice, pair: FactPair, index: int) -> Target:
    pct = pair.progress_pct
    floor = pair.target.quantity.qualifier == Qualifier.AT_LEAST
    status = TargetStatus.IN_PROGRESS if pct is None or pct < 100 else TargetStatus.MET if pct == 100 else TargetStatus.EXCEEDED
    plan = pair.actual.role == FactRole.PLAN
    return Target(
        id=f"r{index}", doc_id=notice.doc_id, indicator=pair.target.subject or pair.actual.subject,
        period=_period(pair.actual), kind=TargetKind.FLOOR if floor else TargetKind.CUMULATIVE,
        target=_ref(notice, pair.target), actual=None if plan else _ref(notice, pair.actual),
        plan=_ref(notice, pair.actual) if plan else None, progress_pct=None if plan else pct,
        formula=None if plan else pair.formula, status=TargetStatus.PLAN_ONLY if plan else status,
        status_text="a plan, not a result" if plan else f"{pair.formula}" if pair.formula else "",
    )  # fmt: skip


def _stated_row(notice: Notice, fact: Fact, index: int) -> Target:
    value = fact.quantity.value
    status = TargetStatus.IN_PROGRESS if value < 100 else TargetStatus.MET if value == 100 else TargetStatus.EXCEEDED
    return Target(
        id=f"r{index}", doc_id=notice.doc_id, indicator=fact.subject, period=_period(fact),
        kind=TargetKind.CUMULATIVE, stated_rate=_ref(notice, fact), progress_pct=value, status=status,
        status_text=f"{fact.quantity.text} as the notice states",
    )  # fmt: skip


def ledger_rows(notice: Notice, facts: list[Fact], pairs: list[FactPair] | None = None) -> list[Target]:
    """Every target of one notice with what was done, in reading order."""
    pairs = pair_facts(facts) if pairs is None else pairs
    rows: list[Target] = []
    paired = {p.target.id for p in pairs} | {p.actual.id for p in pairs}
    for pair in pairs:
        row = _rate_row if pair.target.kind in _RATES and pair.actual.kind in _RATES else _count_row
        rows.append(row(notice, pair, len(rows) + 1))
    for fact in facts:
        if fact.kind == FactKind.COMPLETION and fact.id not in paired and fact.role == FactRole.ACTUAL:
            rows.append(_stated_row(notice, fact, len(rows) + 1))
    order = {f.id: i for i, f in enumerate(facts)}
    key = {r.id: min(order.get(p.target.id, 0), order.get(p.actual.id, 0)) for r, p in zip(rows, pairs, strict=False)}
    return sorted(rows, key=lambda r: key.get(r.id, len(facts)))


def build_ledger(notice: Notice) -> list[Target]:
    """The ledger of a notice on its own (profile and facts read here)."""
    return ledger_rows(notice, read_facts(notice, build_profile(notice)))


def format_pct(value: Decimal | None) -> str:
    """Progress for display: one decimal (rounded for display only)."""
    return "" if value is None else f"{value.quantize(Decimal('0.1'))}%"
