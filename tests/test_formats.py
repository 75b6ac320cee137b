"""Notices as they are published (.docx, .pdf, web page, .xlsx) read to the same outline and ledger as the .txt.

Differences from the .txt, by format (the tests below pin them):
- .docx: none; the text is the .txt's text exactly.
- .pdf: the four header lines (索引号 … 发文日期) lose their padding: `文 \\xa0 \\xa0 \\xa0 号` prints as `文 号`.
- web page: the header lines come from the page's info box: `索引号: 764137824/2021-18688 文号: 无`.
Header values (Notice.metadata), every other paragraph (text, id, breadcrumb, section), the sections and
the ledger are the same in all four.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from documents.columns import column_role
from documents.corpus import BUNDLED_NOTICES, load_corpus, load_notice
from documents.errors import NoticeError
from documents.ledger import build_ledger
from documents.models import ColumnRole, Notice, ParagraphKind
from documents.readers import read_notice_bytes, read_notice_path, sniff
from documents.readers.cache import READERS_VERSION
from index.chunks import chunk_notice
from tests.fixtures import formats

Q1_TXT = BUNDLED_NOTICES / "xianning-2021-q1.txt"
DIGEST_TXT = BUNDLED_NOTICES / "xianning-2021-h1-digest.txt"
Q1_FORMATS = ["q1.docx", "q1.pdf", "q1.html"]


@pytest.fixture(scope="module")
def q1_txt() -> Notice:
    return load_notice(Q1_TXT)


def _read(published: dict[str, Path], name: str) -> Notice:
    return load_notice(published[name], doc_id="xianning-2021-q1")


def _outline(notice: Notice) -> list[tuple]:
    return [
        (p.id, p.kind, p.text, p.breadcrumb, p.section_id, p.marker, p.heading)
        for p in notice.paragraphs
        if p.kind != ParagraphKind.META
    ]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", Q1_FORMATS)
def test_the_q1_notice_in_every_format_has_the_txt_outline(published, q1_txt: Notice, name: str) -> None:
    notice = _read(published, name)
    assert notice.title == q1_txt.title
    assert notice.metadata == q1_txt.metadata
    assert _outline(notice) == _outline(q1_txt)
    assert [s.model_dump() for s in notice.sections] == [s.model_dump() for s in q1_txt.sections]
    meta = [p for p in notice.paragraphs if p.kind == ParagraphKind.META]
    txt_meta = [p for p in q1_txt.paragraphs if p.kind == ParagraphKind.META]
    assert [p.id for p in meta] == [p.id for p in txt_meta]
    assert [_squeeze(p.text) for p in meta] == [_squeeze(p.text) for p in txt_meta]  # only spacing differs
    assert notice.warnings == q1_txt.warnings


def test_the_q1_docx_text_is_the_txt_text(published, q1_txt: Notice) -> None:
    assert _read(published, "q1.docx").text == q1_txt.text


def _ledger(notice: Notice) -> list[tuple]:
    def figure(ref):
        return None if ref is None else (ref.paragraph_id, ref.quantity.text, ref.quantity.value)

    return [
        (t.id, t.indicator, t.period, t.kind, figure(t.target), figure(t.actual), [figure(p) for p in t.parts])
        + (figure(t.plan), figure(t.stated_rate), t.progress_pct, t.formula, t.status, t.status_text, t.rate_check)
        for t in build_ledger(notice)
    ]


@pytest.mark.parametrize("name", Q1_FORMATS)
def test_the_q1_notice_in_every_format_has_the_txt_ledger(published, q1_txt: Notice, name: str) -> None:
    rows = _ledger(_read(published, name))
    assert len(rows) >= 25 and rows == _ledger(q1_txt)  # the .txt ledger itself is pinned by tests/test_ledger.py


@pytest.mark.parametrize("name", Q1_FORMATS)
def test_the_q1_notice_in_every_format_is_indexed_as_the_txt(published, q1_txt: Notice, name: str) -> None:
    def indexed(notice: Notice) -> list[tuple]:
        return [(c.id, c.text, c.context, c.breadcrumb) for c in chunk_notice(notice)]

    assert indexed(_read(published, name)) == indexed(q1_txt)


# ---- the 目标任务 table notice ----------------------------------------------------------------------------

ROW_1 = "目标任务:新建5G基站1000座;责任单位:市通信发展办;完成情况:一季度新建236座;进度:23.6%"


@pytest.mark.parametrize("name", ["table.docx", "table.xlsx", "table.pdf"])
def test_a_target_table_becomes_one_labelled_paragraph_per_row(published, name: str) -> None:
    notice = load_notice(published[name])
    rows = [p for p in notice.paragraphs if p.cells]
    assert notice.title == formats.TABLE_TITLE
    assert [p.text for p in rows][0] == ROW_1
    assert len(rows) == len(formats.TABLE_ROWS)
    for paragraph, expected in zip(rows, formats.TABLE_ROWS, strict=True):
        assert [c.header for c in paragraph.cells] == formats.TABLE_HEADER
        assert [c.text for c in paragraph.cells] == expected  # in .docx row 5's 责任单位 is merged from row 4
        assert paragraph.kind == ParagraphKind.BODY and notice.text[paragraph.start : paragraph.end] == paragraph.text
    assert rows[-1].text == "目标任务:新建农村公路100公里;责任单位:市住建局"  # empty cells are left out
    roles = [column_role(c.header) for c in rows[0].cells]
    assert roles == [ColumnRole.INDEX, ColumnRole.TASK, ColumnRole.OWNER, ColumnRole.ACTUAL, ColumnRole.PROGRESS]
    place = [formats.TABLE_HEADING] if name != "table.xlsx" else [formats.TABLE_TITLE]
    assert {tuple(p.breadcrumb) for p in rows} == {tuple(place)}


def test_text_after_a_table_is_placed_in_its_own_section(published) -> None:
    notice = load_notice(published["table.docx"])
    closing = notice.paragraphs[-1]
    assert closing.text == formats.TABLE_CLOSING and closing.breadcrumb == [formats.TABLE_NEXT]
    assert "第 1 页" not in notice.text and "市人民政府政务督查室" not in notice.text  # page header/footer


def test_a_frame_drawn_round_a_pdf_page_is_not_a_table(published) -> None:
    notice = load_notice(published["framed.pdf"])
    assert [p.text for p in notice.paragraphs] == [
        formats.TABLE_TITLE,
        formats.TABLE_META,
        formats.TABLE_INTRO,
        formats.TABLE_NEXT,
        formats.TABLE_CLOSING,
    ]


# ---- bad files: a clear message naming the file, and nothing else changes -------------------------------

BAD = [
    ("encrypted.pdf", "password-protected"),
    ("scanned.pdf", "no text layer.*OCR"),
    ("truncated.docx", "not a readable .docx"),
    ("no-body.docx", "not a readable .docx"),
    ("chrome-only.html", "no article found"),
    ("empty-table.xlsx", "empty table"),
    ("damaged.xlsx", "not a readable .xlsx"),
    ("old.doc", "libreoffice --headless --convert-to docx"),
]


@pytest.mark.parametrize(("name", "message"), BAD)
def test_a_bad_file_gets_a_message_naming_it(published, name: str, message: str) -> None:
    with pytest.raises(NoticeError, match=message) as caught:
        read_notice_path(published[name])
    assert str(caught.value).startswith(f"{name}: ")


@pytest.mark.parametrize("name", ["q1.pdf", "table.docx", "table.xlsx", "q1.html"])
def test_a_file_over_the_size_limit_is_refused(published, name: str) -> None:
    with pytest.raises(NoticeError, match=f"^{re.escape(name)}: .* larger than"):
        read_notice_bytes(published[name].read_bytes(), name, max_bytes=1024)


def test_bad_files_in_a_folder_are_reported_and_the_good_ones_load_unchanged(published, tmp_path: Path) -> None:
    shutil.copy(Q1_TXT, tmp_path)
    for name, _ in BAD:
        shutil.copy(published[name], tmp_path / name)
    corpus = load_corpus(tmp_path)
    assert [n.model_dump() for n in corpus.notices] == [load_notice(tmp_path / Q1_TXT.name).model_dump()]
    assert sorted(p.split(":")[0] for p in corpus.problems) == sorted(name for name, _ in BAD)


def test_the_same_notice_in_two_formats_is_loaded_once(published, tmp_path: Path) -> None:
    shutil.copy(Q1_TXT, tmp_path)
    shutil.copy(published["q1.docx"], tmp_path / "xianning-2021-q1.docx")
    corpus = load_corpus(tmp_path)
    assert [n.doc_id for n in corpus.notices] == ["xianning-2021-q1"]
    assert corpus.notices[0].path.endswith(".txt")
    assert corpus.problems == ["xianning-2021-q1.docx: same text as xianning-2021-q1.txt; skipped as a duplicate"]


def test_a_page_keeps_its_info_fields_when_the_article_does_not_hold_them() -> None:
    article = "".join(
        f"<p>{line}</p>" for line in [formats.TABLE_INTRO, "一季度,全市新建5G基站236座,完成全年目标的23.6%。"]
    )
    page = f"""<html><head><meta charset="gbk"><title>{formats.TABLE_TITLE}_市政府</title></head><body>
    <div class="nav"><a href="/">首页</a> | <a href="/zw/">政务公开</a> | <a href="/fw/">服务</a> | <a>互动</a></div>
    <div class="info"><span>发布日期:2024-04-15</span> <span>来源:市政府督查室</span> <span>浏览次数:326</span></div>
    <h1>{formats.TABLE_TITLE}</h1><div class="content">{article}</div>
    <div class="footer">版权所有:市人民政府办公室 备案号:ICP备12345678号</div></body></html>"""
    notice = read_notice_bytes(page.encode("gbk"), "page.html").to_notice("page")
    assert notice.title == formats.TABLE_TITLE
    assert notice.metadata["发布日期"] == "2024-04-15" and notice.metadata["来源"] == "市政府督查室"
    assert [p.text for p in notice.paragraphs[1:]] == [
        formats.TABLE_INTRO,
        "一季度,全市新建5G基站236座,完成全年目标的23.6%。",
    ]


# ---- a folder of mixed formats, --documents ---------------------------------------------------------------


@pytest.fixture
def mixed(published, tmp_path: Path) -> Path:
    shutil.copy(DIGEST_TXT, tmp_path)
    shutil.copy(published["q1.pdf"], tmp_path / "xianning-2021-q1.pdf")
    shutil.copy(published["table.docx"], tmp_path / "targets-2024-q1.docx")
    shutil.copy(published["table.xlsx"], tmp_path / "targets-2024-q1-sheet.xlsx")
    (tmp_path / "notes.rtf").write_text("{\\rtf1 not a notice}", encoding="ascii")  # not a notice suffix: ignored
    return tmp_path


def test_a_folder_of_mixed_formats_loads_every_notice(mixed: Path) -> None:
    corpus = load_corpus(mixed)
    assert corpus.problems == []
    assert [(n.doc_id, Path(n.path).suffix) for n in corpus.notices] == [
        ("targets-2024-q1", ".docx"),
        ("targets-2024-q1-sheet", ".xlsx"),
        ("xianning-2021-h1-digest", ".txt"),
        ("xianning-2021-q1", ".pdf"),
    ]


def test_documents_option_reads_a_mixed_folder(mixed: Path) -> None:
    result = CliRunner().invoke(app, ["--documents", str(mixed), "outline", "--doc", "targets-2024-q1"])
    assert result.exit_code == 0, result.output
    assert ROW_1[:40] in result.output and "一、重点目标任务推进情况" in result.output  # previews: 40 characters
    result = CliRunner().invoke(app, ["--documents", str(mixed), "targets", "--format", "json"])
    assert result.exit_code == 0 and "新建5G基站" in result.output


# ---- which reader reads what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("q1.docx", "docx"), ("q1.pdf", "pdf"), ("table.xlsx", "xlsx"), ("old.doc", "ole"), ("q1.html", "html")],
)
def test_sniff_reads_the_bytes_before_the_name(published, name: str, fmt: str) -> None:
    raw = published[name].read_bytes()
    assert sniff(raw, name) == fmt
    assert sniff(raw, "download.bin") == fmt
    if fmt != "html":  # a .txt holding markup is read as text, as it always was
        assert sniff(raw, "renamed.txt") == fmt


def test_a_pdf_named_docx_is_read_as_a_pdf_and_says_so(published) -> None:
    decoded = read_notice_bytes(published["q1.pdf"].read_bytes(), "q1.docx")
    assert decoded.format == "pdf"
    assert decoded.warnings[0] == "q1.docx: the file is really pdf, not docx; read as pdf"


@pytest.mark.parametrize(
    ("raw", "name", "fmt"),
    [
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "page", "html"),
        (b"\xef\xbb\xbf<html lang='zh'>", "page.htm", "html"),
        (b"<p>plain text that starts with a tag</p>", "notice.txt", "txt"),
        ("一季度通报".encode(), "notice.md", "md"),
        ("一季度通报".encode(), "notice", "txt"),
        (b"{\\rtf1\\ansi}", "notice.doc", "rtf"),
        (b"PK\x03\x04broken", "notice.docx", "docx"),
    ],
)
def test_sniff(raw: bytes, name: str, fmt: str) -> None:
    assert sniff(raw, name) == fmt


# ---- conversions are cached by content hash ---------------------------------------------------------------


def test_a_conversion_is_cached_by_the_hash_of_its_bytes(published, tmp_path: Path, monkeypatch) -> None:
    from documents.readers import dispatch

    cache = tmp_path / "conversions"
    raw = published["table.xlsx"].read_bytes()
    first = read_notice_bytes(raw, "a.xlsx", cache=cache)
    assert [p.name for p in cache.iterdir()] == [f"{first.source_sha256}-v{READERS_VERSION}.json"]

    def converted_again(raw: bytes, name: str, limits: object):
        raise AssertionError(f"{name} was converted again")

    monkeypatch.setitem(dispatch._READERS, "xlsx", converted_again)
    again = read_notice_bytes(raw, "b.xlsx", cache=cache)
    assert again.model_dump(exclude={"name"}) == first.model_dump(exclude={"name"}) and again.name == "b.xlsx"
    with pytest.raises(AssertionError, match="converted again"):  # other bytes: a new conversion
        read_notice_bytes(raw + b"\0", "c.xlsx", cache=cache)
    (cache / f"{first.source_sha256}-v{READERS_VERSION}.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(AssertionError, match="converted again"):  # a damaged cache entry is not trusted
        read_notice_bytes(raw, "d.xlsx", cache=cache)


def test_warnings_of_a_cached_conversion_name_the_file_read(published, tmp_path: Path) -> None:
    cache = tmp_path / "conversions"
    raw = published["q1.pdf"].read_bytes()
    read_notice_bytes(raw, "first.pdf", cache=cache)
    decoded = read_notice_bytes(raw, "second.docx", cache=cache)
    assert decoded.warnings == ["second.docx: the file is really pdf, not docx; read as pdf"]
    assert read_notice_bytes(raw, "third.pdf", cache=cache).warnings == []


def test_a_bad_file_is_not_cached(published, tmp_path: Path) -> None:
    cache = tmp_path / "conversions"
    with pytest.raises(NoticeError):
        read_notice_bytes(published["scanned.pdf"].read_bytes(), "scan.pdf", cache=cache)
    assert not cache.exists() or not list(cache.iterdir())
