"""The target ledger: every target a notice sets, paired with what was done, with progress and status.

Three sources, read from the text alone:
1. headline indicators written `名称增长58.3%(目标10.5%)` — a rate against a rate or a ceiling;
2. numbered target items (`3.新建5G基站1000座。一季度,全市新建5G基站236座。`): the first sentence holds the
   sub-targets, the rest the actuals; each actual clause goes to the sub-target it resembles most;
3. stated completion rates elsewhere (`占年度计划任务5.1万亩的101.73%`, `完成全年目标25%`), whose arithmetic is
   checked against the figures beside them.
A figure in a sentence that says 计划/拟/预计 is a plan, not an actual: the row says so instead of a ratio.
"""

from __future__ import annotations

from decimal import Decimal

from documents.ledger_rates import stated_rate_rows
from documents.ledger_rules import INDICATOR_TARGET, indicator_rows, item_rows
from documents.models import Notice, ParagraphKind, Target


def build_ledger(notice: Notice) -> list[Target]:
    """All ledger rows of one notice, in reading order."""
    rows: list[Target] = []
    for paragraph in notice.paragraphs:
        if paragraph.kind != ParagraphKind.BODY:
            continue
        if INDICATOR_TARGET.search(paragraph.text):
            rows += indicator_rows(notice, paragraph)
        elif paragraph.marker and paragraph.breadcrumb and paragraph.breadcrumb[0].startswith("一、"):
            rows += item_rows(notice, paragraph)
        rows += stated_rate_rows(notice, paragraph, exclude={r.actual.quantity.start for r in rows if r.actual})
    return rows


def format_pct(value: Decimal | None) -> str:
    """Progress for display: one decimal (rounded for display only)."""
    return "" if value is None else f"{value.quantize(Decimal('0.1'))}%"
