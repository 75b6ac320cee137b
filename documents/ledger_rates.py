"""Ledger rows from stated completion rates (`占…的101.73%`, `完成全年目标25%`) and done-of-total pairs."""

from __future__ import annotations

import re
from decimal import Decimal

from documents.ledger_rules import HUNDRED, _pct, _period, _ref, _segments
from documents.models import Notice, Paragraph, Quantity, QuantityKind, Target, TargetKind, TargetStatus
from documents.quantities import extract_quantities

# A completion rate: of a plan (占年度计划任务…的), of the year's target (完成全年目标), or of a whole (完成总投资的).
# A share of a total (占全市出口总额的47%) is not a completion rate and is left out.
_TARGET_CUE = re.compile(
    r"(?:占|完成)[^,，;；。]{0,12}(?:计划|任务|目标)[^,，;；。]{0,12}的$|完成(?:全年|年度)?(?:目标|任务|计划)的?$"
    r"|完成(?:投资)?率(?:达到?)?$"
)
_WHOLE_CUE = re.compile(r"完成[^,，;；。]{0,10}的$")
_DONE = re.compile(r"已(?:全部)?(?:完工|完成|开工|建成|化解|办结)")


def _rounding_bounds(q: Quantity) -> tuple[Decimal, Decimal] | None:
    """The interval a rounded figure stands for (5.19万 is 51,850 to 51,950); None if it is not plain digits."""
    digits = q.number_text.lstrip("-近约第").rstrip("%万亿")
    if not re.fullmatch(r"\d+(?:\.\d+)?", digits) or not Decimal(digits):
        return None  # 亿 (from 亿元以上), 40余万, 3-5亿, 百分之八十: no rounding to reason about
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    half = Decimal(5) * Decimal(10) ** (-decimals - 1) * (q.value / Decimal(digits))
    return q.value - half, q.value + half


def check_rate(actual: Quantity, target: Quantity, stated: Quantity) -> str | None:
    """None when the stated rate is what the rounded figures allow (or cannot be checked), else what disagrees."""
    bounds = [_rounding_bounds(q) for q in (actual, target, stated)]
    if None in bounds or bounds[1][0] <= 0:  # type: ignore[index]
        return None
    (a_low, a_high), (t_low, t_high), (s_low, s_high) = bounds  # type: ignore[misc]
    low, high = a_low / t_high * HUNDRED, a_high / t_low * HUNDRED
    if s_high < low or s_low > high:
        computed = actual.value / target.value * HUNDRED
        return f"stated {stated.number_text}, but {actual.number_text} / {target.number_text} = {_pct(computed)}"
    return None


def _subject(text: str) -> str:
    return re.sub(r"^(?:一季度|目前|其中|全市|我市|[,，、])+", "", text).strip() or text


def stated_rate_rows(notice: Notice, paragraph: Paragraph, exclude: set[int]) -> list[Target]:
    """Rows for rates the text states itself; their arithmetic is checked against the figures beside them."""
    rows: list[Target] = []
    for offset, sentence in _segments(paragraph.text, "。;；"):
        quantities = extract_quantities(sentence)
        for i, stated in enumerate(quantities):
            if stated.kind != QuantityKind.PERCENT:
                continue
            head = sentence[: stated.start]
            cue = _TARGET_CUE.search(head) or _WHOLE_CUE.search(head)
            if cue is None:
                continue
            clause_start = max(head.rfind(c, 0, cue.start()) for c in ",，") + 1
            relative = cue.re is _TARGET_CUE
            target_q = next(
                (q for q in quantities[:i] if q.start >= cue.start() and q.kind != QuantityKind.PERCENT), None
            )
            earlier = [q for q in quantities[:i] if q.end <= cue.start() and q.kind != QuantityKind.PERCENT]
            actual_q = (
                earlier[-1]
                if relative and earlier and earlier[-1].start >= head.rfind(",", 0, earlier[-1].start)
                else None
            )
            if actual_q is not None and paragraph.start + offset + actual_q.start in exclude:
                continue
            if actual_q is not None:
                name_start = max(sentence.rfind(c, 0, actual_q.start) for c in ",，、") + 1
                name = _subject(sentence[name_start : actual_q.start])
            else:
                name = _subject(sentence[clause_start : cue.start()].rstrip("已"))
            if not name:  # 赤壁长江公路大桥已合龙,完成总投资的91%: the subject is the sentence's first clause
                name = _subject(re.split(r"[,，]", sentence)[0])
            rate = _ref(paragraph, stated, offset)
            check = check_rate(actual_q, target_q, stated) if actual_q and target_q else None
            note = None
            if actual_q and not target_q and stated.value:
                implied = (actual_q.value / stated.value * HUNDRED).quantize(Decimal("0.1"))
                note = f"the stated rate implies a target of about {implied.normalize():f}{actual_q.unit}"
            done = stated.value >= HUNDRED
            rows.append(
                Target(
                    id=f"r{paragraph.id}.{len(rows) + 1}",
                    doc_id=notice.doc_id,
                    indicator=name,
                    period=_period(notice),
                    kind=TargetKind.CUMULATIVE,
                    target=_ref(paragraph, target_q, offset) if target_q else None,
                    actual=_ref(paragraph, actual_q, offset) if actual_q else None,
                    stated_rate=rate,
                    progress_pct=stated.value,
                    formula=(
                        f"{actual_q.value} / {target_q.value} = {_pct(actual_q.value / target_q.value * HUNDRED)}"
                        if actual_q and target_q
                        else f"stated: {stated.number_text}"
                    ),
                    status=TargetStatus.MET if done else TargetStatus.IN_PROGRESS,
                    status_text=f"{stated.number_text} done (as stated)",
                    rate_check=check,
                    note=note,
                )
            )
        rows += _done_of_total(notice, paragraph, offset, sentence, quantities, len(rows))
    return rows


def _done_of_total(
    notice: Notice, paragraph: Paragraph, offset: int, sentence: str, quantities: list[Quantity], numbered: int
) -> list[Target]:
    """`2020年94个小区…已完工27个`: a total, then how many of it are done (same unit, smaller)."""
    rows: list[Target] = []
    counts = [q for q in quantities if q.kind == QuantityKind.COUNT]
    for later in counts:
        cue = _DONE.search(sentence[max(0, later.start - 8) : later.start])
        if not cue:
            continue
        totals = [q for q in counts if q.end <= later.start and q.unit == later.unit and q.value > later.value]
        if not totals:
            continue
        total = totals[-1]
        progress = later.value / total.value * HUNDRED
        name_start = max(sentence.rfind(c, 0, total.start) for c in ",，;；") + 1
        rows.append(
            Target(
                id=f"r{paragraph.id}.{numbered + len(rows) + 1}",
                doc_id=notice.doc_id,
                indicator=_subject(sentence[name_start : later.start]),
                period=_period(notice),
                kind=TargetKind.CUMULATIVE,
                target=_ref(paragraph, total, offset),
                actual=_ref(paragraph, later, offset),
                progress_pct=progress,
                formula=f"{later.value} / {total.value} = {_pct(progress)}",
                status=TargetStatus.IN_PROGRESS if progress < HUNDRED else TargetStatus.MET,
                status_text=f"{later.number_text} of {total.number_text} done ({_pct(progress)})",
            )
        )
    return rows
