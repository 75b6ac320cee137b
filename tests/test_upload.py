"""Adding a notice while the app runs: only the new notice is indexed; bad uploads change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from documents.corpus import BUNDLED_NOTICES
from documents.errors import NoticeError

pytestmark = pytest.mark.model
OTHER = Path(__file__).parent / "data" / "other-notices" / "liyang-2022-h1.txt"


@pytest.fixture(scope="module")
def live(tmp_path_factory, assistant):
    """An assistant over a folder of its own (Q1 only), sharing the session's converted model."""
    from assistant.core import Assistant
    from assistant.settings import Settings

    root = tmp_path_factory.mktemp("live")
    docs = root / "notices"
    docs.mkdir()
    shutil.copy(BUNDLED_NOTICES / "xianning-2021-q1.txt", docs)
    settings = Settings.from_env(documents=docs, cache_dir=root / "cache", model=_model_folder(assistant))
    return Assistant.load(settings, progress=None)


def _model_folder(assistant) -> str:
    from index.convert import DEFAULT_MODEL_NAME

    return str(Path(assistant.settings.cache_dir) / "models" / DEFAULT_MODEL_NAME)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary"),
        ("huge.txt", "通报\n".encode() * 2_000_000, "larger than"),
        ("again.txt", (BUNDLED_NOTICES / "xianning-2021-q1.txt").read_bytes(), "same text"),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(live, name: str, content: bytes, message: str) -> None:
    before = [n.doc_id for n in live.notices]
    with pytest.raises(NoticeError, match=message):
        live.add_notice(name, content)
    assert [n.doc_id for n in live.notices] == before
    assert not (Path(live.settings.documents) / name).exists()


def test_an_upload_is_indexed_and_answered_and_nothing_is_lost(live) -> None:
    message = live.add_notice("liyang-2022-h1.txt", OTHER.read_bytes())
    assert message.startswith("added liyang-2022-h1")
    assert {n.doc_id for n in live.notices} == {"xianning-2021-q1", "liyang-2022-h1"}
    assert "主线桥梁桩基施工" in live.ask("丽阳大道快速化改造工程进展").answer
    assert "236" in live.ask("一季度5G基站建了多少").answer  # the notice indexed before still answers
    assert any(r.doc_id == "liyang-2022-h1" for r in live.ledger)
