"""The query encoder without torch: onnxruntime runs the exported model, `tokenizers` splits the text.

Same vectors as sentence-transformers (cosine ≥ 0.999, tested): e5 prompts, mean pooling and L2 norm, the
latter two inside the exported graph.

Loading XLM-R's 250,000-piece Unigram tokenizer costs 1-1.5 s on this machine, most of a 3 s start. So each
call builds a Unigram model of only the pieces that can occur in its texts, looked up in the export's SQLite
table, and maps the ids back. That is exact: Unigram's Viterbi lattice only ever holds pieces that are
substrings of a pre-tokenized word, and its unknown-character score comes from the lowest-scored piece, which
is always included. Texts that name a special token ("<s>", "<mask>"…) go to the full tokenizer, loaded then.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from documents.errors import ModelUnavailableError
from index.onnx_export import GRAPH_FILE, PIECES_FILE, PROBE_TEXT, SHELL_FILE, onnx_folder, read_marker

QUERY_CACHE_SIZE = 2048
BATCH_SIZE = 32
MAX_TOKENS = 512
_SQL_CHUNK = 900  # bound parameters per SELECT (SQLite's old default limit is 999)


class PieceTokenizer:
    """XLM-R tokenization with `tokenizers`, building the Unigram model from only the pieces a batch needs."""

    def __init__(self, folder: Path, model_dir: Path) -> None:
        from tokenizers import AddedToken, Tokenizer
        from tokenizers.models import Unigram

        self._Tokenizer, self._Unigram = Tokenizer, Unigram
        spec = json.loads((folder / SHELL_FILE).read_text(encoding="utf-8"))
        meta = spec.pop("tongbao")
        self._pieces_path = folder / PIECES_FILE
        self._full_path = model_dir / "tokenizer.json"
        self._unk_id = int(meta["unk_id"])
        self._max_chars = int(meta["max_piece_chars"])
        self._always = {int(meta["lowest_id"]): tuple(meta["lowest"])}
        self._always.update({int(i): (content, float(score)) for i, content, score in meta["specials"]})
        self._specials = [content for _, content, _ in meta["specials"]]
        added = {t["content"]: t for t in spec.get("added_tokens", [])}
        self._added = [
            AddedToken(c, special=True, normalized=False, lstrip=bool(added.get(c, {}).get("lstrip")))
            for c in self._specials
        ]
        # The pipeline around the model (normaliser, pre-tokenizer, template) from a vocabulary-less copy.
        shell = dict(spec, model={**spec["model"], "vocab": [[c, s] for c, s in self._always.values()], "unk_id": 0})
        shell["added_tokens"] = []
        base = Tokenizer.from_str(json.dumps(shell, ensure_ascii=False))
        self._normalizer, self._pre_tokenizer = base.normalizer, base.pre_tokenizer
        self._post_processor, self._decoder = base.post_processor, base.decoder
        self._local = threading.local()  # one SQLite connection per thread
        self._full = None
        self._full_lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():  # a connection must not cross fork()
            db = sqlite3.connect(f"file:{self._pieces_path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db, self._local.pid = db, os.getpid()
        return db

    def _candidates(self, texts: list[str]) -> set[str]:
        """Every substring (up to the longest piece) of every pre-tokenized word of the texts."""
        found: set[str] = set()
        limit = self._max_chars
        for text in texts:
            normalized = self._normalizer.normalize_str(text)
            for word, _ in self._pre_tokenizer.pre_tokenize_str(normalized):
                n = len(word)
                for start in range(n):
                    found.update(word[start:end] for end in range(start + 1, min(n, start + limit) + 1))
        return found

    def _lookup(self, candidates: set[str]) -> dict[int, tuple[str, float]]:
        rows: dict[int, tuple[str, float]] = dict(self._always)
        ordered = list(candidates)
        db = self._db()
        for i in range(0, len(ordered), _SQL_CHUNK):
            chunk = ordered[i : i + _SQL_CHUNK]
            marks = ",".join("?" * len(chunk))
            for piece, pid, score in db.execute(f"SELECT piece, id, score FROM pieces WHERE piece IN ({marks})", chunk):
                rows[int(pid)] = (piece, float(score))
        return rows

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(input_ids, attention_mask), padded to the longest text and cut at 512 tokens, as int64 arrays."""
        if any(special in text for text in texts for special in self._specials):
            return self._encode_full(texts)
        rows = self._lookup(self._candidates(texts))
        ids = sorted(rows)  # specials have the lowest ids (0-3), so their positions do not move
        if ids[: self._unk_id + 1] != list(range(self._unk_id + 1)):
            return self._encode_full(texts)
        tokenizer = self._Tokenizer(self._Unigram([rows[i] for i in ids], self._unk_id, False))
        tokenizer.normalizer, tokenizer.pre_tokenizer = self._normalizer, self._pre_tokenizer
        tokenizer.post_processor, tokenizer.decoder = self._post_processor, self._decoder
        tokenizer.add_special_tokens(self._added)
        tokenizer.enable_truncation(MAX_TOKENS)
        back = np.asarray(ids, dtype=np.int64)
        encoded = [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=True)]
        return _pad([back[np.asarray(e, dtype=np.int64)] for e in encoded])

    def _encode_full(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        with self._full_lock:
            if self._full is None:
                full = self._Tokenizer.from_file(str(self._full_path))
                full.no_padding()
                full.enable_truncation(MAX_TOKENS)
                self._full = full
        return _pad([np.asarray(e.ids, dtype=np.int64) for e in self._full.encode_batch(texts)])

    def full_ids(self, texts: list[str]) -> list[list[int]]:
        """Ids from the complete tokenizer, for tests that check the shortcut gives the same."""
        ids, mask = self._encode_full(texts)
        return [row[m.astype(bool)].tolist() for row, m in zip(ids, mask, strict=True)]


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0][:300]


def _pad(rows: list[np.ndarray], pad_id: int = 1) -> tuple[np.ndarray, np.ndarray]:
    width = max((len(r) for r in rows), default=0)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


class OnnxEncoder:
    """An e5 encoder on onnxruntime; the session opens in a background thread (onnxruntime releases the GIL)."""

    def __init__(self, model_dir: Path, model_id: str, threads: int = 0) -> None:
        folder = onnx_folder(model_dir)
        marker = read_marker(folder)
        if marker is None:
            raise ModelUnavailableError(f"no finished ONNX export in {folder}")
        self.model_id, self.dim, self.engine = model_id, int(marker["dim"]), "onnx"
        self._probe = np.asarray(marker.get("probe") or [], dtype=np.float32)
        self._graph, self._threads = folder / GRAPH_FILE, threads
        try:
            self.tokenizer = PieceTokenizer(folder, Path(model_dir))
        except Exception as exc:  # noqa: BLE001 - any damage to these files gets the same message
            raise ModelUnavailableError(f"ONNX tokenizer files in {folder} are unreadable ({exc})") from exc
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="onnx-load")
        self._session: Future = self._pool.submit(self._open_session)
        self._query_cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()  # guards the cache only; onnxruntime runs calls concurrently
        self._inherited: list[Future] = []  # sessions inherited through fork(): kept, never run nor freed
        self._session_lock = threading.Lock()
        method = weakref.WeakMethod(self._reopen_after_fork)
        os.register_at_fork(after_in_child=lambda: (hook := method()) and hook())

    def _open_session(self):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Idle threads would spin for the next call, burning the core another request needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if self._threads:
            options.intra_op_num_threads = self._threads
        try:
            session = ort.InferenceSession(str(self._graph), options, providers=["CPUExecutionProvider"])
            ids, mask = self.tokenizer.encode([PROBE_TEXT])
            probe = session.run(None, {"input_ids": ids, "attention_mask": mask})[0][0]
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types for a damaged file
            raise ModelUnavailableError(f"could not open the ONNX model {self._graph}: {_first_line(exc)}") from exc
        if self._probe.shape != probe.shape or not float(probe @ self._probe) >= 0.999:
            raise ModelUnavailableError(f"the ONNX model {self._graph} gives wrong vectors (damaged weights?)")
        return session

    def _reopen_after_fork(self) -> None:
        """onnxruntime's threads do not survive fork(): a forked worker opens its own session on first use."""
        self._inherited.append(self._session)
        self._session = None
        self._threads = 1  # a forked worker is one of several processes sharing the cores
        self._lock, self._session_lock = threading.Lock(), threading.Lock()

    def _current_session(self):
        future = self._session
        if future is None:
            with self._session_lock:
                if self._session is None:
                    opened: Future = Future()
                    try:
                        opened.set_result(self._open_session())
                    except ModelUnavailableError as exc:
                        opened.set_exception(exc)
                    self._session = opened
                future = self._session
        return future.result()

    def ready(self) -> None:
        """Wait for the session; raises ModelUnavailableError if the model file cannot be opened."""
        self._current_session()

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        session = self._current_session()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batches of similar length pad little
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            rows = order[start : start + BATCH_SIZE]
            ids, mask = self.tokenizer.encode([prefix + texts[i] for i in rows])
            out[rows] = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors, cached by text; thread-safe, and concurrent calls embed concurrently."""
        with self._lock:
            known = {t: self._query_cache[t] for t in texts if t in self._query_cache}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = dict(zip(missing, self._encode(missing, "query: "), strict=True))
            known.update(fresh)
            with self._lock:
                if len(self._query_cache) + len(fresh) > QUERY_CACHE_SIZE:
                    self._query_cache.clear()
                self._query_cache.update(fresh)
        return np.stack([known[t] for t in texts])

    def clear_query_cache(self) -> None:
        with self._lock:
            self._query_cache.clear()

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ") if texts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_bare(self, text: str) -> np.ndarray:
        """One query embedding below any cache (for the benchmark)."""
        return self._encode([text], "query: ")[0]
