"""Tables become one paragraph per row that keeps its labels: column roles, row text, cell alignment, and
flattened tables in real .txt notices regrouped into rows (read from ../shared, skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from documents.columns import column_role
from documents.corpus import load_notice
from documents.models import Cell, ColumnRole
from documents.periods import find_periods
from documents.readers.align import align_row, fit
from documents.readers.flat import regroup
from documents.readers.result import row_text
from documents.readers.tables import table_blocks

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "notices" / "real"
REAL_DEV = SHARED / "eval" / "real-dev.jsonl"


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("序号", ColumnRole.INDEX),
        ("编号", ColumnRole.INDEX),
        ("序 号 |", ColumnRole.INDEX),
        ("目标任务", ColumnRole.TASK),
        ("主要任务", ColumnRole.TASK),
        ("全年目标任务", ColumnRole.TASK),
        ("年度目标", ColumnRole.TASK),
        ("工作任务", ColumnRole.TASK),
        ("项目名称", ColumnRole.TASK),
        ("完成情况", ColumnRole.ACTUAL),
        ("推进情况", ColumnRole.ACTUAL),
        ("进展情况", ColumnRole.ACTUAL),
        ("1-10月推进情况", ColumnRole.ACTUAL),
        ("1-11月推进情况", ColumnRole.ACTUAL),
        ("目标完成情况", ColumnRole.ACTUAL),
        ("进度", ColumnRole.PROGRESS),
        ("完成率", ColumnRole.PROGRESS),
        ("完成进度", ColumnRole.PROGRESS),
        ("是否达序", ColumnRole.PROGRESS),
        ("责任领导", ColumnRole.OWNER),
        ("牵头单位", ColumnRole.OWNER),
        ("牵头 单位", ColumnRole.OWNER),
        ("责任单位", ColumnRole.OWNER),
        ("分管领导", ColumnRole.OWNER),
        ("协同单位", ColumnRole.OWNER),
        ("责任主体与协同单位", ColumnRole.OWNER),
        ("协管责任人", ColumnRole.OWNER),
        ("说明", ColumnRole.NOTE),
        ("备注", ColumnRole.NOTE),
        ("完成时限", ColumnRole.OTHER),
        ("区政府办", ColumnRole.OTHER),
        ("", ColumnRole.OTHER),
    ],
)
def test_column_role(header: str, role: ColumnRole) -> None:
    assert column_role(header) == role


@pytest.mark.parametrize(
    ("header", "label"),
    [("1-11月推进情况", "--01/--11"), ("1-10月推进情况", "--01/--10"), ("一季度完成情况", "Q1"), ("目标任务", None)],
)
def test_the_period_of_a_header_is_read_by_find_periods(header: str, label: str | None) -> None:
    assert [p[2] for p in find_periods(header)] == ([label] if label else [])


def test_row_text_pairs_headers_and_cells_and_drops_empty_cells_and_the_index() -> None:
    cells = [Cell(header=h, text=t) for h, t in [("序号", "3"), ("目标任务", "新建5G基站1000座"), ("备注", "")]]
    assert row_text(cells) == "目标任务:新建5G基站1000座"
    assert row_text([Cell(header="", text="无表头的格")]) == "无表头的格"


@pytest.mark.parametrize(
    ("role", "text", "sign"),
    [
        (ColumnRole.OWNER, "徐国江", 1),
        (ColumnRole.OWNER, "徐  平", 1),
        (ColumnRole.OWNER, "市政局、环卫处、崇川经济开发区、各街道", 1),
        (ColumnRole.OWNER, "完成地区生产总值121.9亿元(预计数),同比增长8%。", -1),
        (ColumnRole.TASK, "徐国江", -1),
        (ColumnRole.TASK, "新建5G基站1000座", 1),
        (ColumnRole.ACTUAL, "已建成建筑垃圾中转站7个", 1),
        (ColumnRole.ACTUAL, "否", -1),
        (ColumnRole.PROGRESS, "否", 1),
        (ColumnRole.PROGRESS, "23.6%", 1),
        (ColumnRole.INDEX, "24", 1),
        (ColumnRole.INDEX, "城管局", -1),
    ],
)
def test_fit(role: ColumnRole, text: str, sign: int) -> None:
    assert fit(role, text) * sign > 0


HEADERS = ["序号", "主要任务", "全年目标任务", "分管领导", "牵头单位", "1-11月推进情况", "是否达序", "说明"]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # every cell present: in place
        (
            ["1", "城市管理", "新建中转站8个", "徐国江", "城管局", "已建成7个", "是", "无"],
            ["1", "城市管理", "新建中转站8个", "徐国江", "城管局", "已建成7个", "是", "无"],
        ),
        # the 主要任务 category merged from the row above is missing, and a trailing empty cell
        (
            ["2", "新建分类池20个", "徐国江", "城管局", "已建成17个", "是", "", ""],
            ["2", "", "新建分类池20个", "徐国江", "城管局", "已建成17个", "是", ""],
        ),
        # more cells than columns: the extra line joins the cell before it, nothing is dropped
        (
            ["3", "城市管理", "新建中转站8个", "徐国江", "城管局", "已建成7个,", "其余在建。", "否", "滞后"],
            ["3", "城市管理", "新建中转站8个", "徐国江", "城管局", "已建成7个,其余在建。", "否", "滞后"],
        ),
        # a truncated row: what is there stays in front
        (["4", "新建中转站8个"], ["4", "", "新建中转站8个", "", "", "", "", ""]),
    ],
)
def test_align_row(cells: list[str], expected: list[str]) -> None:
    assert align_row(HEADERS, cells) == expected


def test_table_blocks_title_header_rows_and_a_merged_category_row() -> None:
    rows = [
        ["2024年重点任务推进表", None, None],
        ["序号", "目标任务", "完成情况"],
        ["一、经济发展", None, None],
        ["1", "新建5G基站1000座", "新建236座"],
        ["", "", ""],
        ["2", "改造老旧小区40个", ""],
    ]
    blocks = table_blocks(rows)
    assert [b.text for b in blocks] == [
        "2024年重点任务推进表",
        "一、经济发展",
        "目标任务:新建5G基站1000座;完成情况:新建236座",
        "目标任务:改造老旧小区40个",
    ]
    assert [bool(b.cells) for b in blocks] == [False, False, True, True]
    assert blocks[3].cells[2] == Cell(header="完成情况", text="")


def test_a_table_without_known_columns_stays_text() -> None:
    rows = [["索引号:", "764137824/2021-18688", "文号:", "无"], ["发布日期:", "2021年06月04日", "", ""]]
    assert [(b.text, b.cells) for b in table_blocks(rows)] == [
        ("索引号: 764137824/2021-18688 文号: 无", []),
        ("发布日期: 2021年06月04日", []),
    ]


def test_a_table_continued_on_the_next_page_keeps_its_header() -> None:
    header = ["序号", "目标任务", "完成情况"]
    blocks = table_blocks([["7", "新增就业3000人", "新增820人"]], header=header)
    assert blocks[0].text == "目标任务:新增就业3000人;完成情况:新增820人"


def test_a_flat_table_in_text_is_regrouped_and_the_text_around_it_kept() -> None:
    lines = ["某区重点任务推进情况", "序号", "目标任务", "责任单位", "完成情况", "1", "新建基站100座", "区通信办"]
    lines += ["新建30座。", "2", "新增就业500人", "区人社局、", "各街道", "新增就业120人。", "三、下一步", "抓落实。"]
    blocks = regroup(lines)
    assert [b.text for b in blocks] == [
        "某区重点任务推进情况",
        "目标任务:新建基站100座;责任单位:区通信办;完成情况:新建30座。",
        "目标任务:新增就业500人;责任单位:区人社局、各街道;完成情况:新增就业120人。",
        "三、下一步",
        "抓落实。",
    ]


def test_a_table_written_one_row_per_line_between_bars_is_regrouped() -> None:
    lines = ["一、民生实事任务分解表", "序号 | 具体工作任务和要求 | 责任单位 | 落实情况 |"]
    lines += ["1 | 增加义务教育学位5000个。 | 县教体局 | 新增义务教育学位5500个。 |"]
    lines += ["2 | 新建农村公路100公里。 | 县交通局 | 已完工。 |", "二、下一步", "抓落实。"]
    assert [b.text for b in regroup(lines)] == [
        "一、民生实事任务分解表",
        "具体工作任务和要求:增加义务教育学位5000个。;责任单位:县教体局;落实情况:新增义务教育学位5500个。",
        "具体工作任务和要求:新建农村公路100公里。;责任单位:县交通局;落实情况:已完工。",
        "二、下一步",
        "抓落实。",
    ]
    assert regroup(["甲 | 乙 | 丙", "1 | 2 | 3"]) is None  # no 序号 column: not a task table


def test_text_without_a_flat_table_is_left_alone() -> None:
    assert regroup(["序号", "这不是表头,而是一句很长的正文,说明序号的编排规则。", "1"]) is None
    assert regroup(["通报", "一、总体情况", "新建基站10座。"]) is None


# ---- golden: the two real notices whose tables reached .txt one cell per line ---------------------------


def _real(stem: str):
    path = REAL / f"{stem}.txt"
    if not path.is_file():
        pytest.skip(f"{path} is absent (the shared real notices are not beside this checkout)")
    return path, load_notice(path)


def _gold(stem: str) -> list[dict]:
    if not REAL_DEV.is_file():
        pytest.skip(f"{REAL_DEV} is absent")
    items = [json.loads(line) for line in REAL_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [item for item in items if item.get("doc") == stem]


def _squeeze(text: str) -> str:
    return "".join(text.split()).replace("|", "")


@pytest.mark.parametrize(
    ("stem", "numbers", "columns"),
    [
        ("04-yueyanglou-2018-q1", ["1", "2", "3", "4", "5", "6", "7"], 8),
        ("11-chongchuan-2023-1-11", ["24", "25", "26"], 10),
        ("29-10件民生实事任务分解表", ["1", "2", "3", "4"], 5),
    ],
)
def test_a_real_flat_table_gives_one_paragraph_per_row(stem: str, numbers: list[str], columns: int) -> None:
    path, notice = _real(stem)
    rows = [p for p in notice.paragraphs if p.cells]
    assert [p.cells[0].text for p in rows] == numbers
    assert {len(p.cells) for p in rows} == {columns}
    assert all(p.text == row_text(p.cells) and notice.text[p.start : p.end] == p.text for p in rows)
    # nothing is dropped: every character of the file is in the notice's text, or is a 序号 cell or a header
    source = _squeeze(path.read_text(encoding="utf-8"))
    kept = _squeeze(notice.text) + "".join(numbers) + "".join(c.header for c in rows[0].cells)
    assert all(kept.count(ch) >= source.count(ch) for ch in set(source))
    assert any("regrouped into" in w for w in notice.warnings)


def test_the_yueyanglou_rows_put_each_cell_under_its_column() -> None:
    path, notice = _real("04-yueyanglou-2018-q1")
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = [p for p in notice.paragraphs if p.cells]
    headers = [c.header for c in rows[0].cells]
    assert headers == [
        "序号",
        "目标任务",
        "责任领导",
        "区政府办协管责任人",
        "牵头单位",
        "责任人",
        "相关单位",
        "完成情况",
    ]
    for row in rows[:6]:  # rows 1-6 are whole; the file stops inside row 7
        cells = {c.header: c.text for c in row.cells}
        start = lines.index(cells["序号"], lines.index("完成情况"))
        assert cells["目标任务"] == lines[start + 1].strip()
        assert cells["完成情况"] == lines[lines.index(cells["完成情况"])].strip()
        assert all(cells[h] for h in headers), row.text
    assert {c.header: c.text for c in rows[6].cells}["目标任务"] == lines[lines.index("7") + 1].strip()


def test_the_chongchuan_rows_keep_both_progress_columns_apart() -> None:
    path, notice = _real("11-chongchuan-2023-1-11")
    lines = [line.strip().removesuffix("|").strip() for line in path.read_text(encoding="utf-8").split("\n")]
    rows = {p.cells[0].text: {c.header: c.text for c in p.cells} for p in notice.paragraphs if p.cells}
    for number, row in rows.items():
        at = lines.index(number)
        assert row["全年目标任务"] == lines[at + 1]  # the 主要任务 category is merged away in this copy
        assert row["主要任务"] == ""
        assert row["1-10月推进情况"] == lines[at + 5] and row["1-11月推进情况"] == lines[at + 6]
        assert row["是否达序"] in ("是", "否")
    assert rows["25"]["说明"] and rows["24"]["说明"] == ""


@pytest.mark.parametrize("stem", ["04-yueyanglou-2018-q1", "11-chongchuan-2023-1-11"])
def test_every_gold_passage_of_the_real_dev_set_is_in_one_cell(stem: str) -> None:
    _, notice = _real(stem)
    golds = [g for item in _gold(stem) for g in item["gold"]]
    assert golds
    for gold in golds:
        holders = [p for p in notice.paragraphs if gold in p.text]
        assert len(holders) == 1, gold
        assert holders[0].cells and any(gold in c.text for c in holders[0].cells), gold
