"""Typed contract of the documents layer: a parsed notice, its figures and its targets."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field, PrivateAttr


class ParagraphKind(StrEnum):
    TITLE = "title"
    META = "meta"  # header lines: 索引号, 文号, 发布日期 …
    HEADING = "heading"  # a numbered line that is only a heading (一、… / (一)… / 1.持续扩大有效投资。)
    BODY = "body"  # content, possibly opening with its own numbered heading sentence


class ColumnRole(StrEnum):
    """What a table column holds, read from its header (see documents.columns.column_role)."""

    INDEX = "index"  # 序号
    TASK = "task"  # 目标任务, 主要任务, 全年目标任务, 年度目标
    ACTUAL = "actual"  # 完成情况, 推进情况, 进展情况, 1-10月推进情况
    PROGRESS = "progress"  # 进度, 完成率, 是否达序
    OWNER = "owner"  # 责任领导, 牵头单位, 责任单位, 分管领导, 协同单位
    NOTE = "note"  # 说明, 备注
    OTHER = "other"


class Cell(BaseModel):
    """One cell of a table row: the column's header as written (whitespace removed) and the cell's text."""

    header: str = Field(description="e.g. '目标任务', '1-11月推进情况'; '' for a column without a header")
    text: str = Field(description="the cell's text on one line; '' for an empty cell")


class Paragraph(BaseModel):
    """One non-blank line of a notice, with where it sits in the outline and in the file.

    A table row is one paragraph too: its text is `header:cell` pairs joined by ';' and `cells` holds the row.
    """

    id: str = Field(description="stable id within the notice, 'p' + 1-based line number, e.g. 'p012'")
    doc_id: str
    kind: ParagraphKind
    text: str = Field(description="the line without its line ending")
    start: int = Field(description="character offset of text in Notice.text")
    end: int
    breadcrumb: list[str] = Field(default_factory=list, description="headings from the top section down")
    section_id: str | None = None
    marker: str | None = Field(default=None, description="the numbering this line opens with, e.g. '3.'")
    heading: str | None = Field(default=None, description="its heading sentence when it opens with one")
    cells: list[Cell] = Field(
        default_factory=list, description="for a table row: one cell per column, in order; empty otherwise"
    )
    source: str | None = Field(
        default=None, description="the line as published, where reading changed it (pinyin glosses dropped)"
    )

    @property
    def published(self) -> str:
        """The paragraph as the notice wrote it: what a citation shows."""
        return self.source or self.text

    @property
    def breadcrumb_text(self) -> str:
        return " › ".join(self.breadcrumb)


class Section(BaseModel):
    id: str = Field(description="e.g. 's1', 's1.2', 's2.1.3'")
    level: int = Field(description="1 for 一、, 2 for (一), 3 for 1.")
    marker: str
    title: str
    paragraph_id: str = Field(description="the paragraph holding the heading")
    children: list[Section] = Field(default_factory=list)
    paragraph_ids: list[str] = Field(default_factory=list, description="paragraphs directly in this section")


class Notice(BaseModel):
    doc_id: str = Field(description="file stem, e.g. '21-ningdu-2023-1-11'")
    path: str
    sha256: str
    title: str
    metadata: dict[str, str] = Field(description="header key → value; empty string where the value is blank")
    text: str = Field(description="the decoded text (BOM removed, line endings normalised to \\n)")
    paragraphs: list[Paragraph]
    sections: list[Section]
    warnings: list[str] = Field(default_factory=list, description="what the parser could not place")

    _positions: dict[str, int] = PrivateAttr(default_factory=dict)

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph of that id (KeyError if none): looked up by position, checked, re-indexed when stale."""
        at = self._positions.get(paragraph_id)
        if at is None or at >= len(self.paragraphs) or self.paragraphs[at].id != paragraph_id:
            self._positions = {p.id: i for i, p in enumerate(self.paragraphs)}
            at = self._positions.get(paragraph_id)
            if at is None:
                raise KeyError(paragraph_id)
        return self.paragraphs[at]


class QuantityKind(StrEnum):
    COUNT = "count"
    MONEY = "money"
    AREA = "area"
    PERCENT = "percent"
    PERCENTAGE_POINT = "percentage_point"
    RATIO = "ratio"  # 倍, 比例 stated as a fraction
    RANK = "rank"  # 第四, 第三十八位, 排名第二
    MEASURE = "measure"  # other physical measures: 吨, 公里, 千伏 …
    DURATION = "duration"  # 日, 天, 小时 counted as amounts (154107日)
    YEAR_SPAN = "year_span"  # 2020-2022 as a range of years


class Qualifier(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"  # 不少于, 以上, 超过, 突破, 达 … (a floor)
    AT_MOST = "at_most"  # 以内, 以下, 不超过, 控制在 (a ceiling)
    APPROX = "approx"  # 约, 近, 余, 多, 左右
    RANGE = "range"  # 1-2次
    AIM = "aim"  # 力争: an aspiration, not a commitment


class Quantity(BaseModel):
    """A figure found in text: its exact span, its exact value and what it counts."""

    text: str = Field(description="the exact span, e.g. '3.7万人', '4.5%以内', '不少于3个'")
    start: int
    end: int
    number_text: str = Field(description="the number as written, magnitude kept: '3.7万', '58.3%', '第四'")
    value: Decimal = Field(description="magnitude applied: 3.7万 → 37000; percents stay 58.3")
    upper: Decimal | None = Field(default=None, description="upper end of a range")
    unit: str = Field(default="", description="measure word or unit: '人', '亿元'→'元', '%', '个百分点'")
    kind: QuantityKind
    qualifier: Qualifier = Qualifier.EXACT


class TargetKind(StrEnum):
    GROWTH_RATE = "growth_rate"  # 增长10.5%
    CEILING = "ceiling"  # 4.5%以内, 涨幅3%
    FLOOR = "floor"  # 不少于3个, 15%以上
    CUMULATIVE = "cumulative"  # 新建5G基站1000座: a count to reach over the year
    SHARE = "share"  # 比例达40%


class TargetDirection(StrEnum):
    """Which way a target points, which decides what reaching it means."""

    INCREASE = "increase"  # 增长10.5%, 新建1000座, 达到40%: at or past it is met
    REDUCE = "reduce"  # 下降3%, 再降低20%以上, 压减: a fall at least as large is met
    CEILING = "ceiling"  # 4.5%以内, 不超过, 控制在, or a measure kept low (失业率, 物价涨幅): at or below is met
    FLOOR = "floor"  # 以上, 不低于, 不少于, 力争: at or past it is met
    RANGE = "range"  # 6%-6.5%: inside is met, above exceeds it


class TargetStatus(StrEnum):
    EXCEEDED = "exceeded"  # a rate or count beyond its target
    MET = "met"
    WITHIN_CEILING = "within_ceiling"
    ABOVE_CEILING = "above_ceiling"
    BELOW_TARGET = "below_target"  # a rate under its target
    IN_PROGRESS = "in_progress"  # a cumulative count part-way
    PLAN_ONLY = "plan_only"  # the notice gives a plan, not a result
    NO_ACTUAL = "no_actual"  # the notice states the target and no figure for it


class FigureRef(BaseModel):
    """A quantity tied to the paragraph it was read from (spans are offsets in Notice.text)."""

    paragraph_id: str
    quantity: Quantity


class Target(BaseModel):
    """One row of the target ledger: what was set, what was done, and how far along it is."""

    id: str = Field(description="stable within the notice, e.g. 'i1' for indicators, 't3.2' for item 3")
    doc_id: str
    indicator: str = Field(description="what is measured, in the notice's words (地区生产总值, 新造林)")
    context: str = Field(default="", description="the section or subject the measure sits under")
    period: str = Field(description="the period the actual covers, e.g. '一季度'")
    kind: TargetKind
    direction: TargetDirection = Field(default=TargetDirection.INCREASE, description="what reaching the target means")
    target: FigureRef | None = None
    actual: FigureRef | None = None
    parts: list[FigureRef] = Field(default_factory=list, description="actuals summed into `actual`")
    plan: FigureRef | None = Field(default=None, description="a planned figure the notice gives instead of a result")
    stated_rate: FigureRef | None = Field(default=None, description="a completion rate the text states")
    progress_pct: Decimal | None = Field(default=None, description="actual / target × 100, unrounded")
    formula: str | None = None
    status: TargetStatus
    status_text: str = Field(description="one line a person reads, e.g. '3.52%, within the 4.5% ceiling'")
    rate_check: str | None = Field(default=None, description="set when a stated rate disagrees with ours")
    note: str | None = None
