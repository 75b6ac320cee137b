"""Retrievers with one interface, `search(query, k) -> list[Hit]`: BM25, dense and their hybrid."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from index.embedder import Encoder
from index.fusion import Fused, calibrate_bm25, calibrate_dense, fuse
from index.models import Hit
from index.store import LoadedIndex
from index.text import has_cjk

CANDIDATES = 50  # how many dense neighbours the fusion considers
VECTORS_PER_CHUNK = 6  # vectors fetched per wanted chunk, since sentences of one paragraph cluster together


class Retriever(Protocol):
    def search(self, query: str, k: int) -> list[Hit]: ...


def _hits(index: LoadedIndex, fused: list[Fused], k: int) -> list[Hit]:
    return [
        Hit(chunk=index.chunks[f.row], score=round(f.score, 4), rank=i + 1, dense=f.dense, bm25=f.bm25)
        for i, f in enumerate(fused[:k])
    ]


class BM25Retriever:
    def __init__(self, index: LoadedIndex) -> None:
        self.index = index

    def search(self, query: str, k: int) -> list[Hit]:
        scores = self.index.lexical.scores(query)
        rows = [int(r) for r in np.argsort(-scores, kind="stable")[:k] if scores[r] > 0]
        return _hits(
            self.index, [Fused(r, calibrate_bm25(float(scores[r])), 0.0, None, float(scores[r])) for r in rows], k
        )


class DenseRetriever:
    def __init__(self, index: LoadedIndex, encoder: Encoder) -> None:
        self.index, self.encoder = index, encoder

    def neighbours(self, query: str, k: int, also: list[int] | None = None) -> dict[int, float]:
        """Cosine of the k nearest rows, plus of any `also` rows (candidates from BM25)."""
        if self.index.dense.size == 0:
            return {}
        vector = self.encoder.encode_queries([query])[0]
        scores, rows = self.index.dense.search(vector, k * VECTORS_PER_CHUNK)
        found: dict[int, float] = {}
        for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
            if row >= 0:  # a chunk scores as its best vector: the paragraph or one of its sentences
                owner = int(self.index.owners[row])
                found[owner] = max(found.get(owner, -1.0), float(score))
        found = dict(sorted(found.items(), key=lambda item: -item[1])[:k])
        for chunk_row in also or []:
            if chunk_row not in found:
                rows_of_chunk = self.index.rows_of.get(chunk_row, [])
                found[chunk_row] = (
                    float(self.index.dense.similarity(vector, rows_of_chunk).max()) if rows_of_chunk else 0.0
                )
        return found

    def clause_scores(self, query: str, chunk_id: str) -> list[tuple[tuple[int, int], float]]:
        """Cosine of the query to each clause window of one chunk (vectors stored at build time)."""
        row = self.index.row_of_chunk.get(chunk_id)
        if row is None:
            return []
        vector = self.encoder.encode_queries([query])[0]
        clause_rows = self.index.rows_of.get(row, [])[1:]
        scores = self.index.dense.similarity(vector, clause_rows).tolist() if clause_rows else []
        return list(zip(self.index.chunks[row].clause_spans, scores, strict=False))

    def search(self, query: str, k: int) -> list[Hit]:
        found = sorted(self.neighbours(query, k).items(), key=lambda item: -item[1])
        cross = not has_cjk(query)
        return _hits(self.index, [Fused(r, calibrate_dense(s, cross), s, s, None) for r, s in found], k)


class HybridRetriever:
    """Dense and BM25 fused; a query with no Chinese goes to dense alone (BM25 cannot match it)."""

    def __init__(self, index: LoadedIndex, encoder: Encoder, dense_weight: float = 0.5) -> None:
        self.index, self.dense_weight = index, dense_weight
        self.dense = DenseRetriever(index, encoder)

    def search(self, query: str, k: int, lexical_query: str | None = None) -> list[Hit]:
        """Fused hits; `lexical_query` (e.g. Chinese words for an English question) feeds BM25 instead of `query`."""
        width = max(CANDIDATES, k)
        lexical: dict[int, float] = {}
        scores = None
        words = lexical_query if lexical_query is not None else query
        if has_cjk(words):
            scores = self.index.lexical.scores(words)
            top = np.argsort(-scores, kind="stable")[:width]
            lexical = {int(r): float(scores[r]) for r in top if scores[r] > 0}
        dense = self.dense.neighbours(query, width, also=list(lexical))
        if scores is not None:  # every dense candidate gets its lexical score too, so both sides are complete
            for row in dense:
                lexical.setdefault(row, float(scores[row]))
        return _hits(self.index, fuse(dense, lexical, self.dense_weight, cross_lingual=not has_cjk(query)), k)
