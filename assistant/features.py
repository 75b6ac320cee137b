"""The feature table: one row of named floats per candidate, everything the scorer knows about it.

What earlier versions decided by rule (a veto for a missing word, another unit, a neighbour's clause, a question
type branch) is a feature here; the fitted scorer (assistant.ranker) weighs them. Every feature is soft and
pure: a function of the question's spec and slot, the candidate, and what retrieval found.
"""

from __future__ import annotations

import math
import re
from itertools import repeat

from assistant.candidates import Candidate, Slot
from assistant.reading import Reading
from assistant.retrieve import Evidence
from assistant.route import Route
from assistant.terms import group_recall, missing_words, naming_words, precision, recall
from assistant.understand import QuestionSpec
from documents.facts import Fact, FactKind
from documents.library import Library
from documents.models import QuantityKind
from documents.places import split_level
from documents.reporting import agrees
from documents.vocabulary import vocabulary
from index.text import normalize

# Question cues crossed with the candidate's kind: the scorer learns which kind of figure each cue wants.
_CUES = ("growth", "share", "rank", "change", "difference", "progress", "target", "money", "count", "plain",
         "status", "listing", "when", "yes_no")  # fmt: skip
_FAMILIES = ("amount", "count", "growth", "share", "completion", "change", "rank", "sentence")
_ROLES = ("actual", "cumulative", "target", "plan", "comparison")
_ROLE_CUES = ("target", "progress", "actual", "other")

BASE = (
    "bias_sentence",  # a sentence rather than a figure
    "hit_score", "hit_inv_rank", "hit_top", "hit_dense", "first_inv_rank",
    "cos", "cos_gap",
    "rec_wide", "rec_narrow", "rec_clause", "prec_measure", "prec_topic",
    "missing_frac", "missing_any", "phrase_in_clause", "focus_in_clause", "focus_elsewhere",
    "counted_missing", "own_numbers_missing", "gloss_missing",
    "unit_match", "unit_mismatch", "unit_class_match",
    "period_match", "period_unknown", "year_match", "scope_named_other", "scope_level_match",
    "sub_place_named", "sub_place_missing",
    "first_in_group", "later_in_group", "list_sentence", "stated_rate_in_group", "has_pair",
    "s_status_words", "s_numbers", "s_length", "s_listing",
    "qualifier_missing", "qualifier_other", "total_stated", "total_asked_unstated",
    # an English question's words reach the notices through a dictionary: its evidence weighs differently
    "english", "en*rec_wide", "en*rec_clause", "en*cos", "en*hit_inv_rank", "en*sentence",
)  # fmt: skip
FEATURES: tuple[str, ...] = (
    BASE
    + tuple(f"q_{c}*{f}" for c in _CUES for f in _FAMILIES)
    + tuple(f"r_{c}*{r}" for c in _ROLE_CUES for r in _ROLES)
)

# A programme's level written before what it qualifies (省级重点项目, 市列重大项目, 县重点工程).
_QUALIFIER = re.compile(r"(省|市|县|区|盟|国家)(?:级|列|重点|管|属|本级)")
_TOTAL_WORDS = re.compile(r"共|合计|总计|累计|总数|全部|全年|总投资")
_STATUS_WORDS = re.compile(
    r"已|正在|完成|建成|开工|完工|竣工|启动|通过|签约|投入|封顶|合龙|获批|上线|印发|成立|推进|未|预计|尚未|滞后"
)
_FIGURES = re.compile(r"\d+(?:\.\d+)?")
_UNIT_CLASSES = ("人名位", "个项件宗所座处家条", "亩公顷", "公里千米米", "吨", "台套辆", "户家")


def _family(fact: Fact | None) -> str:
    if fact is None:
        return "sentence"
    return {
        FactKind.AMOUNT: "amount", FactKind.RATIO: "amount", FactKind.COUNT: "count", FactKind.GROWTH: "growth",
        FactKind.SHARE: "share", FactKind.LEVEL: "share", FactKind.COMPLETION: "completion",
        FactKind.CHANGE: "change", FactKind.RANK: "rank",
    }[fact.kind]  # fmt: skip


class SlotContext:
    """What every candidate of one slot is compared with, computed once per slot."""

    def __init__(self, spec: QuestionSpec, slot: Slot, route: Route, evidence: Evidence, first: Evidence,
                 library: Library, paired: frozenset[str], best_cosine: float) -> None:  # fmt: skip
        ask = spec.asks[slot.ask]
        self.slot, self.route, self.evidence, self.english = slot, route, evidence, spec.english
        self.groups, self.spec_text, self.year, self.scope_level = spec.english_groups, spec.text, spec.year, spec.scope
        self.ask_unit, self.focus, self.counted, self.inherited = ask.unit, ask.focus, ask.counted, ask.inherited
        self.library, self.paired, self.best_cosine = library, paired, best_cosine
        self.terms = slot.terms
        self.first_rank = {h.chunk.id: i for i, h in enumerate(first.hits)}
        self.glossary = _glossary_terms(spec.text) if spec.english else []
        numbers = re.findall(r"\d+(?:\.\d+)?", normalize(self.terms))
        self.own_numbers = [n for n in numbers if not re.fullmatch(r"(?:19|20)\d\d", n)]
        self.sub_stems = [normalize(split_level(p)[0]) for p in route.sub_places]
        self.phrase = normalize(self.terms.split(" ")[-1]) if self.terms else ""


def _glossary_terms(question: str) -> list[str]:
    """The genre terms an English question names through the vocabulary's glossary (gdp → 地区生产总值)."""
    english = vocabulary().english
    framing = {"目标", "增长", "完成", "全年", "占", "年度计划", "城镇"}
    return [
        normalize(english[k])
        for k in english
        if re.search(rf"\b{re.escape(k)}\b", question) and len(english[k]) >= 2 and english[k] not in framing
    ]


def _fact_context(library: Library, fact: Fact) -> tuple[str, str]:
    """(its clause group, the wider text its measure words are looked for in: topic, heading, lead, sentence)."""
    paragraph = library.notice(fact.doc_id).paragraph(fact.paragraph_id)
    group = paragraph.text[fact.group[0] : fact.group[1]]
    crumbs = paragraph.breadcrumb[:-1] if paragraph.marker else paragraph.breadcrumb
    crumb = crumbs[-1] if crumbs else ""
    sentence = paragraph.text[fact.sentence[0] : fact.sentence[1]]
    head = re.split(r"[。;；]", paragraph.text, maxsplit=1)[0]
    first_figure = next((f.quantity.start for f in library.facts_of(fact.doc_id, fact.paragraph_id)), 0)
    lead = head[: min(40, first_figure)]
    first = re.split(r"[,，]", sentence, maxsplit=1)[0]
    return group, normalize(" ".join([fact.topic, crumb, lead, first, group, sentence]))


def _unit_features(reading: Reading, ask_unit: str | None, fact: Fact) -> tuple[float, float, float]:
    """(the asked measure word is the figure's, it is another, it is of the same class: 名 ~ 人, 项 ~ 个)."""
    q = fact.quantity
    if not ask_unit or q.kind == QuantityKind.RANK:
        return 0.0, 0.0, 0.0
    if q.kind in (QuantityKind.PERCENT, QuantityKind.PERCENTAGE_POINT):
        return 0.0, 1.0, 0.0  # 多少户 / 多少元 asked: a rate is not the count or amount asked
    if ask_unit == "元":
        money = q.kind == QuantityKind.MONEY
        return float(money), float(not money), float(money)
    same = bool(q.unit) and (q.unit.startswith(ask_unit) or ask_unit in q.unit)
    alike = same or any(ask_unit in c and q.unit[:1] in c for c in _UNIT_CLASSES if q.unit)
    return float(same), float(not alike), float(alike)


def _lexical(ctx: SlotContext, text: str) -> float:
    return group_recall(ctx.groups, text) if ctx.english else recall(ctx.terms, text)


def featurize(ctx: SlotContext, candidate: Candidate, cosine: float) -> dict[str, float]:
    """The feature row of one candidate (names in FEATURES; absent ones are 0)."""
    row = _featurize(ctx, candidate, cosine)
    if ctx.english:
        row["english"] = 1.0
        for name in ("rec_wide", "rec_clause", "cos", "hit_inv_rank"):
            row[f"en*{name}"] = row.get(name, 0.0)
        row["en*sentence"] = row.get("bias_sentence", 0.0)
    return row


def _featurize(ctx: SlotContext, candidate: Candidate, cosine: float) -> dict[str, float]:
    library, ask_unit, focus, counted = ctx.library, ctx.ask_unit, ctx.focus, ctx.counted
    inherited, best_cosine, paired = ctx.inherited, ctx.best_cosine, ctx.paired
    hit = ctx.evidence.hits[candidate.hit]
    paragraph = library.notice(candidate.doc_id).paragraph(candidate.paragraph_id)
    row: dict[str, float] = {
        "hit_score": hit.score,
        "hit_inv_rank": 1.0 / (candidate.hit + 1),
        "hit_top": float(candidate.hit == 0),
        "hit_dense": hit.dense or 0.0,
        "first_inv_rank": 1.0 / (ctx.first_rank[hit.chunk.id] + 1) if hit.chunk.id in ctx.first_rank else 0.0,
        "cos": cosine,
        "cos_gap": cosine - best_cosine,
    }
    fact = candidate.fact
    family = _family(fact)
    reading = ctx.slot.reading
    for cue in _CUES:
        if getattr(reading, cue):
            row[f"q_{cue}*{family}"] = 1.0
    if fact is None:
        sentence = paragraph.text[candidate.span[0] : candidate.span[1]]
        where = normalize(paragraph.text[:40] + " " + hit.chunk.context)
        row["bias_sentence"] = 1.0
        row["rec_wide"] = _lexical(ctx, sentence + " " + where)
        row["rec_clause"] = _lexical(ctx, sentence)
        if not ctx.english:
            words = naming_words(ctx.terms)
            missing = missing_words(ctx.terms, sentence + " " + where) if words else []
            row["missing_frac"] = len(missing) / len(words) if words else 0.0
            row["missing_any"] = float(bool(missing))
        row["s_status_words"] = float(bool(_STATUS_WORDS.search(sentence)))
        row["s_numbers"] = math.log1p(len(_FIGURES.findall(sentence)))
        row["s_length"] = len(sentence) / 100
        row["s_listing"] = float(sentence.count("、") >= 2)
        if ctx.sub_stems:
            named = all(s in normalize(sentence) or s in where for s in ctx.sub_stems)
            row["sub_place_named"], row["sub_place_missing"] = float(named), float(not named)
        return row
    group, wide = _fact_context(library, fact)
    clause_text = normalize(paragraph.text[fact.group[0] : fact.group[1]])
    row["rec_wide"] = _lexical(ctx, wide)
    row["rec_narrow"] = _lexical(ctx, fact.topic + " " + clause_text)
    row["rec_clause"] = _lexical(ctx, clause_text)
    row["prec_measure"] = precision(fact.measure or fact.topic, ctx.terms)
    row["prec_topic"] = precision(fact.topic, ctx.terms) if fact.topic else row["prec_measure"]
    if ctx.english:
        missing_gloss = [
            t for t in ctx.glossary if t not in wide and not any(v in wide for v in vocabulary().variants(t))
        ]
        row["gloss_missing"] = float(bool(missing_gloss))
    else:
        words = naming_words(ctx.terms)
        missing = missing_words(ctx.terms, wide) if words else []
        row["missing_frac"] = len(missing) / len(words) if words else 0.0
        row["missing_any"] = float(bool(missing))
    row["phrase_in_clause"] = float(len(ctx.phrase) >= 3 and ctx.phrase in clause_text)
    if focus:
        row["focus_in_clause"] = float(focus in clause_text)
        row["focus_elsewhere"] = float(focus not in clause_text and focus in wide and not inherited)
    if counted:
        row["counted_missing"] = float(counted not in wide)
    if ctx.own_numbers:
        row["own_numbers_missing"] = float(any(n not in clause_text and n not in normalize(fact.topic)
                                               for n in ctx.own_numbers))  # fmt: skip
    row["unit_match"], row["unit_mismatch"], row["unit_class_match"] = _unit_features(reading, ask_unit, fact)
    asked = ctx.slot.period
    if asked is not None and fact.period is not None:
        row["period_match"] = float(agrees(asked, fact.period))
    row["period_unknown"] = float(fact.period is None)
    row["year_match"] = float(ctx.year is not None and fact.year == ctx.year)
    if fact.scope.name:
        row["scope_named_other"] = float(normalize(fact.scope.name[:-1]) not in ctx.spec_text)
    row["scope_level_match"] = float(ctx.scope_level is not None and fact.scope.level == ctx.scope_level)
    if ctx.sub_stems:
        named = all(s in wide or s in normalize(paragraph.text) or (fact.scope.name and s in fact.scope.name)
                    for s in ctx.sub_stems)  # fmt: skip
        row["sub_place_named"], row["sub_place_missing"] = float(named), float(not named)
    siblings = library.facts_of(fact.doc_id, fact.paragraph_id)
    in_group = [f for f in siblings if f.group == fact.group]
    row["first_in_group"] = float(bool(in_group) and in_group[0].id == fact.id)
    row["later_in_group"] = float(bool(in_group) and in_group[0].id != fact.id)
    row["list_sentence"] = float(paragraph.text[fact.sentence[0] : fact.sentence[1]].count("、") >= 2)
    row["stated_rate_in_group"] = float(any(f.kind == FactKind.COMPLETION for f in in_group))
    row["has_pair"] = float(fact.id in paired)  # the ledger pairs it with a target (or an actual)
    role_cue = (
        "target" if reading.target else "progress" if reading.progress else "actual" if reading.actual else "other"
    )
    row[f"r_{role_cue}*{fact.role.value}"] = 1.0
    _qualifiers(row, ctx.terms, wide)
    if reading.total:
        stated = bool(_TOTAL_WORDS.search(paragraph.text[fact.clause[0] : fact.quantity.start]))
        row["total_stated"], row["total_asked_unstated"] = float(stated), float(not stated)
    return row


def _qualifiers(row: dict[str, float], terms: str, wide: str) -> None:
    """The programme level the question names (省级, 市列) against the levels the figure's context names."""
    asked = {m.group(1) for m in _QUALIFIER.finditer(normalize(terms))}
    if not asked:
        return
    have = {m.group(1) for m in _QUALIFIER.finditer(wide)}
    row["qualifier_missing"] = float(not asked & have)
    row["qualifier_other"] = float(bool(have - asked) and not asked & have)


def vector(row: dict[str, float]) -> list[float]:
    return list(map(row.get, FEATURES, repeat(0.0)))  # absent features are 0
