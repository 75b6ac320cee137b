"""Conversions cached by the file's content hash, so a large PDF is converted once, not at every start."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from pydantic import ValidationError

from documents.atomic import write_file
from documents.readers.result import DecodedNotice

READERS_VERSION = "2"  # bump when a reader's output changes, so stale conversions are not reused


def _path(folder: Path, raw: bytes) -> Path:
    return folder / f"{hashlib.sha256(raw).hexdigest()}-v{READERS_VERSION}.json"


def cached(folder: Path | None, raw: bytes, name: str) -> DecodedNotice | None:
    """The earlier conversion of these bytes, or None (no cache, not seen, or an unreadable cache file)."""
    if folder is None:
        return None
    try:
        decoded = DecodedNotice.model_validate_json(_path(folder, raw).read_bytes())
    except (OSError, ValidationError, ValueError):
        return None
    return decoded.renamed(name)


def store(folder: Path | None, raw: bytes, decoded: DecodedNotice) -> None:
    """Keep a conversion (documents.atomic: written whole); a cache that cannot be written is skipped."""
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_file(_path(folder, raw), decoded.model_dump_json())
