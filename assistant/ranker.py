"""The fitted scorer: a linear ranker over the feature table and an answerability model over each slot's best.

Both are read from a versioned JSON file (assistant/data/ranker.json) that names its features, written by
`python -m assistant fit`. A file fitted on other features is refused at load, so a change of features is a refit
and a diff, never a silent mismatch. Scoring is plain numpy: no learning library is imported to answer.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from assistant.features import FEATURES, GROUPS
from documents.errors import AssistantError

MODEL_FILE = Path(__file__).resolve().parent / "data" / "ranker.json"
FORMAT = 1

# The answerability model's inputs: what is known of a slot's best candidate once all are scored.
ANSWER_FEATURES = (
    "top_score", "margin", "top_prob", "n_candidates", "later_slot",
    "part_kind", "part_role", "part_words", "part_where", "part_found",
    "rec_wide", "missing_any", "unit_mismatch", "qualifier_missing", "total_asked_unstated", "gloss_missing",
    "bias_sentence",
)  # fmt: skip


class Linear(BaseModel):
    """A standardised linear function: w · (x − mean) / scale + intercept."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    intercept: float = 0.0

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        x = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        return x @ np.asarray(self.weights) + self.intercept


class Scorer(BaseModel):
    format: int = FORMAT
    ranker: Linear
    answer: Linear
    threshold: float = Field(description="answer a slot when the answerability probability reaches this")
    fitted_on: dict[str, object] = Field(default_factory=dict, description="sets, items, notices, C values, date")

    def rank(self, rows: np.ndarray) -> np.ndarray:
        return self.ranker(rows)

    def answerable(self, rows: np.ndarray) -> np.ndarray:
        z = self.answer(rows)
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.model_dump(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)


def parts(ranker: Linear, top: dict[str, float]) -> dict[str, float]:
    """The ranker's score of one candidate split by feature group: how much its kind, role, words, place and
    period, and retrieval each gave."""
    index = {name: i for i, name in enumerate(ranker.features)}
    out = {}
    for group, names in GROUPS.items():
        out[f"part_{group}"] = sum(
            ranker.weights[index[n]] * (top.get(n, 0.0) - ranker.mean[index[n]]) / ranker.scale[index[n]]
            for n in names
        )
    return out


def answer_row(scores: np.ndarray, top: dict[str, float], slot_index: int, ranker: Linear) -> list[float]:
    """The answerability inputs of one slot: its scores (best first) and the best candidate's features."""
    ordered = np.sort(scores)[::-1]
    best = float(ordered[0])
    margin = best - float(ordered[1]) if len(ordered) > 1 else 4.0
    shifted = np.exp(np.clip(scores - best, -50, 0))
    values = {
        "top_score": best,
        "margin": min(margin, 4.0),
        "top_prob": float(1.0 / shifted.sum()),
        "n_candidates": math.log1p(len(scores)),
        "later_slot": float(slot_index > 0),
        **parts(ranker, top),
    }
    return [values[name] if name in values else top.get(name, 0.0) for name in ANSWER_FEATURES]


def load_scorer(path: Path = MODEL_FILE) -> Scorer:
    """The fitted scorer (AssistantError when the file is missing, malformed or fitted on other features)."""
    try:
        scorer = Scorer.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AssistantError(f"{path}: no usable scorer ({exc}); run `python -m assistant fit`") from None
    if scorer.format != FORMAT or scorer.ranker.features != list(FEATURES):
        raise AssistantError(
            f"{path}: fitted on other features than this version computes; run `python -m assistant fit`"
        )
    if scorer.answer.features != list(ANSWER_FEATURES):
        raise AssistantError(f"{path}: its answerability model has other inputs; run `python -m assistant fit`")
    return scorer
