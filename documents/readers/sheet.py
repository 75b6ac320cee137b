"""Read an .xlsx notice (a 目标任务 table sent as a spreadsheet) with openpyxl: each sheet's rows, in order.

Values are what Excel last saved (formulas are not recalculated; a file never opened in Excel has none).
Percent-formatted numbers read as written (0.236 in a `0.0%` cell is `23.6%`). A cell merged down over rows
is repeated in each; charts, images, comments and cell colours are not read.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from io import BytesIO

from documents.errors import NoticeError
from documents.readers.result import Block, Extracted
from documents.readers.tables import header_of, table_blocks


def _number(value: float, number_format: str) -> str:
    if "%" in number_format:
        decimals = len(re.search(r"(?:\.(0+))?%", number_format).group(1) or "")
        return f"{value * 100:.{decimals}f}%"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.10g}"


def cell_text(value: object, number_format: str = "General") -> str:
    """A cell's value as the sheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number(value, number_format or "General")
    return str(value).strip()


def _grid(sheet) -> list[list[str | None]]:
    grid: list[list[str | None]] = [[cell_text(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                if (r, c) != (merged.min_row - 1, merged.min_col - 1):
                    grid[r][c] = value if c == merged.min_col - 1 else None
    return grid


def read_xlsx(raw: bytes, name: str) -> Extracted:
    import openpyxl  # imported here: only spreadsheets need it

    try:
        workbook = openpyxl.load_workbook(BytesIO(raw), data_only=True)  # not read_only: merged ranges are needed
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise NoticeError(f"{name}: not a readable .xlsx file (corrupt or not Excel?): {exc}") from None
    except Exception as exc:  # a damaged workbook can fail anywhere inside openpyxl
        raise NoticeError(f"{name}: not a readable .xlsx file ({type(exc).__name__}: {exc})") from None
    grids = [(sheet.title, _grid(sheet)) for sheet in workbook.worksheets]
    grids = [(title, grid) for title, grid in grids if any(any(c for c in row) for row in grid)]
    if not grids:
        raise NoticeError(f"{name}: the workbook is empty (no filled cells)")
    blocks: list[Block] = []
    empty: list[str] = []
    for title, grid in grids:
        if len(grids) > 1:
            blocks.append(Block(text=title))
        rows = table_blocks(grid)
        if header_of([[c or "" for c in row] for row in grid]) is not None and not any(b.cells for b in rows):
            empty.append(title)
        blocks += rows
    if empty and not any(b.cells for b in blocks):
        raise NoticeError(f"{name}: an empty table (sheet {empty[0]!r} has a header row and no rows under it)")
    warnings = [f"{name}: sheet {t!r} is an empty table (a header and no rows); skipped" for t in empty]
    title = (workbook.properties.title or "") if blocks[0].cells else ""
    return Extracted(blocks=blocks, title=title, warnings=warnings)
