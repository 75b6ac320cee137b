"""Clauses of a paragraph and the measure words each clause names, so figures can be grouped by subject.

A sentence such as ``全县地区生产总值总量为52.22亿元,同比增长4.0%,比去年同期加快2.2个百分点,六县市排名第三``
is one clause group: only its first clause names a measure, the others continue it. A clause that names a new
measure (``第一产业4.41亿元``) opens a new group; one that restates the measure it continues (``投资完成率为13.1%``
after ``累计完成投资9.5亿元``) does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from documents.numerals import normalise
from documents.reporting import period_mentions, year_mentions

_BOUNDARY = re.compile(r"[,，;；。!?！？:：\n]")
_SENTENCE_END = set(";；。!?！？\n")
_OPEN, _CLOSE = "(（", ")）"


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    sentence: int  # index of its sentence in the paragraph
    sentence_start: int


def split_clauses(text: str) -> list[Clause]:
    """Clauses split at , ; 。 : (not at a thousands comma), each with the index and start of its sentence."""
    found: list[Clause] = []
    start, sentence, sentence_start = 0, 0, 0
    for m in _BOUNDARY.finditer(text):
        i = m.start()
        if text[i] in ",，" and 0 < i < len(text) - 3 and text[i - 1].isdigit() and text[i + 1 : i + 4].isdigit():
            continue  # 1,234
        if text[start:i].strip():
            found.append(Clause(start, i, sentence, sentence_start))
        start = i + 1
        if text[i] in _SENTENCE_END:
            sentence, sentence_start = sentence + 1, i + 1
    if text[start:].strip():
        found.append(Clause(start, len(text), sentence, sentence_start))
    return found


def paren_lead(text: str, pos: int) -> str | None:
    """The words between an unclosed bracket before pos and pos (`目标` for `(目标10.5%`), or None outside one."""
    depth = 0
    for i in range(pos - 1, max(-1, pos - 40), -1):
        c = text[i]
        if c in _CLOSE:
            depth += 1
        elif c in _OPEN:
            if depth == 0:
                return text[i + 1 : pos]
            depth -= 1
        elif c in "。;；\n":
            break
    return None


_LEAD = re.compile(
    r"^(?:其中|另外|此外|同时|并且|并|且|总体看|总的来看|从[^,，]{1,8}看|分[^,，]{1,6}看|一是|二是|三是|四是|五是|六是|"
    r"七是|八是|九是|十是|[一二三四五六七八九十]+[、.]|[0-9]{1,2}[.、)]|[(（][一二三四五六七八九十0-9]+[)）]|"
    r"全市|全县|全区|全省|全国|我市|我县|我区|我省|本市|本县|本区|全年|今年|当年|年内|目前|截至目前|已经|已|均|共|共计|"
    r"累计|实际|当月|新增的|另|该|据[^,，]{0,10}|根据[^,，]{0,20}|按(?:可比|现行|不变)价(?:格)?计算)+"
)
_TRAIL = re.compile(
    r"(?:同比|比上年|较上年|比去年同期|较去年同期|比上年同期|较上年同期|环比)?"
    r"(?:增长|增速为?|增幅为?|涨幅为?|上涨|下降|降低|减少|回落|提高|提升|下滑|降幅为?|增加|加快|降至|降到|压减)?"
    r"(?:了)?(?:为|(?<![下到送抵])达|达到|是|至|到|在|约|近|超过|突破|逾|仍有|共有|有|涉及|包括|共)?$"
)
REFERENCE = re.compile(
    r"占[^,，]{0,24}?(?:的|比重|比例)(?:为|达)?|(?:为|是)[^,，]{0,8}?(?:计划|目标|任务)的|"
    r"(?:超额|提前)?完成(?:了)?[^,，]{0,10}?(?:计划|目标|任务|预算|总投资)(?:投资)?的|"
    r"(?:快于|慢于|高于|低于|落后于?|领先于?)[^,，]{0,10}"
)
_FUNCTION = frozenset(
    [
        "完成",
        "实现",
        "达到",
        "达",
        "为",
        "是",
        "占",
        "的",
        "共",
        "共计",
        "合计",
        "总计",
        "其中",
        "预计",
        "计划",
        "实际",
        "已",
        "已经",
        "全部",
        "均",
        "分别",
        "排名",
        "位列",
        "位居",
        "列",
        "居",
        "比重",
        "比例",
        "增速",
        "增幅",
        "涨幅",
        "完成率",
        "同比",
        "总量",
        "累计",
        "实际完成",
        "累计完成",
        "年度",
        "全年",
        "进度",
        "序时进度",
        "时间进度",
        "较",
        "比",
        "去年同期",
        "上年同期",
        "名列",
        "排",
        "提前",
        "超额",
        "完成了",
        "有",
        "建成",
        "当月",
        "增长",
        "超额完成",
        "提前完成",
        "已完成",
        "完成年度目标任务",
        "完成年度目标",
        "完成全年目标",
        "完成全年任务",
        "完成年度任务",
        "实际完成",
    ]
)
_RANKING = re.compile(
    r"(?:(?:全|在)(?:省|市|国|区|县)|[一二三四五六七八九十0-9]+(?:个)?(?:县市区|县市|县区|市州|地市|区县)|同类)?"
    r"(?:排名|排位|位列|位居|名列|排在|排|居)$"
)
_MARKER = re.compile(
    r"^\s*(?:[0-9]{1,2}[.、．)](?![0-9])|[(（][0-9一二三四五六七八九十]+[)）]、?|[一二三四五六七八九十]+、)"
)
_PAREN = re.compile(r"[(（][^()（）]*[)）]")
_SCOPE = re.compile(r"(?:全|我|本)(?:省|市|县|区|国)")


def clean_measure(raw: str) -> str:
    """The measure words of a clause's text before its figure: periods, scope words, connectors and trailing verbs
    removed (`一季度,全市工业投资同比增长` → `工业投资`); '' when nothing but function words is left."""
    text = _PAREN.sub("", _MARKER.sub("", normalise(raw)))
    for start, end, _ in reversed(period_mentions(text)):
        text = text[:start] + " " + text[end:]
    for start, end, _ in reversed(year_mentions(text)):
        text = text[:start] + " " + text[end:]
    text = REFERENCE.sub(" ", text)
    chunks = re.sub(r"[^\u4e00-\u9fff0-9a-zA-Z“”\"]+", " ", text).split()
    text = "".join(_SCOPE.sub("", c, count=1) if _SCOPE.match(c) else c for c in (_LEAD.sub("", c) for c in chunks))
    text = _LEAD.sub("", text)
    text = _RANKING.sub("", text)
    for _ in range(2):
        text = _TRAIL.sub("", text)
    text = text.strip('“”"的')
    return "" if not text or text in _FUNCTION or len(re.sub(r"[^\u4e00-\u9fff]", "", text)) < 2 else text


def restates(measure: str, group_measure: str) -> bool:
    """Whether a clause's measure only restates its group's (投资 after 累计完成投资): no new group then."""
    if not group_measure:
        return False
    if measure in group_measure:
        return True
    return set(measure) <= set(group_measure) | set("完成率总额量数")
