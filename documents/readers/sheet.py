"""Read an .xlsx notice (a 目标任务 table sent as a spreadsheet) with openpyxl: each sheet's rows, in order.

Values are what Excel last saved (formulas are not recalculated; a file never opened in Excel has none).
Percent-formatted numbers read as written (0.236 in a `0.0%` cell is `23.6%`). A cell merged down over rows
is repeated in each; charts, images, comments and cell colours are not read. A workbook whose sheets span more
cells than the budget (documents.limits) is refused before a cell is read; the rest are read as streams.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from io import BytesIO

from documents.errors import NoticeError
from documents.limits import DEFAULT_LIMITS, ReadLimits
from documents.readers.budget import SheetExtent, check_zip, sheet_extents
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


def _grid(sheet, extent: SheetExtent) -> list[list[str | None]]:
    """The sheet as the grid Excel shows, up to where its cells and merged ranges reach (read_only: rows stream
    from the file; the extent was checked against the cell budget before)."""
    if not extent.cells:
        return []
    rows = sheet.iter_rows(min_row=1, max_row=extent.rows, min_col=1, max_col=extent.columns)
    grid: list[list[str | None]] = [[cell_text(c.value, c.number_format) for c in row] for row in rows]
    for min_row, min_col, max_row, max_col in extent.merged:
        value = grid[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(grid))):
            for c in range(min_col - 1, min(max_col, len(grid[r]))):
                if (r, c) != (min_row - 1, min_col - 1):
                    grid[r][c] = value if c == min_col - 1 else None
    return grid


def _extent(sheet, extents: dict[str, SheetExtent], name: str) -> SheetExtent:
    """The scanned extent of a sheet (by its part in the file); a part the scan could not read is refused."""
    part = str(getattr(sheet, "_worksheet_path", "")).lstrip("/")
    if part not in extents:
        raise NoticeError(f"{name}: not a readable .xlsx file (sheet {sheet.title!r} is damaged)")
    return extents[part]


def read_xlsx(raw: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> Extracted:
    import openpyxl  # imported here: only spreadsheets need it

    check_zip(raw, name, limits)  # what its parts unzip to, before any is read
    extents = sheet_extents(raw, name, limits)  # and the cells its sheets span
    try:
        workbook = openpyxl.load_workbook(BytesIO(raw), data_only=True, read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise NoticeError(f"{name}: not a readable .xlsx file (corrupt or not Excel?): {exc}") from None
    except Exception as exc:  # a damaged workbook can fail anywhere inside openpyxl
        raise NoticeError(f"{name}: not a readable .xlsx file ({type(exc).__name__}: {exc})") from None
    try:
        grids = [(sheet.title, _grid(sheet, _extent(sheet, extents, name))) for sheet in workbook.worksheets]
        book_title = workbook.properties.title or ""
    except NoticeError:
        raise
    except Exception as exc:  # a damaged sheet fails only when its rows are read
        raise NoticeError(f"{name}: not a readable .xlsx file ({type(exc).__name__}: {exc})") from None
    finally:
        workbook.close()
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
    return Extracted(blocks=blocks, title=book_title if blocks[0].cells else "", warnings=warnings)
