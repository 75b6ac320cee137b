"""An upload is read in a child process of its own (documents.readers.isolated): the same result as reading it here,
every refusal passed on, and a reader past its time or memory stopped with a message naming the setting."""

from __future__ import annotations

import subprocess
import sys

import pytest

from documents.corpus import BUNDLED_NOTICES
from documents.errors import NoticeError
from documents.limits import ReadLimits
from documents.readers import read_notice_bytes
from documents.readers.isolated import read_isolated, stop_spare
from tests.fixtures import bombs

LIMITS = ReadLimits()
Q1 = BUNDLED_NOTICES / "xianning-2021-q1.txt"


@pytest.fixture(autouse=True, scope="module")
def _no_spare_left():
    yield
    stop_spare()


def test_a_notice_read_apart_is_the_notice_read_here() -> None:
    raw = Q1.read_bytes()
    apart = read_isolated(raw, "q1.txt", 5 << 20, LIMITS, seconds=120, memory_mb=1024)
    assert apart == read_notice_bytes(raw, "q1.txt")


def test_a_refusal_in_the_child_is_the_same_refusal() -> None:
    with pytest.raises(NoticeError, match=r"^merged.xlsx: sheet sheet1 merges .*TONGBAO_MAX_SHEET_CELLS"):
        read_isolated(bombs.merged_xlsx(), "merged.xlsx", 5 << 20, LIMITS, seconds=120, memory_mb=1024)


def test_a_reader_past_its_time_is_stopped() -> None:
    raw = bombs.long_block("pdf")  # seconds of pdfminer work
    with pytest.raises(NoticeError, match=r"^slow.pdf: reading it took longer than 0.5 s; .*TONGBAO_READ_SECONDS"):
        read_isolated(raw, "slow.pdf", 5 << 20, LIMITS, seconds=0.5, memory_mb=1024)


def test_a_reader_past_its_memory_is_stopped() -> None:
    """A million paragraphs in 100 kB, with the budgets lifted: only the memory limit is left to stop it."""
    body = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1_000_000
    raw = bombs._docx(b'<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (bombs._W.encode(), body))
    lifted = ReadLimits(
        max_inflated_bytes=1 << 30, max_inflate_ratio=10**6, max_paragraphs=10**7, max_notice_chars=10**8
    )
    with pytest.raises(NoticeError, match=r"^huge.docx: .*the limit is 400 MiB \(TONGBAO_READ_MEMORY_MB\)"):
        read_isolated(raw, "huge.docx", 5 << 20, lifted, seconds=300, memory_mb=400)


def test_the_reader_process_imports_no_model_or_index() -> None:
    code = (
        "import sys; from documents.readers import read_notice_bytes; "
        "print(sorted(m for m in ('torch', 'faiss', 'onnxruntime', 'sentence_transformers', 'assistant', 'index') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_facts_are_read_in_the_child_and_bounded_by_its_time(tmp_path) -> None:
    """A notice within every limit, dense with figures: its facts would take minutes (their time grows with the
    square of a paragraph's length), so they are read in the child too, which the time limit stops."""
    from documents.readers.isolated import FactsJob

    job = FactsJob("q1", str(tmp_path / "q1.txt"), None, str(tmp_path / "facts"))
    read_isolated(Q1.read_bytes(), "q1.txt", 5 << 20, LIMITS, seconds=120, memory_mb=1024, facts=job)
    assert len(list((tmp_path / "facts").glob("*.json"))) == 1  # the server finds them there
    dense = ("新建5G基站236座,同比增长12.5%,完成年度目标的23.6%," * 100)[:2_900]
    raw = ("关于重点工作推进情况的通报\n一、总体情况\n" + "\n".join([dense] * 30)).encode()
    with pytest.raises(NoticeError, match=r"^dense.txt: reading it took longer than 5 s; .*TONGBAO_READ_SECONDS"):
        read_isolated(raw, "dense.txt", 5 << 20, LIMITS, seconds=5, memory_mb=1024, facts=job._replace(doc_id="d"))
