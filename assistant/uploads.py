"""Adding a notice while the app runs, without ever blocking the service or losing anything.

1. read: the bytes are read by the one reader the loader uses (documents.readers), and its facts are read, in a
   child process with a memory and a time limit (documents.readers.isolated), held to the reader limits; no
   lock is held;
2. save, under the documents folder's lock (one holder across processes): the name and text are checked against
   the notices served and those being added, and the very bytes are written all or nothing;
3. embed, with no lock held: the new notice's facts and vectors, the slow part, with progress shown
   (`in_progress`) while the index in use keeps answering;
4. swap, under the lock again: the index is rebuilt from the saved vectors plus the new ones (nothing embedded)
   and swapped in at once. A failure after step 2 removes the saved files again.
"""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.settings import Settings
from documents.atomic import lock_for
from documents.errors import NoticeError
from documents.files import name_taken, notice_name, sweep_partial_writes, write_new_file
from documents.library import Library
from documents.loading import text_fingerprint
from documents.models import Notice
from documents.profile import SIDECAR_SUFFIX
from documents.readers.isolated import FactsJob, read_isolated
from documents.reporting import read_period
from documents.sidecar import sidecar_text
from index.embedder import Encoder
from index.store import embed_new, reusable_vectors


class Receiver(Protocol):
    """What an upload needs of the assistant it joins (assistant.core.Assistant is one)."""

    settings: Settings
    encoder: Encoder

    @property
    def notices(self) -> list[Notice]: ...

    def include(self, notice: Notice, vectors: dict[str, np.ndarray]) -> None: ...


_guard = threading.Lock()
_adding: dict[Path, dict[str, dict[str, object]]] = {}  # folder → file name → what is being done to it


def in_progress(folder: Path) -> list[dict[str, object]]:
    """The uploads being added to `folder` now: file name, stage (reading, saving, embedding, indexing), texts
    embedded of how many, and seconds since it started; for /api/health and the page's upload box."""
    now = time.monotonic()
    shown = ("name", "stage", "done", "total")  # not the text's fingerprint
    with _guard:
        rows = list(_adding.get(folder.resolve(), {}).values())
        return [{**{k: row[k] for k in shown if k in row}, "seconds": round(now - row["started"], 1)} for row in rows]


def _track(folder: Path, upload: str, **state: object) -> None:
    """Record what is being done to one upload (`upload`: its own key, as two may carry one name)."""
    with _guard:
        rows = _adding.setdefault(folder.resolve(), {})
        rows.setdefault(upload, {"started": time.monotonic()}).update(state)


def _untrack(folder: Path, upload: str) -> None:
    with _guard:
        _adding.get(folder.resolve(), {}).pop(upload, None)


def _profile_fields(profile: dict[str, str], filename: str) -> dict[str, str]:
    """The uploader's place, year and period as sidecar fields (NoticeError for a value not understood)."""
    fields = {}
    for key in ("place", "year", "period"):
        value = profile.get(key, "").strip()
        if value:
            if key == "year" and not (value.isdigit() and len(value) == 4):
                raise NoticeError(f"year {value!r} is not a year like 2023")
            if key == "period" and read_period(value) is None:
                raise NoticeError(f"period {value!r} is not one of 一季度, 上半年, 1-11月, 全年 …")
            fields[key] = value
    sidecar_text(fields, filename)  # refuses control characters before anything is read or written
    return fields


def _profile_lines(profile: dict[str, str]) -> list[str]:
    """The sidecar's lines for a profile (kept for tests of the format)."""
    return sidecar_text(_profile_fields(profile, "profile"), "profile").splitlines()


def _check_new(assistant: Receiver, folder: Path, doc_id: str, filename: str, fingerprint: str) -> None:
    """NoticeError if the text is a notice served or being added, or the name is taken (in the folder too)."""
    same = next((n.doc_id for n in assistant.notices if text_fingerprint(n.text) == fingerprint), None)
    with _guard:
        adding = _adding.get(folder.resolve(), {})
        same = same or next((str(r["doc_id"]) for r in adding.values() if r.get("fingerprint") == fingerprint), None)
        taken = any(r.get("doc_id") == doc_id for r in adding.values())
    if same is not None:
        raise NoticeError(f"{filename}: the same text as the notice {same} already loaded")
    if taken or name_taken(folder, doc_id) is not None or any(n.doc_id == doc_id for n in assistant.notices):
        raise NoticeError(f"{filename}: a notice named {doc_id} already exists; rename the file")


def add_notice(assistant: Receiver, name: str, raw: bytes, profile: dict[str, str] | None = None) -> str:
    """Read, check, save, embed and swap in one uploaded notice (see the module's steps); returns a message.

    A refused file (bad name, not readable as a notice, past a limit, empty, a duplicate, a name in use) raises
    NoticeError and changes nothing.
    """
    settings = assistant.settings
    folder = Path(settings.documents)
    chosen = notice_name(name)
    fields = _profile_fields(profile or {}, chosen.filename)
    saved: list[Path] = []
    upload = secrets.token_hex(8)
    try:
        _track(folder, upload, name=chosen.filename, stage="reading")
        path, facts_cache = folder / chosen.filename, settings.cache_dir / "facts"
        job = FactsJob(chosen.doc_id, str(path), dict(fields) or None, str(facts_cache))
        limits = settings.read_limits
        seconds, memory = settings.read_seconds, settings.read_memory_mb
        setup = ("index.text", "use_cache_dir", str(settings.cache_dir))  # jieba's tables as the server reads them
        decoded = read_isolated(raw, chosen.filename, settings.max_notice_bytes, limits, seconds, memory, job, setup)
        notice = decoded.to_notice(chosen.doc_id, path=str(path))
        fingerprint = text_fingerprint(decoded.text)
        with lock_for(folder):
            _check_new(assistant, folder, chosen.doc_id, chosen.filename, fingerprint)
            _track(folder, upload, stage="saving", doc_id=chosen.doc_id, fingerprint=fingerprint)
            sweep_partial_writes(folder)
            try:
                saved.append(write_new_file(folder, chosen.filename, raw))
                if fields:  # the notice's profile, as the uploader gave it: a sidecar the loader reads
                    text = sidecar_text(fields, chosen.filename).encode()
                    saved.append(write_new_file(folder, f"{chosen.doc_id}{SIDECAR_SUFFIX}", text))
            except FileExistsError:
                raise NoticeError(f"{chosen.filename}: a notice named {chosen.doc_id} already exists") from None
            except OSError as exc:
                raise NoticeError(f"{chosen.filename}: could not be saved ({exc.strerror or exc})") from None
        vectors = _prepare(assistant, notice, folder, upload)
        _track(folder, upload, stage="indexing")
        with lock_for(folder):
            assistant.include(notice, vectors)
    except BaseException:
        for written in reversed(saved):
            written.unlink(missing_ok=True)
        raise
    finally:
        _untrack(folder, upload)
    return f"added {notice.doc_id}: {notice.title} ({len(notice.paragraphs)} paragraphs)"


def _prepare(assistant: Receiver, notice: Notice, folder: Path, upload: str) -> dict[str, np.ndarray]:
    """The slow part, with no lock held: the notice's facts (read by its reader's child into their cache, so
    found there) and the vectors of its texts."""
    settings = assistant.settings
    library = Library.of([notice], cache=settings.cache_dir / "facts")
    if library.problems:
        raise NoticeError(f"{Path(notice.path).name}: not added: {library.problems[0]}")

    def progress(done: int, total: int) -> None:
        _track(folder, upload, stage="embedding", done=done, total=total)

    progress(0, 0)
    known = reusable_vectors(settings.index_dir, assistant.encoder.model_id)
    return embed_new([notice], assistant.encoder, known, progress)
