"""Turn parsed notices into indexable chunks: one per content paragraph, headings folded in as context."""

from __future__ import annotations

from documents.models import Notice, ParagraphKind
from documents.spans import clauses
from index.models import Chunk

CHUNKER_VERSION = "3"
_INDEXED = (ParagraphKind.BODY,)


def chunk_notice(notice: Notice) -> list[Chunk]:
    """One chunk per body paragraph; heading-only lines live on in the breadcrumbs of their section."""
    chunks: list[Chunk] = []
    for paragraph in notice.paragraphs:
        if paragraph.kind not in _INDEXED:
            continue
        # Only the nearest heading: the upper levels are generic ("二、其他重点工作完成情况") and blur dense scores.
        crumbs = [c for c in paragraph.breadcrumb[-1:] if not paragraph.text.startswith(c)]
        context = " ".join([*crumbs, paragraph.text])
        spans = clauses(paragraph.text)
        chunks.append(
            Chunk(
                id=f"{notice.doc_id}:{paragraph.id}",
                doc_id=notice.doc_id,
                paragraph_id=paragraph.id,
                text=paragraph.text,
                breadcrumb=paragraph.breadcrumb_text,
                context=context,
                clause_spans=[(c.start, c.end) for c in spans],
                windows=[(spans[i - 1].text + "," if i else "") + c.text for i, c in enumerate(spans)],
            )
        )
    return chunks
