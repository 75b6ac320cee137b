"""Stage 5, compose: an answer from the matches, in the notice's own words, each notice named, each quote cited.

`咸宁市 2021年一季度: 全市新建5G基站236座[1];目标新建5G基站1000座,完成236 / 1000 = 23.6%。` The quote is the clause
group of each matched figure (the clauses about one subject); progress is computed from a target paired in the
ledger when the notice states none. No figure is written that the cited paragraphs do not hold, except derived
values, which carry their formula.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.gates import Reason, Refusal
from assistant.models import Answer, Citation, Derived, Figure
from assistant.route import Route
from assistant.select import Match, Matching
from assistant.understand import QuestionSpec, Want
from documents.directions import amount_reached, rate_verdict
from documents.facts import Fact, FactKind, FactRole
from documents.library import Library
from documents.models import TargetStatus
from documents.pairs import FactPair
from index.text import normalize

_LEAD_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十0-9]+[)）]、?|[0-9]{1,2}[.、．)](?![0-9])|[一二三四五六七八九十]是)"
)
MAX_QUOTE = 110  # a quote longer than this is cut to the clauses holding the matched figures
MAX_SENTENCE = 160  # a sentence quoted whole is cut after the clause that reaches this length


def refusal_answer(spec: QuestionSpec, refusal: Refusal, library: Library | None = None) -> Answer:
    """The "not covered" answer; with the library, what the notices have that comes closest is quoted and cited."""
    citations: list[Citation] = []
    if library is not None and refusal.closest_doc and refusal.closest_paragraph and refusal.closest_span:
        draft = _Draft(spec, library)
        draft.cite(refusal.closest_doc, refusal.closest_paragraph)
        text = library.notice(refusal.closest_doc).paragraph(refusal.closest_paragraph).text
        start, end = refusal.closest_span
        refusal = refusal.model_copy(update={"closest": _quote(text, start, end, [(start, end)])})
        citations = draft.citations
    return Answer(question=spec.raw, answer=refusal.text(spec.english), refused=True, confidence=0.0,
                  citations=citations, language=spec.language, intent=f"refuse:{refusal.reason.value}")  # fmt: skip


class _Draft:
    def __init__(self, spec: QuestionSpec, library: Library) -> None:
        self.spec, self.library = spec, library
        self.citations: list[Citation] = []
        self.figures: list[Figure] = []
        self.derived: list[Derived] = []
        self.shown: set[str] = set()  # target clauses and formulas already written

    def cite(self, doc_id: str, paragraph_id: str) -> int:
        for i, c in enumerate(self.citations):
            if (c.doc_id, c.paragraph_id) == (doc_id, paragraph_id):
                return i + 1
        p = self.library.notice(doc_id).paragraph(paragraph_id)
        self.citations.append(
            Citation(doc_id=doc_id, paragraph_id=paragraph_id, breadcrumb=p.breadcrumb_text, text=p.published,
                     start=p.start, end=p.end)
        )  # fmt: skip
        return len(self.citations)

    def figure(self, fact: Fact) -> None:
        q = fact.quantity
        if all(f.text != q.text or f.paragraph_id != fact.paragraph_id for f in self.figures):
            self.figures.append(
                Figure(text=q.text, value=q.value, unit=q.unit, role=fact.role.value, paragraph_id=fact.paragraph_id)
            )


def _quote(text: str, start: int, end: int, keep: list[tuple[int, int]]) -> str:
    """The paragraph's words from start to end, without a leading outline marker, cut when long."""
    piece = text[start:end].strip(" ,，;；。")
    lead = _LEAD_MARK.match(piece)
    if lead:
        piece = piece[lead.end() :]
    if len(piece) > MAX_QUOTE and keep:
        last = max(e for _, e in keep)
        piece = text[start:last].strip(" ,，;；。")
        if len(piece) > MAX_QUOTE:
            first = min(s for s, _ in keep)
            piece = text[first:last].strip(" ,，;；。")
    if len(piece) > MAX_SENTENCE:  # a long sentence: its first clauses, cut where one ends
        cut = max((m.end() for m in re.finditer(r"[,，;；、]", piece[:MAX_SENTENCE])), default=MAX_SENTENCE)
        piece = piece[:cut].rstrip(",，;；、") + "…"
    return piece


def _spans(matches: list[Match]) -> list[tuple[str, str, int, int, list[Match]]]:
    """Matched spans merged per paragraph where they overlap, in reading order."""
    merged: list[tuple[str, str, int, int, list[Match]]] = []
    for m in sorted(matches, key=lambda m: (m.doc_id, m.paragraph_id, m.span[0])):
        if merged and merged[-1][:2] == (m.doc_id, m.paragraph_id) and m.span[0] <= merged[-1][3]:
            doc, pid, s, e, ms = merged[-1]
            merged[-1] = (doc, pid, s, max(e, m.span[1]), [*ms, m])
        else:
            merged.append((m.doc_id, m.paragraph_id, m.span[0], m.span[1], [m]))
    return merged


def _pair_for(fact: Fact, pairs: list[FactPair]) -> FactPair | None:
    return next((p for p in pairs if fact.id in {p.actual.id, p.target.id, *(f.id for f in p.parts)}), None)


def _piece(text: str, fact: Fact) -> str:
    """The clause of a figure, narrowed to its 、-piece when the clause lists several figures (投资10亿元以上项目10个、
    亿元以上项目100个 → 亿元以上项目100个)."""
    start, end = fact.clause
    clause = text[start:end]
    pieces, at = [], start
    for piece in clause.split("、"):
        pieces.append((at, at + len(piece)))
        at += len(piece) + 1
    if len(pieces) > 1:
        holding = [p for p in pieces if p[0] <= fact.quantity.start < p[1]]
        with_figure = sum(bool(re.search(r"\d", text[a:b])) for a, b in pieces)
        if holding and with_figure == len(pieces):
            start, end = holding[0]
    return _LEAD_MARK.sub("", text[start:end].strip(" ,，;；。"))


def _progress(draft: _Draft, match: Match, pairs: list[FactPair], quoted: str) -> tuple[str, Refusal | None]:
    """The target and the computed progress for a progress or target question, when the quote lacks them."""
    fact = match.fact
    spec = draft.spec
    if fact is None and spec.asks[match.ask].want == Want.STATUS:  # 进度如何: a sentence with a paired figure
        inside = [f for f in draft.library.facts_of(match.doc_id, match.paragraph_id)
                  if match.span[0] <= f.quantity.start < match.span[1] and _pair_for(f, pairs)]  # fmt: skip
        fact = next((f for f in inside if f.role in (FactRole.ACTUAL, FactRole.CUMULATIVE)), None)
        match = match.model_copy(update={"fact": fact}) if fact else match
        if fact is not None:
            spec = spec.model_copy(update={"asks": [a.model_copy(update={"want": Want.PROGRESS}) for a in spec.asks]})
    if fact is None or spec.compares:  # 上半年比一季度多…: the two figures and their difference are the answer
        return "", None
    ask = spec.asks[match.ask]
    reading = match.reading
    asks_target = ask.want in (Want.PROGRESS, Want.TARGET) or bool(
        reading and (reading.target or reading.progress or reading.yes_no)
    )
    if not asks_target:
        return "", None  # one figure asked: that figure, without its target or a computed share
    pair = _pair_for(fact, pairs)
    # the notice's own completion rate, beside the figure or its target, wins over one computed from the pair
    paired = [fact] if pair is None else [fact, pair.target, pair.actual]
    stated = any(
        f.kind == FactKind.COMPLETION and any(f.group == p.group for p in paired)
        for f in draft.library.facts_of(fact.doc_id, fact.paragraph_id)
    )
    if ask.want == Want.PROGRESS and stated and pair is None:
        return "", None
    if pair is None:
        if ask.want == Want.TARGET and fact.role == FactRole.TARGET:
            return "", None
        # 开工率多少: a stated rate is itself the progress asked; only a bare count or amount lacks its target
        rate = fact.quantity.unit == "%" and fact.kind in (FactKind.LEVEL, FactKind.SHARE, FactKind.COMPLETION)
        reason = Reason.NO_TARGET if ask.want == Want.PROGRESS and not stated and not rate else None
        return "", Refusal(reason=reason, asked=fact.measure or ask.terms) if reason else None
    target, actual = pair.target, pair.actual
    marker = draft.cite(target.doc_id, target.paragraph_id)
    draft.figure(target)
    draft.figure(actual)
    target_text = draft.library.notice(target.doc_id).paragraph(target.paragraph_id).text
    clause = _piece(target_text, target)
    extra = ""
    if target.quantity.text not in quoted and clause not in draft.shown:
        extra = f"; target: “{clause}”[{marker}]" if spec.english else f";目标:{clause}[{marker}]"
        draft.shown.add(clause)
    if actual.quantity.text not in quoted and fact is target:  # the target was asked for: show what was done too
        text = draft.library.notice(actual.doc_id).paragraph(actual.paragraph_id).text
        done = _LEAD_MARK.sub("", text[actual.clause[0] : actual.clause[1]].strip(" ,，;；。"))
        done_marker = draft.cite(actual.doc_id, actual.paragraph_id)
        if done not in draft.shown:
            extra += f"; done: “{done}”[{done_marker}]" if spec.english else f";完成情况:{done}[{done_marker}]"
            draft.shown.add(done)
    if pair.progress_pct is not None and not stated and pair.formula not in draft.shown:
        draft.shown.add(pair.formula)
        value = pair.progress_pct.quantize(Decimal("0.1"))
        draft.derived.append(Derived(name="progress_pct", value=value, formula=pair.formula))
        if pair.parts:  # 3 + 1 + 2 = 6: the sum is derived too
            total = sum((f.quantity.value for f in [pair.actual, *pair.parts]), Decimal(0))
            draft.derived.append(Derived(name="actual_total", value=total, formula=pair.formula.split(";")[0]))
        extra += f", so {pair.formula} of the target" if spec.english else f",完成{pair.formula}"
    elif ask.want == Want.PROGRESS and actual.kind in (FactKind.GROWTH, FactKind.LEVEL) and not stated:
        done, aim = actual.signed, target.signed
        diff = done.value - aim.value
        unit = " percentage points" if spec.english else "个百分点"
        formula = f"{done.number_text} − {aim.number_text} = {diff.normalize():f}{unit}"
        draft.derived.append(Derived(name="difference_pp", value=diff, formula=formula))
        extra += f" ({formula})" if spec.english else f"({formula})"
    return extra, None


def _with_subject(match: Match, library: Library) -> Match:
    """Quote from the start of the sentence when the clause group does not name whose figure it is (完成投资69.9亿元
    after 省、市重点建设项目29宗)."""
    fact = match.fact
    if fact is None or not fact.topic or fact.group[0] <= fact.sentence[0]:
        return match
    text = library.notice(fact.doc_id).paragraph(fact.paragraph_id).text
    sentence = normalize(text[fact.sentence[0] : match.span[0]])
    if (
        normalize(fact.topic) in normalize(text[match.span[0] : match.span[1]])
        or fact.sentence[1] - fact.sentence[0] > 100
    ):
        return match
    if normalize(fact.topic) not in sentence:
        return match  # the subject is another sentence's (a heading sentence): the cited paragraph shows it
    return match.model_copy(update={"span": (fact.sentence[0], match.span[1])})


_REACHED = (TargetStatus.MET, TargetStatus.EXCEEDED, TargetStatus.WITHIN_CEILING)


def verdict(pair: FactPair | None, stated: Fact | None) -> bool | None:
    """Whether a target was reached, as the notice's figures say: a stated completion of 100% or more, a count or
    amount at or past its target, a rate reaching it in the target's direction (documents.directions: a fall as
    large for 下降, at or under it for a ceiling such as 失业率 or 以内, inside a range)."""
    if stated is not None:
        return stated.quantity.value >= 100
    if pair is None:
        return None
    if pair.progress_pct is not None:
        return amount_reached(pair.target, pair.progress_pct)
    return rate_verdict(pair.target, pair.actual).status in _REACHED


def _yes_no(spec: QuestionSpec, matching: Matching, library: Library, pairs: dict[str, list[FactPair]]) -> str:
    """是/否 first, for a question asking whether a target was reached (达到目标了吗)."""
    for m in matching.matches:
        if m.fact is None or not (m.reading and m.reading.yes_no):
            continue
        group = [f for f in library.facts_of(m.doc_id, m.paragraph_id) if f.group == m.fact.group]
        stated = next((f for f in group if f.kind == FactKind.COMPLETION), None)
        reached = verdict(_pair_for(m.fact, pairs.get(m.doc_id, [])), stated)
        if reached is not None:
            if spec.english:
                return "Yes. " if reached else "Not yet. "
            return "是的,已达到。" if reached else "没有,尚未达到。"
    return ""


def compose(
    spec: QuestionSpec, route: Route, matching: Matching, library: Library, pairs: dict[str, list[FactPair]]
) -> Answer:
    """One line per notice, labelled by place and period, quoting each matched clause group with its citation."""
    if not matching.matches:
        return refusal_answer(spec, matching.refusal or Refusal(reason=Reason.NO_SUCH_FIGURE))
    draft = _Draft(spec, library)
    lines: list[str] = []
    docs = list(dict.fromkeys(m.doc_id for m in sorted(matching.matches, key=lambda m: -m.score)))
    shown = docs  # each notice that answers a part; others that also have it are only named
    others = [d for d in matching.others if d not in shown]
    quoted_all = " ".join(
        _quote(library.notice(d).paragraph(p).text, s, e, [m.fact.clause for m in ms if m.fact] or [m.span for m in ms])
        for d, p, s, e, ms in _spans([m for m in matching.matches if m.doc_id in shown])
    )
    for doc_id in shown:
        pieces: list[str] = []
        for doc, pid, start, end, ms in _spans(
            [_with_subject(m, library) for m in matching.matches if m.doc_id == doc_id]
        ):
            text = library.notice(doc).paragraph(pid).text
            keep = [m.fact.clause for m in ms if m.fact] or [m.span for m in ms]
            quoted = _quote(text, start, end, keep)
            marker = draft.cite(doc, pid)
            for m in ms:
                if m.fact:
                    draft.figure(m.fact)
            extras = []
            for m in ms:
                extra, refusal = _progress(draft, m, pairs.get(doc, []), quoted_all)
                if refusal and len(matching.matches) == 1:
                    return refusal_answer(spec, refusal)
                if extra and extra not in extras and not any(extra in p for p in pieces):
                    extras.append(extra)
            piece = (f"“{quoted}”[{marker}]" if spec.english else f"{quoted}[{marker}]") + "".join(extras)
            pieces.append(piece)
        label = route.labels.get(doc_id) or library.profile(doc_id).label(spec.english)
        body = ("; " if spec.english else ";").join(pieces)
        lines.append(f"{label}: {body}" + ("." if spec.english else "。"))
    if matching.missing:
        asked = ("; " if spec.english else "、").join(matching.missing)
        lines.append(f"The notices do not give {asked}." if spec.english else f"通报没有给出{asked}的数字。")
    if others:
        names = [route.labels.get(d) or library.profile(d).label(spec.english) for d in others]
        lines.append(
            f"Other notices also give this: {', '.join(names)} (name the place to see them)."
            if spec.english
            else f"另有{'、'.join(names)}的通报也有相关内容,可在问题中指明地区。"
        )
    text = (" " if spec.english else "").join(lines)
    compared = _period_difference(spec, matching)
    if compared is not None:
        draft.derived.append(compared)
        text += f" Difference: {compared.formula}." if spec.english else f"相差:{compared.formula}。"
    if spec.english:
        text = "According to the notice, " + text if len(lines) == 1 else "According to the notices: " + text
    text = _yes_no(spec, matching, library, pairs) + text
    best = max(m.score for m in matching.matches)
    return Answer(question=spec.raw, answer=text, citations=draft.citations, figures=draft.figures,
                  derived=draft.derived, confidence=round(min(1.0, max(0.0, best)), 3), language=spec.language,
                  intent=spec.asks[0].want.value, context=spec.context or spec.text)  # fmt: skip


def _period_difference(spec: QuestionSpec, matching: Matching) -> Derived | None:
    """上半年比一季度多…: the later period's figure less the earlier one's, when both are of one unit."""
    facts = [m.fact for m in matching.matches if m.fact is not None and m.fact.period is not None]
    if not spec.compares or len(facts) < 2:
        return None
    earlier, later = sorted(facts[:2], key=lambda f: (f.period.end, -(f.period.start or 1)))  # type: ignore[union-attr]
    if earlier.quantity.unit != later.quantity.unit or earlier.period == later.period:
        return None
    diff = later.quantity.value - earlier.quantity.value
    unit = (" percentage points" if spec.english else "个百分点") if later.quantity.unit == "%" else later.quantity.unit
    formula = f"{later.quantity.text} − {earlier.quantity.text} = {diff.normalize():f}{unit}"
    return Derived(name="difference", value=diff, formula=formula)
