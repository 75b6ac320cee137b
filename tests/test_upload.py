"""Adding a notice while the app runs: only the new notice is indexed; bad uploads change nothing; uploads run one
at a time, are saved all or nothing (even when the process is killed mid-write), and never write through links."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from documents.corpus import BUNDLED_NOTICES
from documents.errors import NoticeError
from tests.sandbox import ROOT, sandbox_settings

pytestmark = pytest.mark.model
OTHER = Path(__file__).parent / "data" / "other-notices"
LIYANG, QINGSHAN = OTHER / "liyang-2022-h1.txt", OTHER / "qingshan-2020-q3.txt"
Q1 = BUNDLED_NOTICES / "xianning-2021-q1.txt"
BUNDLED_IDS = {"xianning-2021-q1", "xianning-2021-h1-digest"}


def _fresh(name: str):
    """An assistant over a documents folder of its own (the bundled notices), sharing the converted model."""
    from assistant.core import Assistant

    return Assistant.load(sandbox_settings(name), progress=None)


@pytest.fixture(scope="module")
def live():
    return _fresh("upload")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary"),
        ("huge.txt", "通报\n".encode() * 2_000_000, "larger than"),
        ("again.txt", Q1.read_bytes(), "same text"),
        ("spaced.txt", Q1.read_bytes() + b" \n", "same text"),  # the notice plus trailing whitespace
        ("crlf.txt", Q1.read_bytes().replace(b"\n", b"\r\n"), "same text"),
        ("full.txt", Q1.read_bytes().replace(b"2021", "２０２１".encode()), "same text"),  # NFKC
        (".bashrc", b"export PATH=/x\n", "hidden"),
        (".bashrc.txt", LIYANG.read_bytes(), "hidden"),
        ("../escape.txt", LIYANG.read_bytes(), "without folders"),
        ("sub/dir.txt", LIYANG.read_bytes(), "without folders"),
        ("通" * 90 + ".txt", LIYANG.read_bytes(), "too long"),  # 274 bytes: more than a file name may be
        ("x" * 300 + ".txt", LIYANG.read_bytes(), "too long"),
        ("notice.pdf", LIYANG.read_bytes(), "not a readable PDF"),
        ("notice.exe", LIYANG.read_bytes(), "accepted: .txt"),
        ("notice.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "convert-to docx"),
        ("???.txt", LIYANG.read_bytes(), "no usable characters"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_change_nothing(live, name: str, content: bytes, message) -> None:
    folder = Path(live.settings.documents)
    before, files = [n.doc_id for n in live.notices], sorted(os.listdir(folder))
    with pytest.raises(NoticeError, match=message):
        live.add_notice(name, content)
    assert [n.doc_id for n in live.notices] == before
    assert sorted(os.listdir(folder)) == files
    assert not (folder.parent / "escape.txt").exists()


def test_a_dangling_link_in_the_folder_is_never_written_through(live, tmp_path: Path) -> None:
    folder = Path(live.settings.documents)
    outside = tmp_path / "outside.txt"
    (folder / "linked.txt").symlink_to(outside)
    try:
        with pytest.raises(NoticeError, match="already exists"):
            live.add_notice("linked.txt", LIYANG.read_bytes())
        assert not outside.exists() and (folder / "linked.txt").is_symlink()
    finally:
        (folder / "linked.txt").unlink()


def test_an_upload_is_indexed_and_answered_and_nothing_is_lost(live) -> None:
    message = live.add_notice("liyang-2022-h1.txt", LIYANG.read_bytes())
    assert message.startswith("added liyang-2022-h1")
    assert {n.doc_id for n in live.notices} == BUNDLED_IDS | {"liyang-2022-h1"}
    assert "主线桥梁桩基施工" in live.ask("丽阳大道快速化改造工程进展").answer
    assert "236" in live.ask("一季度5G基站建了多少").answer  # the notices indexed before still answer
    assert any(r.doc_id == "liyang-2022-h1" for r in live.ledger)
    assert (Path(live.settings.documents) / "liyang-2022-h1.txt").read_bytes() == LIYANG.read_bytes()


_TOGETHER = textwrap.dedent(
    """
    import json, os, sys, threading
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from assistant.core import Assistant
    from assistant.settings import Settings
    settings = Settings.from_env(documents=Path({docs!r}))
    assistant = Assistant.load(settings, progress=None)
    docs, index = Path({docs!r}).resolve(), settings.index_dir.resolve()
    start, meet, guard = threading.Barrier(2), threading.Barrier(2), threading.Lock()
    first, first_read, other_done = [], threading.Event(), threading.Event()

    def in_docs(path):
        try:
            return Path(os.fsdecode(path)).resolve().parent == docs
        except (TypeError, ValueError):
            return False

    def stagger(event, args):
        # The worst interleaving, forced at file operations only (a few seconds at most each): both uploads get
        # ready to write their notice; the first then writes and reads the folder before the other writes, and
        # renames its new index into place only after the other is done.
        me = threading.get_ident()
        if event == "open" and in_docs(args[0]):
            writing = (isinstance(args[1], str) and any(c in args[1] for c in "wax+")) or (
                args[1] is None and args[2] & (os.O_WRONLY | os.O_RDWR)
            )
            if writing and me not in first:
                try:
                    meet.wait(timeout=3)
                except threading.BrokenBarrierError:
                    pass
                with guard:
                    first.append(me)
                if me != first[0]:
                    first_read.wait(timeout=5)
            elif not writing and first and me == first[0]:
                first_read.set()
        if event == "os.rename" and first and me == first[0] and Path(os.fsdecode(args[1])).resolve() == index:
            other_done.wait(timeout=5)

    sys.addaudithook(stagger)
    uploads, results = {uploads!r}, {{}}

    def upload(name, source):
        start.wait()
        try:
            results[source] = assistant.add_notice(name, Path(source).read_bytes())
        except Exception as exc:
            results[source] = f"{{exc.__class__.__name__}}: {{exc}}"
        if not first or threading.get_ident() != first[0]:
            other_done.set()

    threads = [threading.Thread(target=upload, args=pair) for pair in uploads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers = {{q: assistant.ask(q).answer for q in {questions!r}}}
    notices = [n.doc_id for n in assistant.notices]
    print(json.dumps({{"results": results, "answers": answers, "notices": notices}}, ensure_ascii=False))
    """
)


def _upload_together(name: str, uploads: list[tuple[str, Path]], questions: list[str]):
    """Two uploads released together in a fresh process, interleaved as badly as they can be (see `stagger`);
    returns (settings, what that process saw)."""
    settings = sandbox_settings(name)
    script = _TOGETHER.format(
        root=str(ROOT), docs=str(settings.documents), uploads=[(n, str(p)) for n, p in uploads], questions=questions
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=900, env=env, text=True)
    assert process.returncode == 0, process.stderr[-3000:]
    return settings, json.loads(process.stdout.strip().splitlines()[-1])


def test_two_notices_uploaded_at_once_are_both_served_and_saved_in_the_index() -> None:
    from assistant.core import Assistant
    from index.store import expected_documents, load_index

    questions = ["丽阳大道快速化改造工程进展", "青山至河口一级公路进展"]
    settings, seen = _upload_together(
        "upload-together", [("liyang-2022-h1.txt", LIYANG), ("qingshan-2020-q3.txt", QINGSHAN)], questions
    )
    assert all(r.startswith("added") for r in seen["results"].values()), seen["results"]
    assert set(seen["notices"]) == BUNDLED_IDS | {"liyang-2022-h1", "qingshan-2020-q3"}
    assert "主线桥梁桩基施工" in seen["answers"][questions[0]] and "80%" in seen["answers"][questions[1]]
    restarted = Assistant.load(settings, progress=None)
    assert {n.doc_id for n in restarted.notices} == set(seen["notices"])
    load_index(settings.index_dir, restarted.encoder.model_id, expected_documents(restarted.notices))  # current


def test_the_same_name_uploaded_twice_at_once_is_added_once_and_refused_once() -> None:
    settings, seen = _upload_together("upload-same-name", [("twice.txt", LIYANG), ("twice.txt", QINGSHAN)], [])
    results = seen["results"]
    added = [source for source, r in results.items() if r.startswith("added")]
    refused = [r for r in results.values() if r.startswith("NoticeError") and "already exists" in r]
    assert len(added) == 1 and len(refused) == 1, results
    assert (Path(settings.documents) / "twice.txt").read_bytes() == Path(added[0]).read_bytes()
    assert seen["notices"].count("twice") == 1


_KILLED_UPLOAD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from assistant.core import Assistant
    from assistant.settings import Settings
    settings = Settings.from_env(documents=Path({docs!r}))
    assistant = Assistant.load(settings, progress=None)
    docs = Path({docs!r}).resolve()

    def _in_docs(path):
        try:
            return Path(os.fsdecode(path)).resolve().parent == docs
        except (TypeError, ValueError):
            return False

    def die_at(event, args):
        writing = event == "open" and _in_docs(args[0]) and (
            (isinstance(args[1], str) and any(c in args[1] for c in "wax+"))
            or (args[1] is None and args[2] & (os.O_WRONLY | os.O_RDWR))
        )
        linked = event in ("os.link", "os.rename") and _in_docs(args[1])
        if (writing and {when!r} == "opened") or (linked and {when!r} == "written"):
            os.kill(os.getpid(), signal.SIGKILL)

    raw = Path({notice!r}).read_bytes()
    if {when!r} == "mid-write":  # the kernel kills the process once half of the bytes are written
        import resource
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it, turning it into an OSError
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(raw) // 2, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    sys.addaudithook(die_at)
    assistant.add_notice("killed.txt", raw)
    """
)


@pytest.mark.parametrize(
    ("when", "signal_number"), [("opened", signal.SIGKILL), ("mid-write", signal.SIGXFSZ), ("written", signal.SIGKILL)]
)
def test_an_upload_killed_mid_write_leaves_no_file_and_can_be_uploaded_again(when: str, signal_number: int) -> None:
    """Killed with no chance to clean up: kill -9 as the file is opened for writing, by the kernel halfway through
    its bytes (a file size limit, SIGXFSZ), or kill -9 once every byte is written and fsynced, before the link."""
    from assistant.core import Assistant

    settings = sandbox_settings(f"upload-killed-{when}")
    script = _KILLED_UPLOAD.format(root=str(ROOT), docs=str(settings.documents), notice=str(LIYANG), when=when)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=600, env=env)
    assert process.returncode == -signal_number, process.stderr.decode()[-2000:]
    folder = Path(settings.documents)
    assert not (folder / "killed.txt").exists(), "a killed write must leave no (partial) notice"
    restarted = Assistant.load(settings, progress=None)
    assert {n.doc_id for n in restarted.notices} == BUNDLED_IDS
    assert restarted.add_notice("killed.txt", LIYANG.read_bytes()).startswith("added killed")
    assert (folder / "killed.txt").read_bytes() == LIYANG.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*(p.name for p in BUNDLED_NOTICES.iterdir()), "killed.txt"]
    )


def test_an_upload_may_carry_its_profile(tmp_path) -> None:
    """Place, year and period given with an upload are saved as the notice's sidecar and read into its profile."""
    from assistant import uploads

    lines = uploads._profile_lines({"place": "宁都县", "year": "2023", "period": "1-11月"})
    assert lines == ['place = "宁都县"', 'year = "2023"', 'period = "1-11月"']
    with pytest.raises(NoticeError, match="not one of"):
        uploads._profile_lines({"period": "sometime"})
