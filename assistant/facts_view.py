"""Render the fact table (`python -m assistant facts`): a line per figure, or JSON validated by the Fact schema."""

from __future__ import annotations

import json

from pydantic import TypeAdapter

from documents.facts import Fact
from documents.library import Library

FACTS_SCHEMA = TypeAdapter(list[Fact])
COLUMNS = ("doc_id", "paragraph", "subject", "value", "kind", "role", "period", "scope")


def render_facts(library: Library, fmt: str) -> str:
    """Every fact of the library's notices, in reading order."""
    facts = [f for entry in library.entries.values() for f in entry.facts]
    if fmt == "json":
        return json.dumps(json.loads(FACTS_SCHEMA.dump_json(facts)), ensure_ascii=False, indent=2)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: use table or json")
    lines = [" | ".join(COLUMNS)]
    for f in facts:
        subject = f.subject if len(f.subject) <= 30 else f.subject[:29] + "…"
        period = f.period.label if f.period else ""
        lines.append(
            " | ".join(
                [f.doc_id, f.paragraph_id, subject, f.quantity.text, f.kind.value, f.role.value, period, f.scope.label]
            )  # fmt: skip
        )
    lines.append(f"{len(facts)} facts")
    return "\n".join(lines)
