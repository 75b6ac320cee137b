"""`assistant eval`: grade answers by the gold-set rule, or measure retrieval recall of gold paragraphs."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from assistant.batch import safe_ask
from assistant.core import Assistant, ensure_ready
from assistant.grading import EvalItem, Grade, grade, load_items, summarize
from assistant.models import Answer, ErrorReply
from assistant.settings import Settings
from documents.errors import AssistantError
from index.models import Hit
from index.search import BM25Retriever, DenseRetriever, HybridRetriever, Retriever
from index.text import has_cjk


def grade_all(assistant: Assistant, items: list[EvalItem]) -> list[Grade]:
    grades = []
    for item in items:
        reply = safe_ask(assistant, item.question)
        if isinstance(reply, ErrorReply):
            reply = Answer(question=item.question, answer=reply.error, refused=True, confidence=0.0)
        grades.append(grade(item, reply))
    return grades


def run_answer_eval(settings: Settings, path: Path) -> str:
    items = load_items(path)
    started = time.perf_counter()
    assistant = ensure_ready(settings)
    grades = grade_all(assistant, items)
    elapsed = time.perf_counter() - started
    return f"{summarize(grades)}\n({len(items)} questions in {elapsed:.1f} s including model and index load)"


def _found(retriever: Retriever, item: EvalItem, k: int) -> bool:
    texts = [unicodedata.normalize("NFKC", h.chunk.text) for h in retriever.search(item.question, k)]
    return all(any(unicodedata.normalize("NFKC", g) in t for t in texts) for g in item.gold)


def retrieval_recall(
    retrievers: dict[str, Retriever], items: list[EvalItem]
) -> dict[str, dict[str, tuple[float, float, int]]]:
    """recall@1 and recall@5 of gold paragraphs per retriever, per kind and overall (answerable items only)."""
    answerable = [i for i in items if not i.refuse and i.gold]
    table: dict[str, dict[str, tuple[float, float, int]]] = {}
    for name, retriever in retrievers.items():
        by_kind: dict[str, list[tuple[bool, bool]]] = {}
        for item in answerable:
            row = (_found(retriever, item, 1), _found(retriever, item, 5))
            by_kind.setdefault(item.kind, []).append(row)
            by_kind.setdefault("overall", []).append(row)
        table[name] = {
            kind: (sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows), len(rows))
            for kind, rows in by_kind.items()
        }
    return table


class _AsAnswered:
    """Hybrid search as `ask` runs it: an English question's BM25 side gets its dictionary-bridged Chinese words."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def search(self, query: str, k: int) -> list[Hit]:
        lexical = None
        if not has_cjk(query):
            lexical = " ".join(self.assistant.pipeline.bridge.terms(query))
        return self.assistant.retriever.search(query, k, lexical_query=lexical)


def run_retrieval_eval(settings: Settings, path: Path) -> str:
    items = load_items(path)
    assistant = ensure_ready(settings)
    if not items:
        raise AssistantError(f"{path}: no items")
    retrievers: dict[str, Retriever] = {
        "bm25": BM25Retriever(assistant.index),
        "dense": DenseRetriever(assistant.index, assistant.encoder),
        "hybrid": HybridRetriever(assistant.index, assistant.encoder),
        "answered": _AsAnswered(assistant),
    }
    table = retrieval_recall(retrievers, items)
    kinds = sorted({k for per in table.values() for k in per if k != "overall"}) + ["overall"]
    lines = [f"{'kind':<10} {'n':>3}  " + "  ".join(f"{name + ' r@1':>10} {name + ' r@5':>10}" for name in table)]
    for kind in kinds:
        n = next(iter(table.values())).get(kind, (0, 0, 0))[2]
        cells = "  ".join(
            f"{table[name].get(kind, (0, 0, 0))[0]:>10.1%} {table[name].get(kind, (0, 0, 0))[1]:>10.1%}"
            for name in table
        )
        lines.append(f"{kind:<10} {n:>3}  {cells}")
    return "\n".join(lines)
