"""The one library call behind the CLI, the UI and any client: `Assistant.ask(question) -> Answer`."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant import uploads
from assistant.models import Answer
from assistant.pipeline import Pipeline
from assistant.settings import Settings
from assistant.understand import QuestionSpec, understand
from documents.corpus import Corpus, file_order, load_corpus
from documents.errors import AssistantError
from documents.ledger import ledger_rows
from documents.library import Library
from documents.models import Notice, Target
from index.embedder import Encoder, load_encoder
from index.search import HybridRetriever
from index.store import LoadedIndex, build_index, open_index, reusable_vectors, stderr_progress

_FOLLOW_UP = re.compile(
    r"^(?:那|那么|它|其|这个|该)|呢[?？]?$|^(?:目标|进度|完成率|完成了百分之几|占比)|^(?:and|what about|how about)\b",
    re.I,
)


class Assistant:
    """Notices, their index and ledger, loaded once; `ask` is thread-safe and keeps no per-user state."""

    def __init__(self, settings: Settings, corpus: Corpus, index: LoadedIndex, encoder: Encoder) -> None:
        self.settings, self.corpus, self.index, self.encoder = settings, corpus, index, encoder
        self.retriever = HybridRetriever(index, encoder)
        self.library = Library.of(corpus.notices, cache=settings.cache_dir / "facts")
        self.pipeline = Pipeline(self.library, self.retriever, encoder)
        self.ledger: list[Target] = [
            row
            for doc_id, entry in self.library.entries.items()
            for row in ledger_rows(entry.notice, entry.facts, self.pipeline.pairs[doc_id])
        ]
        self._lock = threading.Lock()  # guards the swap in add_notice
        # The index layer, jieba and the pipeline are safe to share between threads (tests/test_fast_start.py);
        # settings.answer_lock brings back the old one-answer-at-a-time lock, for comparison.
        self._answer_lock = threading.Lock() if settings.answer_lock else contextlib.nullcontext()

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        rebuild: bool = False,
        progress: Callable[[str], None] | None = stderr_progress,
    ) -> Assistant:
        """Read the notices, load the model (converting the bundled one on first use) and open the index."""
        settings = settings or Settings.from_env()
        corpus = load_corpus(
            Path(settings.documents), settings.max_notice_bytes, settings.conversions_dir, settings.read_limits
        )
        if progress:
            for problem in corpus.problems:
                progress(f"skipped: {problem}")
        encoder = load_encoder(settings.model, settings.cache_dir, settings.encoder)
        index = open_index(corpus.notices, encoder, settings.index_dir, rebuild=rebuild, progress=progress)
        return cls(settings, corpus, index, encoder)

    @property
    def notices(self) -> list[Notice]:
        return self.corpus.notices

    def add_notice(self, name: str, raw: bytes, profile: dict[str, str] | None = None) -> str:
        """Add an uploaded notice (see assistant.uploads): read apart, checked, saved all or nothing, embedded
        while the index in use keeps answering, then swapped in; `profile` (place, year, period) is saved beside it
        as its sidecar when the uploader gives it. A bad file raises NoticeError and changes nothing.
        """
        return uploads.add_notice(self, name, raw, profile)

    def include(self, notice: Notice, vectors: dict[str, np.ndarray]) -> None:
        """Answer from these notices and `notice` from now on: indexed with the saved vectors and `vectors` (its
        own, embedded beforehand, so nothing is embedded here), the index saved, then swapped in at once."""
        notices = sorted([*self.notices, notice], key=lambda n: file_order(Path(n.path)) if n.path else ())
        known = {**reusable_vectors(self.settings.index_dir, self.encoder.model_id), **vectors}
        index = build_index(notices, self.encoder, self.settings.index_dir, known=known)
        self.adopt(
            type(self)(self.settings, Corpus(notices=notices, problems=self.corpus.problems), index, self.encoder)
        )

    def adopt(self, fresh: Assistant) -> None:
        """Take over another Assistant's notices, index and answering state at once, between two answers."""
        with self._lock:
            self.corpus, self.index, self.retriever = fresh.corpus, fresh.index, fresh.retriever
            self.ledger, self.library, self.pipeline = fresh.ledger, fresh.library, fresh.pipeline

    def ask(self, question: str, history: list[Answer] | None = None, doc_ids: list[str] | None = None) -> Answer:
        """Answer one question (QuestionError for an unusable one); follow-ups use `history`; `doc_ids` scopes the
        answer to chosen notices."""
        pipeline = self.pipeline  # one consistent snapshot, even if add_notice swaps it meanwhile
        spec = self._resolve(question, history or [], pipeline.library)
        with self._answer_lock:
            return pipeline.answer(spec, doc_ids)

    def _resolve(self, question: str, history: list[Answer], library: Library) -> QuestionSpec:
        spec = understand(question, library.gazetteer, self.settings.max_question_chars)
        previous = next((a for a in reversed(history) if not a.refused), None)
        if previous is None or not self._is_follow_up(spec):
            return spec
        context = (previous.context or previous.question)[-200:]  # the topic, not an ever-growing transcript
        merged = understand(f"{context} {spec.text}", library.gazetteer, self.settings.max_question_chars * 2)
        return merged.model_copy(update={"raw": question, "context": context})

    @staticmethod
    def _is_follow_up(spec: QuestionSpec) -> bool:
        """A question naming no subject of its own (目标呢? 完成了百分之几?) continues the one before."""
        content = re.sub(r"[^\u4e00-\u9fffa-z0-9]", "", spec.asks[0].terms)
        content = re.sub(
            r"目标|进度|完成率|完成|全年|计划|比例|占比|率|呢|那|那么|它|其|这个|该|target|progress", "", content
        )
        return (bool(_FOLLOW_UP.search(spec.text)) and len(content) <= 4) or len(content) <= 1


def ensure_ready(settings: Settings, rebuild: bool = False) -> Assistant:
    """Load everything, turning library errors into one AssistantError for the edges to print."""
    try:
        return Assistant.load(settings, rebuild=rebuild)
    except AssistantError:
        raise
    except OSError as exc:
        raise AssistantError(f"could not read or write {getattr(exc, 'filename', '') or 'a file'}: {exc}") from exc
