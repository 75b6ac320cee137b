"""Answer templates (no LLM): quote the notice's own clauses, state figures as written, cite them."""

from __future__ import annotations

from decimal import Decimal

from assistant.clauses import expand_to_sentence
from assistant.evidence import Evidence, Pick
from assistant.models import Answer, Citation, Derived, Figure
from assistant.question import Question
from documents.models import Quantity, QuantityKind
from documents.series import period_label

_MAGNITUDE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def citation_for(evidence: Evidence) -> Citation:
    p = evidence.paragraph
    return Citation(
        doc_id=p.doc_id, paragraph_id=p.id, breadcrumb=p.breadcrumb_text, text=p.text, start=p.start, end=p.end
    )


def english_figure(q: Quantity) -> str:
    """'3.7万 (37,000)' for figures written with 万/亿, the figure itself otherwise."""
    if any(m in q.number_text for m in _MAGNITUDE) and q.kind not in (QuantityKind.PERCENT,):
        plain = f"{q.value.normalize():,f}".rstrip("0").rstrip(".") if "." in f"{q.value:f}" else f"{q.value:,}"
        return f"{q.number_text} ({plain})"
    return q.number_text


def figure_of(q: Quantity, paragraph_id: str, role: str = "figure") -> Figure:
    return Figure(text=q.text, value=q.value, unit=q.unit, role=role, paragraph_id=paragraph_id)


class Draft:
    """An answer being assembled: text pieces with citation markers, citations, figures."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.pieces: list[str] = []
        self.citations: list[Citation] = []
        self.figures: list[Figure] = []

    def cite(self, evidence: Evidence) -> int:
        for i, c in enumerate(self.citations):
            if c.doc_id == evidence.paragraph.doc_id and c.paragraph_id == evidence.paragraph.id:
                return i + 1
        self.citations.append(citation_for(evidence))
        return len(self.citations)

    def answer(self, confidence: float, intent: str, derived: list | None = None) -> Answer:
        return Answer(
            question=self.question.raw,
            answer="".join(self.pieces).strip(),
            citations=self.citations,
            figures=self.figures,
            derived=derived or [],
            confidence=round(max(0.0, min(1.0, confidence)), 3),
            language=self.question.language,
            intent=intent,
        )


def quote_picks(draft: Draft, picks: list[Pick], label_periods: bool) -> None:
    """Quote the chosen clauses, merged per sentence, in reading order, each with its citation marker."""
    english = draft.question.language == "en"
    by_sentence: dict[tuple[str, str, int], list[Pick]] = {}
    for pick in picks:
        sentence = expand_to_sentence(pick.evidence.paragraph.text, pick.clause)
        key = (pick.evidence.notice.doc_id, pick.evidence.paragraph.id, sentence.start)
        by_sentence.setdefault(key, []).append(pick)
    lines: list[str] = []
    for group in sorted(by_sentence.values(), key=lambda g: (g[0].evidence.paragraph.start, g[0].clause.start)):
        text = group[0].evidence.paragraph.text
        start = min(p.lead.start if p.lead else p.clause.start for p in group)
        marker_text = group[0].evidence.paragraph.marker or ""
        if start == 0 and marker_text and text.startswith(marker_text):
            start = len(marker_text)  # "7." numbers the item; it is not part of what the notice says
        end = max(p.clause.end for p in group)
        quote = text[start:end].strip(",\uff0c;\uff1b:\uff1a ")  # noqa: B005 - a set of separators
        marker = draft.cite(group[0].evidence)
        for pick in group:
            for q in pick.quantities:
                draft.figures.append(figure_of(q, pick.evidence.paragraph.id))
        prefix = f"{period_label(group[0].evidence.notice, english)}: " if label_periods else ""
        if english:
            figures = [english_figure(q) for p in group for q in p.quantities]
            tail = f" — that is {'; '.join(figures)}" if figures and any("(" in f for f in figures) else ""
            lines.append(f'{prefix}the notice states "{quote}"{tail} [{marker}]')
        else:
            lines.append(f"{prefix}{quote}[{marker}]")
    if english:
        draft.pieces.append("According to the notice, " + "; ".join(lines) + ".")
    else:
        draft.pieces.append(";".join(lines) + "。")


def refusal(question: Question, reason: str, closest: Evidence | None) -> Answer:
    """A clear 'not covered' that states no figure; it may point to the closest paragraph by its heading."""
    english = question.language == "en"
    if english:
        text = f"The notices do not cover this ({reason})."
        if closest:
            heading = closest.paragraph.breadcrumb[0] if closest.paragraph.breadcrumb else closest.notice.title
            text += f" The closest related passage is under “{heading}”."
    else:
        text = f"通报中没有涉及这个问题({reason})。"
        if closest:
            heading = closest.paragraph.breadcrumb[0] if closest.paragraph.breadcrumb else closest.notice.title
            text += f"最接近的内容见“{heading}”。"
    return Answer(
        question=question.raw, answer=text, refused=True, confidence=0.0, language=question.language, intent="refuse"
    )


def merge_answers(question: Question, labelled: list[tuple[str, Answer]]) -> Answer:
    """One answer from several notices' answers, each line labelled with its period, markers renumbered."""
    english = question.language == "en"
    lines, citations, figures, derived = [], [], [], []
    for label, answer in labelled:
        text = answer.answer
        for number in range(len(answer.citations), 0, -1):  # highest first, so [1] never rewrites [10]
            text = text.replace(f"[{number}]", f"[{number + len(citations)}]")
        lines.append(f"{label}: {text}")
        citations += answer.citations
        figures += answer.figures
        derived += answer.derived
    return Answer(
        question=question.raw,
        answer=(" " if english else "").join(lines),
        citations=citations,
        figures=figures,
        derived=derived,
        confidence=max(a.confidence for _, a in labelled),
        language=question.language,
        intent=labelled[0][1].intent,
    )


def with_difference(merged: Answer, parts: list[Answer]) -> Answer:
    """Append later − earlier for the actual of each period's answer, when both measure the same thing."""
    firsts = [next((f for f in a.figures if f.role in ("actual", "figure")), None) for a in parts]
    if len(firsts) != 2 or firsts[0] is None or firsts[1] is None or firsts[0].unit != firsts[1].unit:
        return merged
    earlier, later = firsts
    diff = later.value - earlier.value
    percent = later.unit == "%"
    unit = ("个百分点" if merged.language == "zh" else " percentage points") if percent else later.unit
    shown = f"{diff.normalize():f}{unit}"
    formula = f"{later.text} − {earlier.text} = {shown}"
    tail = f" Difference: {formula}." if merged.language == "en" else f"相差:{formula}。"
    derived = [*merged.derived, Derived(name="difference", value=diff, formula=formula)]
    return merged.model_copy(update={"answer": merged.answer + tail, "derived": derived})


def unchecked(question: Question) -> Answer:
    """What is shown when an answer failed the faithfulness check: a refusal that says so plainly."""
    if question.language == "en":
        text = "I found a passage but could not check every figure of my answer against it, so I give none."
    else:
        text = "找到了相关段落,但答案中的数字未能逐一核对原文,为避免出错不作回答。"
    return Answer(
        question=question.raw, answer=text, refused=True, confidence=0.0, language=question.language, intent="refuse"
    )
