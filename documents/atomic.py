"""Every write that another process may read, all or nothing, and one lock that holds across processes.

A file or folder is built under a temporary sibling name, `<name>.tmp-<pid>-<token>` (with a leading '.' for a
file, so that no folder scan takes it for a notice), flushed to disk, then renamed into place. A folder that
replaces another moves the old one aside first and puts it back if the rename fails, under a lock, so two
writers never interleave their swaps. A process killed mid-write leaves only its temporary sibling, which
`sweep` removes once that process is gone.

    write_file(path, data)                    # replace whatever is there, atomically
    write_file(path, data, replace=False)     # FileExistsError if anything (even a dangling link) has the name
    with replacing_file(path) as tmp: ...     # a writer that needs a path of its own (SQLite)
    with replacing_folder(path) as tmp: ...   # fill the folder `tmp`; it becomes `path` when the block ends
    with lock_for(path): ...                  # one holder at a time, across threads and processes (filelock)
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock

LOCKS = Path(tempfile.gettempdir()) / f"tongbao-locks-{os.getuid()}"  # one file per locked path
_LEFTOVER = re.compile(r"^\.?(?P<name>.+)\.(?:tmp|old)-(?P<pid>\d+)(?:-[0-9a-f]+)?$")


def _sibling(target: Path, kind: str, hidden: bool) -> Path:
    dot = "." if hidden and not target.name.startswith(".") else ""
    return target.with_name(f"{dot}{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(6)}")


def _fsync_folder(folder: Path) -> None:
    """Make a new directory entry durable too (not possible everywhere; the data itself is safe then)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(handle)
    os.close(handle)


def _fsync_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError), open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _link_into_place(tmp: Path, target: Path) -> None:
    """Give `tmp` the name `target` without ever replacing anything there (a file, a folder, a dangling link)."""
    try:
        os.link(tmp, target, follow_symlinks=False)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "already exists", str(target)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
            raise
        if os.path.lexists(target):  # a file system without hard links: check, then rename
            raise FileExistsError(errno.EEXIST, "already exists", str(target)) from None
        os.rename(tmp, target)


def _commit(tmp: Path, target: Path, replace: bool) -> None:
    if replace:
        os.replace(tmp, target)
    else:
        _link_into_place(tmp, target)


@contextlib.contextmanager
def replacing_file(target: Path, replace: bool = True) -> Iterator[Path]:
    """A temporary path beside `target` to write; when the block ends it becomes `target` (an error: nothing
    changes). `replace=False` never overwrites: FileExistsError if the name is taken, even by a dangling link."""
    if not replace and os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "already exists", str(target))
    tmp = _sibling(target, "tmp", hidden=True)
    try:
        yield tmp
        _fsync_file(tmp)
        _commit(tmp, target, replace)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _fsync_folder(target.parent)


def write_file(target: Path, data: bytes | str, replace: bool = True) -> Path:
    """Write `data` (str as UTF-8) as `target`, all or nothing; see `replacing_file` for `replace`.

    The temporary file is created exclusively and never through a link, so nothing outside is written.
    """
    if not replace and os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "already exists", str(target))
    tmp = _sibling(target, "tmp", hidden=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        with os.fdopen(os.open(tmp, flags, 0o644), "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        _commit(tmp, target, replace)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _fsync_folder(target.parent)
    return target


@contextlib.contextmanager
def replacing_folder(target: Path) -> Iterator[Path]:
    """A new empty folder beside `target` to fill; when the block ends it replaces `target` whole (the previous
    one is put back if the swap fails). An error in the block leaves `target` as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep(target.parent, target.name)
    tmp = _sibling(target, "tmp", hidden=False)
    tmp.mkdir()
    try:
        yield tmp
        for path in tmp.rglob("*"):
            if path.is_file():
                _fsync_file(path)
        with lock_for(target):
            old = _sibling(target, "old", hidden=False)
            if os.path.lexists(target):
                target.rename(old)
            try:
                tmp.rename(target)
            except OSError:
                if os.path.lexists(old):
                    old.rename(target)  # put the previous one back rather than leave none
                raise
            _fsync_folder(target.parent)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _gone(pid: int) -> bool:
    return pid != os.getpid() and not Path(f"/proc/{pid}").exists()


def sweep(folder: Path, name: str | None = None) -> list[Path]:
    """Remove temporary siblings (of `name` only, if given) whose writing process is gone; returns them.

    A name without a token (`<name>.tmp-<pid>`) is an older writer's and is removed even with this pid."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            found = _LEFTOVER.match(entry.name)
            if not found or (name is not None and found["name"] != name):
                continue
            pid, tokened = int(found["pid"]), entry.name != f"{found['name']}.tmp-{found['pid']}"
            if _gone(pid) or (not tokened and pid == os.getpid()):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed


def lock_for(path: Path, timeout: float = -1) -> FileLock:
    """The one lock of `path` (a file or folder, there or not): one holder at a time across threads and processes,
    freed by the kernel if its holder dies; after `timeout` seconds, TimeoutError. Its file is kept in a folder of
    this user's locks, keyed by the resolved path, so that no lock file appears beside what it guards."""
    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    LOCKS.mkdir(mode=0o700, parents=True, exist_ok=True)
    return FileLock(LOCKS / f"{key}.lock", timeout=timeout)
