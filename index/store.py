"""The index as a folder: chunks, vectors, BM25 and a manifest; atomic writes, verified loads."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ValidationError

from documents.atomic import replacing_folder
from documents.errors import IndexCorruptError
from documents.models import Notice
from index.chunks import CHUNKER_VERSION, chunk_notice
from index.dense import DenseIndex
from index.embedder import Encoder
from index.lexical import BM25Index
from index.models import Chunk

SCHEMA_VERSION = 1
_CHUNKS, _VECTORS, _OWNERS, _FAISS, _BM25 = "chunks.json", "vectors.npy", "owners.npy", "dense.faiss", "bm25"


class Manifest(BaseModel):
    schema_version: int
    model_id: str
    dim: int
    chunker_version: str
    documents: dict[str, str]  # doc_id → sha256 of its text
    counts: dict[str, int]
    files: dict[str, str]  # relative path → sha256, checked on load
    built_at: float
    build_seconds: float
    # What embedded the passages. Either engine's vectors serve the other's queries (cosine ≥ 0.999, tested).
    passage_encoder: str = "sentence-transformers"


class LoadedIndex:
    """What a search needs in memory: chunks, their BM25 index, their vectors (and which chunk owns each)."""

    def __init__(
        self, manifest: Manifest, chunks: list[Chunk], dense: DenseIndex, owners: np.ndarray, lexical: BM25Index
    ) -> None:
        self.manifest, self.chunks, self.dense, self.owners, self.lexical = manifest, chunks, dense, owners, lexical
        self.rows_of: dict[int, list[int]] = {}  # chunk row → its vector rows: the paragraph, then each clause
        for row, owner in enumerate(owners.tolist()):
            self.rows_of.setdefault(owner, []).append(row)
        self.row_of_chunk = {chunk.id: row for row, chunk in enumerate(chunks)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_of(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): _sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def expected_documents(notices: list[Notice]) -> dict[str, str]:
    return {n.doc_id: n.sha256 for n in notices}


def build_index(
    notices: list[Notice],
    encoder: Encoder,
    folder: Path,
    progress: Callable[[str], None] | None = None,
    known: dict[str, np.ndarray] | None = None,
) -> LoadedIndex:
    """Embed every chunk (reusing `known` vectors by text) and write the index into a temporary folder renamed
    into place."""
    started = time.perf_counter()
    chunks = [chunk for notice in notices for chunk in chunk_notice(notice)]
    if progress:
        progress(f"indexing {len(chunks)} paragraphs of {len(notices)} notice(s) with {encoder.model_id}…")
    texts = [c.context for c in chunks] + [w for c in chunks for w in c.windows]
    owners = np.asarray(
        list(range(len(chunks))) + [row for row, c in enumerate(chunks) for _ in c.windows], dtype=np.int32
    )
    known = known or {}
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if progress and known:
        progress(f"embedding {len(missing)} new texts, reusing {len(texts) - len(missing)} from the previous index")
    fresh = dict(zip(missing, encoder.encode_passages(missing), strict=True)) if missing else {}
    vectors = np.stack([fresh[t] if t in fresh else known[t] for t in texts]) if texts else np.zeros((0, encoder.dim))
    vectors = vectors.astype(np.float32)
    dense, lexical = DenseIndex.build(vectors), BM25Index.build(chunks)
    manifest = Manifest(
        schema_version=SCHEMA_VERSION,
        model_id=encoder.model_id,
        dim=encoder.dim,
        chunker_version=CHUNKER_VERSION,
        documents=expected_documents(notices),
        counts={"notices": len(notices), "chunks": len(chunks)},
        files={},
        built_at=time.time(),
        build_seconds=round(time.perf_counter() - started, 3),
        passage_encoder=getattr(encoder, "passage_engine", encoder.model_id),
    )
    loaded = LoadedIndex(manifest, chunks, dense, owners, lexical)
    try:
        persist(loaded, vectors, folder)
    except OSError as exc:
        if progress:
            progress(f"could not save the index to {folder} ({exc.strerror or exc}); using it from memory")
        return loaded
    if progress:
        progress(f"index written to {folder} in {manifest.build_seconds:.1f} s")
    return loaded


def persist(index: LoadedIndex, vectors: np.ndarray, folder: Path) -> None:
    """Write an index as `folder`, whole (documents.atomic): a crash never leaves a half index."""
    with replacing_folder(folder) as tmp:
        (tmp / _CHUNKS).write_text(
            json.dumps([c.model_dump() for c in index.chunks], ensure_ascii=False), encoding="utf-8"
        )
        np.save(tmp / _VECTORS, vectors)
        np.save(tmp / _OWNERS, index.owners)
        index.dense.save(tmp / _FAISS)
        index.lexical.save(tmp / _BM25)
        index.manifest.files = _files_of(tmp)
        (tmp / "manifest.json").write_text(index.manifest.model_dump_json(indent=2), encoding="utf-8")


def read_manifest(folder: Path) -> Manifest:
    path = folder / "manifest.json"
    if not path.is_file():
        raise IndexCorruptError(f"{folder}: no manifest.json (index missing or never finished)")
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, ValueError, OSError) as exc:
        raise IndexCorruptError(f"{path}: unreadable manifest ({exc.__class__.__name__})") from None


def load_index(folder: Path, model_id: str, documents: dict[str, str]) -> LoadedIndex:
    """Load a persisted index, or raise IndexCorruptError saying why it cannot be used as is."""
    manifest = read_manifest(folder)
    if manifest.schema_version != SCHEMA_VERSION or manifest.chunker_version != CHUNKER_VERSION:
        raise IndexCorruptError(f"{folder}: built by an older version of the indexer")
    if manifest.model_id != model_id:
        raise IndexCorruptError(f"{folder}: built with model {manifest.model_id}, now {model_id}")
    if manifest.documents != documents:
        raise IndexCorruptError(f"{folder}: the notices changed since the index was built")
    actual = _files_of(folder)
    if actual != manifest.files:
        damaged = sorted(set(actual.items()) ^ set(manifest.files.items()))
        raise IndexCorruptError(f"{folder}: file(s) missing or damaged: {', '.join(sorted({d[0] for d in damaged}))}")
    try:
        chunks = [Chunk.model_validate(c) for c in json.loads((folder / _CHUNKS).read_text(encoding="utf-8"))]
        dense, lexical = DenseIndex.load(folder / _FAISS), BM25Index.load(folder / _BM25)
        owners = np.load(folder / _OWNERS)
    except Exception as exc:  # noqa: BLE001 - any failure to read a verified file means corruption
        raise IndexCorruptError(f"{folder}: could not read the index ({exc.__class__.__name__})") from None
    if dense.size != len(owners) or dense.dim != manifest.dim or (len(owners) and owners.max() >= len(chunks)):
        raise IndexCorruptError(f"{folder}: vectors do not match the chunks")
    return LoadedIndex(manifest, chunks, dense, owners, lexical)


def _same_chunks(index: LoadedIndex, notices: list[Notice]) -> bool:
    """Whether the notices, parsed and chunked by this version, give exactly the indexed chunks."""
    expected = [c for n in notices for c in chunk_notice(n)]
    return [(c.id, c.context, c.windows) for c in expected] == [(c.id, c.context, c.windows) for c in index.chunks]


def open_index(
    notices: list[Notice],
    encoder: Encoder,
    folder: Path,
    rebuild: bool = False,
    progress: Callable[[str], None] | None = None,
    build: bool = True,
) -> LoadedIndex:
    """Load the index if it is current and intact; otherwise (re)build it, saying why (`build=False`: raise
    IndexCorruptError instead, for a process that must answer from the index another one wrote)."""
    if not rebuild:
        try:
            loaded = load_index(folder, encoder.model_id, expected_documents(notices))
            if _same_chunks(loaded, notices):
                return loaded
            if not build:
                raise IndexCorruptError(f"{folder}: the notices are parsed into different paragraphs now")
            if progress:
                progress("rebuilding the index: the notices are parsed into different paragraphs now")
        except IndexCorruptError as exc:
            if not build:
                raise
            if folder.exists() and progress:
                progress(f"rebuilding the index: {exc}")
    return build_index(notices, encoder, folder, progress, known=reusable_vectors(folder, encoder.model_id))


def reusable_vectors(folder: Path, model_id: str) -> dict[str, np.ndarray]:
    """text → vector from an intact previous index of the same model, so only new notices are embedded."""
    try:
        manifest = read_manifest(folder)
        if manifest.model_id != model_id or _files_of(folder) != manifest.files:
            return {}
        chunks = [Chunk.model_validate(c) for c in json.loads((folder / _CHUNKS).read_text(encoding="utf-8"))]
        vectors = np.load(folder / _VECTORS)
    except (IndexCorruptError, OSError, ValueError):
        return {}
    texts = [c.context for c in chunks] + [w for c in chunks for w in c.windows]
    return dict(zip(texts, vectors, strict=False)) if len(texts) == len(vectors) else {}


def embed_new(
    notices: list[Notice],
    encoder: Encoder,
    known: dict[str, np.ndarray],
    progress: Callable[[int, int], None] | None = None,
    batch: int = 64,
) -> dict[str, np.ndarray]:
    """text → vector for the notices' texts that `known` lacks, embedded a batch at a time (`progress(done,
    total)` after each), so that an upload can embed before it takes any lock and show how far it is."""
    texts = [text for notice in notices for chunk in chunk_notice(notice) for text in (chunk.context, *chunk.windows)]
    missing = list(dict.fromkeys(text for text in texts if text not in known))
    fresh: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), batch):
        part = missing[start : start + batch]
        fresh.update(zip(part, encoder.encode_passages(part), strict=True))
        if progress:
            progress(len(fresh), len(missing))
    return fresh


def stderr_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
