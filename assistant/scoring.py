"""Every weight and threshold of answering, in one typed model, with what each one trades.

Calibrated by reading traces (`ask --explain`) over the dev sets of many notices together (the bundled notices,
../shared/notices/real/ and the project's own written notices), never for one question.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Scoring(BaseModel):
    search_depth: int = Field(default=12, description="paragraphs retrieved per question before matching")
    fact_depth: int = Field(default=8, description="paragraphs whose facts are each slot's candidates")
    sentence_depth: int = Field(default=4, description="paragraphs whose sentences are candidates too")
    dense_weight: float = Field(default=0.45, description="weight of the clause's cosine to the question")
    lexical_weight: float = Field(default=0.40, description="weight of the question's terms found near the figure")
    precision_weight: float = Field(default=0.15, description="weight of the figure's measure words the question names")
    retrieval_weight: float = Field(default=0.10, description="weight of the paragraph's retrieval score")
    dense_floor: float = Field(default=0.78, description="a clause cosine at this value counts as 0; 1 as full")
    min_coverage: float = Field(
        default=0.34, description="share of the question's terms a figure's clause group must name (typos aside)"
    )
    min_coverage_en: float = Field(
        default=0.25, description="the same for an English question, whose words come through a dictionary"
    )
    typo_dense: float = Field(
        default=0.92, description="a clause this close in meaning may answer with less word overlap (typos)"
    )
    typo_min_lexical: float = Field(default=0.15, description="… but it must still share this much of the asked words")
    status_margin: float = Field(
        default=0.05, description="a second sentence of the same paragraph this close is quoted too"
    )
    status_bonus: float = Field(
        default=0.08, description="added to a sentence that says where something stands (已, 正在)"
    )
    min_score: float = Field(default=0.30, description="a figure scoring under this answers nothing")
    kind_bonus: float = Field(default=0.08, description="added when the figure is of the kind asked (growth, rank …)")
    role_bonus: float = Field(default=0.12, description="added when the figure has the role asked (target, actual)")
    nearby_bonus: float = Field(
        default=0.06, description="added to a later part's figure in the paragraph of the part before"
    )
    repeat_penalty: float = Field(default=0.15, description="taken off a later part's figure that an earlier part got")
    focus_bonus: float = Field(default=0.08, description="added when the figure's clause names the word before 多少")
    place_margin: float = Field(
        default=0.12, description="other notices are answered beside the best when they score this close to it"
    )
    max_places: int = Field(default=3, description="a question naming no place is answered for at most this many")
    status_min_coverage: float = Field(default=0.5, description="share of a status question's words a sentence names")


SCORING = Scoring()
