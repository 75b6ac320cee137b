"""Render the target ledger as a table, JSON (validated by the pydantic schema) or CSV."""

from __future__ import annotations

import csv
import io
import json

from pydantic import TypeAdapter

from documents.ledger import format_pct
from documents.models import Notice, Target
from documents.series import chronology, period_label

LEDGER_SCHEMA = TypeAdapter(list[Target])
COLUMNS = ("doc_id", "id", "indicator", "context", "target", "direction", "actual", "progress", "status", "source")


def ledger_rows(rows: list[Target]) -> list[dict[str, str]]:
    """Flat rows for tables and CSV: figures as written, progress rounded for display only."""
    flat = []
    for row in rows:
        actual = (
            "+".join(p.quantity.text for p in row.parts)
            if row.parts
            else (row.actual.quantity.text if row.actual else "")
        )
        if not actual and row.plan:
            actual = f"(计划 {row.plan.quantity.text})"
        sources = sorted({r.paragraph_id for r in (row.target, row.actual, row.stated_rate, row.plan, *row.parts) if r})
        flat.append(
            {
                "doc_id": row.doc_id,
                "id": row.id,
                "indicator": row.indicator,
                "context": row.context,
                "target": row.target.quantity.text if row.target else "",
                "direction": row.direction.value if row.target else "",
                "actual": actual,
                "progress": format_pct(row.progress_pct) if row.progress_pct is not None else "",
                "status": row.status.value + (" ⚠" if row.rate_check else ""),
                "source": ",".join(sources),
            }
        )
    return flat


def render_ledger(rows: list[Target], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(json.loads(LEDGER_SCHEMA.dump_json(rows)), ensure_ascii=False, indent=2)
    flat = ledger_rows(rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: use table, json or csv")
    lines = [" | ".join(COLUMNS)]
    for r in flat:
        indicator = r["indicator"] if len(r["indicator"]) <= 24 else r["indicator"][:23] + "…"
        context = r["context"] if len(r["context"]) <= 16 else r["context"][:15] + "…"
        cells = [r["doc_id"], r["id"], indicator, context, r["target"], r["direction"], r["actual"], r["progress"]]
        lines.append(" | ".join([*cells, r["status"], r["source"]]))
    lines.append(f"{len(flat)} rows")
    return "\n".join(lines)


def ledger_series(rows: list[Target], notices: list[Notice]) -> list[dict[str, object]]:
    """A target followed across notices of different periods: the same indicator and target text, earliest first.

    Only targets reported by at least two notices are returned, e.g. 亿元以上项目 (100个): 一季度 68个 → 上半年 107个.
    """
    order = {n.doc_id: chronology(n) for n in notices}
    labels = {n.doc_id: period_label(n) for n in notices}
    groups: dict[tuple[str, str], list[Target]] = {}
    for row in rows:
        if row.target is not None:  # the measure itself, whatever section heading it sits under
            groups.setdefault((row.indicator.split(" › ")[-1], row.target.quantity.text), []).append(row)
    series = []
    for (indicator, target), members in groups.items():
        if len({m.doc_id for m in members}) < 2:
            continue
        points = [
            {
                "period": labels.get(m.doc_id, m.doc_id),
                "doc_id": m.doc_id,
                "actual": ledger_rows([m])[0]["actual"],
                "progress": format_pct(m.progress_pct) if m.progress_pct is not None else "",
                "progress_value": float(m.progress_pct) if m.progress_pct is not None else None,
                "status": m.status.value,
            }
            for m in sorted(members, key=lambda m: order.get(m.doc_id, (0, 0, m.doc_id)))
        ]
        series.append({"indicator": indicator, "target": target, "points": points})
    return series
