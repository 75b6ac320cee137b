"""Example questions for the chat, made from the loaded notices' own facts (never a list written for one notice)."""

from __future__ import annotations

from documents.facts import FactKind, FactRole
from documents.library import Library
from documents.pairs import FactPair
from documents.vocabulary import vocabulary


def example_questions(library: Library, pairs: dict[str, list[FactPair]], limit: int = 5) -> list[str]:
    """A progress question, a growth question, a rank question, an English one and one the notices do not cover."""
    examples: list[str] = []
    entries = list(library.entries.values())
    short = [p for d in pairs.values() for p in d if p.progress_pct is not None and 3 <= len(p.target.measure) <= 10]
    if short:
        examples.append(f"{short[0].target.measure}进度?")
    facts = [f for e in entries for f in e.facts if f.role == FactRole.ACTUAL and 3 <= len(f.measure) <= 12]
    terms = [t for group in vocabulary().synonyms for t in group if len(t) >= 4] + list(
        vocabulary().abbreviations.values()
    )
    genre = [f for f in facts if any(t in f.measure for t in terms)]  # a measure the genre knows (地区生产总值)
    growth = next((f for f in genre + facts if f.kind == FactKind.GROWTH), None)
    if growth:
        period = library.profile(growth.doc_id).period
        examples.append(f"{period.label if period else ''}{growth.measure}增长多少?")
    rank = next((f for f in genre if f.kind == FactKind.RANK), None)
    if rank:
        examples.append(f"{rank.measure}排第几?")
    english = {v: k for k, v in vocabulary().english.items() if len(v) >= 4 and " " not in k and len(k) <= 4}
    named = next(((t, f) for f in genre for t in english if t in f.measure and f.kind == FactKind.GROWTH), None)
    if named:
        term, fact = named
        period = library.profile(fact.doc_id).period
        examples.append(f"How much did {english[term].upper()} grow in {period.label_en if period else 'the period'}?")
    measures = " ".join(f.measure for f in facts)
    absent = next((t for t in ("居民消费价格", "粮食产量", "城镇登记失业率", "进出口总额") if t not in measures), None)
    if absent:
        examples.append(f"{absent}是多少?")
    return list(dict.fromkeys(examples))[:limit]
