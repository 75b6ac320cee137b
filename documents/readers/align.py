"""Put a table row's cells under the right columns when the row lost its shape (pure, no I/O).

A table flattened to one cell per line loses merged cells (a 主要任务 category written once for several
rows), wraps long cells over several lines, and may end rows with an empty cell. So the cells are aligned
to the columns in order, by how well each cell fits each column's role (a person's name under 分管领导, 是/否
under 是否达序, a sentence with 完成/已 under 推进情况), like aligning two sequences. No text is dropped: a cell
that fits no free column is joined to the one before it.
"""

from __future__ import annotations

import re

from documents.columns import column_role
from documents.models import ColumnRole
from documents.readers.result import join_fragments

SKIP = 0.3  # a column left empty: rows often lack a cell (merged categories, blank 说明)
JOIN = 2.5  # a cell glued to the one before: only when there are more cells than columns
ORDER = 0.01  # on a tie, fill columns left to right, but within a run of columns of one role (主要任务,
# 全年目标任务) prefer the last: a category merged over several rows is the one missing from a row

_INDEX = re.compile(r"^\d{1,4}[.、]?$")
_NAME = re.compile(r"^[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}$")
_UNIT_END = re.compile(
    r"(?:局|办|委|处|室|中心|公司|街道|办事处|单位|政府|部|院|会|所|站|队|乡|镇|区|县|市|厅|部门|集团|社|馆|园区|分局)$"
)
_UNIT_SPLIT = re.compile(r"[、,，;；/和及]")
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")
_YESNO = re.compile(r"^(?:是|否|已完成|未完成|完成|达序|未达序|滞后|正常|正常推进|超序时|序时|达标|未达标)$")
_DONE = re.compile(r"完成|已|实现|建成|开工|达到|累计|推进|正在|启动|新增|新建|同比")


def is_index(text: str) -> bool:
    """A row number as a table prints it: '24', '3.', '5、'."""
    return bool(_INDEX.match(text.strip()))


def _is_unit(text: str) -> bool:
    parts = [p.strip() for p in _UNIT_SPLIT.split(_BRACKETS.sub("", text)) if p.strip()]
    if not parts or re.search(r"[0-9%]", text):
        return False
    return sum(bool(_UNIT_END.search(p)) for p in parts) >= 0.6 * len(parts)


def fit(role: ColumnRole, text: str) -> float:
    """How well a cell's text fits a column of this role (positive: fits; negative: does not)."""
    text = text.strip()
    if not text:
        return 0.0
    if role == ColumnRole.INDEX:
        return 3.0 if is_index(text) else -4.0
    name, unit, yesno = bool(_NAME.match(text)) and not _is_unit(text), _is_unit(text), bool(_YESNO.match(text))
    short, digits = len(text) <= 12, bool(re.search(r"[0-9]", text))
    if role == ColumnRole.OWNER:
        return 2.0 if name or unit else (0.0 if short and not digits else -1.5)
    if role == ColumnRole.PROGRESS:
        if yesno or ("%" in text and short):
            return 2.0
        return -1.5 if name or unit else (-1.0 if len(text) > 20 else 0.0)
    if role in (ColumnRole.TASK, ColumnRole.ACTUAL):
        if name or unit or yesno:
            return -2.0
        if role == ColumnRole.ACTUAL:
            return (1.5 if _DONE.search(text) else 0.0) + (0.5 if len(text) >= 8 else 0.0)
        return (1.0 if len(text) >= 6 else 0.0) + (0.5 if digits else 0.0)
    return -0.5 if yesno else 0.0


def align_row(headers: list[str], cells: list[str]) -> list[str]:
    """One text per column: the cells placed in order where they fit best; extra cells joined to the previous."""
    roles = [column_role(h) for h in headers]
    n = len(headers)
    run = [0] * n  # position of each column within its run of same-role columns
    for col in range(1, n):
        run[col] = run[col - 1] + 1 if roles[col] == roles[col - 1] else 0
    prior = [ORDER * (2 * run[col] - col) for col in range(n)]
    # best[k] = (score, placement) after the cells so far, the last one placed in column k (-1: none yet)
    best: dict[int, tuple[float, list[int]]] = {-1: (0.0, [])}
    for text in cells:
        step: dict[int, tuple[float, list[int]]] = {}

        def offer(col: int, score: float, placed: list[int], step=step) -> None:
            if col not in step or score > step[col][0]:
                step[col] = (score, placed)

        for last, (score, placed) in best.items():
            for col in range(last + 1, n):
                offer(col, score + fit(roles[col], text) - SKIP * (col - last - 1) + prior[col], [*placed, col])
            if last >= 0:
                offer(last, score - (JOIN if text.strip() else 0.0), [*placed, last])
        best = step
    if not best:
        return [""] * n
    _, placed = max(((s - SKIP * (n - 1 - k), p) for k, (s, p) in best.items()), key=lambda item: item[0])
    columns: list[list[str]] = [[] for _ in headers]
    for col, text in zip(placed, cells, strict=True):
        if text.strip():
            columns[col].append(text.strip())
    return [join_fragments(parts) for parts in columns]
