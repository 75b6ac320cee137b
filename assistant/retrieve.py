"""Stage 3, retrieve: the paragraphs of the routed notices that may hold each ask's answer, with clause cosines.

One batched embedding covers the question and its parts; the hybrid index (BM25 + FAISS) ranks paragraphs, and
the clause vectors stored at build time give each clause's cosine to the ask, which the match stage reads.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.route import Route
from assistant.scoring import Scoring
from assistant.understand import QuestionSpec
from index.embedder import Encoder
from index.models import Hit
from index.search import HybridRetriever


class Evidence(BaseModel):
    """What one ask retrieved: paragraph hits and, for their clauses, the cosine to the ask."""

    ask: int
    query: str
    hits: list[Hit]
    clause_cosines: dict[str, list[tuple[int, int, float]]] = Field(
        default_factory=dict, description="chunk id → (start, end, cosine) for each clause of the paragraph"
    )

    def cosine(self, chunk_id: str, offset: int) -> float | None:
        """The cosine of the clause of a paragraph holding a character offset."""
        for start, end, score in self.clause_cosines.get(chunk_id, []):
            if start <= offset < end:
                return score
        return None


def ask_query(spec: QuestionSpec, index: int) -> str:
    """What an ask is searched by: the whole question for the first, a part with its inherited measure after."""
    text = spec.context + " " + spec.text if spec.context else spec.text
    if index == 0 or len(spec.asks) == 1:
        return text.strip()
    ask = spec.asks[index]
    if ask.terms not in ask.text:
        return f"{ask.terms} {ask.text}"
    if len(ask.terms.replace(" ", "")) <= 4:  # 办结了多少: an elliptical part is about the first part's subject
        return f"{spec.asks[0].terms} {ask.text}"
    return ask.text


def retrieve(
    spec: QuestionSpec, route: Route, retriever: HybridRetriever, encoder: Encoder, scoring: Scoring
) -> list[Evidence]:
    """Hits per ask from the routed notices only (searching deeper when only some notices may answer)."""
    queries = [ask_query(spec, i) for i in range(len(spec.asks))]
    encoder.encode_queries(list(dict.fromkeys(queries)))  # one batch: later lookups hit the cache
    allowed = set(route.doc_ids)
    total = len({c.doc_id for c in retriever.index.chunks})
    depth = scoring.search_depth * (3 if len(allowed) < total else 1)
    lexical = " ".join(spec.english_terms) if spec.english else None
    found: list[Evidence] = []
    for i, query in enumerate(queries):
        hits = [h for h in retriever.search(query, depth, lexical_query=lexical) if h.chunk.doc_id in allowed]
        hits = hits[: scoring.search_depth]
        cosines = {
            h.chunk.id: [(s, e, score) for (s, e), score in retriever.dense.clause_scores(query, h.chunk.id)]
            for h in hits[:8]
        }
        found.append(Evidence(ask=i, query=query, hits=hits, clause_cosines=cosines))
    return found
