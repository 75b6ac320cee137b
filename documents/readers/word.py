"""Read a .docx notice with python-docx: body paragraphs and tables in document order.

Not read: page headers and footers, footnotes and endnotes, comments, text boxes, images, and tables nested
inside a table cell. A cell merged across columns is read once; a cell merged down over rows is repeated in
each row it covers.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from documents.errors import NoticeError
from documents.limits import DEFAULT_LIMITS, ReadLimits
from documents.readers.budget import check_zip
from documents.readers.result import Block, Extracted
from documents.readers.tables import table_blocks


def _table_rows(table) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for row in table.rows:
        cells: list[str | None] = [""] * row.grid_cols_before
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                cells.append(None)  # the same cell again: it spans this column too
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(p.text for p in cell.paragraphs))
        rows.append(cells + [""] * row.grid_cols_after)
    return rows


def read_docx(raw: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> Extracted:
    import docx  # imported here: only .docx files need it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    check_zip(raw, name, limits)  # what its parts unzip to, before any is read
    try:
        document = docx.Document(BytesIO(raw))
        content = list(document.iter_inner_content())
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise NoticeError(f"{name}: not a readable .docx file (corrupt or not Word?): {exc}") from None
    except Exception as exc:  # a damaged package can fail anywhere inside python-docx or lxml
        raise NoticeError(f"{name}: not a readable .docx file ({type(exc).__name__}: {exc})") from None
    blocks: list[Block] = []
    warnings: list[str] = []
    for item in content:
        if isinstance(item, Table):
            rows = table_blocks(_table_rows(item))
            if not rows:
                warnings.append(f"{name}: an empty table was skipped")
            blocks += rows
        else:
            blocks += [Block(text=line) for line in item.text.split("\n") if line.strip()]
    # the document's own title property names a notice that opens with a table (it is often stale otherwise)
    title = (document.core_properties.title or "").strip() if blocks and blocks[0].cells else ""
    return Extracted(blocks=blocks, title=title, warnings=warnings)
