"""From a parsed question to an answer: choose notices, retrieve, refuse or pick clauses and targets."""

from __future__ import annotations

import re

from assistant.clauses import expand_to_sentence
from assistant.compose import Draft, quote_picks, refusal
from assistant.evidence import (
    Evidence,
    Pick,
    make_evidence,
    score_clauses,
    select_notices,
    topic_grams,
    unknown_places,
    wants_figure,
    year_conflict,
)
from assistant.models import Answer
from assistant.question import Intent, Question, analyze
from assistant.settings import Settings
from assistant.targets import row_for_pick, target_answer
from documents.models import Notice, Target, TargetKind
from index.embedder import Encoder
from index.search import HybridRetriever

PICK_FLOOR = 0.35


def _content(text: str) -> str:
    return re.sub(r"[^\u4e00-\u9fffa-z0-9]", "", text)


# a clause scoring under this answers nothing
SEARCH_DEPTH = 4


class Responder:
    def __init__(
        self,
        notices: list[Notice],
        retriever: HybridRetriever,
        encoder: Encoder,
        ledger: list[Target],
        settings: Settings,
    ) -> None:
        self.notices, self.retriever, self.encoder, self.ledger, self.settings = (
            notices,
            retriever,
            encoder,
            ledger,
            settings,
        )
        self._by_id = {n.doc_id: n for n in notices}

    def evidence(self, query: str, allowed: set[str], k: int = SEARCH_DEPTH) -> list[Evidence]:
        hits = self.retriever.search(query, k * 3 if len(allowed) < len(self._by_id) else k)
        return [make_evidence(h, self._by_id[h.chunk.doc_id]) for h in hits if h.chunk.doc_id in allowed][:k]

    def clause_similarity(self, question: Question, evidence: list[Evidence]) -> dict[tuple[str, int, int], float]:
        """Query-to-clause cosines for the top paragraphs, from the clause vectors stored in the index."""
        query = question.context or question.text
        return {
            (e.hit.chunk.id, start, end): score
            for e in evidence[:4]
            for (start, end), score in self.retriever.dense.clause_scores(query, e.hit.chunk.id)
        }

    def respond(self, question: Question) -> Answer:
        answer = self._respond(question)
        return answer.model_copy(update={"context": question.context or question.text})

    def _respond(self, question: Question) -> Answer:
        notices, reason = select_notices(self.notices, question)
        if reason:
            return refusal(question, reason, None)
        places = unknown_places(question, self.notices)
        if places:
            return refusal(
                question,
                f"通报只涉及咸宁市,未涉及{'、'.join(places)}" if question.language == "zh" else "another place",
                None,
            )
        allowed = {n.doc_id for n in notices}
        query = question.context or question.text
        evidence = self.evidence(query, allowed)
        if not evidence or evidence[0].hit.score < self.settings.refuse_below:
            return refusal(question, "没有找到相关内容" if question.language == "zh" else "nothing related found", None)
        if year_conflict(question, self.notices, evidence):
            return refusal(question, f"通报未涉及{question.year}年的数据", evidence[0])
        picks = self.pick_clauses(question, evidence, allowed)
        if not picks:
            what = "通报没有给出所问的数字" if wants_figure(question) else "没有找到足够相关的内容"
            return refusal(
                question, what if question.language == "zh" else "the notice gives no such figure", evidence[0]
            )
        row = self.ledger_row(question, picks)
        if row is not None:
            return target_answer(question, row, self._by_id[row.doc_id], [p.evidence for p in picks] + evidence)
        draft = Draft(question)
        quote_picks(draft, picks, label_periods=len({p.evidence.notice.doc_id for p in picks}) > 1)
        return draft.answer(confidence=sum(p.score for p in picks) / len(picks), intent=question.primary.value)

    def pick_clauses(self, question: Question, evidence: list[Evidence], allowed: set[str]) -> list[Pick]:
        """The best clause for each part of the question (several for a list).

        An elliptical part (`…收到多少群众诉求,办结了多少?`) is looked for beside the clause that answered the
        part before it; a part that names its own subject gets its own search.
        """
        parts = question.parts if len(question.parts) > 1 else [question.context or question.text]
        picks: list[Pick] = []
        for index, part in enumerate(parts):
            sub = analyze(part) if len(parts) > 1 else question
            elliptical = index > 0 and len(_content(sub.topic)) <= 3 and picks
            if elliptical:
                pool = [p.evidence for p in picks]
            elif len(parts) > 1:
                pool = self._merge(self.evidence(part, allowed), evidence)
            else:
                pool = evidence
            similarity = self.clause_similarity(sub, pool)
            topic = topic_grams(sub.topic) if question.language == "zh" else set()
            ranked = [p for p in score_clauses(sub, topic, pool, similarity) if p.score >= PICK_FLOOR]
            ranked = [p for p in ranked if all(p.clause != q.clause or p.evidence is not q.evidence for q in picks)]
            if not ranked or (wants_figure(sub) and not ranked[0].quantities):
                continue
            chosen = [ranked[0]]
            if question.primary == Intent.LIST:
                chosen += [p for p in ranked[1:6] if p.score >= ranked[0].score - 0.12][:3]
            picks += chosen
        return picks

    def ledger_row(self, question: Question, picks: list[Pick]) -> Target | None:
        """A target row behind the chosen clause: then the answer gives target and progress too."""
        if question.primary in (Intent.LIST, Intent.RANK):
            return None
        sentences = {(p.evidence.paragraph.id, expand_to_sentence(p.evidence.paragraph.text, p.clause)) for p in picks}
        if len(sentences) != 1:
            return None  # several things asked: quote each
        pick = next((p for p in picks if p.quantities), picks[0])
        row = row_for_pick(pick, self.ledger, whole_sentence=question.primary in (Intent.PROGRESS, Intent.TARGET))
        if row is None:
            return None
        if question.primary == Intent.STATUS and row.kind not in (TargetKind.GROWTH_RATE, TargetKind.CEILING):
            return None  # a project's status is told in the notice's words
        return row

    @staticmethod
    def _merge(first: list[Evidence], second: list[Evidence]) -> list[Evidence]:
        seen = {(e.notice.doc_id, e.paragraph.id) for e in first}
        return first + [e for e in second if (e.notice.doc_id, e.paragraph.id) not in seen]
