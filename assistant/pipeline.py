"""The answering pipeline, one way: understand → route → retrieve → match → compose → verify.

Each stage reads only what the stages before it produced and never calls back. The trace records each stage's
decision (the spec, the notices routed to, the top hits, the facts matched and rejected with why) for
`ask --explain`, which is how the weights in scoring.py are calibrated.
"""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.bridge import EnglishBridge
from assistant.candidates import Candidate, Slot, gather, slots_of
from assistant.compose import compose, refusal_answer
from assistant.features import FEATURES, SlotContext, featurize, vector
from assistant.gates import Reason, Refusal
from assistant.models import Answer
from assistant.ranker import Scorer, load_scorer
from assistant.reading import Reading
from assistant.retrieve import Evidence, retrieve
from assistant.route import Route, route
from assistant.scoring import SCORING, Scoring
from assistant.select import Match, Matching, Pick, rank_slots, select
from assistant.terms import has_content
from assistant.understand import QuestionSpec, Want, looks_like_code
from assistant.verify import verify
from documents.facts import FactRole
from documents.library import Library
from documents.pairs import FactPair, pair_facts
from documents.reporting import period_mentions
from index.embedder import Encoder
from index.search import HybridRetriever

_FRAME_WORDS = frozenset(
    [
        "目标",
        "完成",
        "情况",
        "进展",
        "项目",
        "工作",
        "多少",
        "数量",
        "季度",
        "年度",
        "全年",
        "今年",
        "去年",
        "年",
        "月",
        "市",
        "县",
        "区",
        "省",
        "全市",
        "城市",
        "政府",
    ]
)


class Prepared(BaseModel):
    """Everything known of a question before the fitted scorer is applied: its slots, their candidates and the
    feature rows (one per candidate). The fit harness prepares each gold question once and decides it with
    scorers fitted without its notice."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    spec: QuestionSpec
    route: Route
    slots: list[Slot]
    evidence: list[Evidence]
    candidates: list[Candidate]
    rows: np.ndarray
    english_names: dict[str, str] = Field(default_factory=dict)
    doc_ids: list[str] | None = None


class Pipeline:
    """Everything answering needs, loaded once; `answer` keeps no state between questions."""

    def __init__(
        self,
        library: Library,
        retriever: HybridRetriever,
        encoder: Encoder,
        scoring: Scoring = SCORING,
        scorer: Scorer | None = None,
    ) -> None:
        self.library, self.retriever, self.encoder, self.scoring = library, retriever, encoder, scoring
        self._scorer = scorer
        self.bridge = EnglishBridge([e.notice for e in library.entries.values()])
        self.pairs: dict[str, list[FactPair]] = {d: pair_facts(e.facts) for d, e in library.entries.items()}
        self.paired = frozenset(
            f.id for pairs in self.pairs.values() for p in pairs for f in (p.target, p.actual, *p.parts)
        )

    @property
    def scorer(self) -> Scorer:
        """The fitted scorer, read at the first answer (`fit` prepares questions before there is one)."""
        if self._scorer is None:
            self._scorer = load_scorer()
        return self._scorer

    def answer(self, spec: QuestionSpec, doc_ids: list[str] | None = None) -> Answer:
        prepared = self.prepare(spec, doc_ids)
        if isinstance(prepared, Answer):
            return prepared
        return self.decide(prepared, self.scorer)

    def prepare(self, spec: QuestionSpec, doc_ids: list[str] | None = None) -> Prepared | Answer:
        """understand's spec → route → retrieve → candidates → features; an Answer when it is refused before."""
        trace: dict = {"spec": spec.model_dump(mode="json", exclude={"raw"})}
        if looks_like_code(spec.raw):
            return self._done(refusal_answer(spec, Refusal(reason=Reason.CODE)), trace)
        if spec.english:
            groups = [g for g in self.bridge.term_groups(spec.context + " " + spec.text) if not self._framing(g)]
            terms = list(dict.fromkeys(w for g in groups for w in g))
            spec = spec.model_copy(update={"english_terms": terms, "english_groups": groups})
            if not spec.english_terms:
                return self._done(refusal_answer(spec, Refusal(reason=Reason.NO_WORDS)), trace)
        elif not any(has_content(a.terms) for a in spec.asks):
            return self._done(refusal_answer(spec, Refusal(reason=Reason.NO_SUBJECT)), trace)
        foreign = self.bridge.unknown_names(spec.raw) if spec.english else []
        english_names: dict[str, str] = {}
        if spec.english:  # wuhan: a place the notices name inside their own, in Chinese
            inside = [h for n, heads in self.bridge.names(spec.raw).items() for h in sorted(heads)
                      if not any(e.profile.names_key(n) for e in self.library.entries.values())
                      and any(h in e.notice.text for e in self.library.entries.values())]  # fmt: skip
            spec = spec.model_copy(update={"places": list(dict.fromkeys(spec.places + inside))})
            english_names = {h: n.title() for n, heads in self.bridge.names(spec.raw).items() for h in heads}
        chosen = {self.library.profile(d).place for d in doc_ids or [] if d in self.library.entries}
        if doc_ids and not spec.places and len(chosen) == 1 and None not in chosen:
            spec = spec.model_copy(update={"places": list(chosen)})  # the chat scoped to one place asks about it
        routed = route(spec, self.library, foreign)
        if doc_ids is not None and routed.refusal is None:
            routed = routed.model_copy(update={"doc_ids": [d for d in routed.doc_ids if d in doc_ids]})
        trace["route"] = routed.model_dump(mode="json")
        if routed.refusal is not None:
            return self._done(refusal_answer(spec, routed.refusal), trace, english_names)
        if not routed.doc_ids:
            return self._done(refusal_answer(spec, Refusal(reason=Reason.NOTHING_FOUND)), trace)
        slots = slots_of(spec, " ".join(spec.english_terms))
        evidence = retrieve(spec, routed, self.retriever, self.encoder, self.scoring)
        candidates = gather(spec, slots, evidence, self.library, self.scoring, routed.sub_places)
        rows = self._rows(spec, slots, routed, evidence, candidates)
        return Prepared(spec=spec, route=routed, slots=slots, evidence=evidence, candidates=candidates, rows=rows,
                        english_names=english_names, doc_ids=doc_ids)  # fmt: skip

    def _rows(self, spec: QuestionSpec, slots: list[Slot], routed: Route, evidence: list[Evidence],
              candidates: list[Candidate]) -> np.ndarray:  # fmt: skip
        rows = np.zeros((len(candidates), len(FEATURES)))
        for slot in slots:
            ev = evidence[slot.ask]
            mine = [i for i, c in enumerate(candidates) if c.slot == slot.index]
            cosines = {i: _cosine(ev, candidates[i], self.library) for i in mine}
            ctx = SlotContext(spec, slot, routed, ev, evidence[0], self.library, self.paired,
                              max(cosines.values(), default=0.0))  # fmt: skip
            for i in mine:
                rows[i] = vector(featurize(ctx, candidates[i], cosines[i]))
        return rows

    def decide(self, prepared: Prepared, scorer: Scorer) -> Answer:
        """score → select → compose → verify, with a given fitted scorer."""
        spec, routed = prepared.spec, prepared.route
        trace: dict = {"spec": spec.model_dump(mode="json", exclude={"raw"}), "route": routed.model_dump(mode="json")}
        ranked = rank_slots(prepared.slots, prepared.candidates, prepared.rows, scorer)
        several = not routed.named_place and len(routed.doc_ids) > 1
        place_of = {d: self.library.profile(d).place or d for d in routed.doc_ids}
        selection = select(ranked, prepared.candidates, prepared.rows, scorer, several, spec.english,
                           self.scoring.other_places_margin, place_of)  # fmt: skip
        trace["ranked"] = [
            [f"{prepared.candidates[i].key} {s:.2f}" for i, s in zip(r.order[:5], r.scores[:5], strict=False)]
            for r in ranked
        ]
        if selection.refusal is not None:
            answer = refusal_answer(spec, selection.refusal, self.library)
            if spec.periods and selection.refusal.reason == Reason.NO_SUCH_FIGURE:
                answer = self._other_period(spec, routed, prepared.doc_ids, scorer) or answer
            return self._done(answer, trace, prepared.english_names)
        matches = [self._as_match(prepared, p) for p in selection.picks]
        contradicted = [m for m in matches if _target_for_result(spec, m)]
        if contradicted and len(contradicted) == len(matches):
            refusal = _no_result(contradicted[0], self.library)
            return self._done(refusal_answer(spec, refusal, self.library), trace, prepared.english_names)
        missing = [_asked(prepared.slots[p.slot], spec.english) for p, m in zip(selection.picks, matches, strict=True)
                   if m in contradicted]  # fmt: skip
        keep = [i for i, m in enumerate(matches) if m not in contradicted]
        matches = [matches[i] for i in keep]
        selection = selection.model_copy(update={"picks": [selection.picks[i] for i in keep]})
        for i in selection.missing:
            slot = prepared.slots[i]
            twin = next((n for n, p in enumerate(selection.picks) if _same_slot(prepared.slots[p.slot], slot)), None)
            if twin is None and _asks_of_previous(spec, slot):
                twin = max((n for n, p in enumerate(selection.picks) if p.slot < slot.index), default=None)
            if twin is None:
                missing.append(_asked(slot, spec.english))
            else:  # 5G基站建了多少,完成了百分之几: a second ask of the same figure adds what it asks of it
                have = matches[twin].reading or slot.reading
                merged = {k: v or getattr(slot.reading, k) for k, v in have.model_dump().items()}
                matches[twin] = matches[twin].model_copy(update={"reading": Reading(**merged)})
        matching = Matching(matches=matches, others=selection.others, missing=missing)
        trace["matches"] = [m.model_dump(mode="json", include={"ask", "doc_id", "paragraph_id", "score"})
                            | {"fact": m.fact.describe() if m.fact else None} for m in matching.matches]  # fmt: skip
        answer = compose(spec, routed, matching, self.library, self.pairs)
        answer = verify(spec, answer)
        return self._done(answer, trace, prepared.english_names)

    def _as_match(self, prepared: Prepared, pick: Pick) -> Match:
        slot = prepared.slots[pick.slot]
        c = pick.candidate
        span = c.span
        if c.fact is not None and slot.reading.listing:
            span = c.fact.sentence  # 哪些…: the sentence that lists them
        return Match(ask=slot.ask, doc_id=c.doc_id, paragraph_id=c.paragraph_id, fact=c.fact, span=span,
                     score=round(pick.probability, 4), reading=slot.reading)  # fmt: skip

    def _other_period(
        self, spec: QuestionSpec, routed: Route, doc_ids: list[str] | None, scorer: Scorer
    ) -> Answer | None:
        """二季度…, asked where only a notice of another period has the figure: say which period it has."""
        timeless = spec.model_copy(
            update={"periods": [], "asks": [a.model_copy(update={"period": None}) for a in spec.asks]}
        )
        wider = route(timeless, self.library)
        others = [d for d in wider.doc_ids if d not in routed.doc_ids and (doc_ids is None or d in doc_ids)]
        if wider.refusal is not None or not others:
            return None
        prepared = self.prepare(timeless, others)
        if isinstance(prepared, Answer):
            return None
        found = self.decide(prepared, scorer)
        if found.refused:
            return None
        cited = [self.library.entries[c.doc_id].profile for c in found.citations if c.doc_id in self.library.entries]
        periods = list(dict.fromkeys(p.period.label_en if spec.english else p.period.label for p in cited if p.period))
        asked = "、".join(p.label_en if spec.english else p.label for p in spec.periods)
        if not periods:
            return None
        refusal = Refusal(
            reason=Reason.OTHER_PERIOD, asked=asked, have=("、" if not spec.english else ", ").join(periods)
        )
        return refusal_answer(spec, refusal)

    def _framing(self, group: list[str]) -> bool:
        """An English word whose Chinese senses only frame the question (a place, a period, 目标, 情况)."""
        return all(
            w in self.library.gazetteer.names or period_mentions(w) or w in _FRAME_WORDS or len(w) < 2 for w in group
        )

    @staticmethod
    def _done(answer: Answer, trace: dict, names: dict[str, str] | None = None) -> Answer:
        text = answer.answer
        if answer.refused and names:  # an English refusal names the place as the question did (Wuhan)
            for head, name in names.items():
                text = text.replace(f"{head}市", name).replace(head, name)
        return answer.model_copy(update={"trace": trace, "answer": text})


def _same_slot(a: Slot, b: Slot) -> bool:
    return a.terms.strip() == b.terms.strip() and a.period == b.period


def _asks_of_previous(spec: QuestionSpec, slot: Slot) -> bool:
    """建了几座?完成率多少: a later part with no measure of its own asking the progress or target of the figure
    the part before it asked."""
    return spec.asks[slot.ask].inherited and (slot.reading.progress or slot.reading.target)


def _asked(slot: Slot, english: bool) -> str:
    """A slot as asked, to say it is not covered: its period and its words."""
    period = (slot.period.label_en if english else slot.period.label) if slot.period else ""
    words = re.sub(r"^(?:和|及|与|以及|and)\s+", "", slot.terms.strip())
    return " ".join(x for x in (period, words) if x) if english else period + words.replace(" ", "")


def _cosine(evidence: Evidence, candidate: Candidate, library: Library) -> float:
    """The cosine of the ask to the clause holding a fact's figure, or the best clause of a sentence."""
    chunk_id = f"{candidate.doc_id}:{candidate.paragraph_id}"
    if candidate.fact is not None:
        return evidence.cosine(chunk_id, candidate.fact.quantity.start) or 0.0
    inside = [c for s, e, c in evidence.clause_cosines.get(chunk_id, []) if candidate.span[0] <= s < candidate.span[1]]
    return max(inside, default=0.0)


def _target_for_result(spec: QuestionSpec, match: Match) -> bool:
    """A stated contradiction: the part asks what was done (完成了多少) and the figure picked is a target or plan,
    which the notice states as such. Given as the answer, it would be a near miss."""
    reading, fact = match.reading, match.fact
    if fact is None or reading is None or fact.role not in (FactRole.TARGET, FactRole.PLAN):
        return False
    asks_result = reading.actual and not (reading.target or reading.progress or reading.yes_no or reading.status)
    return asks_result and spec.asks[match.ask].want == Want.FIGURE


def _no_result(match: Match, library: Library) -> Refusal:
    """The notice gives the target (or plan) and no result: say so, quoting what it has."""
    fact = match.fact
    assert fact is not None
    text = library.notice(match.doc_id).paragraph(match.paragraph_id).text
    start, end = fact.clause
    return Refusal(
        reason=Reason.NO_ACTUAL, closest=text[start:end].strip(" ,，;；。"), closest_doc=match.doc_id,
        closest_paragraph=match.paragraph_id, closest_span=(start, end),
    )  # fmt: skip
