"""`python -m assistant fit`: fit the scorer on the open gold sets, and measure it leave-one-notice-out.

Every gold question is prepared once (understand → route → retrieve → candidates → features) over all the open
notices loaded together. Candidates are labelled from gold: a fact is right when its figure is a gold figure and
its paragraph holds a gold string (or its ledger pair gives the gold progress), a sentence when it overlaps a gold
string. The ranker is a pairwise logistic regression within each slot; the answerability model is a logistic
regression on each slot's best candidate, fitted on out-of-fold ranker scores, with its threshold chosen so that
at most `max_refuse_answered` of the refuse items are answered. `--cv` holds out each notice in turn: its
questions are answered by a scorer fitted without it, and graded by the gold-set rule.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np

from assistant.features import FEATURES
from assistant.grading import EvalItem, Grade, grade, states_figure
from assistant.models import Answer
from assistant.pipeline import Pipeline, Prepared
from assistant.ranker import ANSWER_FEATURES, Linear, Scorer, answer_row
from assistant.understand import understand
from documents.pairs import FactPair

MAX_REFUSE_ANSWERED = 0.05  # the answerability threshold answers at most this share of refuse items
C_GRID = (0.03, 0.1, 0.3, 1.0)


@dataclass
class Example:
    """One gold question, prepared once; `labels` marks its right candidates."""

    item: EvalItem
    group: str  # the notice it is about: the unit held out
    prepared: Prepared | None  # None: refused before any candidate (route, no words …)
    early: Answer | None
    pipeline: Pipeline | None = None  # the notices it is asked of
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _overlaps(a: tuple[int, int], b: tuple[int, int], least: int = 6) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) >= least


def label_candidates(item: EvalItem, prepared: Prepared, pipeline: Pipeline) -> np.ndarray:
    """Which candidates answer the gold item (all False for a refuse item)."""
    labels = np.zeros(len(prepared.candidates), dtype=bool)
    if item.refuse or not item.gold:
        return labels
    golds = [_nfkc(g) for g in item.gold]
    progress = item.derived.get("progress_pct")
    pairs: dict[str, list[FactPair]] = pipeline.pairs
    for i, c in enumerate(prepared.candidates):
        text = _nfkc(pipeline.library.notice(c.doc_id).paragraph(c.paragraph_id).text)
        spans = [(text.find(g), text.find(g) + len(g)) for g in golds if g in text]
        if not spans:
            continue
        slot = prepared.slots[c.slot]
        if c.fact is None:  # a sentence answers what is told in words; a figure asked is answered by its fact
            labels[i] = not item.numbers and any(_overlaps(c.span, s) for s in spans)
            continue
        q = c.fact.quantity
        if not item.numbers and any(_overlaps(c.fact.group, s) for s in spans):
            labels[i] = True
        elif any(states_figure(q.text, n, False) for n in item.numbers):
            labels[i] = slot.period is None or c.fact.period is None or c.fact.period.label == slot.period.label
        elif progress is not None:
            for pair in pairs.get(c.doc_id, []):
                if c.fact.id in (pair.actual.id, pair.target.id) and pair.progress_pct is not None:
                    labels[i] |= abs(pair.progress_pct - Decimal(str(progress))) <= Decimal("0.1")
    return _by_slot_kind(prepared, labels)


_RATE_CUES = ("growth", "share", "progress", "change", "difference", "rate", "rank")


def _by_slot_kind(prepared: Prepared, labels: np.ndarray) -> np.ndarray:
    """Where one slot asks a rate and another an amount, each slot's right figures are those of its kind."""
    if len(prepared.slots) < 2:
        return labels
    out = labels.copy()
    for slot in prepared.slots:
        mine = [i for i, c in enumerate(prepared.candidates) if c.slot == slot.index and labels[i]]
        wants_rate = any(getattr(slot.reading, cue) for cue in _RATE_CUES)
        fits = [i for i in mine if prepared.candidates[i].fact is None
                or (prepared.candidates[i].fact.quantity.unit in ("%", "个百分点")) == wants_rate]  # fmt: skip
        if fits and len(fits) < len(mine):
            for i in set(mine) - set(fits):
                out[i] = False
    return out


def prepare_examples(
    pipeline: Pipeline, sets: list[tuple[list[EvalItem], str | None]], progress: Callable[[str], None] | None = None
) -> list[Example]:
    """Prepare and label every gold question; `sets` pairs items with the notice of a set whose items name none."""
    examples = []
    total = sum(len(items) for items, _ in sets)
    for items, default_doc in sets:
        for item in items:
            spec = understand(item.question, pipeline.library.gazetteer)
            prepared = pipeline.prepare(spec)
            group = getattr(item, "doc", None) or default_doc or _doc_of(item, pipeline) or "?"
            if isinstance(prepared, Answer):
                examples.append(Example(item=item, group=group, prepared=None, early=prepared, pipeline=pipeline))
            else:
                labels = label_candidates(item, prepared, pipeline)
                examples.append(Example(item=item, group=group, prepared=prepared, early=None, labels=labels,
                                        pipeline=pipeline))  # fmt: skip
            if progress and len(examples) % 50 == 0:
                progress(f"prepared {len(examples)}/{total}")
    return examples


def _doc_of(item: EvalItem, pipeline: Pipeline) -> str | None:
    for doc_id, entry in pipeline.library.entries.items():
        if any(_nfkc(g) in _nfkc(entry.notice.text) for g in item.gold):
            return doc_id
    return None


# --- fitting ----------------------------------------------------------------------------------------


def _standardiser(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = rows.mean(axis=0) if len(rows) else np.zeros(rows.shape[1])
    scale = rows.std(axis=0) if len(rows) else np.ones(rows.shape[1])
    scale[scale < 1e-6] = 1.0
    return mean, scale


def _slot_groups(examples: list[Example], mean: np.ndarray, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised rows of every slot with a right and a wrong candidate, grouped: (rows, labels, group starts)."""
    xs, ys, starts, at = [], [], [], 0
    for e in examples:
        if e.prepared is None or not e.labels.any():
            continue
        x = (e.prepared.rows - mean) / scale
        slot_of = np.asarray([c.slot for c in e.prepared.candidates])
        usable = np.asarray([c.against is None for c in e.prepared.candidates], dtype=bool)
        for slot in e.prepared.slots:
            mine = np.flatnonzero((slot_of == slot.index) & usable)
            if not len(mine) or e.labels[mine].all() or not e.labels[mine].any():
                continue
            xs.append(x[mine])
            ys.append(e.labels[mine])
            starts.append(at)
            at += len(mine)
    if not xs:
        raise ValueError("no labelled candidates to fit on")
    return np.vstack(xs), np.concatenate(ys), np.asarray(starts)


def _listwise(x: np.ndarray, y: np.ndarray, starts: np.ndarray, l2: float) -> np.ndarray:
    """Weights maximising, over slots, the softmax probability of the right candidates (a conditional logit)."""
    from scipy.optimize import minimize

    groups = len(starts)
    owner = np.repeat(np.arange(groups), np.diff(np.append(starts, len(x))))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - top[owner])
        every = np.add.reduceat(e, starts)
        right = np.add.reduceat(e * y, starts)
        value = float(np.sum(np.log(every) - np.log(right))) / groups + 0.5 * l2 * float(w @ w)
        p_all = e / every[owner]
        p_right = e * y / right[owner]
        grad = x.T @ (p_all - p_right) / groups + l2 * w
        return value, grad

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return result.x


def fit_ranker(examples: list[Example], c: float) -> Linear:
    """The ranker: within each slot, a softmax over its candidates fitted to put the right ones first
    (`c`: inverse strength of the L2 penalty)."""
    all_rows = np.vstack([e.prepared.rows for e in examples if e.prepared is not None and len(e.prepared.rows)])
    mean, scale = _standardiser(all_rows)
    x, y, starts = _slot_groups(examples, mean, scale)
    weights = _listwise(x, y.astype(float), starts, 1.0 / (c * len(starts)))
    return Linear(features=list(FEATURES), mean=mean.tolist(), scale=scale.tolist(), weights=weights.tolist())


def _slot_rows(example: Example, ranker: Linear) -> list[tuple[list[float], bool]]:
    """(answerability inputs, whether the best usable candidate is right) for each slot of an example."""
    prepared = example.prepared
    if prepared is None or not len(prepared.candidates):
        return []
    scores = ranker(prepared.rows)
    out = []
    for slot in prepared.slots:
        mine = [i for i, c in enumerate(prepared.candidates) if c.slot == slot.index]
        usable = [i for i in mine if prepared.candidates[i].against is None]
        if not usable:
            continue
        best = max(usable, key=lambda i: scores[i])
        top = dict(zip(FEATURES, prepared.rows[best].tolist(), strict=True))
        out.append((answer_row(scores[mine], top, slot.index, ranker), bool(example.labels[best])))
    return out


def fit_answerability(examples: list[Example], oof: dict[int, Linear]) -> tuple[Linear, float]:
    """The answerability model on out-of-fold ranker scores, and its threshold."""
    from sklearn.linear_model import LogisticRegression

    rows, ys, owners = [], [], []
    for k, e in enumerate(examples):
        for row, right in _slot_rows(e, oof[k]):
            rows.append(row)
            ys.append(right)
            owners.append(k)
    x = np.asarray(rows)
    mean, scale = _standardiser(x)
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit((x - mean) / scale, np.asarray(ys))
    linear = Linear(features=list(ANSWER_FEATURES), mean=mean.tolist(), scale=scale.tolist(),
                    weights=model.coef_[0].tolist(), intercept=float(model.intercept_[0]))  # fmt: skip
    probabilities = 1 / (1 + np.exp(-linear(x)))
    best: dict[int, float] = defaultdict(float)
    for k, p in zip(owners, probabilities, strict=True):
        best[k] = max(best[k], float(p))
    refuse = sorted((best.get(k, 0.0) for k, e in enumerate(examples) if e.item.refuse), reverse=True)
    allowed = int(MAX_REFUSE_ANSWERED * len(refuse))
    threshold = refuse[allowed] + 1e-6 if len(refuse) > allowed else 0.5
    return linear, float(threshold)


def _inner_oof(examples: list[Example], c: float, folds: int = 3) -> dict[int, Linear]:
    """For each example, a ranker fitted without its notice's fold (GroupKFold over notices)."""
    groups = sorted({e.group for e in examples})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    rankers = {}
    for f in range(folds):
        train = [e for e in examples if fold_of[e.group] != f]
        rankers[f] = fit_ranker(train, c)
    return {k: rankers[fold_of[e.group]] for k, e in enumerate(examples)}


def fit_scorer(examples: list[Example], c: float, about: dict[str, object] | None = None) -> Scorer:
    ranker = fit_ranker(examples, c)
    answer, threshold = fit_answerability(examples, _inner_oof(examples, c))
    fitted_on = {"items": len(examples), "notices": len({e.group for e in examples}), "C": c,
                 "date": date.today().isoformat(), **(about or {})}  # fmt: skip
    return Scorer(ranker=ranker, answer=answer, threshold=threshold, fitted_on=fitted_on)


def cross_validate(
    examples: list[Example], c: float, progress: Callable[[str], None] | None = None
) -> list[tuple[Example, Answer, Grade]]:
    """Leave one notice out: each notice's questions answered by a scorer fitted on the others."""
    results = []
    groups = sorted({e.group for e in examples})
    for n, group in enumerate(groups, start=1):
        held = [e for e in examples if e.group == group]
        scorer = fit_scorer([e for e in examples if e.group != group], c)
        for e in held:
            answer = e.early if e.prepared is None else e.pipeline.decide(e.prepared, scorer)
            results.append((e, answer, grade(e.item, answer)))
        if progress:
            progress(f"held out {group} ({n}/{len(groups)}): {sum(g.passed for _, _, g in results[-len(held):])}/"
                     f"{len(held)}")  # fmt: skip
    return results
