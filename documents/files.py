"""Names and writes for files added to a documents folder: a sanitised notice name, an all-or-nothing write.

Pure of any model or index: `assistant.uploads` decides when to call these (under its lock).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from documents.atomic import sweep, write_file
from documents.errors import NoticeError
from documents.loading import NOTICE_SUFFIXES, safe_id
from documents.readers.legacy import LEGACY_SUFFIXES, refuse_legacy

MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 240  # a file name may be at most 255 bytes on Linux file systems; CJK takes 3 bytes a character
_UNSAFE_CHARACTER = re.compile(r"[/\\\x00-\x1f\x7f]")


@dataclass(frozen=True)
class NoticeName:
    doc_id: str  # what the loader calls the saved file: doc_id_for(Path(filename)) == doc_id
    filename: str  # the name it is saved under in the documents folder


def notice_name(name: object) -> NoticeName:
    """The notice id and file name for an uploaded file's name, or NoticeError saying why the name is refused.

    NFKC-normalised; a plain name (no folders, no control characters), not hidden, at most MAX_NAME_CHARS
    characters, with a suffix the loader reads.
    """
    if not isinstance(name, str) or not name.strip():
        raise NoticeError("the file has no name; give it one such as notice.txt")
    plain = unicodedata.normalize("NFKC", name).strip()
    shown = plain[:60] + ("…" if len(plain) > 60 else "")
    if _UNSAFE_CHARACTER.search(plain):
        raise NoticeError(f"{shown!r}: give a plain file name, without folders or control characters")
    if plain.startswith("."):
        raise NoticeError(f"{shown!r}: a hidden file name (starting with '.') is not accepted")
    if len(plain) > MAX_NAME_CHARS or len(plain.encode("utf-8")) > MAX_NAME_BYTES:
        raise NoticeError(f"{shown!r}: the file name is too long (at most {MAX_NAME_CHARS} characters)")
    suffix = Path(plain).suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        raise refuse_legacy(shown)
    if suffix not in NOTICE_SUFFIXES:
        accepted = ", ".join(NOTICE_SUFFIXES)
        raise NoticeError(f"{shown!r}: not a notice file this version reads (accepted: {accepted})")
    doc_id = safe_id(Path(plain).stem)
    if not doc_id or doc_id.startswith("."):
        raise NoticeError(f"{shown!r}: the name has no usable characters before {suffix}")
    return NoticeName(doc_id=doc_id, filename=doc_id + suffix)


def name_taken(folder: Path, doc_id: str) -> Path | None:
    """An entry of the folder (file, folder or link, even a dangling one) that a notice `doc_id` would clash with."""
    for suffix in NOTICE_SUFFIXES:
        path = folder / f"{doc_id}{suffix}"
        if os.path.lexists(path):
            return path
    return None


def write_new_file(folder: Path, filename: str, data: bytes) -> Path:
    """Write `data` as folder/filename, all or nothing: FileExistsError if anything has that name already.

    The bytes go to a hidden temporary file in the same folder, are fsynced, then hard-linked into place
    (documents.atomic), which never overwrites and never follows a link; a crash leaves no file or the whole one.
    """
    if Path(filename).name != filename or filename in ("", ".", ".."):
        raise ValueError(f"not a plain file name: {filename!r}")
    return write_file(folder / filename, data, replace=False)


def sweep_partial_writes(folder: Path) -> list[Path]:
    """Remove the temporary files of writes whose process is gone (killed mid-write); returns what was removed."""
    return sweep(folder)
