"""The numbers of answering that are not fitted: how deep each stage looks.

Everything that weighs one piece of evidence against another is fitted (assistant.ranker, written by
`python -m assistant fit`); what is here only bounds the work per question, and trades recall for speed.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Scoring(BaseModel):
    search_depth: int = Field(default=12, description="paragraphs retrieved per part of a question")
    fact_depth: int = Field(default=8, description="paragraphs whose facts are each slot's candidates")
    sentence_depth: int = Field(default=4, description="paragraphs whose sentences are candidates too")
    other_places_margin: float = Field(
        default=1.0, description="another notice is named beside the answer when its best scores this close to it"
    )


SCORING = Scoring()
