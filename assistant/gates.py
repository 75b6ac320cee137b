"""Every reason the assistant may refuse, in one place, with its text in both languages.

A refusal is a value (`Refusal`) that any stage may return; the composer turns it into the "not covered" answer,
naming what the notices do have when a stage found something close (`closest`).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Reason(StrEnum):
    NO_SUBJECT = "no_subject"
    CODE = "code"
    NO_WORDS = "no_words"
    OTHER_PLACE = "other_place"
    OTHER_YEAR = "other_year"
    OTHER_PERIOD = "other_period"
    OTHER_SCOPE = "other_scope"
    NOTHING_FOUND = "nothing_found"
    NO_SUCH_FIGURE = "no_such_figure"
    NO_TARGET = "no_target"
    NO_ACTUAL = "no_actual"
    PERIOD_MISSING = "period_missing"
    UNCHECKED = "unchecked"


_TEXT: dict[Reason, tuple[str, str]] = {
    Reason.NO_SUBJECT: ("问题里没有说要问哪一项", "the question does not say what it asks about"),
    Reason.CODE: (
        "这看起来是代码或标记,不是关于通报的问题",
        "this looks like code or markup, not a question about the notices",
    ),
    Reason.NO_WORDS: ("问题里的词在通报中都没有出现", "none of its words occur in the notices"),
    Reason.OTHER_PLACE: ("通报只涉及{have},未涉及{asked}", "the notices cover {have}, not {asked}"),
    Reason.OTHER_YEAR: ("通报只涉及{have},未涉及{asked}年", "the notices cover {have}, not {asked}"),
    Reason.OTHER_PERIOD: ("通报只有{have}的数字,没有{asked}的", "the notice gives figures for {have}, not for {asked}"),
    Reason.OTHER_SCOPE: ("通报只有{have}的数字,没有{asked}的", "the notice gives figures for {have}, not for {asked}"),
    Reason.NOTHING_FOUND: ("没有找到相关内容", "nothing related was found"),
    Reason.NO_SUCH_FIGURE: ("通报没有给出所问的数字", "the notice gives no such figure"),
    Reason.NO_TARGET: ("通报只给出了完成数,没有{asked}的目标", "the notice gives the result but no target for {asked}"),
    Reason.NO_ACTUAL: ("通报只给出了目标,没有完成数", "the notice gives the target but no result"),
    Reason.PERIOD_MISSING: ("{asked}的通报没有给出这一数字", "the {asked} notice gives no such figure"),
    Reason.UNCHECKED: (
        "找到了相关段落,但答案中的数字未能逐一核对原文,为避免出错不作回答",
        "I found a passage but could not check every figure of my answer against it, so I give none",
    ),
}


class Refusal(BaseModel):
    reason: Reason
    asked: str = ""
    have: str = ""
    closest: str | None = Field(default=None, description="what the notices do have that comes closest")
    closest_doc: str | None = None
    closest_paragraph: str | None = None
    closest_span: tuple[int, int] | None = Field(default=None, description="offsets of `closest` in its paragraph")

    def text(self, english: bool) -> str:
        zh, en = _TEXT[self.reason]
        reason = (en if english else zh).format(asked=self.asked, have=self.have)
        if english:
            line = f"The notices do not cover this ({reason})."
            return line + (f" The closest they have: “{self.closest}”." if self.closest else "")
        line = f"通报中没有涉及这个问题({reason})。"
        return line + (f"通报有的是:“{self.closest}”。" if self.closest else "")
