"""Export a converted sentence-transformers folder once to ONNX, for a query encoder without torch.

The graph is the transformer with e5's mean pooling and L2 normalisation inside it, so onnxruntime returns the
final sentence vectors. Weights go to an external-data file: onnxruntime maps it instead of parsing a 470 MB
protobuf (0.2 s to open a session instead of 2 s). The tokenizer's pieces go into a small SQLite table, so a
query encoder looks up only the pieces its text contains instead of building the 250,000-piece Unigram model
(1-1.5 s) at every start; see index.onnx_encoder.

Everything is written into a temporary folder renamed into place, with a marker written last.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from documents.atomic import replacing_folder
from documents.errors import ModelUnavailableError

ONNX_DIR = "onnx"
GRAPH_FILE, WEIGHTS_FILE, PIECES_FILE, SHELL_FILE = "model.onnx", "model.onnx.data", "pieces.sqlite", "shell.json"
MARKER = "export.json"
EXPORT_VERSION = 3
OPSET = 17
# Embedded at export by torch and checked when a session opens: damaged weights of the right size show here.
PROBE_TEXT = "query: 5G基站建设进度 how many base stations?"


def onnx_folder(model_dir: Path) -> Path:
    return Path(model_dir) / ONNX_DIR


def read_marker(folder: Path) -> dict | None:
    """The export's marker if the folder holds a finished export whose files have the recorded sizes."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("version") != EXPORT_VERSION:
        return None
    sizes = marker.get("sizes", {})
    for name in (GRAPH_FILE, WEIGHTS_FILE, PIECES_FILE, SHELL_FILE):
        try:
            if (folder / name).stat().st_size != sizes.get(name):
                return None
        except OSError:
            return None
    return marker


def is_exported(model_dir: Path) -> bool:
    return read_marker(onnx_folder(model_dir)) is not None


def export_onnx(model_dir: Path, progress: Callable[[str], None] | None = None) -> Path:
    """Export `model_dir` (a sentence-transformers folder of an XLM-R/BERT model with mean pooling) to ONNX."""
    say = progress or (lambda _line: None)
    model_dir = Path(model_dir)
    out = onnx_folder(model_dir)
    started = time.perf_counter()
    say(f"exporting the query encoder to ONNX in {out} (once)…")
    try:
        with replacing_folder(out) as tmp:
            dim, probe = _export_graph(model_dir, tmp)
            _check_export(tmp, model_dir / "tokenizer.json", probe)
            _write_tokenizer_files(model_dir / "tokenizer.json", tmp)
            names = (GRAPH_FILE, WEIGHTS_FILE, PIECES_FILE, SHELL_FILE)
            sizes = {name: (tmp / name).stat().st_size for name in names}
            marker = {
                "version": EXPORT_VERSION,
                "dim": dim,
                "opset": OPSET,
                "sizes": sizes,
                "pooling": "mean+l2",
                "probe": probe,
            }
            (tmp / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ModelUnavailableError(f"could not write the ONNX export to {out}: {exc}") from exc
    say(f"ONNX export done in {time.perf_counter() - started:.1f} s")
    return out


def _export_graph(model_dir: Path, folder: Path) -> tuple[int, list[float]]:
    import onnx
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        """Mean over the attended tokens, then unit length: what sentence-transformers' Pooling+Normalize do."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    # Two rows of different lengths with padding, so the traced graph handles both.
    from tokenizers import Tokenizer

    # The reference vector, from torch before tracing (tracing can leave the module altered).
    encoded = Tokenizer.from_file(str(model_dir / "tokenizer.json")).encode(PROBE_TEXT)
    with torch.no_grad():
        vector = Pooled(model)(torch.tensor([encoded.ids]), torch.tensor([encoded.attention_mask]))[0]
    probe = [round(float(x), 7) for x in vector]
    ids = torch.tensor([[0, 6, 2, 1], [0, 6, 7, 2]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]], dtype=torch.long)
    single = folder / "single.onnx"
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the tracer's notes on data-dependent shapes; checked by the tests
        torch.onnx.export(
            Pooled(model),
            (ids, mask),
            str(single),
            dynamo=False,
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=OPSET,
        )
    graph = onnx.load(str(single))
    onnx.save_model(
        graph,
        str(folder / GRAPH_FILE),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=WEIGHTS_FILE,
        size_threshold=1024,
    )
    single.unlink()
    return int(model.config.hidden_size), probe


def _check_export(folder: Path, tokenizer_json: Path, probe: list[float]) -> None:
    """The exported graph must give torch's vector for the probe text, or the export fails."""
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    encoded = Tokenizer.from_file(str(tokenizer_json)).encode(PROBE_TEXT)
    session = ort.InferenceSession(str(folder / GRAPH_FILE), providers=["CPUExecutionProvider"])
    feeds = {"input_ids": np.asarray([encoded.ids]), "attention_mask": np.asarray([encoded.attention_mask])}
    cosine = float(session.run(None, feeds)[0][0] @ np.asarray(probe, dtype=np.float32))
    if not cosine >= 0.9999:
        raise ModelUnavailableError(f"the ONNX export disagrees with the torch model (cosine {cosine:.4f})")


def _write_tokenizer_files(tokenizer_json: Path, folder: Path) -> None:
    """pieces.sqlite (piece → id, score) and shell.json: the tokenizer with its vocabulary left out."""
    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model = spec["model"]
    if model.get("type") != "Unigram":
        raise ModelUnavailableError(f"{tokenizer_json}: only Unigram (SentencePiece) tokenizers can be exported")
    vocab = model["vocab"]
    db = sqlite3.connect(str(folder / PIECES_FILE))
    try:
        db.execute("CREATE TABLE pieces (piece TEXT PRIMARY KEY, id INTEGER, score REAL) WITHOUT ROWID")
        db.executemany("INSERT OR IGNORE INTO pieces VALUES (?, ?, ?)", ((p, i, s) for i, (p, s) in enumerate(vocab)))
        db.commit()
    finally:
        db.close()
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])
    shell = dict(spec)
    shell["model"] = {**model, "vocab": []}
    shell["tongbao"] = {
        "vocab_size": len(vocab),
        "unk_id": model["unk_id"],
        "lowest_id": lowest,  # Unigram scores unknown characters from the lowest score: it must always be present
        "lowest": vocab[lowest],
        "specials": [[t["id"], t["content"], vocab[t["id"]][1]] for t in spec.get("added_tokens", [])],
        "max_piece_chars": max(len(p) for p, _ in vocab),
    }
    (folder / SHELL_FILE).write_text(json.dumps(shell, ensure_ascii=False), encoding="utf-8")
