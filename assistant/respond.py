"""From a parsed question to an answer: choose notices, retrieve, refuse or pick clauses and targets."""

from __future__ import annotations

import re

from assistant.bridge import EnglishBridge
from assistant.clauses import clauses, expand_to_sentence
from assistant.compose import Draft, merge_answers, quote_picks, refusal, with_difference
from assistant.evidence import (
    Evidence,
    Pick,
    make_evidence,
    score_clauses,
    select_notices,
    topic_grams,
    unit_matches,
    unknown_places,
    wants_figure,
    year_conflict,
)
from assistant.models import Answer
from assistant.question import Intent, Question, analyze, looks_like_code
from assistant.settings import Settings
from assistant.targets import row_for_pick, target_answer
from documents.errors import QuestionError
from documents.models import Notice, Target
from documents.series import chronology, period_label
from index.embedder import Encoder
from index.search import HybridRetriever

PICK_FLOOR = 0.35  # a clause scoring under this answers nothing
FIGURE_MARGIN = 0.25  # how much better a clause without the asked figure may score before the question is refused
SEARCH_DEPTH = 4
PERIOD_MARGIN = 0.15  # another period's answer is shown too when its clause scores this close to the best


_GENERIC = re.compile(r"完成|完工|目标|年度|全年|进度|百分之几|率|比例|是|的|了|要|达到|多少|计划")


def _content(text: str) -> str:
    return re.sub(r"[^\u4e00-\u9fffa-z0-9]", "", text)


def _same_sentence_figures(question: Question, first: Pick) -> list[Pick]:
    """The other clauses of the first pick's sentence that state a figure of the asked kind (at most 5)."""
    text = first.evidence.paragraph.text
    sentence = expand_to_sentence(text, first.clause)
    found = []
    for span in clauses(text):
        if sentence.start <= span.start < sentence.end and span != first.clause:
            inside = [q for q in first.evidence.quantities if span.start <= q.start and q.end <= span.end]
            matching = [q for q in inside if unit_matches(q, question)]
            if matching:
                found.append(Pick(evidence=first.evidence, clause=span, score=first.score, quantities=matching))
    return found[:5]


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
        self.bridge = EnglishBridge(notices)
        self._home = " ".join(" ".join(n.metadata.values()) + n.title for n in notices)  # the issuers' words
        cities = re.findall(r"([\u4e00-\u9fff]{2,3}?市)(?:人民政府|政府|委|督查)", self._home)
        self.home = max(set(cities), key=cities.count) if cities else "本市"  # the city the notices are about
        self.home_en = "the issuing city"

    def evidence(
        self, query: str, allowed: set[str], k: int = SEARCH_DEPTH, lexical: str | None = None
    ) -> list[Evidence]:
        depth = k * 3 if len(allowed) < len(self._by_id) else k
        hits = self.retriever.search(query, depth, lexical_query=lexical)
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
        # One batched call embeds the question and its parts: a batch of three costs about one embedding.
        self.encoder.encode_queries(list(dict.fromkeys([question.context or question.text, *question.parts])))
        if not question.context and question.language == "zh" and not _content(_GENERIC.sub("", question.topic)):
            return refusal(question, "问题里没有说要问哪一项", None)  # 多少? / 呢? with nothing before it
        if looks_like_code(question.raw):
            return refusal(question, "this looks like code or markup, not a question about the notices", None)
        if question.language == "en":
            foreign = self.bridge.unknown_names(question.raw)
            if foreign:
                return refusal(question, f"the notices cover {self.home_en} only, not {', '.join(foreign)}", None)
            terms = self.bridge.terms(question.context or question.text)
            if not terms:
                return refusal(question, "none of its words occur in the notices", None)
            question = question.model_copy(update={"topic": " ".join(terms)})
        answer = self._respond(question)
        elsewhere = self._places_not_cited(question, answer)
        if elsewhere:
            places = "、".join(elsewhere) if question.language == "zh" else ", ".join(elsewhere)
            reason = (
                f"通报只涉及{self.home},未涉及{places}"
                if question.language == "zh"
                else f"the notices are not about {places}"
            )
            answer = refusal(question, reason, None)
        return answer.model_copy(update={"context": question.context or question.text})

    def _places_not_cited(self, question: Question, answer: Answer) -> list[str]:
        """Places the question names that none of the cited paragraphs mentions (the home city aside)."""
        if answer.refused:
            return []
        cited = "".join(c.text for c in answer.citations)
        corpus = "".join(n.text for n in self.notices)
        if question.language == "en":
            names = self.bridge.names(question.raw)
        else:
            names = {p: {p, p.rstrip("市县区省")} for p in question.places}
        # A place the notices name elsewhere (武汉) or an administrative name they never mention (黄石市) must be in
        # the cited text; an unknown name without 市/县 may be a typo (赤璧) and is left to retrieval.
        return [
            name
            for name, forms in names.items()
            if not any(f in cited for f in forms)
            and not any(f in self._home for f in forms)
            and (any(f in corpus for f in forms) or name[-1] in "市县区省州" or question.language == "en")
        ]

    def _respond(self, question: Question) -> Answer:
        notices, reason = select_notices(self.notices, question)
        if reason:
            return refusal(question, reason, None)
        places = unknown_places(question, self.notices)
        if places:
            other = f"通报只涉及{self.home},未涉及{'、'.join(places)}" if question.language == "zh" else "another place"
            return refusal(question, other, None)
        if question.period is not None or len(notices) == 1:
            return self._answer_from(question, {n.doc_id for n in notices})[0]
        # No period, or several: answer from each notice that has it, labelled by period, earliest first.
        tried = [(n, *self._answer_from(question, {n.doc_id})) for n in sorted(notices, key=chronology)]
        found = [(n, a, score) for n, a, score in tried if not a.refused]
        if len(question.periods) > 1 and len(found) < len(tried):
            english = question.language == "en"
            missing = [period_label(n, english) for n, a, _ in tried if a.refused]
            reason = (
                f"the {', '.join(missing)} notice gives no such figure"
                if english
                else f"{'、'.join(missing)}的通报没有给出这一数字"
            )
            return refusal(question, reason, None)
        if not found:
            return max(tried, key=lambda t: t[2])[1]
        best = max(score for _, _, score in found)
        margin = 1.0 if question.periods else PERIOD_MARGIN  # periods named: every one of them is answered
        kept = [(n, a) for n, a, score in found if score >= best - margin]
        if len(kept) == 1:
            return kept[0][1]
        merged = merge_answers(question, [(period_label(n, question.language == "en"), a) for n, a in kept])
        return with_difference(merged, [a for _, a in kept]) if question.compares else merged

    def _answer_from(self, question: Question, allowed: set[str]) -> tuple[Answer, float]:
        """The answer from the given notices, with the score of the clause it rests on (0 for a refusal)."""
        english = question.language == "en"
        lexical = question.topic if question.language == "en" else None
        evidence = self.evidence(question.context or question.text, allowed, lexical=lexical)
        if not evidence or evidence[0].hit.score < self.settings.refuse_below:
            return refusal(question, "nothing related found" if english else "没有找到相关内容", None), 0.0
        if year_conflict(question, self.notices, evidence):
            reason = f"no notice reports on {question.year}" if english else f"通报未涉及{question.year}年的数据"
            return refusal(question, reason, evidence[0]), 0.0
        picks = self.pick_clauses(question, evidence, allowed)
        if picks and year_conflict(question, self.notices, [p.evidence for p in picks], [p.clause for p in picks]):
            reason = f"no notice reports on {question.year}" if english else f"通报未涉及{question.year}年的数据"
            return refusal(question, reason, picks[0].evidence), 0.0
        if not picks and (question.keyword_only or question.primary == Intent.PROGRESS):
            as_status = question.model_copy(update={"intents": [Intent.STATUS]})  # 嘉崇高速啥进度: told in words
            picks = self.pick_clauses(as_status, evidence, allowed)
        if not picks:
            what = "通报没有给出所问的数字" if wants_figure(question) else "没有找到足够相关的内容"
            return refusal(question, "the notice gives no such figure" if english else what, evidence[0]), 0.0
        score = max(p.score for p in picks)
        row = self.ledger_row(question, picks)
        if row is not None:
            evidence_for_row = [p.evidence for p in picks] + evidence
            return target_answer(question, row, self._by_id[row.doc_id], evidence_for_row, score), score
        draft = Draft(question)
        quote_picks(draft, picks, label_periods=False)
        return draft.answer(confidence=score, intent=question.primary.value), score

    def pick_clauses(self, question: Question, evidence: list[Evidence], allowed: set[str]) -> list[Pick]:
        """The best clause for each part of the question (several for a list).

        An elliptical part (`…收到多少群众诉求,办结了多少?`) is looked for beside the clause that answered the
        part before it; a part that names its own subject gets its own search.
        """
        parts = question.parts if len(question.parts) > 1 else [question.context or question.text]
        picks: list[Pick] = []
        for index, part in enumerate(parts):
            try:
                sub = analyze(part) if len(parts) > 1 else question
            except QuestionError:
                continue  # a fragment with no words of its own
            topic = topic_grams(sub.topic if question.language == "zh" else question.topic)
            ranked: list[Pick] = []
            own_words = _content(_GENERIC.sub("", sub.topic))
            if index > 0 and picks and len(own_words) <= 1 and row_for_pick(picks[0], self.ledger, True):
                continue  # 完工率多少 / 年度目标是多少: the target row of the first part answers it
            if index > 0 and picks:  # first beside the clause that answered the part before (…,总投资多少)
                near = [p.evidence for p in picks]
                ranked = self._ranked(sub, topic, near, picks, relaxed=len(_content(sub.topic)) <= 3)
                if wants_figure(sub):
                    ranked = [p for p in ranked if p.quantities]
            if not ranked and (index == 0 or len(_content(sub.topic)) > 3):
                pool = evidence if len(parts) == 1 else self._merge(self.evidence(part, allowed), evidence)
                ranked = self._ranked(sub, topic, pool, picks)
            if wants_figure(sub):  # the best clause that states a figure of the asked kind, if it is close enough
                with_figure = [p for p in ranked if p.quantities]
                if not with_figure or with_figure[0].score < ranked[0].score - FIGURE_MARGIN:
                    continue
                ranked = with_figure
            if not ranked:
                continue
            chosen = [ranked[0]]
            if re.search(r"各|分别|、", part) and wants_figure(sub):  # 取消审批、改为备案…各多少项: the whole list
                chosen += _same_sentence_figures(sub, ranked[0])
            elif question.primary == Intent.LIST:
                chosen += [p for p in ranked[1:6] if p.score >= ranked[0].score - 0.12][:3]
            elif question.primary == Intent.STATUS:  # 高标准农田建设进展: each year's batch has its own sentence
                same = [p for p in ranked[1:4] if p.evidence is ranked[0].evidence]
                chosen += [p for p in same if p.score >= ranked[0].score - 0.05][:1]
            picks += chosen
        return picks

    def _ranked(
        self, question: Question, topic: set[str], pool: list[Evidence], taken: list[Pick], relaxed: bool = False
    ) -> list[Pick]:
        similarity = self.clause_similarity(question, pool)
        ranked = [p for p in score_clauses(question, topic, pool, similarity, relaxed) if p.score >= PICK_FLOOR]
        return [p for p in ranked if all(p.clause != q.clause or p.evidence is not q.evidence for q in taken)]

    def ledger_row(self, question: Question, picks: list[Pick]) -> Target | None:
        """A target row behind the chosen clause: then the answer gives target and progress too."""
        if question.primary in (Intent.LIST, Intent.RANK):
            return None
        sentences = {(p.evidence.paragraph.id, expand_to_sentence(p.evidence.paragraph.text, p.clause)) for p in picks}
        if len(sentences) != 1:
            return None  # several things asked: quote each
        with_figures = [p for p in picks if p.quantities]
        rows = {r.id: r for p in with_figures if (r := row_for_pick(p, self.ledger, whole_sentence=False))}
        if len(rows) > 1:
            return None  # several targets asked about (要培育几家?总数要达到多少): quote each
        pick = with_figures[0] if with_figures else picks[0]
        row = row_for_pick(pick, self.ledger, whole_sentence=question.primary in (Intent.PROGRESS, Intent.TARGET))
        return row

    @staticmethod
    def _merge(first: list[Evidence], second: list[Evidence]) -> list[Evidence]:
        seen = {(e.notice.doc_id, e.paragraph.id) for e in first}
        return first + [e for e in second if (e.notice.doc_id, e.paragraph.id) not in seen]
