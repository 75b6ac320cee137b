"""A PDF's printed lines re-joined into paragraphs (pure: positioned lines in, paragraphs out)."""

from __future__ import annotations

from documents.readers.pdf_lines import Line, drop_page_furniture, paragraphs

LEFT, RIGHT, SIZE, PITCH = 72.0, 520.0, 12.0, 18.0


def lines(*specs: tuple[str, float, float], size: float = SIZE, page: int = 1, top: float = 100.0) -> list[Line]:
    """(text, x0, x1) per line, one pitch apart."""
    return [
        Line(text=t, x0=x0, x1=x1, top=top + i * PITCH, size=size, page=page, lead=SIZE)
        for i, (t, x0, x1) in enumerate(specs)
    ]


FULL = (LEFT, RIGHT)
INDENT = (LEFT + 2 * SIZE, RIGHT)


def test_wrapped_lines_join_and_an_indented_line_starts_a_paragraph() -> None:
    got = paragraphs(
        lines(
            ("一季度,全市新建5G基站236座,完成", *INDENT),
            ("全年目标的23.6%。其中", *FULL),
            ("城区新建120座。", LEFT, 200.0),
            ("新增城镇就业5193人。", LEFT + 2 * SIZE, 300.0),
            ("第二段的第二行", *INDENT),
            ("完。", LEFT, 100.0),
        )
    )
    assert got == [
        "一季度,全市新建5G基站236座,完成全年目标的23.6%。其中城区新建120座。",
        "新增城镇就业5193人。",
        "第二段的第二行完。",
    ]


def test_an_outline_marker_starts_a_paragraph_unless_the_line_before_runs_on() -> None:
    got = paragraphs(
        lines(("正文第一段写满了一整行,结束。", *INDENT), ("(二)其他指标", *FULL), ("这一行以顿号结尾、", *INDENT))
        + lines(("3.新材料等产业", *FULL), top=154.0)
    )
    assert got == ["正文第一段写满了一整行,结束。", "(二)其他指标", "这一行以顿号结尾、3.新材料等产业"]


def test_without_indents_or_gaps_a_sentence_end_closes_a_paragraph() -> None:
    got = paragraphs(
        lines(
            ("第一段恰好写满一行。", *FULL), ("第二段。", LEFT, 150.0), ("第三段写满", *FULL), ("了两行。", LEFT, 150.0)
        )
    )
    assert got == ["第一段恰好写满一行。", "第二段。", "第三段写满了两行。"]


def test_with_indents_a_full_line_ending_a_sentence_runs_on() -> None:
    got = paragraphs(
        lines(("第一句。", *INDENT), ("第二句还在同一段。", LEFT, 200.0), ("另起一段。", LEFT + 2 * SIZE, 200.0))
    )
    assert got == ["第一句。第二句还在同一段。", "另起一段。"]


def test_a_line_wrapped_at_a_space_keeps_the_space() -> None:
    short = Line(text="名称: 关于某事的通报 发布日期:", x0=LEFT, x1=RIGHT - 30, top=100, size=SIZE, page=1)
    wide = Line(text="2021年06月04日", x0=LEFT, x1=150, top=118, size=SIZE, page=1, lead=70.0)
    body = lines(("正文缩进。", *INDENT), ("正文第二段。", *INDENT), top=136.0)
    assert paragraphs([short, wide, *body]) == [
        "名称: 关于某事的通报 发布日期: 2021年06月04日",
        "正文缩进。",
        "正文第二段。",
    ]


def test_a_title_in_a_larger_font_over_two_centred_lines_is_one_paragraph() -> None:
    title = lines(("关于2021年重点工作第一季度完成情况", LEFT, RIGHT), ("的通报", 280.0, 310.0), size=16.0, top=60.0)
    body = lines(("正文。", *INDENT), ("再一段。", *INDENT))
    assert paragraphs(title + body) == ["关于2021年重点工作第一季度完成情况的通报", "正文。", "再一段。"]


def test_a_paragraph_runs_on_over_a_page_break() -> None:
    got = paragraphs(
        lines(("跨页的一段写满", *INDENT), ("了这一行", *FULL)) + lines(("到下一页才结束。", LEFT, 200.0), page=2)
    )
    assert got == ["跨页的一段写满了这一行到下一页才结束。"]


def test_page_numbers_and_running_headers_are_dropped() -> None:
    heights = {1: 842.0, 2: 842.0}
    page = [Line(text="市人民政府督查室", x0=LEFT, x1=200, top=20, size=9, page=n) for n in (1, 2)] + [
        Line(text=f"- {n} -", x0=280, x1=300, top=810, size=10, page=n) for n in (1, 2)
    ]
    body = [Line(text="正文。", x0=LEFT, x1=200, top=400, size=SIZE, page=1)]
    assert drop_page_furniture(page + body, heights) == body
    single = [Line(text="市人民政府督查室", x0=LEFT, x1=200, top=20, size=9, page=1)]
    assert drop_page_furniture(single, {1: 842.0}) == single  # text at the top of a one-page file is kept


def test_one_overlong_line_does_not_make_the_others_look_short() -> None:
    body = [(f"第{i}行写满了一整行的正文内容", *FULL) for i in range(30)]
    got = paragraphs(
        lines(("开头缩进的一段", *INDENT), *body, ("http://www.example.gov.cn/a/very/long/link", LEFT, RIGHT + 90))
    )
    assert len(got) == 1


def test_a_line_broken_before_a_figure_in_chinese_text_joins_without_a_space() -> None:
    """Chinese has no spaces: a short line ending in a character was broken before an unbreakable figure run."""
    short = Line(
        text="一季度,在城区裸露地块播种三叶草", x0=LEFT + 2 * SIZE, x1=RIGHT - 3 * SIZE, top=100, size=SIZE, page=1
    )
    run = Line(text="7500平方米,摆花18万株。", x0=LEFT, x1=300, top=118, size=SIZE, page=1, lead=70.0)
    body = lines(("下一段。", *INDENT), ("再一段。", *INDENT), top=136.0)
    assert paragraphs([short, run, *body]) == [
        "一季度,在城区裸露地块播种三叶草7500平方米,摆花18万株。",
        "下一段。",
        "再一段。",
    ]
