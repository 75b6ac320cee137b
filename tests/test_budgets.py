"""Readers with budgets (issue 18): every bomb of the probe, built in code, is refused with a message naming the
file and the setting that bounds it, before the reader builds anything large; a 100,000-character block with no
sentence end is read in linear time by every reader, then held to the paragraph bounds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents.corpus import BUNDLED_NOTICES, load_corpus
from documents.errors import NoticeError
from documents.limits import ReadLimits
from documents.readers import read_notice_bytes
from documents.readers.web import is_prose
from tests.fixtures import bombs

BOMBS = {
    "merged.xlsx": (bombs.merged_xlsx, "merges 17,179,836,416 cells (the largest range: A3:XFD1048576)", "SHEET_CELLS"),
    "corner.xlsx": (bombs.corner_xlsx, "1,048,576 rows × 16,384 columns", "SHEET_CELLS"),
    "shared.xlsx": (bombs.shared_part_xlsx, "named by 300 sheets", "SHEET_CELLS"),
    "inflating.docx": (bombs.inflating_docx, "its parts unzip to 7.6 MiB", "INFLATE_RATIO"),
    "drawing.pdf": (bombs.inflating_pdf, "its streams inflate to more than", "INFLATE_RATIO"),
    "pages.pdf": (bombs.many_pages_pdf, "more than 300 pages", "PDF_PAGES"),
}


@pytest.mark.parametrize("name", BOMBS)
def test_each_bomb_is_a_few_kilobytes_and_refused_naming_its_limit(name: str) -> None:
    build, found, setting = BOMBS[name]
    raw = build()
    assert len(raw) < 100_000
    with pytest.raises(NoticeError) as refused:
        read_notice_bytes(raw, name)
    message = str(refused.value)
    assert message.startswith(f"{name}: ") and found in message and f"TONGBAO_MAX_{setting})" in message, message


def test_the_inflated_total_is_bounded_whatever_the_ratio() -> None:
    limits = ReadLimits(max_inflated_bytes=2 * 1024 * 1024, max_inflate_ratio=10_000)
    for name, raw in (("big.docx", bombs.inflating_docx(4)), ("big.pdf", bombs.inflating_pdf(4))):
        with pytest.raises(NoticeError, match=r"the limit is 2 MiB \(TONGBAO_MAX_INFLATED_BYTES\)"):
            read_notice_bytes(raw, name, limits=limits)
    assert read_notice_bytes(bombs.long_block("docx", 2_000), "fine.docx", limits=limits).text


@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "xlsx", "pdf"])
def test_a_block_of_100k_characters_without_a_sentence_end_is_read_then_held_to_the_bounds(fmt: str) -> None:
    raw = bombs.long_block(fmt)
    with pytest.raises(NoticeError, match=r"characters; the limit is 3,000 characters \(TONGBAO_MAX_PARAGRAPH_CHARS\)"):
        read_notice_bytes(raw, f"block.{fmt}")
    decoded = read_notice_bytes(
        raw, f"block.{fmt}", limits=ReadLimits(max_paragraph_chars=200_000, max_notice_chars=200_000)
    )
    longest = max(len(p.text) for p in decoded.to_notice("block").paragraphs)
    assert longest > 30_000  # read whole, as one paragraph (a cell holds at most 32,767 characters)


def test_paragraph_count_and_total_characters_are_bounded(tmp_path: Path) -> None:
    lines = "\n".join(f"{i}. 新建5G基站{i}座" for i in range(1, 3001))
    with pytest.raises(
        NoticeError, match=r"3,001 paragraphs; the limit is 1,000 paragraphs \(TONGBAO_MAX_PARAGRAPHS\)"
    ):
        read_notice_bytes(f"通报\n{lines}\n".encode(), "lines.txt")
    text = ("各项工作稳步推进。" * 200 + "\n") * 60
    with pytest.raises(NoticeError, match=r"108,060 characters of text; .*TONGBAO_MAX_NOTICE_CHARS"):
        read_notice_bytes(text.encode(), "long.txt")


def test_the_documents_folder_skips_a_file_past_a_limit_and_a_link_leaving_it(tmp_path: Path) -> None:
    folder, outside = tmp_path / "notices", tmp_path / "private"
    folder.mkdir()
    outside.mkdir()
    for source in BUNDLED_NOTICES.glob("*.txt"):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "merged.xlsx").write_bytes(bombs.merged_xlsx())
    (outside / "secret.txt").write_text("通报\n一、私人笔记\n这是不该被读到的文字。\n", encoding="utf-8")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "zz-inside.txt").symlink_to(folder / "xianning-2021-q1.txt")  # within the folder: followed (a copy)
    corpus = load_corpus(folder)
    assert [n.doc_id for n in corpus.notices] == ["xianning-2021-h1-digest", "xianning-2021-q1"]
    problems = "\n".join(corpus.problems)
    assert "merged.xlsx: sheet sheet1 merges" in problems and "TONGBAO_MAX_SHEET_CELLS" in problems
    assert "secret.txt: a link to a file outside the documents folder; not followed" in problems
    assert "zz-inside.txt: same text as" in problems


_OLD_PROSE = re.compile(r"[\u4e00-\u9fff][^。！？；;]{8,}[。！？；;]")  # quadratic on a block with no sentence end


@given(st.text(alphabet="通报中a 。；;！", max_size=60))
def test_the_linear_prose_test_says_what_the_old_pattern_said(text: str) -> None:
    assert is_prose(text) == bool(_OLD_PROSE.search(text))
