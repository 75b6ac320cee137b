"""The answering pipeline, one way: understand → route → retrieve → match → compose → verify.

Each stage reads only what the stages before it produced and never calls back. The trace records each stage's
decision (the spec, the notices routed to, the top hits, the facts matched and rejected with why) for
`ask --explain`, which is how the weights in scoring.py are calibrated.
"""

from __future__ import annotations

import re

from assistant.bridge import EnglishBridge
from assistant.compose import compose, merge_periods, refusal_answer
from assistant.gates import Reason, Refusal
from assistant.match import Matching, match
from assistant.models import Answer
from assistant.retrieve import retrieve
from assistant.route import Route, route
from assistant.scoring import SCORING, Scoring
from assistant.terms import has_content
from assistant.understand import QuestionSpec, Want, looks_like_code
from assistant.verify import verify
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


def _told_in_words(spec: QuestionSpec) -> bool:
    """A progress question that asks for no figure (建设进度, 进展如何): a sentence can answer it."""
    return (
        len(spec.asks) == 1
        and spec.asks[0].want in (Want.PROGRESS, Want.FIGURE)
        and not re.search(r"多少|几|率|百分|比例|how many|how much|percent|share", spec.text)
    )


class Pipeline:
    """Everything answering needs, loaded once; `answer` keeps no state between questions."""

    def __init__(
        self, library: Library, retriever: HybridRetriever, encoder: Encoder, scoring: Scoring = SCORING
    ) -> None:
        self.library, self.retriever, self.encoder, self.scoring = library, retriever, encoder, scoring
        self.bridge = EnglishBridge([e.notice for e in library.entries.values()])
        self.pairs: dict[str, list[FactPair]] = {d: pair_facts(e.facts) for d, e in library.entries.items()}

    def answer(self, spec: QuestionSpec, doc_ids: list[str] | None = None) -> Answer:
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
        if spec.english:  # wuhan: a place the notices name inside their own, in Chinese
            inside = [h for n, heads in self.bridge.names(spec.raw).items() for h in sorted(heads)
                      if not any(e.profile.names_key(n) for e in self.library.entries.values())
                      and any(h in e.notice.text for e in self.library.entries.values())]  # fmt: skip
            spec = spec.model_copy(update={"places": list(dict.fromkeys(spec.places + inside))})
            english_names = {h: n.title() for n, heads in self.bridge.names(spec.raw).items() for h in heads}
        else:
            english_names = {}
        routed = route(spec, self.library, foreign)
        if doc_ids is not None and routed.refusal is None:
            routed = routed.model_copy(update={"doc_ids": [d for d in routed.doc_ids if d in doc_ids]})
        trace["route"] = routed.model_dump(mode="json")
        if routed.refusal is not None:
            return self._done(refusal_answer(spec, routed.refusal), trace, english_names)
        if not routed.doc_ids:
            return self._done(refusal_answer(spec, Refusal(reason=Reason.NOTHING_FOUND)), trace)
        if len(spec.periods) > 1 and any(a.period is None for a in spec.asks):
            return self._done(self._per_period(spec, routed), trace, english_names)
        answer, matching = self._one(spec, routed, trace)
        if answer.refused and _told_in_words(spec):  # 市二医院建设进度: where a project stands, in words
            as_status = spec.model_copy(
                update={"asks": [a.model_copy(update={"want": Want.STATUS}) for a in spec.asks]}
            )
            told, told_matching = self._one(as_status, routed, {})
            if not told.refused:
                answer, matching = told, told_matching
        answer = verify(spec, routed, answer, matching)
        if answer.refused and spec.periods:
            answer = self._other_period(spec, routed, doc_ids) or answer
        return self._done(answer, trace, english_names)

    def _other_period(self, spec: QuestionSpec, routed: Route, doc_ids: list[str] | None) -> Answer | None:
        """二季度…, asked where only a notice of another period has the figure: say which period it has."""
        timeless = spec.model_copy(
            update={"periods": [], "asks": [a.model_copy(update={"period": None}) for a in spec.asks]}
        )
        wider = route(timeless, self.library)
        others = [d for d in wider.doc_ids if d not in routed.doc_ids and (doc_ids is None or d in doc_ids)]
        if wider.refusal is not None or not others:
            return None
        found, _ = self._one(timeless, wider.model_copy(update={"doc_ids": others}), {})
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

    def _one(self, spec: QuestionSpec, routed: Route, trace: dict) -> tuple[Answer, Matching]:
        evidence = retrieve(spec, routed, self.retriever, self.encoder, self.scoring)
        trace["hits"] = [[f"{h.chunk.id} {h.score:.3f}" for h in ev.hits[:5]] for ev in evidence]
        matching = match(spec, routed, evidence, self.library, self.scoring)
        trace["matches"] = [m.model_dump(mode="json", include={"ask", "doc_id", "paragraph_id", "score", "why"})
                            | {"fact": m.fact.describe() if m.fact else None} for m in matching.matches]  # fmt: skip
        trace["rejected"] = [r.model_dump(mode="json") for r in matching.rejected[:40]]
        return compose(spec, routed, matching, self.library, self.pairs), matching

    def _per_period(self, spec: QuestionSpec, routed: Route) -> Answer:
        """A question naming several periods for one measure: each period on its own line, compared when asked."""
        answers = []
        for period in sorted(spec.periods, key=lambda p: (p.end, -(p.start or 1))):  # earliest first
            sub = spec.model_copy(update={"periods": [period]})
            answer, matching = self._one(sub, routed, {})
            answers.append((period, verify(sub, routed, answer, matching)))
        found = [(p, a) for p, a in answers if not a.refused]
        if len(found) < len(answers):
            missing = "、".join(p.label_en if spec.english else p.label for p, a in answers if a.refused)
            return refusal_answer(spec, Refusal(reason=Reason.PERIOD_MISSING, asked=missing))
        return merge_periods(spec, found)

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
