"""Gather evidence for a question: period and place checks, retrieval, and the best clauses to quote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.clauses import STATUS_WORDS, Span, bigrams, clauses, coverage, expand_to_sentence
from assistant.question import Intent, Question, periods_named
from documents.models import Notice, Paragraph, Quantity, QuantityKind
from documents.quantities import extract_quantities
from documents.series import PERIOD_EN, notice_period
from index.fusion import calibrate_dense
from index.models import Hit

_FIGURE_INTENTS = (Intent.FIGURE, Intent.PROGRESS, Intent.TARGET, Intent.RANK)


@dataclass
class Evidence:
    hit: Hit
    notice: Notice
    paragraph: Paragraph
    quantities: list[Quantity] = field(default_factory=list)  # offsets within the paragraph text


@dataclass
class Pick:
    """A clause chosen to answer (part of) a question."""

    evidence: Evidence
    clause: Span
    score: float
    quantities: list[Quantity]
    lead: Span | None = None  # the clause before, quoted too when this one does not name its subject


@lru_cache(maxsize=4096)
def paragraph_quantities(text: str) -> tuple[Quantity, ...]:
    return tuple(extract_quantities(text))


def make_evidence(hit: Hit, notice: Notice, paragraph_id: str | None = None) -> Evidence:
    paragraph = notice.paragraph(paragraph_id or hit.chunk.paragraph_id)
    return Evidence(hit=hit, notice=notice, paragraph=paragraph, quantities=list(paragraph_quantities(paragraph.text)))


def unit_matches(quantity: Quantity, question: Question) -> bool:
    """Whether a quantity is the kind of figure the question asks for."""
    if Intent.RANK in question.intents and question.primary in (Intent.RANK, Intent.FIGURE):
        return quantity.kind == QuantityKind.RANK
    if quantity.kind == QuantityKind.RANK:
        return False
    if Intent.PROGRESS in question.intents and quantity.kind != QuantityKind.YEAR_SPAN:
        return True  # a count can answer "how far along" once the ledger pairs it with its target
    if question.asks_percent and question.asked_unit is None:
        return quantity.kind in (QuantityKind.PERCENT, QuantityKind.PERCENTAGE_POINT)
    if question.asked_unit:
        if question.asked_unit == "元":
            return quantity.kind == QuantityKind.MONEY
        return quantity.unit.startswith(question.asked_unit) or question.asked_unit in quantity.unit
    return quantity.kind not in (QuantityKind.YEAR_SPAN,)


def wants_figure(question: Question) -> bool:
    return question.primary in _FIGURE_INTENTS


# Words that frame a question but name nothing it asks about: periods, places of the whole city, units.
_FRAME_WORDS = re.compile(
    r"一季度|第一季度|上半年|前三季度|全年|今年|目前|现在|截至|全市|我市|本市|亿元|万元|多少|几个|一下|情况"
)
_SHARE = re.compile(r"占比|比重|占[^,，。]{0,12}?(?:多少|几|比例)")
MIN_COVERAGE = 0.3  # a clause whose sentence shares less of the question's terms does not answer it
TYPO_DENSE = 0.85  # a clause this close in meaning passes the lexical gate anyway (typos: 黄金口 for 黄荆口)
MIN_COVERAGE_EN = 0.25  # English terms come through a dictionary, with a few senses that never match


def topic_grams(text: str) -> set[str]:
    """The question's content bigrams, framing words (periods, units, 全市) left out."""
    return bigrams(_FRAME_WORDS.sub(" ", text).replace("增速", "增长"))


def select_notices(notices: list[Notice], question: Question) -> tuple[list[Notice], str | None]:
    """Notices whose period and year fit the question, or a reason none does."""
    chosen = notices
    wanted = question.periods or ([question.period] if question.period else [])
    if wanted:
        chosen = [n for n in notices if notice_period(n)[1] in wanted]
        missing = [p for p in wanted if not any(notice_period(n)[1] == p for n in notices)]
        if missing:
            if question.language == "en":
                return [], f"no notice covers {', '.join(PERIOD_EN.get(p, p) for p in missing)}"
            return [], f"通报未涉及{'、'.join(missing)}的情况"
    return chosen, None


def unknown_places(question: Question, notices: list[Notice]) -> list[str]:
    """Place names in the question that no notice mentions (another city is not covered)."""
    return [
        p
        for p in question.places
        if p[-1] in "市县区省州" and not any(p in n.text for n in notices) and not p.endswith("全市")
    ]


def year_conflict(
    question: Question, notices: list[Notice], evidence: list[Evidence], spans: list[Span] | None = None
) -> bool:
    """The question asks about a year no notice reports on; a year that only names a project (2020年94个小区)
    does not count when it stands in the answering sentence (or, before clauses are picked, the top paragraphs)."""
    if question.year is None:
        return False
    if question.year in {notice_period(n)[0] for n in notices}:
        return False
    year_text = f"{question.year}年"
    if spans is None:
        return not any(year_text in e.paragraph.text for e in evidence[:3]) or question.period == "全年"
    return not any(
        year_text in expand_to_sentence(e.paragraph.text, s).text for e, s in zip(evidence, spans, strict=True)
    )


def score_clauses(
    question: Question,
    topic: set[str],
    evidence: list[Evidence],
    clause_similarity: dict[tuple[str, int, int], float] | None = None,
    relaxed: bool = False,
) -> list[Pick]:
    """Every clause of the evidence paragraphs, scored for how well it answers the question."""
    picks: list[Pick] = []
    need_figure = wants_figure(question)
    for rank, ev in enumerate(evidence):
        text = ev.paragraph.text
        spans = clauses(text)
        for i, clause in enumerate(spans):
            neighbours = spans[i - 1].text if i else ""  # the clause before may name the subject; the next one never
            context = expand_to_sentence(text, clause).text + neighbours  # where the subject of a clause is named
            lexical = 0.7 * coverage(topic, clause.text) + 0.3 * coverage(topic, context) if topic else 0.0
            cross = question.language == "en"
            cosine = (clause_similarity or {}).get((ev.hit.chunk.id, clause.start, clause.end), 0.0)
            dense = calibrate_dense(cosine, cross) if clause_similarity else 0.0
            floor = MIN_COVERAGE if question.language == "zh" else MIN_COVERAGE_EN
            covered = coverage(topic, context) if topic else 0.0
            if topic and not relaxed and covered < floor and (dense < TYPO_DENSE or covered == 0):
                continue
            score = (0.5 * lexical + 0.5 * dense) if clause_similarity and topic else max(lexical, dense)
            if question.language == "en":
                score = 0.35 * lexical + 0.65 * dense  # dictionary terms are a hint; the embedding leads
            score += 0.15 * ev.hit.score - 0.02 * rank
            inside = [q for q in ev.quantities if q.start >= clause.start and q.end <= clause.end]
            matching = [q for q in inside if unit_matches(q, question)]
            if need_figure:
                score += 0.25 if matching else (-0.3 if not inside else -0.15)
            elif question.primary in (Intent.STATUS, Intent.LIST) and STATUS_WORDS.search(clause.text):
                score += 0.15
            lead = spans[i - 1] if i and topic and coverage(topic, clause.text) < 0.3 else None
            if lead and re.search(r"[。;；!?！？]", text[lead.end : clause.start]):
                lead = None  # never reach back into the sentence before
            said = (lead.text if lead else "") + clause.text
            if _SHARE.search(question.text) and "占" in said:
                score += 0.2  # 出口占比: the share (占全市出口总额的36.2%), not the growth beside it
            if question.period:  # 一季度民生支出 is the 一季度 sentence, not the year's budget; 1-9月 is 前三季度
                named = periods_named(expand_to_sentence(text, clause).text)
                score += 0.1 if question.period in named else (-0.15 if named else 0.0)
            if need_figure and question.measure and not bigrams(question.measure) & bigrams(said):
                continue  # 总投资多少: a clause about 已使用资金 does not state what is asked
            numbers = re.findall(r"\d+(?:\.\d+)?", question.topic)
            if numbers:  # 10亿元以上的项目: a figure named in the question must be in the answer's sentence
                score += 0.15 if all(n in said for n in numbers) else -0.15
            quantities = matching if need_figure else inside
            picks.append(Pick(evidence=ev, clause=clause, score=score, quantities=quantities, lead=lead))
    picks.sort(key=lambda p: -p.score)
    return picks
