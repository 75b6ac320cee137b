"""Names and writes for files added to a documents folder (pure, no model): sanitised names, all-or-nothing
writes that never overwrite or follow a link, duplicates found on normalised text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from documents.corpus import BUNDLED_NOTICES, load_corpus
from documents.errors import NoticeError
from documents.files import name_taken, notice_name, sweep_partial_writes, write_new_file
from documents.loading import doc_id_for, text_fingerprint


@pytest.mark.parametrize(
    ("name", "doc_id", "filename"),
    [
        ("xianning-2021-q3.txt", "xianning-2021-q3", "xianning-2021-q3.txt"),
        ("咸宁 2021 三季度.txt", "咸宁-2021-三季度", "咸宁-2021-三季度.txt"),
        ("５Ｇ通报.TXT", "5G通报", "5G通报.txt"),  # NFKC: full-width letters and digits become ASCII
        ("  report.txt ", "report", "report.txt"),
        ("a" * 96 + ".txt", "a" * 96, "a" * 96 + ".txt"),
    ],
)
def test_a_name_gives_the_id_the_loader_will_give_the_saved_file(name: str, doc_id: str, filename: str) -> None:
    chosen = notice_name(name)
    assert (chosen.doc_id, chosen.filename) == (doc_id, filename)
    assert doc_id_for(Path(chosen.filename)) == chosen.doc_id


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "no name"),
        (None, "no name"),
        (".bashrc", "hidden"),
        (".notice.txt", "hidden"),
        ("-.x.txt", "no usable characters"),
        ("../notice.txt", "without folders"),
        ("/etc/notes.txt", "without folders"),
        ("a\\b.txt", "without folders"),
        ("a\x00b.txt", "control characters"),
        ("a" * 97 + ".txt", "too long"),
        ("通" * 80 + ".txt", "too long"),  # 84 characters but 244 bytes in UTF-8
        ("notice.exe", "accepted: .txt, .md, .html"),
        ("notice", "accepted: .txt"),
        ("通报.doc", "convert-to docx"),
        ("???.txt", "no usable characters"),
    ],
)
def test_a_bad_name_is_refused_with_a_message(name: object, message: str) -> None:
    with pytest.raises(NoticeError, match=message):
        notice_name(name)


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
    stale = tmp_path / f".notice.txt.tmp-{dead.stdout.strip()}-0123abcd"
    live = tmp_path / f".notice.txt.tmp-{os.getppid()}-89abcdef"
    stale.write_bytes(b"half")
    live.write_bytes(b"in progress")
    assert sweep_partial_writes(tmp_path) == [stale]
    assert live.exists() and not stale.exists()


def test_copies_differing_only_in_unicode_form_or_whitespace_are_one_notice(tmp_path: Path) -> None:
    text = (BUNDLED_NOTICES / "xianning-2021-q1.txt").read_text(encoding="utf-8")
    assert text_fingerprint(text) == text_fingerprint(text + "  \n") == text_fingerprint(text.replace("5G", "５Ｇ"))
    assert text_fingerprint(text) != text_fingerprint(text.replace("236座", "237座"))
    assert text_fingerprint("文       号 : 无\n名       称: 通报") == text_fingerprint(
        "文号: 无\n名称: 通报"
    )  # a web page's spacing
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text + " \n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [n.doc_id for n in corpus.notices] == ["a"]
    assert any("b.txt" in p and "duplicate" in p for p in corpus.problems)
