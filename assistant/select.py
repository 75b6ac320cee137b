"""Score and select: the fitted ranker orders each slot's candidates; of its best few unused ones (how many is
fitted) the fitted judge takes the likeliest, and decides whether it answers or the slot is not covered.

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
from assistant.ranker import Scorer
from assistant.reading import Reading
from documents.facts import Fact


class Match(BaseModel):
    """What the composer quotes for one slot: a fact (or a sentence) of a paragraph, and how its part asks."""

    ask: int
    doc_id: str
    paragraph_id: str
    fact: Fact | None = Field(default=None, description="None for a sentence")
    span: tuple[int, int] = Field(description="what to quote, offsets in the paragraph")
    score: float = Field(description="the answerability probability of the pick")
    reading: Reading | None = Field(default=None, description="how its part of the question asks")


class Matching(BaseModel):
    """The selection as the composer reads it."""

    matches: list[Match] = Field(default_factory=list)
    others: list[str] = Field(default_factory=list, description="other notices that also answer, named only")
    missing: list[str] = Field(default_factory=list, description="later parts the notices do not cover, as asked")
    refusal: Refusal | None = None


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
    missing: list[int] = Field(default_factory=list, description="later slots not covered")
    refusal: Refusal | None = None


def rank_slots(slots: list[Slot], candidates: list[Candidate], rows: np.ndarray, scorer: Scorer) -> list[Ranked]:
    scores = scorer.rank(rows) if len(candidates) else np.zeros(0)
    ranked = []
    for slot in slots:
        mine = [i for i, c in enumerate(candidates) if c.slot == slot.index]
        mine.sort(key=lambda i: -scores[i])
        ranked.append(Ranked(slot=slot, order=mine, scores=[float(scores[i]) for i in mine]))
    return ranked


def select(
    ranked: list[Ranked],
    candidates: list[Candidate],
    rows: np.ndarray,
    scorer: Scorer,
    several_places: bool,
    english: bool = False,
    margin: float = 1.0,
    place_of: dict[str, str] | None = None,
) -> Selection:
    """The best unused candidate of each slot, when the judge finds it likely enough to answer; a question whose
    first slot is not answered is refused, a later slot not answered is reported missing. A question that names
    no place asks all its parts of one: once the first is answered, the later ones keep to its place where it has
    candidates (`place_of`: each notice's place)."""
    taken: set[str] = set()
    picks: list[Pick] = []
    stated: list[Contradicted] = []  # what the text said instead, where that outranked every usable candidate
    closest: Candidate | None = None
    missing: list[int] = []
    for n, r in enumerate(ranked):
        free = [(i, s) for i, s in zip(r.order, r.scores, strict=True) if candidates[i].key not in taken]
        usable = [(i, s) for i, s in free if candidates[i].against is None]
        if picks and several_places and place_of:
            home = place_of.get(picks[0].candidate.doc_id, "")
            usable = [(i, s) for i, s in usable if place_of.get(candidates[i].doc_id, "") == home] or usable
        if free and candidates[free[0][0]].against is not None:
            stated.append(candidates[free[0][0]].against)  # type: ignore[arg-type]
        best, score, probability = -1, 0.0, 0.0
        if usable:  # the ranker's best few; of them, the one the judge finds likeliest to answer
            pool = usable[: scorer.pick_among]
            likely = scorer.answerable(rows[[i for i, _ in pool]])
            (best, score), probability = pool[int(np.argmax(likely))], float(np.max(likely))
        if n == 0 and usable and rows[best][FEATURES.index("rec_wide")] >= 0.5:
            closest = candidates[best]  # what the notices have that names most of what was asked
        if probability < scorer.threshold:
            if n == 0:
                break  # what the question's first part asks is not in the notices: it is not covered
            missing.append(r.slot.index)
            continue
        picks.append(Pick(slot=r.slot.index, candidate=candidates[best], score=score, probability=probability))
        if candidates[best].fact is not None:
            taken.add(candidates[best].key)
    if not picks:
        refusal = _refusal(stated, english)
        if closest is not None and refusal.reason == Reason.NO_SUCH_FIGURE:
            refusal = refusal.model_copy(update={"closest_doc": closest.doc_id,
                                                 "closest_paragraph": closest.paragraph_id,
                                                 "closest_span": closest.span})  # fmt: skip
        return Selection(refusal=refusal)
    others: list[str] = []
    if several_places and ranked and ranked[0].order:
        first = picks[0]
        seen = {first.candidate.doc_id}
        for i, s in zip(ranked[0].order, ranked[0].scores, strict=True):
            doc = candidates[i].doc_id
            if doc in seen or candidates[i].against is not None:
                continue
            seen.add(doc)
            if float(scorer.answerable(rows[i : i + 1])[0]) >= scorer.threshold and s >= first.score - margin:
                others.append(doc)
    return Selection(picks=picks, others=others, missing=missing)


def _refusal(contradicted: list[Contradicted], english: bool) -> Refusal:
    """Another period, year or scope the text states for the asked measure, else no such figure."""
    reasons = (("period", Reason.OTHER_PERIOD), ("scope", Reason.OTHER_SCOPE), ("year", Reason.OTHER_YEAR),
               ("place", Reason.OTHER_SCOPE))  # fmt: skip
    for what, reason in reasons:
        found = [c for c in contradicted if c.what == what]
        if found:
            haves = [h for h in dict.fromkeys(c.have for c in found) if h and h != "?"][:3]
            if what == "year" and not english:
                haves = [h if h.endswith("年") else f"{h}年" for h in haves]  # as route words a year
            have = (", " if english else "、").join(haves) or ("other places" if english else "其他地方")
            return Refusal(reason=reason, have=have, asked=found[0].asked)
    return Refusal(reason=Reason.NO_SUCH_FIGURE)
