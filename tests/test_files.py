"""Writes of files added to a documents folder (pure, no model): all or nothing, never over an existing file or
through a link, and leftovers of killed writes swept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from documents.files import name_taken, sweep_partial_writes, write_new_file


def test_a_new_file_is_written_whole_and_never_over_anything(tmp_path: Path) -> None:
    written = write_new_file(tmp_path, "a.txt", b"first")
    assert written.read_bytes() == b"first"
    with pytest.raises(FileExistsError):
        write_new_file(tmp_path, "a.txt", b"second")
    assert written.read_bytes() == b"first"
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "elsewhere" / "target.txt")
    with pytest.raises(FileExistsError):
        write_new_file(tmp_path, "dangling.txt", b"through the link")
    assert not (tmp_path / "elsewhere").exists()
    assert name_taken(tmp_path, "dangling") == tmp_path / "dangling.txt" and name_taken(tmp_path, "b") is None
    with pytest.raises(ValueError):
        write_new_file(tmp_path, "../up.txt", b"x")
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "dangling.txt"]  # no temporary file left behind


def test_leftovers_of_killed_writes_are_swept_but_not_those_of_live_ones(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".partial-{dead.stdout.strip()}-0123abcd.tmp"
    live = tmp_path / f".partial-{os.getppid()}-89abcdef.tmp"
    stale.write_bytes(b"half")
    live.write_bytes(b"in progress")
    assert sweep_partial_writes(tmp_path) == [stale]
    assert live.exists() and not stale.exists()
