"""A table read from a .docx, .xlsx, .pdf or web page, as blocks: one per row, each keeping its column labels.

Readers pass a cell that a merge spans from its left as None (an empty cell is ''), and repeat a cell
merged down over several rows in each of them. Rows above the header (a title merged across the sheet)
stay text. A row that is one cell merged across the table (a category like `一、经济发展`) becomes a text
line, so the outline can use it as a heading. A
table without a header row of known columns (a layout table, a 索引号/发布日期 info box) becomes text lines,
its cells joined by spaces.
"""

from __future__ import annotations

import re

from documents.columns import column_role, normalise_header
from documents.models import ColumnRole
from documents.readers.result import Block, one_line, row_block

HEADER_CELL_MAX_CHARS = 20  # header cells are labels; a longer cell means the row holds data
_KEY = re.compile(r"[\u4e00-\u9fff\s]{2,8}[:：]$")


def _is_header(row: list[str]) -> bool:
    filled = [c for c in row if c]
    if len(filled) < 2 or any(len(c) > HEADER_CELL_MAX_CHARS for c in filled):
        return False
    roles = {column_role(c) for c in filled} - {ColumnRole.OTHER}
    return len(roles) >= 2 or ColumnRole.INDEX in roles


def _text_row(row: list[str]) -> str:
    return " ".join(cell for cell in row if cell)


def header_of(rows: list[list[str]]) -> int | None:
    """Index of the header row (the first row that names at least two kinds of column), or None."""
    for i, row in enumerate(rows[:5]):
        cells = [one_line(c) for c in row]
        if _is_header(cells):
            return i
        if sum(bool(c) for c in cells) > 1 and not _KEY.search(cells[0] or ""):
            return None  # a data row came first: no header
    return None


def table_blocks(rows: list[list[str | None]], header: list[str] | None = None) -> list[Block]:
    """Blocks of one table; `header` continues a table whose header was on an earlier page."""
    kept = [row for row in rows if any(c and c.strip() for c in row)]
    if not kept:
        return []
    width = max(len(row) for row in kept)
    spanned = [[c is None for c in row] + [False] * (width - len(row)) for row in kept]
    cells = [[one_line(c or "") for c in row] + [""] * (width - len(row)) for row in kept]
    blocks: list[Block] = []
    start = 0
    at = header_of(cells)
    if at is not None or header is None or len(header) != width:  # else: no header of its own, continue `header`
        if at is None:
            return [Block(text=_text_row(row)) for row in cells]
        blocks += [Block(text=_text_row(row)) for row in cells[:at]]
        header, start = [normalise_header(c) for c in cells[at]], at + 1
    for row, spans in zip(cells[start:], spanned[start:], strict=True):
        if width > 2 and row[0] and all(spans[1:]):
            blocks.append(Block(text=row[0]))  # one cell merged across the table: a category heading
            continue
        block = row_block(header, row)
        if block is not None:
            blocks.append(block)
    return blocks


def last_header(blocks: list[Block]) -> list[str] | None:
    """The headers of the last row among `blocks`, to continue that table on the next page."""
    if blocks and blocks[-1].cells:
        return [c.header for c in blocks[-1].cells]
    return None
