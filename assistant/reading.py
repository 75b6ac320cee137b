"""How a question asks: a soft reading of its type (figure, target, progress, rank, difference, list, status …).

Each type is a cue found in the words, not a branch: the scorer sees every cue as a feature of each candidate, and
the composer follows the reading of the candidate that won. A question may read as several types at once
(完成了目标吗 is both progress and yes/no). Pure and deterministic.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

LIST = re.compile(
    r"哪些|哪几|哪[一二三四五六七八九十几]?个|哪[类项家]|有什么项目|都有(?:哪|什么)|是什么项目|包括什么|"
    r"\bwhich\b|what are the|\blist\b"
)
PROGRESS = re.compile(
    r"(?:完成|完工|竣工|开工|签约|拆除|征收|建成|到位|拨付|执行|办结|化解|投资完成)率|完成进度|进度|百分之几|几成|"
    r"完成了?(?:全年|年度)?(?:目标|计划|任务)(?:的)?(?:百分之几|几成|多少|比例)?|"
    r"占(?:全年|年度)?[^,，?？]{0,8}?(?:目标|计划|任务)[^,，?？]{0,6}?(?:多少|几|比例)|(?:是|为)计划的|计划的多少|"
    r"完成[^,，?？]{0,10}?的(?:比例|百分之几|多少)|"
    r"percent(?:age)? (?:complete|done)|how far|progress|share of the (?:full-year |annual )?(?:target|plan)|"
    r"compared with (?:the )?plan|of (?:the|its) (?:annual |full-year )?(?:target|plan)"
)
TARGET = re.compile(r"目标|计划|任务是|要求|要新增|要达到|要建|力争|确保|预期|target|goal|planned|\bplan\b")
STATUS = re.compile(
    r"进展|情况如何|怎么样|怎样|到哪一步|哪一步|什么阶段|啥进度|什么进度|进度如何|"
    r"了吗|了没有?|没有?[?？]?$|吗[?？]?$|是否|"
    r"为什么|原因|status|\bstand\b|been (?:built|completed|signed|held|solved)|\bhad\b.*\bbeen\b|\bwhy\b"
)
WHEN = re.compile(r"什么时[候侯]|何时|哪天|哪一天|几月|日期|\bwhen\b|what date")
YES_NO = re.compile(
    r"了吗|了没有?|没有?[?？]?$|吗[?？]?$|是否|有没有|能否|\b(?:did|does|has|have|is|was|were)\b(?!.*\b(?:how|what)\b)"
)
FIGURE = re.compile(r"多少|几|多大|多高|多快|how many|how much|what (?:was|is) the|what share|what percent|by how much")
GROWTH = re.compile(
    r"增长|增速|增幅|涨幅|涨了|涨多少|降了|下降|降低|回落|增得|"
    r"growth|grew|\bgrow\b|how fast|increase|decrease|fell|rose|\bup\b"
)
SHARE = re.compile(r"占比|比重|占[^,，?？]{0,14}?(?:多少|几|比例)|比例|share|proportion")
RANK = re.compile(r"排名|第几|排第|排在|位列|名次|最多|最少|最快|最慢|最高|最低|\brank|highest|lowest|fastest")
CHANGE = re.compile(r"快于|慢于|序时进度|百分点|ahead of|behind schedule|percentage point")
DIFFERENCE = re.compile(
    r"(?:高|低|快|慢|多|少|差|提高|降低|加快|回落|超过?|领先|落后)[了出]?(?:多少|几)|相差|差距|差多少|"
    r"比[^,，?？]{1,20}?(?:高|低|快|慢|多|少)|by how many|how much (?:higher|lower|faster|more|less)"
)
MONEY = re.compile(
    r"多少(?:亿|万)?元|多少钱|多少亿|多少万元|金额|资金|how much money|yuan|"
    r"(?:投资|资金|收入|支出|产值|总额|金额|经费|资产|贷款|销售额|营业额|利润|税收|预算|补助|拨付|融资)(?:了)?(?:是|为|有|达到?)?(?:多少|几)"
)
COUNT = re.compile(r"(?:多少|几)(?:个|项|宗|家|件|所|座|处|条|批|户|类|大类|名|人)|how many")
RATE = re.compile(r"率|百分|比例|几成|占比|percent|rate")
ACTUAL = re.compile(r"实际|到底|究竟|完成了|达到了|实现了|已经|actually|in fact|achieved")
TOTAL = re.compile(r"一共|总共|共有|共计|合计|总计|总数|加起来|in total|altogether|all together")


_WH_WORD = re.compile(r"\b(?:how|what|which|when|where|why|who)\b")


class Reading(BaseModel):
    """The cues of one part of a question; every field is one feature of the scorer."""

    number: bool = False  # 多少 / 几 / how many: a figure is asked
    growth: bool = False
    share: bool = False
    rank: bool = False
    change: bool = False  # 百分点, 快于/慢于序时进度
    difference: bool = False  # 高/低/差…多少, 比…快: a gap between two figures
    progress: bool = False  # 完成率, 几成, 占目标的比例
    target: bool = False
    actual: bool = False  # 实际, 完成了: the result, not the target
    total: bool = False  # 一共, 合计: a total the notice must state
    rate: bool = False  # a rate of any kind (率, 百分, 比例)
    money: bool = False
    count: bool = False
    status: bool = False  # where something stands, in words
    yes_no: bool = False  # 了吗, 是否: answered yes or no first
    when: bool = False
    listing: bool = False  # 哪些, 哪几
    plain: bool = False  # a figure asked with no kind named (…是多少)

    def names(self) -> list[str]:
        return [name for name, on in self.model_dump().items() if on]


def read_question(text: str) -> Reading:
    """The soft type reading of one part of a question (normalised text)."""
    reading = Reading(
        number=bool(FIGURE.search(text)),
        growth=bool(GROWTH.search(text)),
        share=bool(SHARE.search(text)) and not PROGRESS.search(text),
        rank=bool(RANK.search(text)),
        change=bool(CHANGE.search(text)),
        difference=bool(DIFFERENCE.search(text)),
        progress=bool(PROGRESS.search(text)),
        target=bool(TARGET.search(text)),
        actual=bool(ACTUAL.search(text)),
        total=bool(TOTAL.search(text)),
        rate=bool(RATE.search(text)),
        money=bool(MONEY.search(text)),
        count=bool(COUNT.search(text)),
        status=bool(STATUS.search(text)),
        yes_no=bool(YES_NO.search(text)) and not _WH_WORD.search(text),  # how much did GDP grow: no yes/no
        when=bool(WHEN.search(text)),
        listing=bool(LIST.search(text)),
    )
    kinds = ("growth", "share", "rank", "change", "difference", "progress", "rate")
    reading.plain = reading.number and not any(getattr(reading, k) for k in kinds)
    return reading
