"""Index plumbing with a fake encoder: fusion arithmetic, manifest checks, crash-safe writes, self-healing."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from pathlib import Path

import numpy as np
import pytest

from documents.corpus import BUNDLED_NOTICES, load_notice
from documents.errors import IndexCorruptError
from index.chunks import chunk_notice
from index.fusion import calibrate_bm25, calibrate_dense, fuse, reciprocal_rank
from index.search import BM25Retriever, DenseRetriever, HybridRetriever
from index.store import build_index, expected_documents, load_index, open_index
from index.text import normalize, tokenize

Q1 = load_notice(BUNDLED_NOTICES / "xianning-2021-q1.txt")


@pytest.mark.parametrize(
    ("dense", "lexical", "order"),
    [
        # lexical evidence decides between close dense scores (dense is min-max scaled over the candidates)
        ({0: 0.90, 1: 0.88, 2: 0.80}, {0: 0.0, 1: 10.0, 2: 0.0}, [1, 0, 2]),
        ({0: 0.95, 1: 0.80}, {0: 1.0, 1: 2.0}, [0, 1]),  # a clear dense winner stays first
        ({0: 0.90}, {1: 5.0}, [0, 1]),  # rows found by one side only still rank (tie broken by row id)
        ({}, {2: 3.0, 3: 6.0}, [3, 2]),  # lexical only
        ({4: 0.9, 5: 0.91}, {}, [5, 4]),  # dense only (English question)
    ],
)
def test_fusion_ranks_hand_written_scores(dense: dict, lexical: dict, order: list[int]) -> None:
    assert [f.row for f in fuse(dense, lexical)] == order


def test_fusion_scores_are_calibrated_and_bounded() -> None:
    fused = fuse({0: 0.93, 1: 0.85}, {0: 8.0, 1: 0.0})
    assert fused[0].score == pytest.approx(0.5 * 1.0 + 0.5 * 0.5)
    assert fused[1].score == pytest.approx(0.0)
    assert all(0.0 <= f.score <= 1.0 for f in fused)
    assert calibrate_dense(0.5) == 0.0 and calibrate_dense(0.99) == 1.0
    assert calibrate_dense(0.775, cross_lingual=True) == pytest.approx(0.5)
    assert calibrate_bm25(0.0) == 0.0 and calibrate_bm25(8.0) == 0.5
    assert fuse({}, {}) == []


def test_reciprocal_rank_fusion() -> None:
    scores = reciprocal_rank([[1, 2, 3], [3, 1]], k=60)
    assert max(scores, key=scores.get) == 1
    assert scores[3] == pytest.approx(1 / 63 + 1 / 61)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("５８．３％", "58.3%"),
        ("百分之五十八点三", "58.3%"),
        ("進出口", "进出口"),
        ("1,234人", "1234人"),
        ("5G基站", "5g基站"),
    ],
)
def test_normalize_makes_forms_meet(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_tokens_of_a_figure_meet_with_and_without_percent() -> None:
    assert {"58.3%", "58.3"} <= set(tokenize("增长百分之五十八点三"))
    assert "5g" in tokenize("５Ｇ基站") and "基站" in tokenize("５Ｇ基站")


def test_heading_lines_are_folded_into_their_section() -> None:
    chunks = chunk_notice(Q1)
    ids = {c.paragraph_id for c in chunks}
    assert "p020" not in ids  # 1.持续扩大有效投资。 heading only
    assert "p013" in ids  # 3.新建5G基站1000座。一季度… has content
    investment = next(c for c in chunks if c.paragraph_id == "p021")
    assert investment.context.startswith("1.持续扩大有效投资。 ")
    assert all(investment.text[s:e] for s, e in investment.clause_spans)
    assert len(investment.windows) == len(investment.clause_spans)


@pytest.fixture
def built(tmp_path: Path, fake_encoder):
    folder = tmp_path / "index"
    return folder, build_index([Q1], fake_encoder, folder)


def test_build_writes_a_verified_folder(built, fake_encoder) -> None:
    folder, index = built
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model_id"] == "fake-bigram-64" and manifest["counts"]["chunks"] == len(index.chunks)
    assert set(manifest["files"]) >= {"chunks.json", "vectors.npy", "owners.npy", "dense.faiss"}
    loaded = load_index(folder, fake_encoder.model_id, expected_documents([Q1]))
    assert [c.id for c in loaded.chunks] == [c.id for c in index.chunks]
    assert not list(folder.parent.glob("*.tmp-*"))


def test_retrievers_share_one_interface(built, fake_encoder) -> None:
    _, index = built
    for retriever in (BM25Retriever(index), DenseRetriever(index, fake_encoder), HybridRetriever(index, fake_encoder)):
        hits = retriever.search("新建5G基站", 3)
        assert hits[0].chunk.paragraph_id == "p013"
        assert [h.rank for h in hits] == [1, 2, 3]
        assert all(0.0 <= h.score <= 1.0 for h in hits)


def test_manifest_invalidation_rebuilds(built, fake_encoder, capsys) -> None:
    folder, _ = built
    changed = Q1.model_copy(update={"sha256": "0" * 64})
    with pytest.raises(IndexCorruptError, match="notices changed"):
        load_index(folder, fake_encoder.model_id, expected_documents([changed]))
    with pytest.raises(IndexCorruptError, match="built with model"):
        load_index(folder, "another-model", expected_documents([Q1]))
    messages: list[str] = []
    open_index([changed], fake_encoder, folder, progress=messages.append)
    assert any("rebuilding the index: " in m and "notices changed" in m for m in messages)
    assert load_index(folder, fake_encoder.model_id, expected_documents([changed]))


@pytest.mark.parametrize("damage", ["truncate", "corrupt", "delete"])
def test_damaged_file_is_detected_and_rebuilt(built, fake_encoder, damage: str) -> None:
    folder, _ = built
    target = folder / "dense.faiss"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "corrupt":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    else:
        target.unlink()
    with pytest.raises(IndexCorruptError, match="missing or damaged: dense.faiss"):
        load_index(folder, fake_encoder.model_id, expected_documents([Q1]))
    messages: list[str] = []
    healed = open_index([Q1], fake_encoder, folder, progress=messages.append)
    assert healed.dense.size == len(healed.owners) and any("rebuilding" in m for m in messages)
    assert load_index(folder, fake_encoder.model_id, expected_documents([Q1]))


def test_a_crash_mid_build_never_leaves_a_loadable_half_index(tmp_path: Path, fake_encoder, monkeypatch) -> None:
    folder = tmp_path / "index"
    build_index([Q1], fake_encoder, folder)
    before = (folder / "manifest.json").read_text()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed mid-build")

    monkeypatch.setattr("index.lexical.BM25Index.save", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index([Q1.model_copy(update={"sha256": "1" * 64})], fake_encoder, folder)
    assert (folder / "manifest.json").read_text() == before  # the old index is intact and still loads
    assert load_index(folder, fake_encoder.model_id, expected_documents([Q1]))
    assert not list(tmp_path.glob("index.tmp-*"))


def test_a_half_written_folder_without_manifest_is_rebuilt(tmp_path: Path, fake_encoder) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "chunks.json").write_text("[")  # what a killed process could leave behind
    with pytest.raises(IndexCorruptError, match="no manifest"):
        load_index(folder, fake_encoder.model_id, expected_documents([Q1]))
    assert open_index([Q1], fake_encoder, folder).chunks


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_cache_still_answers_from_memory(tmp_path: Path, fake_encoder) -> None:
    cache = tmp_path / "ro"
    cache.mkdir()
    cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    messages: list[str] = []
    try:
        index = open_index([Q1], fake_encoder, cache / "index", progress=messages.append)
    finally:
        cache.chmod(stat.S_IRWXU)
        shutil.rmtree(cache)
    assert index.chunks and any("using it from memory" in m for m in messages)


def test_unwritable_cache_still_answers_from_memory(tmp_path: Path, fake_encoder) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    messages: list[str] = []
    index = open_index([Q1], fake_encoder, blocker / "index", progress=messages.append)
    assert index.chunks and any("using it from memory" in m for m in messages)


def test_large_corpora_switch_to_hnsw_and_still_find_their_vectors(monkeypatch) -> None:
    import numpy as np

    from index import dense

    monkeypatch.setattr(dense, "FLAT_LIMIT", 1000)
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((3000, 64)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = dense.DenseIndex.build(vectors)
    assert type(index._index).__name__ == "IndexHNSWFlat"
    assert all(index.search(vectors[i], 3)[1][0] == i for i in range(0, 3000, 100))
    small = dense.DenseIndex.build(vectors[:500])
    assert type(small._index).__name__ == "IndexFlatIP"


def test_adding_a_notice_embeds_only_the_new_one(tmp_path: Path, fake_encoder) -> None:
    folder = tmp_path / "index"
    build_index([Q1], fake_encoder, folder)
    q1_texts = set(fake_encoder.passages)
    fake_encoder.passages.clear()
    h1 = load_notice(BUNDLED_NOTICES / "xianning-2021-h1-digest.txt")
    messages: list[str] = []
    index = open_index([Q1, h1], fake_encoder, folder, progress=messages.append)
    assert fake_encoder.passages and not set(fake_encoder.passages) & q1_texts  # Q1 was not embedded again
    assert {c.doc_id for c in index.chunks} == {Q1.doc_id, h1.doc_id}
    assert any("reusing" in m for m in messages)
    fresh = build_index([Q1, h1], type(fake_encoder)(), tmp_path / "fresh")
    assert np.allclose(np.load(folder / "vectors.npy"), np.load(tmp_path / "fresh" / "vectors.npy"))
    assert [c.id for c in fresh.chunks] == [c.id for c in index.chunks]


def test_two_builds_at_once_never_share_a_temporary_folder(tmp_path: Path, monkeypatch) -> None:
    """Two threads persist different indexes into one folder at the same moment: what is left is one of the two,
    whole (they used to share `<folder>.tmp-<pid>` and mix or delete each other's files)."""
    import threading

    from index.lexical import BM25Index
    from tests.conftest import FakeEncoder

    folder = tmp_path / "index"
    digest = load_notice(BUNDLED_NOTICES / "xianning-2021-h1-digest.txt")
    meet, real_save = threading.Barrier(2), BM25Index.save

    def save_together(self, path):  # both builds are now writing their temporary folders
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=5)
        return real_save(self, path)

    monkeypatch.setattr(BM25Index, "save", save_together)
    messages: list[str] = []
    threads = [
        threading.Thread(target=build_index, args=(notices, FakeEncoder(), folder, messages.append))
        for notices in ([Q1], [digest])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    loadable = []
    for notices in ([Q1], [digest]):
        with contextlib.suppress(IndexCorruptError):
            loadable.append(load_index(folder, "fake-bigram-64", expected_documents(notices)))
    assert len(loadable) == 1, messages
    assert not list(tmp_path.glob("index.tmp-*")) and not list(tmp_path.glob("index.old-*"))
