"""Readers for notices as they are published: .txt/.md, web pages, .docx, .pdf and .xlsx (see README, Formats).

    decoded = read_notice_bytes(raw, name, max_bytes, cache)   # any format → DecodedNotice, or NoticeError
    notice = decoded.to_notice(doc_id, path)                   # → Notice, table rows with Paragraph.cells

Each format is one module yielding `Extracted` blocks (text lines and table rows); `assemble` lays them out
as the notice's text, which the one parser (documents.parser) turns into the outline.
"""

from __future__ import annotations

from documents.readers.dispatch import FORMATS, NOTICE_SUFFIXES, REFUSED, read_notice_bytes, read_notice_path, sniff
from documents.readers.result import Block, DecodedNotice, Extracted

__all__ = [
    "FORMATS",
    "NOTICE_SUFFIXES",
    "REFUSED",
    "Block",
    "DecodedNotice",
    "Extracted",
    "read_notice_bytes",
    "read_notice_path",
    "sniff",
]
