"""One entry point for every format: bytes and a file name in, a decoded notice out (or a NoticeError)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from documents.errors import NoticeError
from documents.limits import DEFAULT_LIMITS, ReadLimits, check_paragraphs
from documents.loading import MAX_NOTICE_BYTES, read_bounded
from documents.readers.cache import cached, store
from documents.readers.legacy import refuse_legacy
from documents.readers.pdf import read_pdf
from documents.readers.plain import read_plain
from documents.readers.result import DecodedNotice, Extracted, assemble
from documents.readers.sheet import read_xlsx
from documents.readers.web import read_html
from documents.readers.word import read_docx

FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf", ".xlsx": "xlsx"}
REFUSED = (".doc", ".xls", ".wps", ".et")  # known formats refused with how to convert them
NOTICE_SUFFIXES = (*FORMATS, *REFUSED)  # what a documents folder is searched for
_READERS: dict[str, Callable[[bytes, str, ReadLimits], Extracted]] = {
    "html": read_html,
    "docx": read_docx,
    "pdf": read_pdf,
    "xlsx": read_xlsx,
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<meta|<body)", re.IGNORECASE | re.DOTALL)


def sniff(raw: bytes, name: str) -> str:
    """The format to read: what the bytes are (a .docx that is really a PDF reads as a PDF), else the name's."""
    by_name = FORMATS.get(Path(name).suffix.lower())
    if b"%PDF-" in raw[:1024]:
        return "pdf"
    if raw.startswith(_OLE2):
        return "ole"
    if raw.startswith(b"PK\x03\x04"):
        try:
            members = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
        except zipfile.BadZipFile:
            return by_name or "zip"
        if "word/document.xml" in members:
            return "docx"
        if "xl/workbook.xml" in members:
            return "xlsx"
        return by_name if by_name in ("docx", "xlsx") else "zip"
    if raw.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if by_name in ("txt", "md"):
        return by_name
    if _HTML.match(raw[:2048].removeprefix(b"\xef\xbb\xbf")):
        return "html"
    return by_name or "txt"


def read_notice_bytes(
    raw: bytes,
    name: str,
    max_bytes: int = MAX_NOTICE_BYTES,
    cache: Path | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> DecodedNotice:
    """Decode one notice file of any supported format; NoticeError naming the file for anything unusable.

    `cache` is a folder for conversions keyed by the bytes' hash (None: always convert); `limits` bound what a
    reader may do (documents.limits), and every notice, converted now or before, is held to its paragraph bounds.
    """
    if len(raw) > max_bytes:
        raise NoticeError(
            f"{name}: {len(raw) / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB a notice may be"
        )
    if not raw.strip():
        raise NoticeError(f"{name}: the file is empty (no text to read)")
    fmt = sniff(raw, name)
    if fmt in ("txt", "md") and Path(name).suffix.lower() not in REFUSED:
        return read_plain(raw, name, max_bytes, fmt, limits)
    if fmt == "ole" or (fmt == "txt" and Path(name).suffix.lower() in REFUSED):
        raise refuse_legacy(name)
    if fmt == "rtf":
        raise NoticeError(f"{name}: an RTF file; open it in Word or WPS and save it as .docx, then add that")
    if fmt == "zip":
        raise NoticeError(f"{name}: a zip archive that is neither .docx nor .xlsx; unpack it and add the notice")
    decoded = cached(cache, raw, name)
    if decoded is None:
        decoded = assemble(_READERS[fmt](raw, name, limits), name, fmt, raw)
        check_paragraphs(decoded.text, name, limits)
        store(cache, raw, decoded)
    else:
        check_paragraphs(decoded.text, name, limits)  # the limits may be lower now than when it was converted
    by_name = FORMATS.get(Path(name).suffix.lower())
    if by_name and by_name != fmt:
        mismatch = f"{name}: the file is really {fmt}, not {by_name}; read as {fmt}"
        decoded = decoded.model_copy(update={"warnings": [mismatch, *decoded.warnings]})
    return decoded


def read_notice_path(
    path: Path, max_bytes: int = MAX_NOTICE_BYTES, cache: Path | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> DecodedNotice:
    """Read and decode one notice file of any supported format; every failure is a NoticeError naming it."""
    return read_notice_bytes(read_bounded(path, max_bytes), path.name, max_bytes, cache, limits)
