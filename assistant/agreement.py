"""Whether a fact agrees with what a question asks: its period, year and scope (shared by match and verify)."""

from __future__ import annotations

from assistant.route import Route, scope_word
from assistant.understand import Ask, QuestionSpec, Want
from documents.facts import Fact, FactRole
from documents.places import split_level
from documents.reporting import agrees
from index.text import normalize


def disagreement(spec: QuestionSpec, ask: Ask, route: Route, fact: Fact, wide: str, paragraph: str = "") -> str | None:
    """Why a fact cannot answer this ask (None when it may)."""
    asked = ask.period or spec.period
    target_asked = fact.role == FactRole.TARGET and ask.want in (Want.TARGET, Want.PROGRESS)
    if target_asked and fact.period is not None and fact.period.start in (None, 1) and fact.period.end == 12:
        asked = None  # 一季度…against a full-year target: the year's target is the target of each of its periods
    if asked is not None and fact.period is not None and not agrees(asked, fact.period):
        return f"period {fact.period.label} ≠ {asked.label}"
    if spec.year is not None and fact.year not in (None, spec.year):
        return f"year {fact.year} ≠ {spec.year}"
    if spec.scope is not None and fact.scope.level is not None and fact.scope.level != spec.scope:
        return f"scope {fact.scope.label or '?'} ≠ {scope_word(spec.scope)}"  # 湖北全省 asked, 全市 given
    for place in route.sub_places:
        stem = normalize(split_level(place)[0])
        if stem not in wide and stem not in normalize(paragraph) and not (fact.scope.name and stem in fact.scope.name):
            return f"not about {place}"
    if fact.scope.name and (route.named_place or spec.scope) and normalize(fact.scope.name[:-1]) not in spec.text:
        return f"scope {fact.scope.name} ≠ the notice's own"  # 天水市社零 is not 甘肃's
    if spec.scope is not None and fact.scope.level != spec.scope:
        return f"scope {fact.scope.label or '?'} ≠ {scope_word(spec.scope)}"
    if spec.scope is None and fact.role == FactRole.COMPARISON and not route.sub_places:
        return "a comparison figure of another scope"
    return None
