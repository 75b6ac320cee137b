"""Stage 6, verify: an answer is returned only when it is faithful and relevant.

Faithful: every figure its text states is in a paragraph it cites, or is a derived value with its formula.
Relevant: every figure it rests on has the period, year and scope the question asked (a figure of another scope or
period is a near miss, which the match stage should never let through; this is the last guard).
"""

from __future__ import annotations

import sys

from assistant.agreement import disagreement
from assistant.compose import refusal_answer
from assistant.faithfulness import unsupported_figures
from assistant.gates import Reason, Refusal
from assistant.match import Matching
from assistant.models import Answer
from assistant.route import Route
from assistant.understand import QuestionSpec


def verify(spec: QuestionSpec, route: Route, answer: Answer, matching: Matching) -> Answer:
    """The answer, or a refusal that says why it could not be given."""
    if answer.refused:
        return answer
    problems = unsupported_figures(answer)
    if problems:
        print(f"faithfulness check rejected an answer to {spec.raw!r}: {problems}", file=sys.stderr)
        return refusal_answer(spec, Refusal(reason=Reason.UNCHECKED))
    for m in matching.matches:
        if m.fact is None:
            continue
        ask = spec.asks[m.ask]
        why = disagreement(spec, ask, route, m.fact, "")
        if why and not why.startswith("not about"):
            print(f"relevance check rejected an answer to {spec.raw!r}: {why}", file=sys.stderr)
            return refusal_answer(spec, Refusal(reason=Reason.NO_SUCH_FIGURE))
    return answer
