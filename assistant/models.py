"""The JSON contract of an answer, shared by the CLI, the UI and any client."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    doc_id: str
    paragraph_id: str
    breadcrumb: str
    text: str = Field(description="the whole cited paragraph")
    start: int = Field(description="offset of the paragraph in its notice's text")
    end: int


class Figure(BaseModel):
    text: str = Field(description="the figure as written in the cited span, e.g. '236座'")
    value: Decimal
    unit: str
    role: str = Field(description="actual | target | rate | figure")
    paragraph_id: str


class Derived(BaseModel):
    name: str = Field(description="e.g. 'progress_pct'")
    value: Decimal
    formula: str = Field(description="e.g. '236 / 1000 = 23.6%'")


class Answer(BaseModel):
    question: str
    answer: str = Field(description="the text a person sees")
    refused: bool = False
    citations: list[Citation] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    derived: list[Derived] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    language: str = Field(default="zh", description="zh | en: the language of the question and answer")
    intent: str = Field(default="", description="what the question was understood to ask")
    context: str = Field(default="", description="the question as understood, a follow-up merged with its context")
    trace: dict | None = Field(
        default=None, description="each stage's decision (ask --explain); not part of the contract"
    )


class ErrorReply(BaseModel):
    """What a client gets instead of an answer when the question itself is unusable."""

    error: str
    question: str | None = None
