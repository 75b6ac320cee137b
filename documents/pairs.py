"""Pair each target fact with the actual fact that reports on it: the ledger is pairs of facts.

A target's actual is a fact of the same notice with the same kind (a growth for a growth target, an amount or count
for an amount or count, in the same unit family) whose measure words are most alike: the same clause first (增长
58.3%(目标10.5%)), then the same paragraph (3.新建5G基站1000座。…236座), then anywhere in the notice.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel, Field

from documents.facts import Fact, FactKind, FactRole
from documents.models import QuantityKind
from documents.vocabulary import vocabulary

_ACTUAL_ROLES = (FactRole.ACTUAL, FactRole.CUMULATIVE)
_RATE_KINDS = (FactKind.GROWTH, FactKind.LEVEL, FactKind.SHARE, FactKind.COMPLETION)
MIN_SIMILARITY = 0.34  # measure words two facts must share (bigram Dice) to be one target's pair across paragraphs


class FactPair(BaseModel):
    target: Fact
    actual: Fact
    parts: list[Fact] = Field(default_factory=list, description="actuals summed for a target of several kinds")
    progress_pct: Decimal | None = None  # actual / target × 100 for amounts and counts; None for rates
    formula: str = ""


def _grams(text: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return {r[i : i + 2] for r in runs for i in range(len(r) - 1)} | {r for r in runs if len(r) == 1}


def similarity(a: Fact, b: Fact) -> float:
    """Dice overlap of two facts' measure words (with their topics)."""
    ma, mb = vocabulary().expand(a.measure or a.topic), vocabulary().expand(b.measure or b.topic)
    if set(re.findall(r"\d+(?=[亿万千百]|元)", ma)) != set(re.findall(r"\d+(?=[亿万千百]|元)", mb)):
        return 0.0  # 10亿元以上项目 is not 亿元以上项目
    if ma and mb and min(len(ma), len(mb)) >= 2 and (ma in mb or mb in ma) and len(set(ma) & set(mb)) >= 2:
        return 1.0  # 开展 restates …开展心理健康讲座
    ga, gb = _grams(ma), _grams(mb)
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def _same_family(target: Fact, actual: Fact) -> bool:
    if target.kind in _RATE_KINDS or actual.kind in _RATE_KINDS:
        return target.quantity.kind == actual.quantity.kind == QuantityKind.PERCENT and (
            target.kind == actual.kind or FactKind.LEVEL in (target.kind, actual.kind)
        )
    if target.quantity.kind != actual.quantity.kind:
        return False
    t, a = target.quantity.unit, actual.quantity.unit
    return not t or not a or t[:1] == a[:1]


def _same_order(target: Fact, actual: Fact) -> bool:
    """A target and its actual are of one order of magnitude (5.48万批次 for 4.7万批次, not 每千人6.8批次)."""
    t, a = abs(target.quantity.value), abs(actual.quantity.value)
    if target.kind in _RATE_KINDS or not t or not a:
        return True
    return Decimal("0.02") <= a / t <= Decimal(5)


def _row_pair(target: Fact, actual: Fact) -> bool:
    from documents.columns import column_role
    from documents.models import ColumnRole

    return (
        target.paragraph_id == actual.paragraph_id and target.column is not None and actual.column is not None
        and column_role(target.column) == ColumnRole.TASK and column_role(actual.column) != ColumnRole.TASK
    )  # fmt: skip


def ratio(actual: Fact, target: Fact, parts: list[Fact] | None = None) -> tuple[Decimal, str] | None:
    """actual / target × 100 and its formula (`236 / 1000 = 23.6%`; with parts `3 + 1 + 2 = 6; 6 / 3 = 200.0%`)."""
    if actual.kind in _RATE_KINDS or not target.quantity.value:
        return None
    if parts:
        figures = sorted([actual, *parts], key=lambda f: f.quantity.start)
        total = sum((f.quantity.value for f in figures), Decimal(0))
        pct = total / target.quantity.value * 100
        summed = " + ".join(f.quantity.number_text for f in figures)
        return (
            pct,
            f"{summed} = {total.normalize():f}; "
            f"{total.normalize():f} / {target.quantity.number_text} = {pct.quantize(Decimal('0.1'))}%",
        )
    pct = actual.quantity.value / target.quantity.value * 100
    shown = f"{pct.quantize(Decimal('0.1'))}%"
    return pct, f"{actual.quantity.number_text} / {target.quantity.number_text} = {shown}"


def _parts(target: Fact, actual: Fact, actuals: list[Fact], used: set[str]) -> list[Fact]:
    """A target over several kinds (引进世界500强、中国500强、上市公司…项目不少于3个) met by one figure per kind in one
    sentence (引进世界500强企业投资项目3个;引进中国500强企业投资项目1个;…): those figures are summed."""
    if not re.search(r"[、或]", target.measure):
        return []
    found = [
        f for f in actuals
        if f.id not in used and f.id != actual.id and f.paragraph_id == actual.paragraph_id
        and abs(f.quantity.start - actual.quantity.start) <= 120 and f.quantity.unit == actual.quantity.unit
        and similarity(target, f) >= 0.3
        and f.measure != actual.measure
    ]  # fmt: skip
    return found if found else []


_DONE = re.compile(r"(?:已|均已|全部)?(?:完工|完成|建成|开工|竣工|投用|投入使用|到位|办结)")


def done_of_total(facts: list[Fact]) -> list[FactPair]:
    """A total and the part of it done, in one clause group (94个小区改造已全部开工,已完工27个): part / total."""
    pairs: list[FactPair] = []
    for i, total in enumerate(facts):
        if total.kind != FactKind.COUNT or total.role not in (*_ACTUAL_ROLES, FactRole.PLAN):
            continue
        for part in facts[i + 1 : i + 4]:
            if part.group != total.group or part.paragraph_id != total.paragraph_id or part.kind != FactKind.COUNT:
                continue
            if part.role not in _ACTUAL_ROLES:
                break  # 超额完成500个的年度目标任务 is the target, not a part done
            if part.quantity.unit[:1] != total.quantity.unit[:1] or part.quantity.value >= total.quantity.value:
                continue
            if re.fullmatch(_DONE.pattern + r"[\u4e00-\u9fff]{0,2}", part.measure):  # …,已完工27个: the verb alone
                found = ratio(part, total)
                if found:
                    pairs.append(FactPair(target=total, actual=part, progress_pct=found[0], formula=found[1]))
                break
    return pairs


_NOT_DONE = re.compile(r"未|没有|滞后|不到位")


def _pair_score(target: Fact, actual: Fact) -> float:
    """How surely an actual reports on a target: same clause, same group, same row, same paragraph, elsewhere."""
    alike = similarity(target, actual)
    same_paragraph = actual.paragraph_id == target.paragraph_id
    if "总投资" in actual.measure and "总投资" not in target.measure:
        return 0.0  # a project's total investment is its size, not what was done of an annual plan
    same_unit = target.quantity.unit and target.quantity.unit == actual.quantity.unit
    if (
        same_paragraph
        and actual.sentence == target.sentence
        and same_unit
        and actual.quantity.start < target.quantity.start
    ):
        return 2.2 + alike  # 抽样检验5.48万批次,…,超额完成4.7万批次的年度目标任务
    if _row_pair(target, actual):  # a table row: the task column's target, an actual column's result
        return 2.4 + (actual.period.end if actual.period else 0) / 100 + alike / 10
    if same_paragraph and actual.group == target.group:
        # one clause group is about one measure; two lists side by side (核减…3300万元、压减…) are not
        return (3.0 if actual.clause == target.clause else 2.5) + alike if alike >= MIN_SIMILARITY / 2 else 0.0
    if same_paragraph:
        return 2.0 + alike if alike >= MIN_SIMILARITY / 2 else 0.0
    return 1.0 + alike if alike >= MIN_SIMILARITY else 0.0


def _rate_confirmed(target: Fact, actual: Fact, completions: list[Fact]) -> float:
    """A pair the notice itself confirms: its stated completion rate beside the actual is actual / target
    (年度计划投资620亿元。…完成投资341.5亿元,完成年度计划的55.1%), however differently the two are worded."""
    if target.paragraph_id != actual.paragraph_id or target.role != FactRole.TARGET:
        return 0.0
    found = ratio(actual, target)
    if found is None:
        return 0.0
    stated = [c for c in completions if c.paragraph_id == actual.paragraph_id and c.group == actual.group]
    return 2.1 if any(abs(c.quantity.value - found[0]) <= Decimal("0.6") for c in stated) else 0.0


def _sole_pairs(facts: list[Fact], used: set[str]) -> list[FactPair]:
    """A paragraph left with one target of a unit and, after it, one result in that unit: the report of that
    target, however differently worded (报告提出…减轻企业税收和社保缴费负担近2万亿元…实际上…减税降费超过2.3万亿元)."""
    pairs: list[FactPair] = []
    left = [f for f in facts if f.id not in used and f.column is None]
    for key in dict.fromkeys((f.paragraph_id, f.quantity.unit) for f in left if f.role == FactRole.TARGET):
        same = [f for f in left if (f.paragraph_id, f.quantity.unit) == key]
        targets = [f for f in same if f.role == FactRole.TARGET]
        results = [f for f in same if f.role in _ACTUAL_ROLES]
        if len(targets) != 1 or len(results) != 1:
            continue
        target, actual = targets[0], results[0]
        if actual.quantity.start < target.quantity.start or not _same_family(target, actual):
            continue
        if not _same_order(target, actual):
            continue
        used |= {target.id, actual.id}
        found = ratio(actual, target)
        pairs.append(FactPair(target=target, actual=actual, progress_pct=found[0] if found else None,
                              formula=found[1] if found else ""))  # fmt: skip
    return pairs


def pair_facts(facts: list[Fact]) -> list[FactPair]:
    """Every target of a notice with its best actual (targets with none are left out), and done-of-total pairs
    for figures no target pair covers."""
    actuals = [f for f in facts if f.role in _ACTUAL_ROLES]
    completions = [f for f in facts if f.kind == FactKind.COMPLETION]
    candidates: list[tuple[float, Fact, Fact]] = []
    for target in (f for f in facts if f.role in (FactRole.TARGET, FactRole.PLAN)):
        in_row = target.column is not None
        for actual in actuals:
            if not _same_family(target, actual) or not _same_order(target, actual):
                continue
            if _NOT_DONE.search(actual.measure):
                continue  # 未按期开工两项 counts what was not done: no result of the target
            if target.role == FactRole.PLAN and actual.sentence != target.sentence:
                continue  # 计划…,实际… are said together
            if in_row and actual.paragraph_id != target.paragraph_id:
                continue  # a table row's target is reported in its own row
            score = _pair_score(target, actual) or _rate_confirmed(target, actual, completions)
            if score:
                candidates.append((score, target, actual))
    pairs: list[FactPair] = []
    used: set[str] = set()
    for _, target, actual in sorted(candidates, key=lambda c: -c[0]):  # best first, each figure in one pair
        if target.id in used or actual.id in used:
            continue
        used |= {target.id, actual.id}
        parts = _parts(target, actual, actuals, used)
        used |= {p.id for p in parts}
        found = ratio(actual, target, parts)
        pairs.append(FactPair(target=target, actual=actual, parts=parts, progress_pct=found[0] if found else None,
                              formula=found[1] if found else ""))  # fmt: skip
    pairs += _sole_pairs(facts, used)
    pairs.sort(key=lambda p: (p.target.paragraph_id, p.target.quantity.start))
    taken = {p.actual.id for p in pairs} | {p.target.id for p in pairs}
    return pairs + [p for p in done_of_total(facts) if p.actual.id not in taken and p.target.id not in taken]
