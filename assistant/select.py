"""Score and select: the fitted scorer ranks each slot's candidates, the best unused one is taken, and the
answerability model decides whether it answers or the slot is not covered.

Selection never reads a question's words: everything it knows is in the feature rows (assistant.features) and
the fitted file (assistant.ranker). A refusal names what the text contradicted (another period, year or scope)
or, failing that, the closest thing the notices do have.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.candidates import Candidate, Contradicted, Slot
from assistant.features import FEATURES
from assistant.gates import Reason, Refusal
from assistant.ranker import Scorer, answer_row


class Pick(BaseModel):
    slot: int
    candidate: Candidate
    score: float
    probability: float


class Ranked(BaseModel):
    """One slot's candidates with their scores, best first, and the answerability of the best."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    slot: Slot
    order: list[int] = Field(description="indices into the prepared candidates, best first")
    scores: list[float]


class Selection(BaseModel):
    picks: list[Pick] = Field(default_factory=list)
    others: list[str] = Field(default_factory=list, description="other notices that also answer the first slot")
    refusal: Refusal | None = None


def rank_slots(slots: list[Slot], candidates: list[Candidate], rows: np.ndarray, scorer: Scorer) -> list[Ranked]:
    scores = scorer.rank(rows) if len(candidates) else np.zeros(0)
    ranked = []
    for slot in slots:
        mine = [i for i, c in enumerate(candidates) if c.slot == slot.index]
        mine.sort(key=lambda i: -scores[i])
        ranked.append(Ranked(slot=slot, order=mine, scores=[float(scores[i]) for i in mine]))
    return ranked


def _row_dict(rows: np.ndarray, i: int) -> dict[str, float]:
    return dict(zip(FEATURES, rows[i].tolist(), strict=True))


def select(
    ranked: list[Ranked],
    candidates: list[Candidate],
    rows: np.ndarray,
    scorer: Scorer,
    several_places: bool,
    english: bool = False,
) -> Selection:
    """The best unused candidate of each slot that the answerability model lets answer, or a refusal."""
    taken: set[str] = set()
    picks: list[Pick] = []
    stated: list[Contradicted] = []  # what the text said instead, where that outranked every usable candidate
    for r in ranked:
        free = [(i, s) for i, s in zip(r.order, r.scores, strict=True) if candidates[i].key not in taken]
        usable = [(i, s) for i, s in free if candidates[i].against is None]
        if free and candidates[free[0][0]].against is not None:
            stated.append(candidates[free[0][0]].against)  # type: ignore[arg-type]
        if not usable:
            continue
        best, score = usable[0]
        probability = float(
            scorer.answerable(np.asarray([answer_row(np.asarray(r.scores), _row_dict(rows, best), r.slot.index, scorer.ranker)]))[0]
        )
        if probability >= scorer.threshold:
            picks.append(Pick(slot=r.slot.index, candidate=candidates[best], score=score, probability=probability))
            if candidates[best].fact is not None:
                taken.add(candidates[best].key)
    if not picks:
        return Selection(refusal=_refusal(stated, english))
    others: list[str] = []
    if several_places and ranked and ranked[0].order:
        first = picks[0]
        seen = {first.candidate.doc_id}
        for i, s in zip(ranked[0].order, ranked[0].scores, strict=True):
            doc = candidates[i].doc_id
            if doc in seen or candidates[i].against is not None:
                continue
            seen.add(doc)
            row = answer_row(np.asarray(ranked[0].scores), _row_dict(rows, i), 0, scorer.ranker)
            if float(scorer.answerable(np.asarray([row]))[0]) >= scorer.threshold and s >= first.score - 1.0:
                others.append(doc)
    return Selection(picks=picks, others=others)


def _refusal(contradicted: list[Contradicted], english: bool) -> Refusal:
    """Another period, year or scope the text states for the asked measure, else no such figure."""
    reasons = (("period", Reason.OTHER_PERIOD), ("scope", Reason.OTHER_SCOPE), ("year", Reason.OTHER_YEAR),
               ("place", Reason.OTHER_SCOPE))  # fmt: skip
    for what, reason in reasons:
        found = [c for c in contradicted if c.what == what]
        if found:
            haves = [h for h in dict.fromkeys(c.have for c in found) if h and h != "?"][:3]
            have = (", " if english else "、").join(haves) or ("other places" if english else "其他地方")
            return Refusal(reason=reason, have=have, asked=found[0].asked)
    return Refusal(reason=Reason.NO_SUCH_FIGURE)
