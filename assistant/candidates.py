"""Slots and candidates: what a question asks, one slot per figure wanted, and every fact or sentence that might
answer each slot.

A slot is one ask of the question, or one measure of an ask naming several side by side (A和B各多少), or one
period of a question naming several (1-10月和1-11月分别…). Its candidates are every fact of the paragraphs
retrieved for it and every sentence of the best of them; the check drops only what the text itself contradicts
(a figure whose own period, year or scope is stated and is not the one asked), and keeps a note of it, so a
refusal can say what the notices do have.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.reading import Reading, read_question
from assistant.retrieve import Evidence
from assistant.route import scope_word
from assistant.scoring import Scoring
from assistant.understand import QuestionSpec, Want
from documents.facts import Fact, FactRole
from documents.library import Library
from documents.models import Paragraph
from documents.places import split_level
from documents.reporting import Period, agrees
from index.text import normalize

_SENTENCE = re.compile(r"[^。;；!?！？]+")


class Slot(BaseModel):
    index: int
    ask: int = Field(description="the Ask of the spec it comes from")
    terms: str = Field(description="the measure words it is matched by")
    period: Period | None = Field(default=None, description="the period asked for this slot, if any")
    reading: Reading


class Contradicted(BaseModel):
    """A fact the text itself places elsewhere: kept to say what the notices have instead."""

    slot: int
    fact_id: str
    what: str = Field(description="period | year | scope | place")
    have: str
    asked: str


class Candidate(BaseModel):
    slot: int
    doc_id: str
    paragraph_id: str
    fact: Fact | None = Field(default=None, description="None for a sentence")
    span: tuple[int, int] = Field(description="offsets in the paragraph: a fact's clause group, or a sentence")
    hit: int = Field(description="position of its paragraph among the slot's retrieved paragraphs, 0 first")
    against: Contradicted | None = Field(
        default=None, description="the period, year or scope its text states instead of the asked one: never picked"
    )

    @property
    def key(self) -> str:
        return self.fact.id if self.fact else f"{self.doc_id}:{self.paragraph_id}:s{self.span[0]}"


def slots_of(spec: QuestionSpec, english_terms: str = "") -> list[Slot]:
    """One slot per measure and period asked."""
    slots: list[Slot] = []
    several = [p for p in spec.periods] if len(spec.periods) > 1 else []
    for i, ask in enumerate(spec.asks):
        reading = read_question(ask.text)
        # 1-10月和1-11月分别…: the 和 joins periods, not measures
        terms_list = [english_terms] if spec.english else (ask.items if ask.items and not several else [ask.terms])
        periods: list[Period | None] = [ask.period] if ask.period or not several else list(several)
        for terms in terms_list:
            for period in periods:
                slots.append(Slot(index=len(slots), ask=i, terms=terms, period=period, reading=reading))
    return slots


def asked_period(spec: QuestionSpec, slot: Slot) -> Period | None:
    return slot.period or spec.asks[slot.ask].period or spec.period


def contradiction(
    spec: QuestionSpec, slot: Slot, fact: Fact, sub_places: list[str], paragraph: Paragraph
) -> Contradicted | None:
    """The period, year, scope or place the text states for a fact, when it is not the one asked."""
    ask = spec.asks[slot.ask]
    asked = asked_period(spec, slot)
    wants_target = ask.want in (Want.TARGET, Want.PROGRESS) or slot.reading.target or slot.reading.progress
    if fact.role == FactRole.TARGET and wants_target and fact.period is not None and fact.period.end == 12:
        asked = None  # a year's target is the target of each of its periods
    if asked is not None and fact.period is not None and not agrees(asked, fact.period):
        return Contradicted(slot=slot.index, fact_id=fact.id, what="period", have=fact.period.label, asked=asked.label)
    if spec.year is not None and fact.year is not None and fact.year != spec.year:
        return Contradicted(slot=slot.index, fact_id=fact.id, what="year", have=str(fact.year), asked=str(spec.year))
    if spec.scope is not None and fact.scope.level is not None and fact.scope.level != spec.scope:
        return Contradicted(
            slot=slot.index, fact_id=fact.id, what="scope", have=fact.scope.label or "?", asked=scope_word(spec.scope)
        )
    sentence = paragraph.text[fact.sentence[0] : fact.sentence[1]]
    missing = elsewhere(sub_places, sentence, paragraph, fact.scope.name)
    if missing:
        return Contradicted(slot=slot.index, fact_id=fact.id, what="place", have=fact.scope.label or "?", asked=missing)
    return None


def elsewhere(sub_places: list[str], sentence: str, paragraph: Paragraph, scope_name: str | None = None) -> str:
    """The first asked place inside a notice's own (赤壁市 in a 咸宁 notice) that a sentence is not about: named
    neither in it, nor in its paragraph's headings, nor as the figure's own scope."""
    where = normalize(" ".join([sentence, *paragraph.breadcrumb, scope_name or ""]))
    for place in sub_places:
        if normalize(split_level(place)[0]) not in where:
            return place
    return ""


def slot_places(spec: QuestionSpec, slot: Slot, sub_places: list[str]) -> list[str]:
    """The asked places inside a notice's own that a slot is about: those its own part names, else those no other
    part names (咸安区…产值多少?通城…产值多少?: each part its own place)."""

    def named(place: str, text: str) -> bool:
        return normalize(split_level(place)[0]) in normalize(text)

    own = [p for p in sub_places if named(p, spec.asks[slot.ask].text)]
    if own:
        return own
    return [p for p in sub_places if not any(named(p, a.text) for a in spec.asks)] or (
        sub_places if len(spec.asks) == 1 else []
    )


def gather(
    spec: QuestionSpec,
    slots: list[Slot],
    evidence: list[Evidence],
    library: Library,
    scoring: Scoring,
    sub_places: list[str] | None = None,
) -> list[Candidate]:
    """Every fact of each slot's retrieved paragraphs (marked when the text contradicts the question) and every
    sentence of its best paragraphs."""
    found: list[Candidate] = []
    sub_places = sub_places or []
    for slot in slots:
        ev = evidence[slot.ask]
        places = slot_places(spec, slot, sub_places)
        for position, hit in enumerate(ev.hits[: scoring.fact_depth]):
            chunk = hit.chunk
            paragraph = library.notice(chunk.doc_id).paragraph(chunk.paragraph_id)
            for fact in library.facts_of(chunk.doc_id, chunk.paragraph_id):
                against = contradiction(spec, slot, fact, places, paragraph)
                found.append(Candidate(slot=slot.index, doc_id=chunk.doc_id, paragraph_id=chunk.paragraph_id,
                                       fact=fact, span=fact.group, hit=position, against=against))  # fmt: skip
            if position < scoring.sentence_depth:
                for m in _SENTENCE.finditer(chunk.text):
                    if not re.search(r"[\u4e00-\u9fff]{4}", m.group()):
                        continue
                    place = elsewhere(places, m.group(), paragraph)
                    against = (
                        Contradicted(slot=slot.index, fact_id="", what="place", have="", asked=place) if place else None
                    )
                    found.append(Candidate(slot=slot.index, doc_id=chunk.doc_id, paragraph_id=chunk.paragraph_id,
                                           span=(m.start(), m.end()), hit=position, against=against))  # fmt: skip
    return found
