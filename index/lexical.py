"""BM25 over Chinese character bigrams and jieba words (bm25s), with figures normalised."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np

from index.models import Chunk
from index.text import tokenize


class BM25Index:
    """Keyword search; `scores` gives the raw BM25 score of every chunk for one query."""

    def __init__(self, model: bm25s.BM25) -> None:
        self._model = model

    @classmethod
    def build(cls, chunks: list[Chunk]) -> BM25Index:
        model = bm25s.BM25()
        model.index([tokenize(c.context) or [""] for c in chunks], show_progress=False)
        return cls(model)

    def scores(self, query: str) -> np.ndarray:
        tokens = tokenize(query)
        if not tokens:
            return np.zeros(self._model.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._model.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        self._model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        return cls(bm25s.BM25.load(str(folder), show_progress=False, verbosity=0))
