"""Golden outline of the real notices and hostile notice files (checked by reading the text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.corpus import BUNDLED_NOTICES, load_corpus, load_notice
from documents.errors import NoticeError
from documents.loading import decode_notice
from documents.models import Notice, ParagraphKind, Section
from documents.parser import parse_metadata_line, parse_notice

Q1 = BUNDLED_NOTICES / "xianning-2021-q1.txt"
H1 = BUNDLED_NOTICES / "xianning-2021-h1-digest.txt"


@pytest.fixture(scope="module")
def q1() -> Notice:
    return load_notice(Q1)


def _walk(sections: list[Section]) -> list[Section]:
    return [s for section in sections for s in [section, *_walk(section.children)]]


def test_q1_metadata_all_fields(q1: Notice) -> None:
    assert q1.title == "关于《政府工作报告》确定的2021年重点工作第一季度完成情况的通报"
    assert q1.metadata == {
        "索引号": "764137824/2021-18688",
        "文号": "无",
        "主题分类": "政务督查",
        "发文单位": "咸宁市人民政府政务督查室",
        "名称": "关于《政府工作报告》确定的2021年重点工作第一季度完成情况的通报",
        "发布日期": "2021年06月04日",
        "有效性": "有效",
        "发文日期": "",
    }


def test_q1_outline_shape(q1: Notice) -> None:
    top = [(s.marker + s.title, len(s.children)) for s in q1.sections]
    assert top == [("一、主要指标任务完成情况", 2), ("二、其他重点工作完成情况", 8), ("三、下一步工作要求", 0)]
    one, two, three = q1.sections
    assert [c.marker for c in one.children] == ["(一)", "(二)"]
    assert [c.marker for c in one.children[1].children] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    assert [c.marker for c in two.children] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)", "(七)", "(八)"]
    assert [len(c.children) for c in two.children] == [3, 3, 4, 3, 3, 2, 3, 4]
    assert three.paragraph_ids == ["p117", "p118", "p119"]


# Paragraph counts per section (heading line included), counted by reading the notice.
SECTION_PARAGRAPHS = {
    "s1.1": 2,
    "s1.2.3": 1,
    "s2.1.1": 4,
    "s2.1.3": 4,
    "s2.2.3": 7,
    "s2.4.1": 6,
    "s2.5.1": 3,
    "s2.7.2": 6,
    "s2.7.3": 7,
    "s2.8.1": 1,
    "s2.8.4": 1,
    "s3": 3,
}


@pytest.mark.parametrize(("section_id", "count"), SECTION_PARAGRAPHS.items())
def test_q1_section_paragraph_counts(q1: Notice, section_id: str, count: int) -> None:
    section = next(s for s in _walk(q1.sections) if s.id == section_id)
    assert len(section.paragraph_ids) == count


BREADCRUMBS = {
    "p009": "一、主要指标任务完成情况 › (一)全市经济社会发展主要预期目标完成情况",
    "p013": "一、主要指标任务完成情况 › (二)报告中确定的其他指标任务完成情况 › 3.新建5G基站1000座。",
    "p017": "一、主要指标任务完成情况 › (二)报告中确定的其他指标任务完成情况 › 7.新增城镇就业3.7万人。",
    "p021": "二、其他重点工作完成情况 › (一)积极融入新发展格局,筑牢发展基石。 › 1.持续扩大有效投资。",
    "p023": "二、其他重点工作完成情况 › (一)积极融入新发展格局,筑牢发展基石。 › 1.持续扩大有效投资。",
    "p025": "二、其他重点工作完成情况 › (一)积极融入新发展格局,筑牢发展基石。 › 2.加快释放消费潜力。",
    "p041": "二、其他重点工作完成情况 › (二)扎实推动区域协调发展,完善发展布局。 › 3.壮大县域经济。",
    "p064": "二、其他重点工作完成情况 › (四)全面深化改革创新开放,激发发展活力。 › 1.全面深化改革。",
    "p068": "二、其他重点工作完成情况 › (四)全面深化改革创新开放,激发发展活力。 › 2.加快创新步伐。",
    "p092": "二、其他重点工作完成情况 › (六)坚持城乡双轮驱动,优化发展模式。 › 2.深入实施乡村振兴战略。",
    "p113": "二、其他重点工作完成情况 › (八)加强政府自身建设。 › 1.旗帜鲜明讲政治。",
    "p116": "二、其他重点工作完成情况 › (八)加强政府自身建设。 › 4.坚持不懈改进作风。",
    "p118": "三、下一步工作要求",
}


@pytest.mark.parametrize(("paragraph_id", "breadcrumb"), BREADCRUMBS.items())
def test_q1_breadcrumbs(q1: Notice, paragraph_id: str, breadcrumb: str) -> None:
    assert q1.paragraph(paragraph_id).breadcrumb_text == breadcrumb


def test_numbered_line_kinds(q1: Notice) -> None:
    assert q1.paragraph("p020").kind == ParagraphKind.HEADING  # 1.持续扩大有效投资。
    item = q1.paragraph("p013")  # 3.新建5G基站1000座。一季度,全市新建5G基站236座。
    assert (item.kind, item.marker, item.heading) == (ParagraphKind.BODY, "3.", "新建5G基站1000座。")
    politics = q1.paragraph("p113")  # 1.旗帜鲜明讲政治。始终坚持…
    assert (politics.kind, politics.heading) == (ParagraphKind.BODY, "旗帜鲜明讲政治。")


def test_every_paragraph_has_a_breadcrumb_after_the_header(q1: Notice) -> None:
    body = [p for p in q1.paragraphs if p.kind in (ParagraphKind.BODY, ParagraphKind.HEADING) and p.id != "p006"]
    assert body and all(p.breadcrumb for p in body)


@pytest.mark.parametrize("path", [Q1, H1])
def test_round_trip_loses_nothing(path: Path) -> None:
    notice = load_notice(path)
    rebuilt, cursor = [], 0
    for p in notice.paragraphs:
        gap = notice.text[cursor : p.start]
        assert gap.strip() == "", f"text between paragraphs dropped before {p.id}: {gap!r}"
        assert notice.text[p.start : p.end] == p.text
        rebuilt += [gap, p.text]
        cursor = p.end
    rebuilt.append(notice.text[cursor:])
    assert "".join(rebuilt) == notice.text == path.read_text(encoding="utf-8")


def test_h1_digest_header_and_outline() -> None:
    notice = load_notice(H1)
    assert notice.metadata["发布日期"] == "2022年01月10日"
    assert notice.metadata["说明"].startswith("本文为摘编稿")
    assert "索引号" not in notice.metadata
    assert [s.marker for s in notice.sections] == ["一、"]
    assert [c.marker for c in notice.sections[0].children] == ["(一)", "(二)"]
    assert len(notice.sections[0].children[1].children) == 2


def test_metadata_line_with_irregular_spacing_and_empty_value() -> None:
    assert parse_metadata_line("有效性: 有效 发文日期:") == {"有效性": "有效", "发文日期": ""}
    assert parse_metadata_line("索引号 : 1/2 文 \xa0 \xa0号 : 无") == {"索引号": "1/2", "文号": "无"}
    assert parse_metadata_line("一季度,全市新建5G基站236座。") is None


def test_full_width_numbering_and_crlf_and_bom() -> None:
    raw = "\ufeff标题\r\n一、总体情况\r\n（一）经济指标\r\n1．新建基站10座。已建成3座。\r\n".encode()
    decoded = decode_notice(raw, "x.txt")
    notice = parse_notice(decoded.text, "x", warnings=list(decoded.warnings))
    item = notice.sections[0].children[0].children[0]
    assert (item.marker, item.title) == ("1．", "新建基站10座。")
    assert notice.paragraphs[-1].breadcrumb_text == "一、总体情况 › （一）经济指标 › 1．新建基站10座。"
    assert any("byte-order" in w for w in notice.warnings) and any("CRLF" in w for w in notice.warnings)


def test_no_headings_falls_back_to_one_section() -> None:
    notice = parse_notice("某通报\n第一段内容。\n第二段内容。\n", "plain")
    assert len(notice.sections) == 1 and notice.sections[0].paragraph_ids == ["p002", "p003"]
    assert any("no outline headings" in w for w in notice.warnings)


def test_gbk_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("关于工作的通报\n一、主要指标\n新建基站236座。\n".encode("gbk"))
    notice = load_notice(path)
    assert notice.paragraphs[-1].text == "新建基站236座。"
    assert any("GBK" in w for w in notice.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\t\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(NoticeError, match=rf"bad\.txt.*{message}"):
        load_notice(path)


def test_twenty_megabyte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(("一季度,全市新建5G基站236座。\n" * 700_000).encode())
    assert path.stat().st_size > 20_000_000
    with pytest.raises(NoticeError, match="huge.txt.*larger than"):
        load_notice(path)


def test_corpus_skips_bad_and_duplicate_files_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(Q1.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(Q1.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")
    corpus = load_corpus(tmp_path)
    assert [n.doc_id for n in corpus.notices] == ["a"]
    assert any("duplicate" in p for p in corpus.problems) and any("empty" in p for p in corpus.problems)


def test_folder_without_notices_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match="no readable notice"):
        load_corpus(tmp_path)
