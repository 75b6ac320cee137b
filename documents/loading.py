"""Read notice files safely: size and binary checks, UTF-8/BOM/GBK decoding, line-ending normalisation."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from documents.errors import NoticeError

MAX_NOTICE_BYTES = 5 * 1024 * 1024  # a long notice is ~100 kB; 5 MB is far past any real one
# what an upload accepts: decode_notice reads text only. A documents folder is read by documents.readers, which
# takes every format (documents.readers.NOTICE_SUFFIXES); uploads accept them once they call read_notice_bytes.
NOTICE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".xlsx")  # = documents.readers.FORMATS
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DecodedText:
    text: str
    sha256: str
    encoding: str
    warnings: tuple[str, ...]


def decode_notice(raw: bytes, name: str, max_bytes: int = MAX_NOTICE_BYTES) -> DecodedText:
    """Turn a notice's bytes into text, or raise NoticeError naming the file and what is wrong."""
    if len(raw) > max_bytes:
        raise NoticeError(
            f"{name}: {len(raw) / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB a notice may be"
        )
    if b"\x00" in raw[:65536]:
        raise NoticeError(f"{name}: looks like a binary file (it contains NUL bytes), not a text notice")
    warnings: list[str] = []
    encoding = "utf-8"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
            encoding = "gb18030"
            warnings.append(f"{name}: not UTF-8; decoded as GBK/GB18030")
        except UnicodeDecodeError as exc:
            raise NoticeError(f"{name}: neither UTF-8 nor GBK text ({exc.reason} at byte {exc.start})") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        warnings.append(f"{name}: UTF-8 byte-order mark removed")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        warnings.append(f"{name}: CR/CRLF line endings normalised to LF")
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise NoticeError(f"{name}: too many control characters for a text notice (binary file?)")
    if not text.strip():
        raise NoticeError(f"{name}: the file is empty (no text to read)")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return DecodedText(text=text, sha256=sha, encoding=encoding, warnings=tuple(warnings))


def read_bounded(path: Path, max_bytes: int = MAX_NOTICE_BYTES) -> bytes:
    """The bytes of one notice file, refused before reading when over the limit; failures are NoticeErrors."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise NoticeError(
                f"{path.name}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB a notice may be"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise NoticeError(f"{path}: file not found (was it moved or deleted?)") from None
    except IsADirectoryError:
        raise NoticeError(f"{path}: is a folder, not a notice file") from None
    except PermissionError:
        raise NoticeError(f"{path}: permission denied") from None


def read_notice_file(path: Path, max_bytes: int = MAX_NOTICE_BYTES) -> DecodedText:
    """Read and decode one text notice file; every failure becomes a NoticeError naming it."""
    return decode_notice(read_bounded(path, max_bytes), path.name, max_bytes)


def text_fingerprint(text: str) -> str:
    """What two copies of a notice share even if re-saved or read from another format: sha256 of the NFKC text
    without whitespace (a web page's 文  号 : 无 and the .txt's 文号: 无 are one notice)."""
    normal = "".join(unicodedata.normalize("NFKC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def safe_id(stem: str) -> str:
    """`stem` (NFKC-normalised) reduced to characters safe in ids and URLs; "" when none is left."""
    return re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFKC", stem)).strip("-")


def doc_id_for(path: Path) -> str:
    """A notice's id: its file stem, reduced to characters safe in ids and URLs."""
    return safe_id(path.stem) or "notice"
