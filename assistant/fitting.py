"""`python -m assistant fit`: fit the scorer on the open gold sets, and measure it leave-one-notice-out.

Every gold question is prepared once (understand → route → retrieve → candidates → features) over all the open
notices loaded together. Candidates are labelled from gold: a fact is right when its figure is a gold figure and
its paragraph holds a gold string (or its ledger pair gives the gold progress), a sentence when it overlaps a gold
string. The ranker is a conditional-logit (listwise) logistic model within each slot; the answerability model is a
logistic regression on every candidate (the judge), whose thresholds are chosen on notices held out of its fit so
that answering gains the most right figures less wrong ones (see choose_threshold). `--cv` holds out each notice
in turn: its questions are answered by a scorer fitted without it, and graded by the gold-set rule.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np

from assistant.features import FEATURES
from assistant.grading import EvalItem, Grade, grade, states_figure
from assistant.models import Answer
from assistant.pipeline import Pipeline, Prepared
from assistant.ranker import Linear, Scorer
from assistant.understand import understand
from documents.pairs import FactPair
from documents.readers.result import strip_glosses

RANKER_C = 10.0  # the ranker's inverse L2 strength (per slot)
JUDGE_C = 0.1  # the judge's


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
    golds = [_nfkc(strip_glosses(g)) for g in item.gold]  # paragraphs are read without pinyin glosses
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
    pipeline: Pipeline, items: list[EvalItem], progress: Callable[[str], None] | None = None
) -> list[Example]:
    """Prepare and label every gold question of a set; each is grouped under the notice it is about: the one it
    names, else the one holding its gold, else (a refuse item) the notice most of its set is about."""
    examples = []
    groups = [item.doc or _doc_of(item, pipeline) for item in items]
    usual = Counter(g for g in groups if g).most_common(1)
    for item, group in zip(items, groups, strict=True):
        spec = understand(item.question, pipeline.library.gazetteer)
        prepared = pipeline.prepare(spec)
        group = group or (usual[0][0] if usual else "?")
        if isinstance(prepared, Answer):
            examples.append(Example(item=item, group=group, prepared=None, early=prepared, pipeline=pipeline))
        else:
            labels = label_candidates(item, prepared, pipeline)
            examples.append(Example(item=item, group=group, prepared=prepared, early=None, labels=labels,
                                    pipeline=pipeline))  # fmt: skip
        if progress and len(examples) % 50 == 0:
            progress(f"prepared {len(examples)}/{len(items)}")
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


def _slot_groups(
    examples: list[Example], mean: np.ndarray, scale: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


JUDGE_TOP = 3  # the judge learns from each slot's best few candidates: the ones it will be asked about
PICK_AMONG = (1, 2, 3)  # the judge may pick among the ranker's best k; which k is chosen on held-out notices


def fit_judge(examples: list[Example], c: float, ranker: Linear) -> Linear:
    """The judge: a logistic regression on the ranker's best JUDGE_TOP usable candidates of each slot (those of
    refuse items all wrong), each slot weighing the same. It is asked only about the ranker's pick, so it learns
    from picks and their close rivals, not from the long tail every ranker already puts last."""
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for e in examples:
        if e.prepared is None or not len(e.prepared.candidates):
            continue
        scores = ranker(e.prepared.rows)
        for slot in e.prepared.slots:
            usable = [i for i, cand in enumerate(e.prepared.candidates)
                      if cand.slot == slot.index and cand.against is None]  # fmt: skip
            top = sorted(usable, key=lambda i: -scores[i])[:JUDGE_TOP]
            if not top:
                continue
            xs.append(e.prepared.rows[top])
            ys.append(e.labels[top])
            ws.append(np.full(len(top), 1.0 / len(top)))
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    mean, scale = _standardiser(x)
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit((x - mean) / scale, y, sample_weight=w * len(w) / w.sum())
    return Linear(features=list(FEATURES), mean=mean.tolist(), scale=scale.tolist(),
                  weights=model.coef_[0].tolist(), intercept=float(model.intercept_[0]))  # fmt: skip


def best_judged(example: Example, ranker: Linear, judge: Linear, among: int = 1) -> list[tuple[float, bool]]:
    """For each slot: the pick (of the ranker's best `among` usable candidates, the one the judge finds likeliest),
    the judge's log-odds of it, and whether it is right."""
    prepared = example.prepared
    if prepared is None or not len(prepared.candidates):
        return []
    scores, judged = ranker(prepared.rows), judge(prepared.rows)
    out = []
    for slot in prepared.slots:
        usable = [i for i, c in enumerate(prepared.candidates) if c.slot == slot.index and c.against is None]
        if usable:
            best = max(sorted(usable, key=lambda i: -scores[i])[:among], key=lambda i: judged[i])
            out.append((float(judged[best]), bool(example.labels[best])))
    return out


def choose_threshold(examples: list[Example], c: float, judge_c: float, folds: int = 3) -> tuple[int, float]:
    """How many of the ranker's best the judge picks among, and the probability its pick for a slot must reach to
    be stated, chosen on scores of notices held out of the fit (GroupKFold): the pair that states the most picks
    rightly, less those stated wrongly. A wrong figure (a near miss, or any figure for a question the notices do
    not cover) costs as much as a right one gains. Every slot meets the same bar. Answerable questions with no
    candidate known to be right are left out: their labels cannot say what answering them is."""
    groups = sorted({e.group for e in examples})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    judged: dict[int, list[tuple[float, bool]]] = {k: [] for k in PICK_AMONG}
    for f in range(folds):
        train = [e for e in examples if fold_of[e.group] != f]
        ranker = fit_ranker(train, c)
        judge = fit_judge(train, judge_c, ranker)
        for e in examples:
            if fold_of[e.group] == f and (e.item.refuse or any(e.labels)):
                for k in PICK_AMONG:
                    judged[k] += best_judged(e, ranker, judge, k)
    cuts = {k: _best_cut(v) for k, v in judged.items()}
    among = max(PICK_AMONG, key=lambda k: (_gain(judged[k], cuts[k]), -k))
    return among, _probability(cuts[among])


def _gain(judged: list[tuple[float, bool]], cut: float) -> int:
    return sum((1 if right else -1) for v, right in judged if v >= cut)


def _best_cut(judged: list[tuple[float, bool]], default: float = 0.0) -> float:
    """The log-odds cut that maximises right − wrong among the judged slots at or above it."""
    if not judged:
        return default
    cuts = sorted({v for v, _ in judged})
    gain = [sum((1 if right else -1) for v, right in judged if v >= t) for t in cuts]
    return cuts[int(np.argmax(gain))] if max(gain) > 0 else cuts[-1] + 1e-6


def _probability(logit: float) -> float:
    return float(1.0 / (1.0 + np.exp(-logit)))


def fit_scorer(
    examples: list[Example], c: float, judge_c: float = JUDGE_C, about: dict[str, object] | None = None
) -> Scorer:
    among, threshold = choose_threshold(examples, c, judge_c)
    fitted_on = {"items": len(examples), "notices": len({e.group for e in examples}), "C": c, "judge_C": judge_c,
                 "date": date.today().isoformat(), **(about or {})}  # fmt: skip
    ranker = fit_ranker(examples, c)
    return Scorer(ranker=ranker, judge=fit_judge(examples, judge_c, ranker), threshold=threshold,
                  pick_among=among, fitted_on=fitted_on)  # fmt: skip


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
