"""One way to write and lock (documents.atomic): whole files and folders or nothing, one holder across processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from documents.atomic import lock_for, replacing_file, replacing_folder, sweep, write_file

ROOT = Path(__file__).resolve().parents[1]


def test_a_file_is_replaced_whole_or_written_new_never_over_anything(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_file(target, "first")
    write_file(target, b"second")
    assert target.read_text() == "second"
    with pytest.raises(FileExistsError):
        write_file(target, b"third", replace=False)
    (tmp_path / "link.txt").symlink_to(tmp_path / "nowhere" / "x.txt")
    with pytest.raises(FileExistsError):
        write_file(tmp_path / "link.txt", b"through", replace=False)
    assert target.read_text() == "second" and sorted(os.listdir(tmp_path)) == ["a.json", "link.txt"]


def test_a_failed_write_leaves_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "db.sqlite"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing_file(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk on fire")
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), replacing_folder(folder) as tmp:
        (tmp / "new.txt").write_text("half")
        raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old" and sorted(os.listdir(folder)) == ["old.txt"]
    assert sorted(os.listdir(tmp_path)) == ["db.sqlite", "index"]
    with replacing_folder(folder) as tmp:
        (tmp / "new.txt").write_text("new")
    assert sorted(os.listdir(folder)) == ["new.txt"] and sorted(os.listdir(tmp_path)) == ["db.sqlite", "index"]


def test_leftovers_of_dead_writers_are_swept_and_those_of_live_ones_kept(tmp_path: Path) -> None:
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True).stdout)
    stale_file, stale_folder = tmp_path / f".a.txt.tmp-{dead}-00ff", tmp_path / f"index.old-{dead}-00ff"
    live = tmp_path / f".b.txt.tmp-{os.getppid()}-00ff"
    mine = tmp_path / f"index.tmp-{os.getpid()}-00ff"  # this process may be writing it right now
    for path in (stale_file, live):
        path.write_bytes(b"x")
    for path in (stale_folder, mine):
        path.mkdir()
    assert sorted(sweep(tmp_path)) == sorted([stale_file, stale_folder])
    assert live.exists() and mine.exists()


_HOLD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from documents.atomic import lock_for
    with lock_for(Path({path!r})):
        print("held", flush=True)
        time.sleep(2)
    """
)


def test_one_lock_holds_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "documents"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD.format(root=str(ROOT), path=str(path))], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(TimeoutError), lock_for(path, timeout=0.1):
            pass
        with lock_for(path, timeout=60):  # free once the other process lets go
            pass
    finally:
        holder.kill()
        holder.wait()
    assert not path.exists()  # nothing is written beside what the lock guards
