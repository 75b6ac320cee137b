"""Read a .txt or .md notice: decoded as before (UTF-8/BOM/GBK), with flattened tables regrouped into rows.

A text with no flattened table keeps its text exactly, so paragraph offsets index the file as they always
did. Where a table was regrouped, the notice's text is the regrouped text (one line per row); the file's own
text is not round-tripped then.
"""

from __future__ import annotations

import hashlib

from documents.limits import DEFAULT_LIMITS, ReadLimits, check_paragraphs
from documents.loading import decode_notice
from documents.readers.flat import regroup
from documents.readers.result import DecodedNotice, Extracted, assemble


def read_plain(
    raw: bytes, name: str, max_bytes: int, fmt: str = "txt", limits: ReadLimits = DEFAULT_LIMITS
) -> DecodedNotice:
    decoded = decode_notice(raw, name, max_bytes)
    check_paragraphs(decoded.text, name, limits)  # before the table regrouping reads its lines
    blocks = regroup(decoded.text.split("\n"))
    if blocks is None:
        return DecodedNotice(
            name=name,
            format=fmt,
            text=decoded.text,
            sha256=decoded.sha256,
            source_sha256=hashlib.sha256(raw).hexdigest(),
            warnings=list(decoded.warnings),
        )
    rows = sum(1 for b in blocks if b.cells)
    warnings = [
        *decoded.warnings,
        f"{name}: a table written as text (one cell or one row per line) was regrouped into {rows} rows",
    ]
    regrouped = assemble(Extracted(blocks=blocks, warnings=warnings), name, fmt, raw)
    check_paragraphs(regrouped.text, name, limits)  # a row joins the lines of its cells
    return regrouped
