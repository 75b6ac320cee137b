"""Typed contract of the index layer: what is searched (Chunk) and what a search returns (Hit)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Chunk(BaseModel):
    """One indexed paragraph, with its breadcrumb as context."""

    id: str = Field(description="'<doc_id>:<paragraph_id>'")
    doc_id: str
    paragraph_id: str
    text: str = Field(description="the paragraph as in the notice")
    breadcrumb: str
    context: str = Field(description="what is embedded and matched: breadcrumb headings + paragraph text")
    clause_spans: list[tuple[int, int]] = Field(
        default_factory=list, description="clauses of the paragraph (offsets in text), each embedded on its own"
    )
    windows: list[str] = Field(
        default_factory=list,
        description="what is embedded per clause: the clause with the one before it. A long paragraph's vector "
        "blurs its clauses, and a question usually targets one of them",
    )


class Hit(BaseModel):
    """A chunk found for a query, with the scores that found it."""

    chunk: Chunk
    score: float = Field(description="fused score in [0, 1], comparable across queries")
    rank: int
    dense: float | None = Field(default=None, description="cosine similarity to the query")
    bm25: float | None = Field(default=None, description="BM25 score (unbounded)")
    dense_rank: int | None = None
    bm25_rank: int | None = None
