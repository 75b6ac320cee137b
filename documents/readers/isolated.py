"""Read an uploaded file in a child process that cannot take the server down, whatever the file holds.

The budgets (documents.limits) stop every bomb known; this stops the ones not yet imagined. The child is a
fresh interpreter (started like `spawn` does, but without re-running the server's main module) that imports
only the readers: a child forked from the server would inherit its model, index and OpenMP threads. It limits
its own address space (RLIMIT_AS) before it reads, and is killed at a time limit. Each child reads one file and
exits; one spare is kept started, its readers imported, for the next. The reply comes back as JSON, so that
nothing a file made the child do can run code in the server. The child may read the notice's facts too (the
slowest part of taking a notice in, and the one whose time grows fastest with a dense paragraph), into the
cache the server then reads them from.

    decoded = read_isolated(raw, name, max_bytes, limits, seconds=60, memory_mb=1024)   # or NoticeError
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pickle
import select
import subprocess
import sys
import threading
from pathlib import Path
from typing import NamedTuple

from documents.errors import NoticeError
from documents.limits import SETTING_PREFIX, ReadLimits
from documents.readers.result import DecodedNotice

_MODULES = ("pdfplumber", "openpyxl", "docx", "trafilatura", "lxml.etree")  # what the readers import when used
_READY = b"\x00"  # the child's first byte: its readers are imported, the clock may start
_STARTUP_SECONDS = 120.0  # a fresh interpreter importing the readers: seconds on a loaded machine
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the `documents` package


def _out_of_memory(exc: BaseException, limit: int) -> bool:
    """Whether a failure came from running out of memory: a MemoryError somewhere in it (readers wrap what a
    library raised), or a peak address space at the limit (libxml2 reports a failed allocation as 'unknown
    error')."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MemoryError):
            return True
        seen = seen.__cause__ or seen.__context__
    with contextlib.suppress(OSError, ValueError):
        status = Path("/proc/self/status").read_text()
        peak = next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmPeak:"))
        return peak > 0.9 * limit
    return False


def child_main() -> None:
    """In the child: limit memory, import the readers, read the one file sent on stdin, reply on stdout."""
    import resource

    memory, setup = int(sys.argv[1]), json.loads(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a library that prints must not corrupt the reply
    if setup:  # the caller's preparation (its word segmenter's tables), by name: this layer knows no other
        module, function, argument = setup
        getattr(importlib.import_module(module), function)(Path(argument))
    from documents.library import profile_and_facts
    from documents.places import place_names
    from documents.readers import read_notice_bytes

    for module in _MODULES:  # imported now, while waiting, so that a job only reads
        with contextlib.suppress(ImportError):
            __import__(module)
    place_names("全县通报")  # loads the word segmenter's tables the fact reader uses
    out.write(_READY)
    out.flush()
    try:
        raw, name, max_bytes, limits, facts = pickle.loads(sys.stdin.buffer.read())
    except (EOFError, pickle.UnpicklingError, ValueError):  # the server is gone, or stopped this spare
        return
    try:
        decoded = read_notice_bytes(raw, name, max_bytes, None, limits)
        if facts is not None:  # read them here too, into the cache the server reads them from
            doc_id, path, sidecar, cache = facts
            profile_and_facts(decoded.to_notice(doc_id, path), sidecar, Path(cache))
        reply = {"kind": "ok", "decoded": decoded.model_dump()}
    except NoticeError as exc:
        reply = {"kind": "memory"} if _out_of_memory(exc, memory) else {"kind": "refused", "message": str(exc)}
    except MemoryError:
        reply = {"kind": "memory"}
    except Exception as exc:  # noqa: BLE001 - any failure of a reader is a refusal of this file
        failed = {"kind": "error", "message": f"{type(exc).__name__}: {exc}"}
        reply = {"kind": "memory"} if _out_of_memory(exc, memory) else failed
    with contextlib.suppress(MemoryError, OSError):
        out.write(json.dumps(reply, ensure_ascii=False).encode("utf-8"))


class FactsJob(NamedTuple):
    """What the child needs to read a notice's facts too: its id and path, its sidecar, the facts cache."""

    doc_id: str
    path: str
    sidecar: dict[str, object] | None
    cache: str


Setup = tuple[str, str, str]  # (module, function, argument): called as function(Path(argument)) in the child
_spare: tuple[tuple[int, Setup | None], subprocess.Popen] | None = None
_spare_lock = threading.Lock()


def _start(memory_bytes: int, setup: Setup | None) -> subprocess.Popen:
    command = [sys.executable, "-c", "from documents.readers.isolated import child_main; child_main()"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([_ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.Popen(
        [*command, str(memory_bytes), json.dumps(setup)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=_ROOT,
        close_fds=True,
    )


def _take(memory_bytes: int, setup: Setup | None) -> subprocess.Popen:
    """The spare reader if it fits (started now if not), and a new spare started for the next file."""
    global _spare
    key = (memory_bytes, setup)
    with _spare_lock:
        spare, _spare = _spare, None
        if spare is not None and (spare[0] != key or spare[1].poll() is not None):
            _stop(spare[1])
            spare = None
        reader = spare[1] if spare is not None else _start(memory_bytes, setup)
        _spare = (key, _start(memory_bytes, setup))
    return reader


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, OSError, ValueError):
        process.communicate(timeout=10)


def _refusal(name: str, found: str, limit: str, setting: str) -> NoticeError:
    return NoticeError(f"{name}: {found}; the limit is {limit} ({SETTING_PREFIX}{setting})")


def read_isolated(
    raw: bytes,
    name: str,
    max_bytes: int,
    limits: ReadLimits,
    seconds: float,
    memory_mb: int,
    facts: FactsJob | None = None,
    setup: Setup | None = None,
) -> DecodedNotice:
    """`read_notice_bytes` in a child process of at most `memory_mb` MiB, stopped after `seconds`; every failure,
    the child's included, is a NoticeError naming the file. With `facts`, the child also reads the notice's
    profile and facts into the facts cache (documents.library.profile_and_facts), within the same limits;
    `setup` names a function the child calls first (the server's faster word-segmenter tables)."""
    process = _take(memory_mb * 1024 * 1024, setup)
    job = pickle.dumps((raw, name, max_bytes, limits, facts))
    ready, _, _ = select.select([process.stdout], [], [], _STARTUP_SECONDS)
    if not ready or os.read(process.stdout.fileno(), 1) != _READY:
        _stop(process)
        raise NoticeError(f"{name}: the reader could not start (is the machine out of memory?); try again")
    try:
        out, err = process.communicate(job, timeout=seconds)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise _refusal(name, f"reading it took longer than {seconds:g} s", f"{seconds:g} s", "READ_SECONDS") from None
    try:
        reply = json.loads(out.decode("utf-8")) if out else {"kind": "died"}
    except ValueError:
        reply = {"kind": "died"}
    if reply["kind"] == "ok":
        return DecodedNotice.model_validate(reply["decoded"])
    if reply["kind"] == "refused":
        raise NoticeError(reply["message"])
    if reply["kind"] == "memory" or b"MemoryError" in err[-2000:] or process.returncode == -9:
        found = f"reading it needed more than {memory_mb:,} MiB of memory"
        raise _refusal(name, found, f"{memory_mb:,} MiB", "READ_MEMORY_MB")
    if process.returncode is not None and process.returncode < 0:  # a crash: most often an allocation that failed
        found = f"the reader crashed (signal {-process.returncode}), most often from reaching its memory limit"
        raise _refusal(name, found, f"{memory_mb:,} MiB", "READ_MEMORY_MB")
    detail = reply.get("message") or f"it stopped with code {process.returncode}"
    raise NoticeError(f"{name}: not a readable notice (the reader failed: {detail})")


def stop_spare() -> None:
    """Stop the spare reader (at shutdown, or in tests)."""
    global _spare
    with _spare_lock:
        spare, _spare = _spare, None
    if spare is not None:
        _stop(spare[1])
