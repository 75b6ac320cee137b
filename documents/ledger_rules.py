"""The three readings that fill the target ledger (see documents/ledger.py for the rules in words)."""

from __future__ import annotations

import re
from decimal import Decimal

from documents.models import (
    FigureRef,
    Notice,
    Paragraph,
    Qualifier,
    Quantity,
    QuantityKind,
    Target,
    TargetKind,
    TargetStatus,
)
from documents.quantities import extract_quantities
from documents.series import notice_period

_RATE_KINDS = (QuantityKind.PERCENT,)
_PLAN = re.compile(r"计划|拟|预计|将于")
_ABBREVIATIONS = {"技改": "技术改造", "科创": "科技创业", "规上": "规模以上"}
_CEILING_NAMES = re.compile(r"失业率|价格|涨幅|CPI")
HUNDRED = Decimal(100)
_FALL = re.compile(r"(?:下降|下滑|回落|减少)$")
# `(目标10.5%)`, `(预期目标7.8%左右)`, `（预期目标控制在5.5%以内）`: the target in brackets after the actual
INDICATOR_TARGET = re.compile(r"[(（](?:年度|全年)?(?:预期)?目标([^)）]*)[)）]")


def _ref(paragraph: Paragraph, quantity: Quantity, offset: int = 0) -> FigureRef:
    """A quantity found at `offset` in the paragraph, re-anchored to the notice text."""
    shift = paragraph.start + offset
    moved = quantity.model_copy(update={"start": quantity.start + shift, "end": quantity.end + shift})
    return FigureRef(paragraph_id=paragraph.id, quantity=moved)


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))}%"


def _period(notice: Notice) -> str:
    return notice_period(notice)[1] or ""


def _segments(text: str, marks: str) -> list[tuple[int, str]]:
    """(offset, text) of the pieces of `text` between any of `marks`."""
    pieces, start = [], 0
    for i, char in enumerate(text):
        if char in marks:
            if text[start:i].strip():
                pieces.append((start, text[start:i]))
            start = i + 1
    if text[start:].strip():
        pieces.append((start, text[start:]))
    return pieces


def _tokens(text: str) -> set[str]:
    for short, full in _ABBREVIATIONS.items():
        text = text.replace(short, full)
    grams: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+|\d+(?:\.\d+)?", text):
        if run[0].isdigit() or len(run) == 1:
            grams.add(run)
        else:
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams - {"一季", "季度", "全市", "我市", "引进", "完成"}


def _similarity(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def _coverage(part: str, text: str) -> float:
    """Share of a subject element's tokens found in a clause."""
    tokens = _tokens(part)
    return len(tokens & _tokens(text)) / len(tokens) if tokens else 0.0


def _compatible(target: Quantity, actual: Quantity) -> bool:
    if target.kind in _RATE_KINDS or actual.kind in _RATE_KINDS:
        return target.kind == actual.kind
    return target.kind == actual.kind and (target.unit == actual.unit or not target.unit or not actual.unit)


def _rate_row(row_id: str, notice: Notice, name: str, kind: TargetKind, target: FigureRef, actual: FigureRef) -> Target:
    t, a = target.quantity.value, actual.quantity.value
    diff = a - t
    if kind == TargetKind.CEILING:
        within = a <= t
        status = TargetStatus.WITHIN_CEILING if within else TargetStatus.ABOVE_CEILING
        where = "within" if within else "above"
        text = f"{actual.quantity.number_text}, {where} the {target.quantity.number_text} ceiling"
    elif diff > 0:
        status, text = (
            TargetStatus.EXCEEDED,
            f"exceeded the {target.quantity.number_text} target by {diff} percentage points",
        )
    elif diff == 0:
        status, text = TargetStatus.MET, f"met the {target.quantity.number_text} target"
    else:
        status, text = (
            TargetStatus.BELOW_TARGET,
            f"{-diff} percentage points below the {target.quantity.number_text} target",
        )
    return Target(
        id=row_id,
        doc_id=notice.doc_id,
        indicator=name,
        period=_period(notice),
        kind=kind,
        target=target,
        actual=actual,
        formula=f"{a} − {t} = {diff} percentage points",
        status=status,
        status_text=text,
    )


def _indicator_name(text: str) -> str:
    name = re.split(r"[,，]", text)[-1]
    name = re.sub(r"^(?:我市|全市|我县|全县|我区|全区)?(?:实现)?", "", name)
    return re.sub(r"(?:同比)?(?:增长|增速|下降|下滑|回落|上涨)$", "", name).strip() or text.strip()


def indicator_rows(notice: Notice, paragraph: Paragraph) -> list[Target]:
    """Headline indicators: `名称增长58.3%(目标10.5%)`, one row per segment."""
    rows: list[Target] = []
    for offset, segment in _segments(paragraph.text, ";；。"):
        found = INDICATOR_TARGET.search(segment)
        if not found:
            continue
        before = [q for q in extract_quantities(segment[: found.start()]) if q.kind != QuantityKind.RANK]
        inside = extract_quantities(found.group(1))
        if not before or not inside:
            continue
        actual_q, target_q = before[-1], inside[0]
        if _FALL.search(segment[: actual_q.start]) and actual_q.value > 0:  # 下降1.8% is a growth of -1.8%
            actual_q = actual_q.model_copy(update={"value": -actual_q.value})
        name = _indicator_name(segment[: actual_q.start])
        if target_q.qualifier == Qualifier.AT_MOST or _CEILING_NAMES.search(name):
            kind = TargetKind.CEILING
        else:
            kind = TargetKind.FLOOR if target_q.qualifier == Qualifier.AT_LEAST else TargetKind.GROWTH_RATE
        target = _ref(paragraph, target_q, offset + found.start(1))
        rows.append(_rate_row(f"i{len(rows) + 1}", notice, name, kind, target, _ref(paragraph, actual_q, offset)))
    return rows


def _count_row(
    row_id: str, notice: Notice, name: str, target: FigureRef, parts: list[FigureRef], kind: TargetKind
) -> Target:
    total = sum((p.quantity.value for p in parts), Decimal(0))
    t = target.quantity.value
    progress = total / t * HUNDRED if t else None
    sum_text = " + ".join(p.quantity.number_text for p in parts)
    actual = parts[0] if len(parts) == 1 else None
    formula = f"{sum_text} = {total}; " if len(parts) > 1 else ""
    formula += f"{total} / {t} = {_pct(progress)}" if progress is not None else ""
    if progress is not None and progress >= HUNDRED:
        status = TargetStatus.EXCEEDED if total > t else TargetStatus.MET
        text = f"{'exceeded' if total > t else 'met'}: {total} against a target of {target.quantity.number_text}"
    else:
        status, text = TargetStatus.IN_PROGRESS, f"{_pct(progress or Decimal(0))} of the target done"
    return Target(
        id=row_id,
        doc_id=notice.doc_id,
        indicator=name,
        period=_period(notice),
        kind=kind,
        target=target,
        actual=actual,
        parts=parts if len(parts) > 1 else [],
        progress_pct=progress,
        formula=formula,
        status=status,
        status_text=text,
    )


def _sub_targets(paragraph: Paragraph) -> list[tuple[str, FigureRef]]:
    heading = paragraph.heading or ""
    base = len(paragraph.marker or "")
    found: list[tuple[str, FigureRef]] = []
    for offset, clause in _segments(heading, ";；,，。"):
        pieces = _segments(clause, "、")
        if not all(_measures(piece) for _, piece in pieces):
            pieces = [(0, clause)]  # 、 lists the subject's parts (A、B或C…3个), not several targets
        for inner, piece in pieces:
            measures = _measures(piece)
            if measures:
                measure = measures[-1]
                subject = (piece[: measure.start] + piece[measure.end :]).strip()
                found.append((subject, _ref(paragraph, measure, base + offset + inner)))
    return found


def _measures(text: str) -> list[Quantity]:
    return [q for q in extract_quantities(text) if q.kind not in (QuantityKind.RANK, QuantityKind.YEAR_SPAN)]


def item_rows(notice: Notice, paragraph: Paragraph) -> list[Target]:
    """A numbered target item: its first sentence sets sub-targets, the rest reports (or plans) them."""
    targets = _sub_targets(paragraph)
    if not targets:
        return []
    rest_start = len(paragraph.marker or "") + len(paragraph.heading or "")
    rest = paragraph.text[rest_start:]
    assigned: dict[int, list[tuple[float, FigureRef, str, bool]]] = {}
    for offset, clause in _segments(rest, ";；,，。"):
        quantities = _measures(clause)
        if not quantities:
            continue
        plan = (
            _PLAN.search(rest[: offset + 1][rest.rfind("。", 0, offset) + 1 :] + clause[: quantities[-1].start])
            is not None
        )
        scored = [
            (_similarity(subject, clause), i)
            for i, (subject, target) in enumerate(targets)
            if _compatible(target.quantity, quantities[-1])
        ]
        if not scored:
            continue
        score, best = max(scored)
        only = len(scored) == 1 and targets[best][1].quantity.unit == quantities[-1].unit != ""
        if score >= 0.2 or only:  # the one target counted in this unit (亩) takes the one figure in it
            ref = _ref(paragraph, quantities[-1], rest_start + offset)
            assigned.setdefault(best, []).append((score, ref, clause, plan))
    rows: list[Target] = []
    marker_id = (paragraph.marker or "").strip(".．、)）")
    for i, (subject, target) in enumerate(targets):
        row_id = f"t{marker_id}.{i + 1}"
        name = subject.strip(",\uff0c ")  # noqa: B005 - a set of separators
        found = assigned.get(i, [])
        results = [f for f in found if not f[3]]
        plans = [f for f in found if f[3]]
        kind = _item_kind(target.quantity)
        if (
            results
            and kind in (TargetKind.GROWTH_RATE, TargetKind.SHARE)
            or results
            and target.quantity.kind in _RATE_KINDS
        ):
            best = max(results, key=lambda f: f[0])
            rows.append(
                _rate_row(
                    row_id, notice, name, kind if kind != TargetKind.CUMULATIVE else TargetKind.FLOOR, target, best[1]
                )
            )
        elif results:
            parts = (
                [f[1] for f in results]
                if _is_enumeration(subject, [f[2] for f in results])
                else [max(results, key=lambda f: f[0])[1]]
            )
            rows.append(_count_row(row_id, notice, name, target, parts, kind))
        else:
            plan = max(plans, key=lambda f: f[0])[1] if plans else None
            rows.append(
                Target(
                    id=row_id,
                    doc_id=notice.doc_id,
                    indicator=name,
                    period=_period(notice),
                    kind=kind,
                    target=target,
                    plan=plan,
                    status=TargetStatus.PLAN_ONLY if plan else TargetStatus.NO_ACTUAL,
                    status_text=(
                        f"the notice gives a plan ({plan.quantity.text}), not a result"
                        if plan
                        else "the notice reports no figure for this target yet"
                    ),
                )
            )
    return rows


def _item_kind(target: Quantity) -> TargetKind:
    if target.kind == QuantityKind.PERCENT:
        return TargetKind.FLOOR if target.qualifier == Qualifier.AT_LEAST else TargetKind.SHARE
    if target.qualifier == Qualifier.AT_LEAST:
        return TargetKind.FLOOR
    if target.qualifier == Qualifier.AT_MOST:
        return TargetKind.CEILING
    return TargetKind.CUMULATIVE


def _is_enumeration(subject: str, clauses: list[str]) -> bool:
    """Several actual clauses each covering a different element of a listed subject (A、B或C) are summed."""
    if len(clauses) < 2 or not re.search(r"[、或和]", subject):
        return False
    elements = [e for e in re.split(r"[、或和]", subject) if e.strip()]
    covered = set()
    for clause in clauses:
        best = max(range(len(elements)), key=lambda i: _coverage(elements[i], clause))
        covered.add(best)
    return len(covered) == len(clauses)
