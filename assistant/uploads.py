"""Adding a notice while the app runs: one upload at a time, saved all or nothing, indexed, then swapped in.

The upload is generic over the file's bytes and name: the bytes are read by the one decoding function the loader
uses too (documents.loading.decode_notice), and the very bytes are saved, so the notice read at the next start is
the notice indexed now.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from documents.errors import NoticeError
from documents.files import name_taken, sweep_partial_writes, write_new_file
from documents.loading import decode_notice, doc_id_for

if TYPE_CHECKING:
    from assistant.core import Assistant

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(folder: Path) -> threading.Lock:
    """One lock per documents folder, shared by every Assistant of this process that serves it."""
    key = folder.resolve()
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def add_notice(assistant: Assistant, name: str, raw: bytes) -> str:
    """Check, save, index and swap in one uploaded notice, all under the folder's lock; returns a message.

    A refused file (not readable as a notice, too large, empty, a duplicate, a name in use) raises NoticeError and
    changes nothing. If indexing fails the saved file is removed again.
    """
    settings = assistant.settings
    folder = Path(settings.documents)
    with _lock_for(folder):
        doc_id = doc_id_for(Path(name or "notice.txt"))
        filename = f"{doc_id}.txt"
        decoded = decode_notice(raw, name or "upload", settings.max_notice_bytes)
        same = next((n for n in assistant.notices if n.sha256 == decoded.sha256), None)
        if same is not None:
            raise NoticeError(f"{filename}: the same text as the notice {same.doc_id} already loaded")
        clash = name_taken(folder, doc_id)
        if clash is not None or any(n.doc_id == doc_id for n in assistant.notices):
            raise NoticeError(f"{filename}: a notice named {doc_id} already exists; rename the file")
        sweep_partial_writes(folder)
        try:
            saved = write_new_file(folder, filename, raw)
        except FileExistsError:
            raise NoticeError(f"{filename}: a notice named {doc_id} already exists") from None
        except OSError as exc:
            raise NoticeError(f"{filename}: could not be saved ({exc.strerror or exc})") from None
        try:
            fresh = type(assistant).load(settings, progress=None)
        except BaseException:
            saved.unlink(missing_ok=True)
            raise
        notice = next((n for n in fresh.notices if n.doc_id == doc_id), None)
        if notice is None:  # the loader skipped it after all: say why, and leave the folder as it was
            saved.unlink(missing_ok=True)
            problem = next((p for p in fresh.corpus.problems if filename in p), "it could not be read")
            raise NoticeError(f"{filename}: not added: {problem}")
        assistant.adopt(fresh)
    return f"added {notice.doc_id}: {notice.title} ({len(notice.paragraphs)} paragraphs)"
