"""Regroup a table that reached a .txt one cell per line back into rows (pure: lines in, blocks out); a table
written one row per line with its cells between '|' (the header too) is read the same way.

The shape real notices show: the header cells one per line, starting with 序号, then each row's cells,
each row opening with its number (1, 2, 3… or 24, 25…). Some copies end every cell with ' |' (an empty cell
is a bare '|'); there the cell boundaries are exact. Without the marks, a cell wrapped over several lines (a
list of units ending in '、' or ',') is joined back first. Then `align_row` puts the cells under their columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from documents.columns import column_role, normalise_header
from documents.models import ColumnRole
from documents.parser import heading_level
from documents.readers.align import align_row, is_index
from documents.readers.result import Block, join_fragments, row_block

HEADER_MAX_CHARS = 15  # a header cell is short; a longer line ends the run of headers
_WRAPPED_END = re.compile(r"[,，、(（]$")
_WRAPPED_START = re.compile(r"^[,，、)）]")


@dataclass
class _Table:
    end: int  # index of the first line after the table
    headers: list[str]
    rows: list[list[str]]


def _bare(line: str) -> str:
    return line.strip().strip("|").strip()


def _number(line: str) -> int | None:
    text = _bare(line).split("|")[0].strip()  # a row on one line (1 | 任务 | 单位 |) opens with its number cell
    return int(text.rstrip(".、")) if is_index(text) else None


def _inline_header(line: str) -> list[str] | None:
    """A header row written on one line, cells between '|' (序号 | 目标任务 | 责任单位 | 完成情况 |)."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 3 or not all(cells) or column_role(cells[0]) != ColumnRole.INDEX:
        return None
    headers = [normalise_header(c) for c in cells]
    return headers if all(len(h) <= HEADER_MAX_CHARS for h in headers) else None


def _pipe_cells(lines: list[str]) -> list[str]:
    cells, current = [], []
    for line in lines:
        *closed, rest = line.split("|")
        for part in closed:
            cells.append(join_fragments([*current, part]))
            current = []
        if rest.strip():
            current.append(rest)
    if current:
        cells.append(join_fragments(current))
    return cells


def _line_cells(lines: list[str]) -> list[str]:
    cells: list[str] = []
    for line in (raw.strip() for raw in lines):
        if cells and (_WRAPPED_END.search(cells[-1]) or _WRAPPED_START.search(line)):
            cells[-1] = join_fragments([cells[-1], line])
        else:
            cells.append(line)
    return cells


def _ends_table(line: str) -> bool:
    found = heading_level(line.strip())
    return not line.strip() or (found is not None and found[0] <= 2)


def _table_at(lines: list[str], start: int) -> _Table | None:
    """The flattened table whose header run starts at `start`, or None if there is none."""
    inline = _inline_header(lines[start])
    if inline is not None:
        pipe, headers, k = True, inline, start + 1
    elif column_role(_bare(lines[start])) != ColumnRole.INDEX:
        return None
    else:
        pipe = lines[start].rstrip().endswith("|")
        headers, k = [normalise_header(_bare(lines[start]))], start + 1
        while k < len(lines) and lines[k].strip() and _number(lines[k]) is None:
            if len(normalise_header(lines[k])) > HEADER_MAX_CHARS:
                return None
            headers.append(normalise_header(_bare(lines[k])))
            k += 1
    roles = [column_role(h) for h in headers[1:]]
    known = sum(r != ColumnRole.OTHER for r in roles)
    if k >= len(lines) or len(headers) < 3 or known < 2 or not {ColumnRole.TASK, ColumnRole.ACTUAL} & set(roles):
        return None
    rows: list[list[str]] = []
    widths: list[int] = []
    while k < len(lines):
        number, first = _number(lines[k]), k
        k += 1
        while k < len(lines) and _number(lines[k]) != number + 1 and not _ends_table(lines[k]):
            if pipe and "|" not in lines[k] and (k + 1 >= len(lines) or "|" not in lines[k + 1]):
                break
            k += 1
        split = _pipe_cells if pipe else _line_cells
        if k < len(lines) and _number(lines[k]) == number + 1:
            widths.append(len(split(lines[first:k])))
        else:  # the last row has no cells more than the widest row before it; later lines are text again
            limit = max(widths, default=len(headers))
            while k > first + 1 and len(split(lines[first:k])) > limit:
                k -= 1
        rows.append(split(lines[first:k]))
        if k >= len(lines) or _number(lines[k]) != number + 1:
            break
    return _Table(end=k, headers=headers, rows=rows)


def _merge_wrapped_headers(headers: list[str], aligned: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A header no row fills and that names no role is the first half of a wrapped one (区政府办 / 协管责任人)."""
    col = 0
    while col < len(headers) - 1:
        if column_role(headers[col]) == ColumnRole.OTHER and not any(row[col] for row in aligned):
            headers = [*headers[:col], headers[col] + headers[col + 1], *headers[col + 2 :]]
            aligned = [[*row[:col], *row[col + 1 :]] for row in aligned]
            continue
        col += 1
    return headers, aligned


def regroup(lines: list[str]) -> list[Block] | None:
    """The text's blocks with every flattened table regrouped into rows, or None when it holds no such table."""
    blocks: list[Block] = []
    found = False
    i = 0
    while i < len(lines):
        table = _table_at(lines, i)
        if table is None:
            if lines[i].strip():
                blocks.append(Block(text=lines[i].strip()))
            i += 1
            continue
        found = True
        aligned = [align_row(table.headers, cells) for cells in table.rows]
        headers, aligned = _merge_wrapped_headers(table.headers, aligned)
        blocks += [b for b in (row_block(headers, row) for row in aligned) if b is not None]
        i = table.end
    return blocks if found else None
