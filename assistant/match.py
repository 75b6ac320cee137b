"""Stage 4, match: the facts (or, for a status question, the sentences) that answer each ask.

A fact is kept only when its period, year and scope agree with the question and it is of the kind asked (a growth
for 增长多少, a rank for 第几); among those, it is scored by the clause's cosine to the ask, the share of the ask's
measure words its clause group names, the share of its own measure words the ask names, and the paragraph's
retrieval score. Rejected facts are kept in the trace with the reason, and a refusal says what the notice has.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.agreement import disagreement
from assistant.gates import Reason, Refusal
from assistant.reading import Reading
from assistant.retrieve import Evidence
from assistant.route import Route
from assistant.scoring import Scoring
from assistant.terms import group_recall, missing_words, naming_words, precision, recall
from assistant.understand import Ask, QuestionSpec, Want
from documents.facts import Fact, FactKind, FactRole
from documents.library import Library
from documents.models import QuantityKind
from documents.places import split_level
from documents.vocabulary import vocabulary
from index.text import normalize

_COMPATIBLE: dict[FactKind, dict[FactKind, float]] = {
    FactKind.GROWTH: {FactKind.GROWTH: 1.0, FactKind.CHANGE: 0.5, FactKind.LEVEL: 0.4},
    FactKind.SHARE: {FactKind.SHARE: 1.0, FactKind.LEVEL: 0.9, FactKind.COMPLETION: 0.7},
    FactKind.LEVEL: {FactKind.LEVEL: 1.0, FactKind.SHARE: 0.9, FactKind.COMPLETION: 0.7},
    FactKind.RANK: {FactKind.RANK: 1.0},
    FactKind.CHANGE: {FactKind.CHANGE: 1.0, FactKind.COMPLETION: 0.8},
    FactKind.COMPLETION: {FactKind.COMPLETION: 1.0, FactKind.LEVEL: 0.7, FactKind.SHARE: 0.7},
    FactKind.AMOUNT: {FactKind.AMOUNT: 1.0, FactKind.COUNT: 0.7},
    FactKind.COUNT: {FactKind.COUNT: 1.0, FactKind.AMOUNT: 0.8},
}
_PROGRESS_KINDS = {
    FactKind.COMPLETION: 1.0,
    FactKind.LEVEL: 0.6,
    FactKind.CHANGE: 0.6,
    FactKind.AMOUNT: 0.7,
    FactKind.COUNT: 0.7,
}


_STATUS_WORDS = re.compile(
    r"已|正在|完成|建成|开工|完工|竣工|启动|通过|签约|投入|封顶|合龙|获批|上线|印发|成立|推进|未|预计|尚未|滞后"
)


class Match(BaseModel):
    ask: int
    doc_id: str
    paragraph_id: str
    fact: Fact | None = Field(default=None, description="None for a sentence matched for a status question")
    span: tuple[int, int] = Field(description="what to quote, offsets in the paragraph")
    score: float
    why: dict[str, float] = Field(default_factory=dict)
    reading: Reading | None = Field(default=None, description="how its part of the question asks (the composer follows it)")


class Rejected(BaseModel):
    fact: str
    reason: str
    near: bool = Field(default=False, description="it names the asked measure but another period, year or scope")


class Matching(BaseModel):
    matches: list[Match] = Field(default_factory=list)
    others: list[str] = Field(default_factory=list, description="other notices that also answer, named only")
    rejected: list[Rejected] = Field(default_factory=list)
    refusal: Refusal | None = None


def _glossary_terms(question: str) -> list[str]:
    """The genre terms an English question names through the vocabulary's glossary (gdp → 地区生产总值)."""
    english = vocabulary().english
    return [
        normalize(english[k])
        for k in english
        if re.search(rf"\b{re.escape(k)}\b", question) and len(english[k]) >= 2 and english[k] not in _FRAMING_EN
    ]


# how a question asks, not what about
_FRAMING_EN = frozenset(["目标", "增长", "完成", "全年", "占", "年度计划", "城镇"])


def _abbreviates_any(word: str, text: str) -> bool:
    from assistant.terms import missing_words

    return not missing_words(word, text)


def _kind_fit(ask: Ask, fact: Fact) -> float | None:
    """How well a fact's kind fits what the ask wants (None: it cannot answer it)."""
    if ask.want == Want.PROGRESS:
        if ask.kinds:  # 快于还是慢于序时进度: the rate or the gap itself, not the amount beside it
            return max(_COMPATIBLE.get(k, {}).get(fact.kind, 0.0) for k in ask.kinds) or None
        return _PROGRESS_KINDS.get(fact.kind)
    if not ask.kinds:  # 多少 alone: an amount or count first, a rate only when nothing else fits
        return {FactKind.RANK: None, FactKind.AMOUNT: 1.0, FactKind.COUNT: 1.0}.get(fact.kind, 0.4)
    best = max(_COMPATIBLE.get(k, {k: 1.0}).get(fact.kind, 0.0) for k in ask.kinds)
    return best or None


def _unit_fit(ask: Ask, fact: Fact) -> bool:
    """An asked measure word (多少元, 几座) must be the figure's; a rate is checked by its kind instead."""
    q = fact.quantity
    if not ask.unit or q.kind in (QuantityKind.PERCENT, QuantityKind.PERCENTAGE_POINT, QuantityKind.RANK):
        return True
    if ask.unit == "元":
        return q.kind == QuantityKind.MONEY
    return bool(q.unit) and (q.unit.startswith(ask.unit) or ask.unit in q.unit)


def _role_fit(ask: Ask, fact: Fact) -> float:
    if ask.want == Want.TARGET:
        return {FactRole.TARGET: 1.0, FactRole.PLAN: 0.7}.get(fact.role, -0.5)
    if fact.role in (FactRole.TARGET, FactRole.PLAN):
        return 0.3 if re.search(r"计划|目标|任务|要|拟", ask.text) else -1.0
    return 1.0 if fact.role in (FactRole.ACTUAL, FactRole.CUMULATIVE) else 0.0


def _context(library: Library, fact: Fact) -> tuple[str, str]:
    """(the text a fact's clause group quotes, the wider text its terms are looked for in)."""
    paragraph = library.notice(fact.doc_id).paragraph(fact.paragraph_id)
    group = paragraph.text[fact.group[0] : fact.group[1]]
    crumbs = paragraph.breadcrumb[:-1] if paragraph.marker else paragraph.breadcrumb  # its own heading is itself
    crumb = crumbs[-1] if crumbs else ""
    sentence = paragraph.text[fact.sentence[0] : fact.sentence[1]]
    head = re.split(r"[。;；]", paragraph.text, maxsplit=1)[0]
    first_figure = next((f.quantity.start for f in library.facts_of(fact.doc_id, fact.paragraph_id)), 0)
    lead = head[: min(40, first_figure)]  # whose figures the paragraph gives (2025年,省政府民生实事共有…)
    first = re.split(r"[,，]", sentence, maxsplit=1)[0]
    return group, normalize(" ".join([fact.topic, crumb, lead, first, group, sentence]))


def score_fact(spec: QuestionSpec, ask: Ask, terms: str, fact: Fact, cosine: float | None, hit_score: float,
               wide: str, clause_text: str, scoring: Scoring,
               shared_topic: bool = False) -> tuple[float, dict[str, float]] | str:  # fmt: skip
    """How well a fact answers an ask, or why it does not (`shared_topic`: its topic is the paragraph's heading,
    shared with other clause groups, so the asked words in its own clause count as much as in the topic)."""
    kind = _kind_fit(ask, fact)
    if kind is None:
        return f"kind {fact.kind.value} not asked"
    if not _unit_fit(ask, fact):
        return f"unit {fact.quantity.unit or '-'} ≠ {ask.unit}"
    lexical = group_recall(spec.english_groups, wide) if spec.english else recall(terms, wide)
    if not spec.english:  # the figure's own clause group counts as much as its sentence: neighbours differ there
        narrow = recall(terms, fact.topic + " " + clause_text)
        if shared_topic:  # 咸安区发展高端装备制造业、大健康产业 over two figures: the asked one names its measure
            narrow = (narrow + recall(terms, clause_text)) / 2
        lexical_score = (lexical + narrow) / 2
    else:
        lexical_score = lexical
    dense = max(0.0, ((cosine or 0.0) - scoring.dense_floor) / (1 - scoring.dense_floor))
    typo = lexical >= scoring.typo_min_lexical and (cosine or 0.0) >= scoring.typo_dense
    floor = scoring.min_coverage_en if spec.english else scoring.min_coverage
    if lexical < floor and not typo:
        return f"names {lexical:.0%} of the asked terms"
    if not spec.english:
        missing = missing_words(terms, wide)
        if missing:  # 民生工程项目 asked, 产业工程项目 written: another measure, not an answer
            return f"does not name {'、'.join(missing)}"
    else:
        missing = [
            t
            for t in _glossary_terms(spec.text)
            if t not in wide and not any(v in wide for v in vocabulary().variants(t))
        ]
        if missing:  # GDP asked: 地区生产总值 (or a synonym) must be there
            return f"does not name {missing[0]}"
    named = [n for n in re.findall(r"\d+(?:\.\d+)?", normalize(terms)) if not re.fullmatch(r"(?:19|20)\d\d", n)]
    if any(n not in clause_text and n not in normalize(fact.topic) for n in named):
        return "the question's own figures are elsewhere"  # 那68个亿元以上项目, 10亿元以上的项目: it names the subject
    if ask.counted and ask.counted not in wide and not _abbreviates_any(ask.counted, wide):
        return f"does not count {ask.counted}"  # 多少个小区: the figure must count 小区
    if ask.focus and ask.focus not in clause_text and ask.focus in wide and not ask.inherited and not named:
        return f"a neighbour: the asked {ask.focus} is another clause"  # 新认定多少家 ≠ 高新技术企业总数
    if _role_fit(ask, fact) < 0 and ask.want == Want.FIGURE:
        return f"a {fact.role.value}, not a result"
    prec = precision(fact.measure or fact.topic, terms)
    if fact.topic and fact.measure:  # whose measure: 区级重点项目 › 完成投资, not 城东片区路网提升工程 › 完成投资
        prec = (prec + precision(fact.topic, terms)) / 2
    role = _role_fit(ask, fact)
    focus = scoring.focus_bonus if ask.focus and ask.focus in clause_text else 0.0
    phrase = normalize(terms.split(" ")[-1]) if terms else ""
    focus += scoring.focus_bonus if len(phrase) >= 3 and phrase in clause_text else 0.0  # 新时代文明实践所 verbatim
    total = (
        scoring.dense_weight * dense + scoring.lexical_weight * lexical_score + scoring.precision_weight * prec
        + scoring.retrieval_weight * hit_score + scoring.kind_bonus * kind + scoring.role_bonus * role + focus
    )  # fmt: skip
    return total, {"dense": round(dense, 3), "lexical": round(lexical, 3), "precision": round(prec, 3),
                   "retrieval": round(hit_score, 3), "kind": kind, "role": role, "focus": focus}  # fmt: skip


def _best_facts(
    spec: QuestionSpec,
    ask_index: int,
    terms: str,
    evidence: Evidence,
    route: Route,
    library: Library,
    scoring: Scoring,
    rejected: list[Rejected],
    before: list[Match],
) -> list[Match]:
    ask = spec.asks[ask_index]
    found: list[Match] = []
    for hit in evidence.hits:
        siblings = library.facts_of(hit.chunk.doc_id, hit.chunk.paragraph_id)
        for fact in siblings:
            group, wide = _context(library, fact)
            clause_text = normalize(hit.chunk.text[fact.group[0] : fact.group[1]])
            shared = bool(fact.topic) and any(f.topic == fact.topic and f.group != fact.group for f in siblings)
            scored = score_fact(spec, ask, terms, fact, evidence.cosine(hit.chunk.id, fact.quantity.start), hit.score,
                                wide, clause_text, scoring, shared)  # fmt: skip
            if isinstance(scored, str):
                rejected.append(Rejected(fact=f"{fact.id} {fact.describe()}", reason=scored))
                continue
            why_not = disagreement(spec, ask, route, fact, wide, hit.chunk.text)
            if why_not:  # the right measure, but of another period, year or scope: a near miss, never an answer
                rejected.append(Rejected(fact=f"{fact.id} {fact.describe()}", reason=why_not, near=True))
                continue
            near = _nearness(fact, before, scoring, ask.inherited)
            if (
                ask.want == Want.LIST
                and normalize(hit.chunk.text[fact.sentence[0] : fact.sentence[1]]).count("、") >= 2
            ):
                near += scoring.status_bonus  # 哪些市…: the sentence that lists them
            found.append(
                Match(
                    ask=ask_index,
                    doc_id=fact.doc_id,
                    paragraph_id=fact.paragraph_id,
                    fact=fact,
                    span=fact.group,
                    score=round(scored[0] + near, 4),
                    why={**scored[1], "near": near},
                )
            )
    return sorted(found, key=lambda m: -m.score)


def _nearness(fact: Fact, before: list[Match], scoring: Scoring, inherited: bool = False) -> float:
    """A later part of a question (…,办结了多少?) is most likely answered beside the part before it."""
    if any(m.fact and m.fact.id == fact.id for m in before):
        if inherited:
            return scoring.nearby_bonus * 5  # 增长多少?完成全年目标的几成?: the same measure's figure
        return -scoring.repeat_penalty  # 共涉及多少项?已完成几项?: a later part asks for another figure
    for m in before:
        if m.fact and m.doc_id == fact.doc_id and m.paragraph_id == fact.paragraph_id:
            return scoring.nearby_bonus * (2 if m.fact.sentence == fact.sentence else 1)
    return 0.0


def _best_sentences(ask_index: int, terms: str, evidence: Evidence, spec_groups: list[list[str]], scoring: Scoring,
                    listing: bool = False, year: str = "", places: list[str] | None = None) -> list[Match]:  # fmt: skip
    found: list[Match] = []
    stems = [normalize(split_level(p)[0]) for p in places or []]
    for hit in evidence.hits[:6]:
        text = hit.chunk.text
        where = normalize(text[:40] + " " + hit.chunk.context)
        for m in re.finditer(r"[^。;；!?！？]+", text):
            if year and year not in m.group():
                continue  # 2022年有哪些: a 2021 notice's sentence answers only if it names 2022
            if any(s not in normalize(m.group()) and s not in where for s in stems):
                continue  # 武汉 asked: a sentence about the notice's own city is not about it
            lexical = group_recall(spec_groups, m.group()) if spec_groups else recall(terms, m.group())
            if not spec_groups and naming_words(terms) and not missing_words(terms, m.group()):
                lexical = max(lexical, 0.75)  # every thing it names is there (黄金口 for 黄荆口 too)
            cosines = [c for s, e, c in evidence.clause_cosines.get(hit.chunk.id, []) if m.start() <= s < m.end()]
            cosine = max(cosines, default=0.0)
            floor = scoring.min_coverage_en if spec_groups else scoring.status_min_coverage
            if lexical < floor and not (lexical >= scoring.typo_min_lexical and cosine >= scoring.typo_dense):
                continue
            dense = max(0.0, (cosine - scoring.dense_floor) / (1 - scoring.dense_floor))
            told = scoring.status_bonus if _STATUS_WORDS.search(m.group()) else 0.0
            if listing and m.group().count("、") >= 2:
                told += scoring.status_bonus  # 哪些市…: the sentence that lists them
            score = (
                scoring.lexical_weight * lexical
                + scoring.dense_weight * dense
                + scoring.retrieval_weight * hit.score
                + told
            )
            found.append(Match(ask=ask_index, doc_id=hit.chunk.doc_id, paragraph_id=hit.chunk.paragraph_id,
                               span=(m.start(), m.end()), score=round(score, 4),
                               why={"lexical": round(lexical, 3), "dense": round(dense, 3)}))  # fmt: skip
    return sorted(found, key=lambda m: -m.score)


def match(spec: QuestionSpec, route: Route, evidence: list[Evidence], library: Library, scoring: Scoring) -> Matching:
    """The best facts for every ask of the question, per routed notice, or a refusal saying why there are none."""
    result = Matching()
    for ev in evidence:
        ask = spec.asks[ev.ask]
        terms = " ".join(spec.english_terms) if spec.english else _without(ask.terms, route.sub_places)
        if ask.want in (Want.STATUS, Want.LIST):
            other_year = spec.year is not None and any(
                library.profile(h.chunk.doc_id).year not in (None, spec.year) for h in ev.hits[:1]
            )
            sentences = _best_sentences(ev.ask, terms, ev, spec.english_groups, scoring, ask.want == Want.LIST,
                                        f"{spec.year}年" if other_year else "", route.sub_places)  # fmt: skip
            facts = (
                _best_facts(spec, ev.ask, terms, ev, route, library, scoring, result.rejected, result.matches)
                if ask.want == Want.LIST
                else []
            )
            facts = [f.model_copy(update={"span": f.fact.sentence}) for f in facts if f.fact]  # the whole list
            best = facts[:1] if facts and (not sentences or facts[0].score >= sentences[0].score) else sentences[:1]
            if best and best is not facts[:1]:  # 高标准农田建设进展: each year's batch has a sentence of its own
                best += [s for s in sentences[1:3] if s.paragraph_id == best[0].paragraph_id
                         and s.score >= best[0].score - scoring.status_margin][:1]  # fmt: skip
            result.matches += [m for m in best if m.score >= scoring.min_score]
            continue
        for item in ask.items or [terms]:
            ranked = _best_facts(
                spec, ev.ask, item if ask.items else terms, ev, route, library, scoring, result.rejected, result.matches
            )
            ranked = [m for m in ranked if m.score >= scoring.min_score]
            if ranked:
                result.matches += _per_notice(ranked, route, spec, scoring)
    if not result.matches:
        result.refusal = _refusal(spec, result.rejected)
    return result


def _without(terms: str, places: list[str]) -> str:
    """The terms with the asked sub-places taken out: where a figure is, is checked by agreement, not by words."""
    for place in places:
        terms = terms.replace(place, " ").replace(place[:-1] if len(place) > 2 else place, " ")
    return terms


def _per_notice(ranked: list[Match], route: Route, spec: QuestionSpec, scoring: Scoring) -> list[Match]:
    """The best match, and, when the question names no place, the best of each other notice scoring close to it."""
    best = ranked[0]
    if route.named_place or len(route.doc_ids) == 1:
        return [best]
    others: dict[str, Match] = {}
    for m in ranked[1:]:
        if m.doc_id != best.doc_id and m.doc_id not in others and m.score >= best.score - scoring.place_margin:
            others[m.doc_id] = m
    return [best, *list(others.values())[: scoring.max_places - 1]]


def _refusal(spec: QuestionSpec, rejected: list[Rejected]) -> Refusal:
    """What the notice has instead: the asked measure for another period or scope, else no such figure."""
    near = [r.reason for r in rejected if r.near]
    for prefix, reason in (("period", Reason.OTHER_PERIOD), ("scope", Reason.OTHER_SCOPE), ("year", Reason.OTHER_YEAR)):
        found = [r for r in near if r.startswith(prefix)]
        if found:
            have, asked = found[0].split(" ", 1)[1].split(" ≠ ")
            haves = list(dict.fromkeys(r.split(" ", 1)[1].split(" ≠ ")[0] for r in found))
            return Refusal(
                reason=reason, have="、".join(haves[:3]) if not spec.english else ", ".join(haves[:3]), asked=asked
            )
    about = [r for r in near if r.startswith("not about")]
    if about:
        have = "other places" if spec.english else "其他地方"
        return Refusal(reason=Reason.OTHER_SCOPE, asked=about[0].removeprefix("not about "), have=have)
    return Refusal(reason=Reason.NO_SUCH_FIGURE)
