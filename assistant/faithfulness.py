"""The faithfulness check: every figure an answer states must be in a paragraph it cites, be derived, or be the
question's own (echoed when a part is said to be missing)."""

from __future__ import annotations

from decimal import Decimal

from assistant.grading import mentioned_figures, strip_citation_markers
from assistant.models import Answer


def unsupported_figures(answer: Answer) -> list[str]:
    """Figures in the answer text found in no cited paragraph and no derived value (empty means faithful)."""
    english = answer.language == "en"
    sources = [m for c in answer.citations for m in mentioned_figures(c.text, english=False)]
    # the question's own words may be echoed (通报没有给出三类工程…的数字): its figures are not claims of the answer
    asked = mentioned_figures(answer.question, english=english)
    source_values = {(m.value, m.is_percent, m.is_ordinal) for m in [*sources, *asked]}
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
