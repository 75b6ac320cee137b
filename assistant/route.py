"""Stage 2, route: which notices may answer, by their profiles (place, year, period, scope), or why none may.

Unknown is not a conflict: a notice whose profile does not state its year is kept for a question naming one. A
place the question names is either a notice's own (by its name or pinyin), a place inside a notice's text (a
county of a city: its figures must then name it), or another place, which is refused.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.gates import Reason, Refusal
from assistant.understand import QuestionSpec
from documents.divisions import division_by_code, divisions_named, divisions_spelled
from documents.library import Library
from documents.places import Level, split_level
from documents.profile import NoticeProfile
from documents.reporting import agrees
from index.text import normalize


class Route(BaseModel):
    doc_ids: list[str]
    sub_places: list[str] = Field(default_factory=list, description="places asked inside a notice's own place")
    labels: dict[str, str] = Field(default_factory=dict, description="doc id → how the answer names the notice")
    named_place: bool = Field(default=False, description="the question named the notice's own place")
    refusal: Refusal | None = None


def _have_places(library: Library, english: bool) -> str:
    names = [p.label(english).split(" ")[0] if not english else p.label(True).split(",")[0] for p in library.profiles]
    names = [n for n in dict.fromkeys(names) if n and not re.match(r"^\d", n)]
    return ("、" if not english else ", ").join(names[:6]) + ("等" if len(names) > 6 and not english else "")


def _is_reliable_name(name: str) -> bool:
    """A place name worth refusing over: a division (黄石市, 辽宁) or one with its level, not a bare word that may
    be a typo."""
    return bool(divisions_named(name)) or (split_level(name)[1] is not None and len(split_level(name)[0]) >= 2)


def _contains(english: str, profile: NoticeProfile) -> bool:
    """An English place name spelling a division that holds a notice's own (Liaoning for 朝阳市)."""
    own = division_by_code(profile.division) if profile.division else None
    return own is not None and any(own.within(d) for d in divisions_spelled(english))


def place_relation(name: str, profile: NoticeProfile, text: str) -> str:
    """How a place a question names stands to a notice: its own place, one above it (辽宁 for 朝阳市), one inside
    it (赤壁市 in a 咸宁 notice, or a place its text names), or another."""
    if profile.names_place(name):
        return "own"
    own = division_by_code(profile.division) if profile.division else None
    named = divisions_named(name)
    if own is not None and named:
        if any(d.code == own.code for d in named):
            return "own"
        if any(own.within(d) for d in named):
            return "above"
        if any(d.within(own) for d in named):
            return "inside"
    if normalize(split_level(name)[0]) in normalize(text):
        level = split_level(name)[1]
        if not profile.place and not profile.division and level in (None, profile.level):
            return "own"  # a notice that never states its place, naming one of its own level: most likely its own
        return "inside"
    return "other"


def route(spec: QuestionSpec, library: Library, foreign: list[str] | None = None) -> Route:
    """The notices that may answer `spec`; `foreign` lists English place names known to be in none of them."""
    entries = library.entries
    english = spec.english
    candidates = list(entries)
    labels = {d: e.profile.label(english) for d, e in entries.items()}
    sub_places: list[str] = []
    named = False
    foreign = [n for n in foreign or [] if not any(e.profile.names_key(n.lower()) or _contains(n, e.profile)
                                                  for e in entries.values())]  # fmt: skip
    if foreign:
        return Route(
            doc_ids=[],
            refusal=Refusal(reason=Reason.OTHER_PLACE, asked=", ".join(foreign), have=_have_places(library, english)),
        )
    own: set[str] = set()
    inside_docs: set[str] = set()
    above_only: list[str] = []
    unplaced = {d for d, e in entries.items() if not e.profile.place and not e.profile.division}
    relations = {name: {d: place_relation(name, e.profile, e.notice.text) for d, e in entries.items()}
                 for name in spec.places}  # fmt: skip
    keyed = {d for key, level in spec.place_keys for d, e in entries.items() if e.profile.names_key(key, level)}
    for name, relation in relations.items():
        mine = [d for d, r in relation.items() if r == "own"]
        above = [d for d, r in relation.items() if r == "above"]
        named_below = [
            n for n, rel in relations.items() if n != name and any(rel[d] in ("own", "inside") for d in above)
        ] + [d for d in above if d in keyed]  # Beijing's Xicheng District: the English key names the own place
        if mine or (above and named_below):  # 辽宁朝阳市: the province qualifies the notice's own place
            own |= set(mine) | set(above if named_below else [])
            labels.update({d: entries[d].profile.label(english, place=name) for d in mine})
            continue
        if above:  # 赣州市 asked of a 宁都县 notice: the larger place's figures, which it does not give
            above_only.append(name)
            continue
        inside = [d for d, r in relation.items() if r == "inside"]
        if inside:
            sub_places.append(name)
            inside_docs |= set(inside)
        elif unplaced:  # a notice that never says its place may be this place's: never refused for that
            own |= unplaced
        elif _is_reliable_name(name):
            return Route(
                doc_ids=[], refusal=Refusal(reason=Reason.OTHER_PLACE, asked=name, have=_have_places(library, english))
            )
    if above_only and not own and not inside_docs:
        return Route(
            doc_ids=[],
            refusal=Refusal(reason=Reason.OTHER_PLACE, asked=above_only[0], have=_have_places(library, english)),
        )
    own |= keyed
    tiers: list[tuple[list[str], list[str], bool]] = []  # (notices, sub-places, named its own place)
    if own:
        inner = [n for n in sub_places if any(relations[n].get(d) == "inside" for d in own)]
        tiers.append(([d for d in candidates if d in own], inner, True))
    if inside_docs:
        tiers.append(([d for d in candidates if d in inside_docs], sub_places, False))
    if unplaced and spec.place_keys and not own:
        tiers.append(([d for d in candidates if d in unplaced], [], False))
    if not tiers:
        if spec.place_keys and any(level for _, level in spec.place_keys):
            asked = next(k for k, level in spec.place_keys if level).title()
            return Route(
                doc_ids=[],
                refusal=Refusal(reason=Reason.OTHER_PLACE, asked=asked, have=_have_places(library, english)),
            )
        tiers.append((candidates, [], False))
    first: Refusal | None = None
    for docs, subs, named in tiers:  # the place's own notices first; a wider one that names it inside, if they fail
        kept, refusal = _when_and_scope(spec, library, docs, bool(subs))
        if kept:
            return Route(doc_ids=kept, sub_places=subs, labels=labels, named_place=named)
        first = first or refusal
    return Route(doc_ids=[], refusal=first)


def _when_and_scope(
    spec: QuestionSpec, library: Library, candidates: list[str], inside: bool
) -> tuple[list[str], Refusal | None]:
    """The notices whose profile does not state another year, period or scope than the question's."""
    entries, english = library.entries, spec.english
    if spec.year is not None:
        kept = [
            d
            for d in candidates
            if entries[d].profile.year in (None, spec.year) or f"{spec.year}年" in entries[d].notice.text
        ]
        if not kept:
            years = sorted({str(entries[d].profile.year) for d in candidates if entries[d].profile.year})
            have = ("、".join(f"{y}年" for y in years)) if not english else ", ".join(years)
            return [], Refusal(reason=Reason.OTHER_YEAR, asked=str(spec.year), have=have)
        candidates = kept
    if spec.periods:
        kept = [
            d
            for d in candidates
            if any(
                entries[d].profile.period is None
                or agrees(p, entries[d].profile.period)
                or any(agrees(p, q) for q in entries[d].periods)
                for p in spec.periods
            )
        ]
        if not kept:
            have = "、".join(
                dict.fromkeys(entries[d].profile.period.label for d in candidates if entries[d].profile.period)
            )
            asked = "、".join(p.label_en if english else p.label for p in spec.periods)
            return [], Refusal(reason=Reason.OTHER_PERIOD, asked=asked, have=have)
        candidates = kept
    if spec.scope is not None and not inside:
        kept = [
            d
            for d in candidates
            if entries[d].profile.level in (None, spec.scope)
            or any(f.scope.level == spec.scope for f in entries[d].facts)
        ]
        if not kept:
            have = "、".join(dict.fromkeys(scope_word(entries[d].profile.level) for d in candidates))
            return [], Refusal(reason=Reason.OTHER_SCOPE, asked=scope_word(spec.scope), have=have)
        candidates = kept
    return candidates, None


def scope_word(level: Level | None) -> str:
    if level is None:
        return "本地"
    return "全国" if level == Level.NATION else f"全{level.value}"
