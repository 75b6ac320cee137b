"""Understand a question: language, period, place, what figure it asks for and what kind of answer."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

import jieba.posseg as posseg
from pydantic import BaseModel

from documents.errors import QuestionError
from index.text import has_cjk, normalize

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # terminal colour codes pasted along with text
_CODE = re.compile(
    r"\b(?:select|drop|insert|delete|update|union)\b.*\b(?:from|table|into|set|where)\b"
    r"|--|;\s*$|[{}]|</?[a-z]+[ >]|=\s*\d",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


class Intent(StrEnum):
    FIGURE = "figure"  # a number: 多少, 几, how many
    PROGRESS = "progress"  # how far along a target: 完成率, 进度, 百分之几
    TARGET = "target"  # what the target is: 目标, 计划
    RANK = "rank"  # 第几, 排名
    STATUS = "status"  # where a project stands: 进展, 建成了吗
    LIST = "list"  # several items: 哪些, which


class Question(BaseModel):
    raw: str
    text: str  # normalised: NFKC, simplified, lower case
    language: str  # zh | en
    intents: list[Intent]
    period: str | None = None  # 一季度 | 上半年 | 前三季度 | 全年
    periods: list[str] = []  # every period named: 一季度和上半年…分别 names two
    compares: bool = False  # 上半年比一季度多…: the difference is asked
    year: int | None = None
    places: list[str] = []
    asked_unit: str | None = None  # measure word asked for: 家, 人, 元 …
    asks_percent: bool = False
    keyword_only: bool = False  # no question words at all ("疫苗接种剂次"): a figure if there is one, else status
    measure: str = ""  # the noun a figure is asked of ("总投资多少" → 总投资): the answering clause should name it
    topic: str = ""  # the question without its question words, for matching
    parts: list[str] = []  # sub-questions of a compound question
    context: str = ""  # for a follow-up: the earlier question it continues, merged with this one

    @property
    def primary(self) -> Intent:
        return self.intents[0]


_INTENT_CUES: list[tuple[Intent, re.Pattern[str]]] = [
    (Intent.LIST, re.compile(r"哪些|哪几|有什么项目|\bwhich\b|what are the")),
    (
        Intent.PROGRESS,
        re.compile(
            r"完成率|完工率|完成了?百分之|百分之几|进度|完成了?多少了|完成(?:了)?几成|比例多少|"
            r"percent(?:age)? (?:complete|done)|how far|progress (?:on|of|toward)"
        ),
    ),
    (Intent.RANK, re.compile(r"第几|排名|排第|位列|排在|rank|place[ds]? in")),
    (Intent.TARGET, re.compile(r"目标|计划|要新增|要达到|要建|任务|target|goal|planned|plan to")),
    (
        Intent.STATUS,
        re.compile(
            r"程度|到哪一步|建得怎么样|怎样|啥进度|进度如何|进展|情况|怎么样|如何|建成了吗|建好了吗|完成了吗|签约了吗|开工了吗|到哪|什么阶段|状态|了吗|吗$|"
            r"status|\bstand|where (?:does|is)|what is happening|been (?:built|completed|signed)\?"
        ),
    ),
    (
        Intent.FIGURE,
        re.compile(
            r"多少|几|多大|多高|how many|how much|number of|what percent|what (?:was|is) the \w+ (?:rate|growth)"
        ),
    ),
]
_PERIODS = [
    ("一季度", re.compile(r"第?一季度|1至3月|1-3月|q1\b|first quarter")),
    ("上半年", re.compile(r"上半年|1至6月|1-6月|h1\b|first half|half[- ]year")),
    ("前三季度", re.compile(r"前三季度|第?三季度|1至9月|1-9月|q3\b|third quarter|first three quarters")),
    ("全年", re.compile(r"全年(?!目标|任务|计划)|full[- ]year|whole year")),
]
_COMPARE = re.compile(r"比|相比|较|多了|少了|增加了多少|减少了多少|差|difference|more than|less than|compared")
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?=年|\b)")
_ASK_UNIT = re.compile(r"(?:多少|几)(?:个)?([\u4e00-\u9fff]{1,3})")
_PERCENT_ASK = re.compile(
    r"百分之几|增长多少|增速|增幅|涨幅|比例|比重|占比|占[^,，。]{0,12}?(?:多少|几)|覆盖率|率多少|率是多少|达到多少%|"
    r"percent|growth|rate|share"
)
_QUESTION_WORDS = re.compile(
    r"请问|一下|告诉我|是多少|有多少|多少|几个|几家|几座|几项|几次|第几|是什么|什么|怎么样|怎么|如何|情况|进展|进度|了吗|"
    r"吗|呢|啊|呀|啥|咋|多大|多高|"
    r"哪些|哪几|有没有|是否|现在|目前|今年|[?？!！。,，、\s]"
)
_UNIT_WORDS = "家个座项人次名件户条台株亩份起所处块期批宗元吨"


def periods_named(text: str) -> list[str]:
    """The periods a text names (一季度, 上半年, 前三季度, 全年), by the same cues questions are read with."""
    lowered = text.lower()
    return [label for label, cue in _PERIODS if cue.search(lowered)]


def clean_question(raw: str, max_chars: int) -> str:
    """Validate a question: strip control characters; raise QuestionError if nothing usable is left."""
    if raw is None or not isinstance(raw, str):
        raise QuestionError("the question must be text")
    if len(raw) > max_chars:
        raise QuestionError(f"the question is {len(raw):,} characters long; please keep it under {max_chars}")
    text = _CONTROL.sub("", _ANSI.sub("", raw)).strip()
    if not text:
        raise QuestionError("the question is empty: type what you want to know, e.g. 5G基站建设进度?")
    meaningful = [c for c in text if unicodedata.category(c)[0] in "LN"]
    if not meaningful:
        raise QuestionError("the question has no words or figures in it; ask about a target, figure or project")
    return text


_NOT_UNITS = ("项目", "人员", "人数", "家庭", "个人", "次数", "名称", "期间", "所有", "处理", "条件", "件事", "块钱")
_GENERIC_MEASURES = frozenset(
    [
        "完成",
        "建成",
        "开工",
        "引进",
        "新增",
        "实现",
        "参加",
        "收到",
        "达到",
        "增长",
        "一共",
        "总共",
        "目前",
        "目标",
        "任务",
        "计划",
        "进度",
        "比例",
        "数量",
        "金额",
        "数字",
        "情况",
        "完成率",
        "完工率",
        "全年",
        "年度",
    ]
)
_PARTICLES = {"了", "的", "是", "有", "要", "共", "为", "达到", "一共", "总共", "还", "已", "已经"}


def _measure(text: str) -> str:
    """The noun right before 多少/几, which the answering clause must name: 医院总投资多少 → 投资."""
    words = posseg.lcut(text)
    for i, pair in enumerate(words):
        if not pair.word.startswith(("多少", "几")):
            continue
        before = [w for w in words[:i] if w.word not in _PARTICLES]
        last = before[-1] if before else None
        is_noun = last is not None and (last.flag.startswith("n") or last.flag == "vn") and len(last.word) >= 2
        # a verb (增涨, 贷出去) says nothing of what is counted, nor does a generic word (目标, 完成)
        return last.word if is_noun and last.word not in _GENERIC_MEASURES else ""
    return ""


def looks_like_code(text: str) -> bool:
    """SQL, HTML or script text with no Chinese in it: not a question about the notices."""
    return not has_cjk(text) and _CODE.search(text) is not None


def _asked_unit(text: str) -> str | None:
    for match in _ASK_UNIT.finditer(text):
        word = match.group(1)
        if word.startswith(_NOT_UNITS):
            continue
        if word[0] in _UNIT_WORDS:
            if word.startswith("亿") or word.startswith("万"):
                return "元" if "元" in word else None
            return word[0]
        if word.startswith("亿元") or word.startswith("万元"):
            return "元"
    if re.search(r"多少(?:亿|万)?元|多少钱|金额|how much money|yuan", text):
        return "元"
    return None


# Common abbreviations of government statistics, expanded so that they meet the notices' full terms.
ABBREVIATIONS = {
    "规上": "规模以上",
    "危废": "危险废物",
    "文旅": "文化旅游",
    "平米": "平方米",
    "外贸": "进出口",
    "gdp": "地区生产总值",
    "社零": "社会消费品零售总额",
    "cpi": "居民消费价格",
    "固投": "固定资产投资",
    "技改": "技术改造",
    "高企": "高新技术企业",
    "财政收入": "地方一般公共预算收入",
    "物价": "居民消费价格",
    "工业增加值": "规模以上工业增加值",
    "失业率": "城镇登记失业率",
    "就业": "城镇就业",
}


def expand_abbreviations(text: str) -> str:
    """Replace common abbreviations with the notices' full terms (规上 → 规模以上)."""
    for short, full in ABBREVIATIONS.items():
        if short in text and full not in text:
            text = text.replace(short, full)
    return text


def analyze(raw: str, max_chars: int = 500) -> Question:
    """Turn a raw question into what the answerer needs; pure and deterministic."""
    plain = normalize(clean_question(raw, max_chars))
    language = "zh" if has_cjk(plain) else "en"
    text = expand_abbreviations(plain) if language == "zh" else plain
    intents = [intent for intent, cue in _INTENT_CUES if cue.search(text)]
    if Intent.STATUS in intents and Intent.FIGURE in intents:
        intents.remove(Intent.STATUS)  # "…情况多少" asks a figure
    asks_percent = bool(_PERCENT_ASK.search(text))
    asked_unit = _asked_unit(text)
    keyword_only = not intents
    if keyword_only:  # "上半年GDP增速", "疫苗接种剂次": a bare topic asks for its figure (status if it has none)
        intents = [Intent.FIGURE]
    periods = [label for label, cue in _PERIODS if cue.search(text)]
    period = periods[0] if len(periods) == 1 else None
    year_match = _YEAR.search(text)
    places = [word for word, flag in posseg.cut(text) if flag == "ns" and len(word) >= 2]
    topic = _QUESTION_WORDS.sub(" ", text)
    topic = re.sub(r"\s+", " ", topic).strip()
    parts = [p for p in re.split(r"[?？;；]|[,，](?=[^,，]*(?:多少|几|吗|呢|多大|多高|如何|怎样))", text) if p.strip()]
    return Question(
        raw=raw,
        text=text,
        language=language,
        intents=intents,
        period=period,
        periods=periods,
        compares=len(periods) > 1 and _COMPARE.search(text) is not None,
        year=int(year_match.group(1)) if year_match else None,
        places=places,
        asked_unit=asked_unit,
        asks_percent=asks_percent,
        keyword_only=keyword_only,
        measure=_measure(text) if language == "zh" else "",
        topic=topic,
        parts=parts if len(parts) > 1 else [text],
    )
