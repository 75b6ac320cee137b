"""Conversions cached by the file's content hash, so a large PDF is converted once, not at every start."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from documents.readers.result import DecodedNotice

READERS_VERSION = "1"  # bump when a reader's output changes, so stale conversions are not reused


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
    """Keep a conversion (written whole, then renamed into place); a cache that cannot be written is skipped."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(decoded.model_dump_json())
        os.replace(tmp, _path(folder, raw))
    except OSError:
        Path(tmp).unlink(missing_ok=True)
