"""The fact table's contract: every figure of a notice as a typed `Fact` (what it measures, whose, when, where).

A fact is one figure with the reading that makes it answerable: its subject (the measure and the qualifiers that
scope it), its kind (amount, growth, share, rank …), its role (actual, target, plan, cumulative, comparison), the
period and scope it covers, and the spans of the clause and of the clause group an answer quotes.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from documents.models import Quantity
from documents.places import Level
from documents.reporting import Period


class FactKind(StrEnum):
    AMOUNT = "amount"  # a total of money, area, length, people … (441.7亿元, 5193人)
    COUNT = "count"  # a number of items (项目132个, 38项, 72宗)
    GROWTH = "growth"  # a change in percent (增长58.3%, 下降0.9%)
    SHARE = "share"  # a part of a whole (占…比重69.5%, 占总数的81.5%)
    COMPLETION = "completion"  # done against a plan or target, as the notice states it (完成年度计划的46.4%)
    LEVEL = "level"  # a rate that is itself the measure (失业率3.52%, 报销比例75.72%)
    CHANGE = "change"  # a change in percentage points (加快2.2个百分点, 慢于序时进度1.0个百分点)
    RANK = "rank"  # 第三, 排名第四
    RATIO = "ratio"  # 3倍


class FactRole(StrEnum):
    ACTUAL = "actual"  # what was done in the period
    CUMULATIVE = "cumulative"  # a running total or level reached (累计完成, 达到, 截至…)
    TARGET = "target"  # what is to be reached (目标, 年度计划, 报告提出)
    PLAN = "plan"  # what was planned for the period (计划开工39项) or is intended (拟, 计划申报)
    COMPARISON = "comparison"  # a figure of another scope or base given beside (全市11.1%, 上年同期)


class Scope(BaseModel):
    level: Level | None = None
    name: str | None = Field(default=None, description="a named place (兰州市), None for the notice's own")

    @property
    def label(self) -> str:
        return self.name or (
            f"全{self.level.value}" if self.level and self.level != Level.NATION else "全国" if self.level else ""
        )


class Fact(BaseModel):
    id: str = Field(description="'<doc_id>:<paragraph_id>:<n>'")
    doc_id: str
    paragraph_id: str
    quantity: Quantity = Field(description="offsets within the paragraph text")
    subject: str = Field(description="what it quantifies, qualifiers first: '省重点建设项目 › 完成投资'")
    measure: str = Field(description="the measure words of its own clause group: '完成投资'")
    topic: str = Field(default="", description="whose measure it is, when the sentence or heading says it")
    kind: FactKind
    role: FactRole
    falls: bool = Field(default=False, description="stated as a fall (下降3.2%): the value is a decrease")
    period: Period | None = None
    year: int | None = None
    scope: Scope = Field(default_factory=Scope)
    among: str | None = Field(default=None, description="for a rank: what it ranks among (全省, 六县市)")
    clause: tuple[int, int] = Field(description="span of its clause in the paragraph")
    group: tuple[int, int] = Field(description="span of the clauses about the same subject: what an answer quotes")
    sentence: tuple[int, int]
    column: str | None = Field(default=None, description="for a table row: the header of its cell")
    note: str | None = Field(default=None, description="e.g. 预计数: what the notice says of the figure itself")

    @property
    def signed(self) -> Quantity:
        """The figure with its sign: 下降1.8% is a growth of −1.8% (the quoted text stays as written)."""
        q = self.quantity
        if self.falls and self.kind == FactKind.GROWTH and q.value > 0:
            return q.model_copy(update={"value": -q.value, "number_text": "-" + q.number_text})
        return q

    def describe(self) -> str:
        """One line for the `facts` table: subject, value, kind/role, period and scope."""
        period = self.period.label if self.period else "?"
        scope = self.scope.label or "?"
        return f"{self.subject} = {self.quantity.text} [{self.kind.value}/{self.role.value}] {period} {scope}"
