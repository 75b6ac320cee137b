"""The fitted scorer: a linear ranker over the feature table and an answerability model over each slot's best.

Both are read from a versioned JSON file (assistant/data/ranker.json) that names its features, written by
`python -m assistant fit`. A file fitted on other features is refused at load, so a change of features is a refit
and a diff, never a silent mismatch. Scoring is plain numpy: no learning library is imported to answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from assistant.features import FEATURES
from documents.atomic import write_file
from documents.errors import AssistantError

MODEL_FILE = Path(__file__).resolve().parent / "data" / "ranker.json"
FORMAT = 2  # 2: one threshold for every slot


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
    """The ranker orders a slot's candidates; the judge says how likely its best one is to answer it."""

    format: int = FORMAT
    ranker: Linear = Field(description="within one slot: which candidate answers it best (a conditional logit)")
    judge: Linear = Field(description="any candidate: the log-odds that it answers its slot (a logistic regression)")
    threshold: float = Field(description="a slot is answered when its pick reaches this probability")
    pick_among: int = Field(default=1, ge=1, description="the pick: of the ranker's best this many, the judge's best")
    fitted_on: dict[str, object] = Field(default_factory=dict, description="sets, items, notices, C values, date")

    def rank(self, rows: np.ndarray) -> np.ndarray:
        return self.ranker(rows)

    def answerable(self, rows: np.ndarray) -> np.ndarray:
        """The probability that each row's candidate answers its slot."""
        return 1.0 / (1.0 + np.exp(-self.judge(rows)))

    def save(self, path: Path) -> None:
        write_file(path, json.dumps(self.model_dump(), ensure_ascii=False, indent=1) + "\n")


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
    if scorer.judge.features != list(FEATURES):
        raise AssistantError(f"{path}: its judge was fitted on other features; run `python -m assistant fit`")
    return scorer
