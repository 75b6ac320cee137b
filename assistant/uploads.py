"""Adding a notice while the app runs: one upload at a time, saved all or nothing, indexed, then swapped in.

The upload is generic over the file's bytes and name: the name gives the id (documents.files.notice_name), the
bytes are read by the one reader the loader uses too (documents.readers.read_notice_bytes: every format), and the very
bytes are saved, so the notice read at the next start is the notice indexed now.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from assistant.settings import Settings
from documents.corpus import Corpus
from documents.errors import NoticeError
from documents.files import name_taken, notice_name, sweep_partial_writes, write_new_file
from documents.loading import text_fingerprint
from documents.models import Notice
from documents.profile import SIDECAR_SUFFIX
from documents.readers import read_notice_bytes
from documents.reporting import read_period


class Receiver(Protocol):
    """What an upload needs of the assistant it joins (assistant.core.Assistant is one)."""

    settings: Settings
    corpus: Corpus

    @property
    def notices(self) -> list[Notice]: ...

    def adopt(self, fresh: Receiver) -> None: ...


_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(folder: Path) -> threading.Lock:
    """One lock per documents folder, shared by every Assistant of this process that serves it."""
    key = folder.resolve()
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _profile_lines(profile: dict[str, str]) -> list[str]:
    """The uploader's place, year and period as sidecar lines (NoticeError for a year or period not understood)."""
    lines = []
    for key in ("place", "year", "period"):
        value = profile.get(key, "").strip()
        if value:
            if key == "year" and not (value.isdigit() and len(value) == 4):
                raise NoticeError(f"year {value!r} is not a year like 2023")
            if key == "period" and read_period(value) is None:
                raise NoticeError(f"period {value!r} is not one of 一季度, 上半年, 1-11月, 全年 …")
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return lines


def add_notice(
    assistant: Receiver,
    load: Callable[[], Receiver],
    name: str,
    raw: bytes,
    profile: dict[str, str] | None = None,
) -> str:
    """Check, save, index (`load`: the assistant over the folder as it now is) and swap in one uploaded notice,
    all under the folder's lock; returns a message.

    A refused file (bad name, not readable as a notice, too large, empty, a duplicate, a name in use) raises
    NoticeError and changes nothing. If indexing fails the saved file is removed again.
    """
    settings = assistant.settings
    folder = Path(settings.documents)
    with _lock_for(folder):
        chosen = notice_name(name)
        lines = _profile_lines(profile or {})
        decoded = read_notice_bytes(raw, chosen.filename, settings.max_notice_bytes, settings.conversions_dir)
        fingerprint = text_fingerprint(decoded.text)
        same = next((n for n in assistant.notices if text_fingerprint(n.text) == fingerprint), None)
        if same is not None:
            raise NoticeError(f"{chosen.filename}: the same text as the notice {same.doc_id} already loaded")
        clash = name_taken(folder, chosen.doc_id)
        if clash is not None or any(n.doc_id == chosen.doc_id for n in assistant.notices):
            raise NoticeError(f"{chosen.filename}: a notice named {chosen.doc_id} already exists; rename the file")
        sweep_partial_writes(folder)
        try:
            saved = write_new_file(folder, chosen.filename, raw)
        except FileExistsError:
            raise NoticeError(f"{chosen.filename}: a notice named {chosen.doc_id} already exists") from None
        except OSError as exc:
            raise NoticeError(f"{chosen.filename}: could not be saved ({exc.strerror or exc})") from None
        sidecar = None
        if lines:  # the notice's profile, as the uploader gave it: a sidecar the loader reads
            sidecar = write_new_file(folder, f"{chosen.doc_id}{SIDECAR_SUFFIX}", ("\n".join(lines) + "\n").encode())
        try:
            fresh = load()
        except BaseException:
            saved.unlink(missing_ok=True)
            if sidecar:
                sidecar.unlink(missing_ok=True)
            raise
        notice = next((n for n in fresh.notices if n.doc_id == chosen.doc_id), None)
        if notice is None:  # the loader skipped it after all: say why, and leave the folder as it was
            saved.unlink(missing_ok=True)
            if sidecar:
                sidecar.unlink(missing_ok=True)
            problem = next((p for p in fresh.corpus.problems if chosen.filename in p), "it could not be read")
            raise NoticeError(f"{chosen.filename}: not added: {problem}")
        assistant.adopt(fresh)
    return f"added {notice.doc_id}: {notice.title} ({len(notice.paragraphs)} paragraphs)"
