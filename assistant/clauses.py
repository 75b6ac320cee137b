"""Score clauses against a question by the character bigrams they share."""

from __future__ import annotations

import re

from documents.spans import Span, clauses, expand_to_sentence, sentences
from index.text import normalize

__all__ = ["STATUS_WORDS", "Span", "bigrams", "clauses", "coverage", "expand_to_sentence", "sentences"]

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9+]+")
STATUS_WORDS = re.compile(
    r"已|正在|正开展|启动|完成|建成|开工|完工|通过|签约|进入|投入|封顶|合龙|获批|上线|审批|编制|推进|起草|印发|成立"
)


def bigrams(text: str) -> set[str]:
    """Character bigrams (and single characters of one-character runs) of the normalised text."""
    grams: set[str] = set()
    for run in _CJK_RUN.findall(normalize(text)):
        if len(run) == 1 or not "\u3400" <= run[0] <= "\u9fff":
            grams.add(run)
        else:
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def coverage(topic: set[str], text: str) -> float:
    """Share of the topic's bigrams found in a text: 1.0 when every term of the question is there."""
    if not topic:
        return 0.0
    return len(topic & bigrams(text)) / len(topic)
