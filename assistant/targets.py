"""Answers from the target ledger: the notice's own clause, the target, and progress with its formula."""

from __future__ import annotations

from decimal import Decimal

from assistant.compose import Draft, english_figure, figure_of
from assistant.evidence import Evidence, Pick, make_evidence
from assistant.models import Answer, Derived
from assistant.question import Question
from documents.models import FigureRef, Notice, QuantityKind, Target, TargetKind, TargetStatus
from documents.quantities import extract_quantities
from documents.series import period_label
from documents.spans import Span, clauses, expand_to_sentence

_STATUS_ZH = {
    TargetStatus.EXCEEDED: "超过目标",
    TargetStatus.MET: "达到目标",
    TargetStatus.WITHIN_CEILING: "控制在目标以内",
    TargetStatus.ABOVE_CEILING: "高于目标上限",
    TargetStatus.BELOW_TARGET: "低于目标",
}
_RATE_KINDS = (TargetKind.GROWTH_RATE, TargetKind.CEILING, TargetKind.FLOOR, TargetKind.SHARE)


def refs_of(row: Target) -> list[FigureRef]:
    return [r for r in (row.actual, row.target, row.stated_rate, row.plan, *row.parts) if r is not None]


def row_for_pick(pick: Pick, ledger: list[Target], whole_sentence: bool) -> Target | None:
    """The ledger row with a figure inside the picked clause; failing that (when asked), in its sentence."""
    paragraph = pick.evidence.paragraph
    spans = [pick.clause]
    if whole_sentence and not pick.quantities:
        spans.append(expand_to_sentence(paragraph.text, pick.clause))
    rows = [row for row in ledger if row.doc_id == paragraph.doc_id]
    for span in spans:
        start, end = paragraph.start + span.start, paragraph.start + span.end
        inside = [
            (abs(r.quantity.start - paragraph.start - pick.clause.start), row)
            for row in rows
            for r in refs_of(row)
            if r.paragraph_id == paragraph.id and start <= r.quantity.start < end
        ]
        if inside:
            return min(inside, key=lambda pair: pair[0])[1]
    return None


def clause_of(notice: Notice, ref: FigureRef, narrow: bool = True) -> str:
    """The clause of the notice holding a figure; narrowed to its 、-piece when that piece has its own figure."""
    paragraph = notice.paragraph(ref.paragraph_id)
    offset = ref.quantity.start - paragraph.start
    clause = next(
        (c for c in clauses(paragraph.text) if c.start <= offset < c.end), Span(0, len(paragraph.text), paragraph.text)
    )
    if clause.start == 0 and paragraph.marker and clause.text.startswith(paragraph.marker):
        clause = Span(len(paragraph.marker), clause.end, clause.text[len(paragraph.marker) :])
    pieces = clause.text.split("、")
    if narrow and len(pieces) > 1 and all(extract_quantities(piece) for piece in pieces):
        cursor = clause.start
        for piece in pieces:
            if cursor <= offset < cursor + len(piece):
                return piece.strip()
            cursor += len(piece) + 1
    return clause.text.strip()


def target_answer(
    question: Question, row: Target, notice: Notice, evidence: list[Evidence], score: float = 0.9
) -> Answer:
    """State the row's figures as the notice writes them, its progress with the formula, and cite them."""
    english = question.language == "en"
    draft = Draft(question)
    markers: dict[str, int] = {}
    for ref in refs_of(row):
        hit = next((e for e in evidence if e.notice.doc_id == row.doc_id and e.paragraph.id == ref.paragraph_id), None)
        ev = hit or make_evidence(evidence[0].hit.model_copy(), notice, ref.paragraph_id)
        markers[ref.paragraph_id] = draft.cite(ev)
    for role, ref in (("actual", row.actual), ("target", row.target), ("rate", row.stated_rate), ("plan", row.plan)):
        if ref is not None:
            draft.figures.append(figure_of(ref.quantity, ref.paragraph_id, role))
    draft.figures += [figure_of(p.quantity, p.paragraph_id, "actual") for p in row.parts]
    derived = _derived(row)
    period = period_label(notice, english)
    marker = "".join(f"[{n}]" for n in sorted(set(markers.values())))
    text = _english(row, notice, period, derived) if english else _chinese(row, notice, period, derived)
    draft.pieces.append(text.replace("{cite}", marker))
    if row.rate_check:
        draft.pieces.append(
            f" ⚠ 通报所述比例与数字不一致:{row.rate_check}" if not english else f" Note: {row.rate_check}."
        )
    return draft.answer(confidence=score, intent=f"target:{row.kind.value}", derived=derived)


def _derived(row: Target) -> list[Derived]:
    """What the answer computes: progress (and the sum of parts), a rate gap, or our check of a stated rate."""
    if row.progress_pct is not None and row.stated_rate is None:
        found = [Derived(name="progress_pct", value=row.progress_pct.quantize(Decimal("0.1")), formula=_ratio(row))]
        if row.parts:
            total = sum((p.quantity.value for p in row.parts), Decimal(0))
            found.append(Derived(name="actual_total", value=total, formula=(row.formula or "").split(";")[0]))
        return found
    if row.rate_check and row.actual and row.target and row.target.quantity.value:
        ours = (row.actual.quantity.value / row.target.quantity.value * 100).quantize(Decimal("0.1"))
        return [Derived(name="computed_pct", value=ours, formula=row.rate_check)]
    if row.kind in _RATE_KINDS and row.actual and row.target and row.actual.quantity.kind == QuantityKind.PERCENT:
        diff = row.actual.quantity.value - row.target.quantity.value
        return [Derived(name="difference_pp", value=diff, formula=row.formula or "")]
    return []


def _ratio(row: Target) -> str:
    """The division alone ('6 / 3 = 200.0%'), without the sum that may precede it."""
    return (row.formula or "").split("; ")[-1]


def _is_rate(row: Target) -> bool:
    return row.kind in _RATE_KINDS and row.actual is not None and row.actual.quantity.kind == QuantityKind.PERCENT


def _chinese(row: Target, notice: Notice, period: str, derived: list[Derived]) -> str:
    target = clause_of(notice, row.target) if row.target else ""
    if row.status in (TargetStatus.PLAN_ONLY, TargetStatus.NO_ACTUAL):
        tail = (
            f"通报给出的是计划数({clause_of(notice, row.plan, narrow=False)}),不是完成数,无法计算进度"
            if row.plan
            else f"通报未给出{period}的完成数"
        )
        return f"目标:{target}{{cite}};{tail}。"
    if _is_rate(row):
        actual = clause_of(notice, row.actual)  # type: ignore[arg-type]
        gap = f"{abs(derived[0].value)}个百分点" if derived and row.kind != TargetKind.CEILING else ""
        status = _STATUS_ZH.get(row.status, "")
        if f"目标{row.target.quantity.text}" in actual or not row.target:  # type: ignore[union-attr]
            return f"{actual}{{cite}},{status}{gap}。"
        return f"{actual}{{cite}};目标{row.target.quantity.text},{status}{gap}。"  # type: ignore[union-attr]
    if row.stated_rate is not None:
        said = clause_of(notice, row.actual) + "," if row.actual else ""
        return f"{said}{clause_of(notice, row.stated_rate)}{{cite}}(比例为通报所述)。"
    done = ";".join(clause_of(notice, p) for p in row.parts) if row.parts else clause_of(notice, row.actual)  # type: ignore[arg-type]
    total = f",合计{row.formula.split(';')[0]}" if row.parts and row.formula else ""  # 3 + 1 + 2 = 6
    progress = f",完成{derived[0].formula}" if derived else ""
    goal = f"目标{target}" if target not in done else f"总数{row.target.quantity.text}"  # type: ignore[union-attr]
    return f"{done}{{cite}};{goal}{total}{progress}。"


def _english(row: Target, notice: Notice, period: str, derived: list[Derived]) -> str:
    target = english_figure(row.target.quantity) if row.target else ""
    source = f'(the notice: "{clause_of(notice, row.actual or row.target or row.stated_rate)}")' if refs_of(row) else ""  # type: ignore[arg-type]
    if row.status in (TargetStatus.PLAN_ONLY, TargetStatus.NO_ACTUAL):
        tail = (
            f"the notice gives only a plan ({row.plan.quantity.text}), not a result"
            if row.plan
            else "the notice reports no result yet"
        )
        return f"The target is {target} {source}{{cite}}; {tail}."
    if row.parts:
        actual = " + ".join(english_figure(p.quantity) for p in row.parts)
    else:
        actual = english_figure(row.actual.quantity) if row.actual else ""
    if _is_rate(row):
        return f"In {period}: {actual} against a target of {target} — {row.status_text} {source}{{cite}}."
    if row.stated_rate is not None:
        done = row.stated_rate.quantity.text
        return f"In {period}, {done} of the target was done, as the notice states {source}{{cite}}."
    formula = derived[0].formula if derived else ""
    return f"In {period}: {actual} against a target of {target}, so {formula} complete {source}{{cite}}."
