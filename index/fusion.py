"""Fuse dense and BM25 scores into one ranking and one calibrated score. Pure arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

# Cosine similarities of multilingual-e5-small live in a narrow band. Measured on the Q1 notice: a Chinese
# question scores about 0.86 against unrelated paragraphs and 0.92 against its own sentence; an English
# question about 0.74 against unrelated Chinese text and 0.80 against its sentence. These ends map each band
# onto [0, 1].
DENSE_FLOOR, DENSE_CEILING = 0.85, 0.93
CROSS_LINGUAL_FLOOR, CROSS_LINGUAL_CEILING = 0.73, 0.82
BM25_HALF = 8.0  # a BM25 score at which lexical evidence counts half


@dataclass(frozen=True)
class Fused:
    row: int
    score: float  # calibrated, comparable across queries
    rank_score: float  # what the ranking used
    dense: float | None
    bm25: float | None


def calibrate_dense(cosine: float, cross_lingual: bool = False) -> float:
    """Map an e5 cosine onto [0, 1] with fixed ends, so a score means the same for every query."""
    floor, ceiling = (CROSS_LINGUAL_FLOOR, CROSS_LINGUAL_CEILING) if cross_lingual else (DENSE_FLOOR, DENSE_CEILING)
    return min(1.0, max(0.0, (cosine - floor) / (ceiling - floor)))


def calibrate_bm25(score: float) -> float:
    """Saturating map of a BM25 score onto [0, 1)."""
    return score / (score + BM25_HALF) if score > 0 else 0.0


def fuse(
    dense: dict[int, float], lexical: dict[int, float], dense_weight: float = 0.5, cross_lingual: bool = False
) -> list[Fused]:
    """Convex fusion of per-query max-normalised scores; rows absent from one side count 0 there.

    The ranking uses per-query normalisation (as txtai's convex fusion does); the returned `score`
    uses fixed calibration so the assistant can compare it with a refusal threshold.
    """
    if not dense and not lexical:
        return []
    lexical_max = max(lexical.values(), default=0.0)
    dense_values = list(dense.values())
    dense_min, dense_max = (min(dense_values), max(dense_values)) if dense_values else (0.0, 0.0)
    lexical_weight = 1.0 - dense_weight if lexical_max > 0 else 0.0
    dense_weight = dense_weight if dense else 0.0
    total = (dense_weight + lexical_weight) or 1.0
    fused: list[Fused] = []
    for row in set(dense) | set(lexical):
        cosine, bm25 = dense.get(row), lexical.get(row)
        dense_norm = 0.0
        if cosine is not None and dense_max > dense_min:
            dense_norm = (cosine - dense_min) / (dense_max - dense_min)
        elif cosine is not None:
            dense_norm = 1.0
        lexical_norm = (bm25 or 0.0) / lexical_max if lexical_max > 0 else 0.0
        rank_score = (dense_weight * dense_norm + lexical_weight * lexical_norm) / total
        calibrated = (
            dense_weight * (calibrate_dense(cosine, cross_lingual) if cosine is not None else 0.0)
            + lexical_weight * calibrate_bm25(bm25 or 0.0)
        ) / total
        fused.append(Fused(row=row, score=calibrated, rank_score=rank_score, dense=cosine, bm25=bm25))
    fused.sort(key=lambda f: (-f.rank_score, f.row))
    return fused


def reciprocal_rank(rankings: list[list[int]], k: int = 60) -> dict[int, float]:
    """Reciprocal-rank fusion of several rankings (row ids, best first)."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking):
            scores[row] = scores.get(row, 0.0) + 1.0 / (k + rank + 1)
    return scores
