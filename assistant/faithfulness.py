"""The faithfulness check: every figure an answer states must be in a paragraph it cites, or be derived."""

from __future__ import annotations

from decimal import Decimal

from assistant.grading import mentioned_figures, strip_citation_markers
from assistant.models import Answer


def unsupported_figures(answer: Answer) -> list[str]:
    """Figures in the answer text found in no cited paragraph and no derived value (empty means faithful)."""
    english = answer.language == "en"
    sources = [m for c in answer.citations for m in mentioned_figures(c.text, english=False)]
    source_values = {(m.value, m.is_percent, m.is_ordinal) for m in sources}
    derived = {abs(d.value).quantize(Decimal("0.1")) for d in answer.derived}
    problems: list[str] = []
    for mention in mentioned_figures(strip_citation_markers(answer.answer), english=english):
        key = (mention.value, mention.is_percent, mention.is_ordinal)
        if key in source_values or (mention.is_ordinal and (mention.value, False, False) in source_values):
            continue
        if abs(mention.value).quantize(Decimal("0.1")) in derived:
            continue
        problems.append(mention.text)
    return problems
