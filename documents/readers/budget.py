"""Budgets checked before a reader builds anything: what a zip declares it unzips to, the cells a workbook's
sheets span, and what a PDF's streams inflate to (documents.limits holds the numbers).

Zip members are read by zipfile, which never yields more than a member's declared size, so the declared sizes
bound the work. A sheet is scanned as a stream of XML events, without building cells, for the rows and columns
its cells and merged ranges reach. A PDF's streams are inflated by pdfminer on demand; while `inflating` is
active, each inflation stops at what the budget has left, and the total is charged as streams are decoded.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from xml.parsers import expat

from documents.limits import MIB, RATIO_FLOOR_BYTES, ReadLimits

MAX_MEMBERS = 5_000  # parts of a .docx/.xlsx: a few dozen in real files
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


def _cap(limits: ReadLimits, size: int) -> tuple[int, str]:
    """The most a file of `size` bytes may inflate to, and the setting that sets it."""
    by_ratio = max(limits.max_inflate_ratio * size, RATIO_FLOOR_BYTES)
    if by_ratio < limits.max_inflated_bytes:
        return by_ratio, "max_inflate_ratio"
    return limits.max_inflated_bytes, "max_inflated_bytes"


def _too_much(name: str, limits: ReadLimits, total: int, size: int, setting: str, what: str) -> Exception:
    found = f"{what} {total / MIB:,.1f} MiB ({total / max(size, 1):,.0f} times its {size:,} bytes)"
    unit = "bytes" if setting == "max_inflated_bytes" else "times"
    return limits.refuse(name, found, setting, unit)


def check_zip(raw: bytes, name: str, limits: ReadLimits) -> None:
    """Refuse a zip (.docx/.xlsx) whose members declare more than the budget; a corrupt one is left to its reader."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(infos) > MAX_MEMBERS:
        raise limits.refuse(
            name, f"a zip of {len(infos):,} parts (at most {MAX_MEMBERS:,} are read)", "max_inflated_bytes"
        )
    total = sum(info.file_size for info in infos)
    cap, setting = _cap(limits, len(raw))
    if total > cap:
        raise _too_much(name, limits, total, len(raw), setting, "its parts unzip to")


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _letters(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _reference(ref: str) -> tuple[int, int] | None:
    found = _CELL.match(ref.replace("$", "").upper())
    return (int(found[2]), _column(found[1])) if found else None


@dataclass
class SheetExtent:
    """How far a sheet's cells and merged ranges reach, and the cells its merged ranges cover together."""

    rows: int = 0
    columns: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def merged_cells(self) -> int:
        return sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in self.merged)


class _Enough(Exception):
    """Stops a scan early: what was read already passes the budget."""


def _scan_sheet(source: io.BufferedIOBase, limits: ReadLimits) -> SheetExtent:
    """The extent of one worksheet part, read as a stream of XML start tags (expat: nothing is built, no DTD)."""
    extent = SheetExtent()
    at = {"row": 0, "column": 0, "cells": 0}

    def start(tag: str, attributes: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "row":
            at["row"] = int(attributes.get("r") or at["row"] + 1)
            at["column"] = 0
        elif tag == "c":
            found = _reference(attributes.get("r") or "")
            at["row"], at["column"] = found if found else (max(at["row"], 1), at["column"] + 1)
            extent.rows, extent.columns = max(extent.rows, at["row"]), max(extent.columns, at["column"])
            at["cells"] += 1
            if at["cells"] > limits.max_sheet_cells or extent.cells > limits.max_sheet_cells:
                raise _Enough
        elif tag == "mergeCell":
            corners = [_reference(p) for p in (attributes.get("ref") or "").split(":")]
            if len(corners) == 2 and corners[0] and corners[1]:
                (r1, c1), (r2, c2) = corners
                box = (min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
                extent.merged.append(box)
                extent.rows, extent.columns = max(extent.rows, box[2]), max(extent.columns, box[3])
                if extent.merged_cells > limits.max_sheet_cells:
                    raise _Enough

    def no_doctype(*_: object) -> None:
        raise ValueError("a worksheet with a DOCTYPE")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_doctype
    with contextlib.suppress(_Enough):
        while chunk := source.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    return extent


def sheet_extents(raw: bytes, name: str, limits: ReadLimits) -> dict[str, SheetExtent]:
    """Each worksheet part's extent, refusing a workbook whose sheets span more cells than the budget."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}
    extents: dict[str, SheetExtent] = {}
    total = 0
    readers = _sheet_entries(archive)
    for part in archive.namelist():
        if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
            continue
        try:
            with archive.open(part) as source:
                extent = _scan_sheet(source, limits)
        except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
            continue  # a damaged sheet: openpyxl says what is wrong with it
        sheet = part.rsplit("/", 1)[-1].removesuffix(".xml")
        if extent.merged_cells > limits.max_sheet_cells:
            r1, c1, r2, c2 = max(extent.merged, key=lambda m: (m[2] - m[0] + 1) * (m[3] - m[1] + 1))
            largest = f"{_letters(c1)}{r1}:{_letters(c2)}{r2}"
            found = f"sheet {sheet} merges {extent.merged_cells:,} cells (the largest range: {largest})"
            raise limits.refuse(name, found, "max_sheet_cells", "cells")
        times = max(1, readers.get(part, 1))  # openpyxl reads a part once for every sheet entry naming it
        total += extent.cells * times
        if total > limits.max_sheet_cells:
            found = f"sheet {sheet} spans {extent.rows:,} rows × {extent.columns:,} columns = {extent.cells:,} cells"
            found += f", named by {times} sheets" if times > 1 else ""
            found += f"; the workbook's sheets span {total:,} cells so far"
            raise limits.refuse(name, found, "max_sheet_cells", "cells")
        extents[part] = extent
    return extents


_RELATION = re.compile(r"<Relationship\b[^>]*>")
_SHEET = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
_ATTRIBUTE = re.compile(r"""([\w:]+)\s*=\s*["']([^"']*)["']""")


def _sheet_entries(archive: zipfile.ZipFile) -> dict[str, int]:
    """How many of the workbook's sheet entries name each worksheet part (several may name one)."""
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return {}
    target: dict[str, str] = {}
    for m in _RELATION.finditer(rels):
        attrs = dict(_ATTRIBUTE.findall(m[0]))
        path = attrs.get("Target", "")
        path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
        target[attrs.get("Id", "")] = path
    counts: dict[str, int] = {}
    for m in _SHEET.finditer(book):
        rid = next((v for k, v in _ATTRIBUTE.findall(m[0]) if k.endswith(":id")), "")
        if rid in target:
            counts[target[rid]] = counts.get(target[rid], 0) + 1
    return counts


class InflateLimit(Exception):
    """A PDF stream would inflate past the budget (raised inside pdfminer, turned into a NoticeError)."""


@dataclass
class _Budget:
    left: int
    exceeded: bool = False

    def charge(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            self.exceeded = True
            raise InflateLimit


_budget: ContextVar[_Budget | None] = ContextVar("inflate_budget", default=None)


def _bounded_inflate(data: bytes) -> bytes:
    """zlib.decompress that stops at what the budget has left (pdfminer calls it for FlateDecode)."""
    budget = _budget.get()
    if budget is None:
        return zlib.decompress(data)
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, max(budget.left, 0) + 1)
    if len(out) > budget.left:
        budget.exceeded = True
        raise InflateLimit
    if not inflater.eof:
        raise zlib.error("incomplete or truncated stream")
    return out


def _bounded_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a stream with a bad checksum, in linear time and within the budget."""
    budget = _budget.get()
    inflater, parts, size = zlib.decompressobj(), [], 0
    with contextlib.suppress(zlib.error):
        for start in range(0, len(data), 4096):
            part = inflater.decompress(data[start : start + 4096], (budget.left + 1 - size) if budget else 0)
            parts.append(part)
            size += len(part)
            if budget is not None and (size > budget.left or inflater.unconsumed_tail):
                budget.exceeded = True
                raise InflateLimit
    return b"".join(parts)


class _Zlib:
    """What pdfminer.pdftypes sees as `zlib`: the real module, with a bounded `decompress`."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)
    decompress = staticmethod(_bounded_inflate)


def _install() -> None:
    from pdfminer import pdftypes

    if getattr(pdftypes.PDFStream.decode, "_budgeted", False):
        return
    original = pdftypes.PDFStream.decode

    def decode(self) -> None:  # type: ignore[no-untyped-def]
        original(self)
        budget = _budget.get()
        if budget is not None:
            budget.charge(len(self.data or b""))

    decode._budgeted = True  # type: ignore[attr-defined]
    pdftypes.zlib = _Zlib  # type: ignore[assignment]
    pdftypes.decompress_corrupted = _bounded_corrupted
    pdftypes.PDFStream.decode = decode


@contextlib.contextmanager
def inflating(raw: bytes, name: str, limits: ReadLimits) -> Iterator[_Budget]:
    """While active, a PDF's streams may inflate to the budget in all; past it, a NoticeError naming the limit."""
    _install()
    cap, setting = _cap(limits, len(raw))
    budget = _Budget(left=cap)
    token = _budget.set(budget)
    try:
        yield budget
    except Exception:  # whatever a reader made of it, a stream past the budget is the reason
        if not budget.exceeded:
            raise
    finally:
        _budget.reset(token)
    if budget.exceeded:
        raise _too_much(name, limits, cap, len(raw), setting, "its streams inflate to more than")
