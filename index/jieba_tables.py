"""jieba's two dictionaries looked up in SQLite on demand, instead of rebuilt in memory at every start.

At start jieba loads a prefix dictionary of 600,000 entries (1.4 s from its own marshal cache on this 2-core
machine) and `import jieba.posseg` parses dict.txt into a word → part-of-speech table (0.7 s): more than half of
a 3 s cold start, for the few hundred entries a question looks at. `use_tables(folder)` writes both tables once
into `folder/jieba.sqlite` with jieba's own code, then gives jieba memoising lookups into it. The entries are
jieba's, so segmentation and tags are exactly jieba's (tests/test_fast_start.py compares with stock jieba).

Importing this module imports jieba.posseg without its tag table (when no one imported it before); the table
comes from SQLite once `use_tables` runs, or else from dict.txt on first use, as stock jieba would read it.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import jieba

from documents.atomic import replacing_file

TABLES_FILE = "jieba.sqlite"
TABLES_VERSION = "jieba-0.42.1-1"
MEMO_LIMIT = 200_000  # memoised lookups kept per table; a long-running server clears and starts again


class LazyTable:
    """The read side of a dict, answered from SQLite and memoised; writes (jieba.add_word) stay in memory."""

    def __init__(self, path: Path | None, column: str, fallback: Callable[[], dict] | None = None) -> None:
        self._path, self._column, self._fallback = path, column, fallback
        self._memo: dict[str, object] = {}
        self._loaded: dict | None = None  # the whole table, when there is no SQLite file to read from
        self._local = threading.local()
        self._lock = threading.Lock()

    def _fetch(self, key: str) -> object:
        if self._path is None:
            if self._loaded is None:
                with self._lock:
                    if self._loaded is None and self._fallback is not None:
                        self._loaded = self._fallback()
            return (self._loaded or {}).get(key)
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():  # a connection must not cross fork()
            db = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db, self._local.pid = db, os.getpid()
        row = db.execute(f"SELECT {self._column} FROM entries WHERE word = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def _value(self, key: str) -> object:
        try:
            return self._memo[key]
        except KeyError:
            pass
        value = self._fetch(key)
        if len(self._memo) > MEMO_LIMIT:
            self._memo = {}
        self._memo[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._value(key) is not None

    def __getitem__(self, key: str) -> object:
        value = self._value(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: object = None) -> object:
        value = self._value(key)
        return default if value is None else value

    def __setitem__(self, key: str, value: object) -> None:
        self._memo[key] = value  # jieba.add_word / suggest_freq: in memory, as stock jieba keeps them

    def update(self, other: dict) -> None:
        for key, value in other.items():
            self[key] = value


def _stock_tags() -> dict[str, str]:
    """posseg's table as jieba.posseg reads it (last line wins)."""
    tags: dict[str, str] = {}
    with jieba.dt.get_dict_file() as handle:
        for line in handle:
            parts = line.strip().decode("utf-8").split(" ")
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


def _import_posseg_without_tags() -> None:
    if "jieba.posseg" in sys.modules:
        return
    jieba.dt.get_dict_file = lambda: io.BytesIO(b"")  # posseg's import reads the tags from this: give it none
    try:
        import jieba.posseg as posseg
    finally:
        del jieba.dt.get_dict_file
    posseg.dt.word_tag_tab = LazyTable(None, "tag", _stock_tags)


_import_posseg_without_tags()


def build_tables(path: Path) -> None:
    """Write jieba's prefix dictionary and tag table into SQLite (once, about 5 s), atomically."""
    freq, total = jieba.dt.gen_pfdict(jieba.dt.get_dict_file())
    tags = _stock_tags()
    with replacing_file(path) as tmp:
        db = sqlite3.connect(str(tmp))
        try:
            db.execute("CREATE TABLE entries (word TEXT PRIMARY KEY, freq INTEGER, tag TEXT) WITHOUT ROWID")
            rows = ((w, f, tags.get(w)) for w, f in freq.items())
            db.executemany("INSERT INTO entries VALUES (?, ?, ?)", rows)
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            db.executemany("INSERT INTO meta VALUES (?, ?)", [("total", str(total)), ("version", TABLES_VERSION)])
            db.commit()
        finally:
            db.close()


def _read_total(path: Path) -> int | None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return int(meta["total"]) if meta.get("version") == TABLES_VERSION and "total" in meta else None


_installed: list[Path] = []


def use_tables(folder: Path) -> bool:
    """Point jieba at the SQLite tables in `folder` (writing them first if needed); False leaves stock jieba."""
    import jieba.posseg as posseg

    if _installed or jieba.dt.initialized or not folder.is_dir():
        return bool(_installed)
    path = folder / TABLES_FILE
    total = _read_total(path) if path.is_file() else None
    if total is None:
        try:
            build_tables(path)
        except (OSError, sqlite3.Error):
            return False  # an unwritable cache: stock jieba, slower to start
        total = _read_total(path)
        if total is None:
            return False
    with jieba.dt.lock:
        if jieba.dt.initialized:
            return False
        jieba.dt.FREQ, jieba.dt.total = LazyTable(path, "freq"), total
        jieba.dt.initialized = True
    posseg.dt.word_tag_tab = LazyTable(path, "tag")
    _installed.append(path)
    return True
