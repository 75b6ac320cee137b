"""What a table column holds, read from its header alone (pure: header text in, ColumnRole out).

The period a header names (`1-11月推进情况`) is not parsed here: `documents.periods.find_periods(header)`
reads it (label `--01/--11`), so headers and sentences share one reading of periods.
"""

from __future__ import annotations

import re

from documents.models import ColumnRole

# Checked in this order: the first rule whose pattern occurs in the header wins, so 完成率 is progress
# before 完成 makes it an actual, and 目标完成情况 is an actual before 目标 makes it a task.
_RULES: tuple[tuple[ColumnRole, re.Pattern[str]], ...] = (
    (ColumnRole.INDEX, re.compile(r"^(?:序号|编号|序|项次|排序|No\.?)$", re.IGNORECASE)),
    (ColumnRole.NOTE, re.compile(r"说明|备注|附注")),
    (ColumnRole.OTHER, re.compile(r"时间|时限|日期|年份|月份|期限")),  # 完成时限 is a deadline, not a result
    (ColumnRole.PROGRESS, re.compile(r"进度|完成率|完成比例|完成百分比|达序|达标|是否完成|是否|序时|状态|评价")),
    (ColumnRole.ACTUAL, re.compile(r"完成情况|推进情况|进展情况|落实情况|实施情况|执行情况|进展|完成|实际|累计|成效")),
    (ColumnRole.OWNER, re.compile(r"领导|单位|责任人|负责人|部门|主体|牵头|配合|协办|协管|联系人|分管")),
    (ColumnRole.TASK, re.compile(r"任务|目标|指标|项目|内容|事项|工作|计划")),
)
_SPACE = re.compile(r"\s+")


def normalise_header(header: str) -> str:
    """A header as written, with the whitespace a wrapped cell leaves removed ('分管 领导' → '分管领导')."""
    return _SPACE.sub("", header).strip("|:：")


def column_role(header: str) -> ColumnRole:
    """The role of a column from its header, e.g. '全年目标任务' → TASK, '1-10月推进情况' → ACTUAL."""
    text = normalise_header(header)
    if not text:
        return ColumnRole.OTHER
    for role, pattern in _RULES:
        if pattern.search(text):
            return role
    return ColumnRole.OTHER
