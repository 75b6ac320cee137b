"""Split text into sentences and clauses, keeping character spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[。;；!?！？]")
_CLAUSE_END = re.compile(r"[。;；!?！？,，:：]")


@dataclass(frozen=True)
class Span:
    start: int  # offsets within the text that was split
    end: int
    text: str


def _split(text: str, pattern: re.Pattern[str]) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for match in pattern.finditer(text):
        if match.start() > start:
            spans.append(Span(start, match.start(), text[start : match.start()]))
        start = match.end()
    if start < len(text):
        spans.append(Span(start, len(text), text[start:]))
    return [s for s in spans if s.text.strip()]


def sentences(text: str) -> list[Span]:
    """Sentences (split at 。;！？), without their closing mark."""
    return _split(text, _SENTENCE_END)


def clauses(text: str) -> list[Span]:
    """Clauses (split at 。;,: but not at 、, which joins the figures of one list)."""
    return _split(text, _CLAUSE_END)
