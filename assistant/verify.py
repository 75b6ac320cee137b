"""Stage 7, verify: an answer is returned only when it is faithful.

Faithful: every figure its text states is in a paragraph it cites, or is a derived value with its formula. That a
figure is the one asked (its period, year and scope) is settled before: the check (assistant.candidates) never lets
a figure the text places elsewhere be picked.
"""

from __future__ import annotations

import sys

from assistant.compose import refusal_answer
from assistant.faithfulness import unsupported_figures
from assistant.gates import Reason, Refusal
from assistant.models import Answer
from assistant.understand import QuestionSpec


def verify(spec: QuestionSpec, answer: Answer) -> Answer:
    """The answer, or a refusal when a figure of it is in no cited paragraph."""
    if answer.refused:
        return answer
    problems = unsupported_figures(answer)
    if problems:
        print(f"faithfulness check rejected an answer to {spec.raw!r}: {problems}", file=sys.stderr)
        return refusal_answer(spec, Refusal(reason=Reason.UNCHECKED))
    return answer
