"""Stage 1, understand: a raw question → `QuestionSpec` (what is asked, of which place, year and period).

Pure and deterministic. A compound question (`…完成多少,增长多少?完成全年目标的几成?`) becomes several `Ask`s,
each with the kinds of figure it wants (growth, share, rank …) and the role (actual, target, progress).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from pydantic import BaseModel, Field

from documents.errors import QuestionError
from documents.facts import FactKind
from documents.gazetteer import Gazetteer
from documents.places import Level, english_places, place_names
from documents.quantities import COUNT_WORDS
from documents.reporting import Period, period_mentions, year_mentions
from documents.vocabulary import vocabulary
from index.text import has_cjk, normalize

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff\ud800-\udfff]")
_CODE = re.compile(
    r"\b(?:select|drop|insert|delete|update|union)\b.*\b(?:from|table|into|set|where)\b"
    r"|--|;\s*$|[{}]|</?[a-z]+[ >]|=\s*\d",
    re.IGNORECASE,
)


class Want(StrEnum):
    FIGURE = "figure"  # a number
    TARGET = "target"  # what the target is
    PROGRESS = "progress"  # how far along a target (stated rate, or actual / target)
    STATUS = "status"  # where a project stands, in words
    LIST = "list"  # which items


class Ask(BaseModel):
    text: str = Field(description="the part of the question, normalised")
    terms: str = Field(description="its measure words: question words, places, years and periods left out")
    want: Want
    kinds: list[FactKind] = Field(default_factory=list, description="kinds of figure wanted; empty: any")
    unit: str | None = Field(default=None, description="measure word asked for: 元, 个, 人 …")
    period: Period | None = None
    items: list[str] = Field(default_factory=list, description="several measures asked at once (A和B各…)")
    inherited: bool = Field(default=False, description="names no measure of its own: continues the ask before")
    focus: str = Field(default="", description="the word right before 多少/几 (化解了多少件 → 化解): what is counted")
    counted: str = Field(default="", description="the noun after 多少个 (多少个小区 → 小区): what a count must be of")


class QuestionSpec(BaseModel):
    raw: str
    text: str = Field(description="NFKC, simplified, lower case, abbreviations expanded")
    language: str = Field(description="zh | en")
    asks: list[Ask]
    periods: list[Period] = Field(default_factory=list)
    year: int | None = None
    places: list[str] = Field(default_factory=list, description="place names in a Chinese question")
    place_keys: list[tuple[str, Level | None]] = Field(default_factory=list, description="pinyin places (English)")
    scope: Level | None = Field(default=None, description="全省 / 全市 / 全县 / 全国 named in the question")
    compares: bool = False
    english_terms: list[str] = Field(default_factory=list, description="Chinese words an English question maps to")
    english_groups: list[list[str]] = Field(default_factory=list, description="those words, per English word")
    context: str = Field(default="", description="for a follow-up: the question it continues")

    @property
    def english(self) -> bool:
        return self.language == "en"

    @property
    def period(self) -> Period | None:
        return self.periods[0] if len(self.periods) == 1 else None


def clean_question(raw: object, max_chars: int) -> str:
    """Validate a question: strip control characters; raise QuestionError if nothing usable is left."""
    if not isinstance(raw, str):
        raise QuestionError("the question must be text")
    if len(raw) > max_chars:
        raise QuestionError(f"the question is {len(raw):,} characters long; please keep it under {max_chars}")
    text = _CONTROL.sub("", _ANSI.sub("", raw)).strip()
    if not text:
        raise QuestionError("the question is empty: type what you want to know, e.g. 5G基站建设进度?")
    if not any(unicodedata.category(c)[0] in "LN" for c in text):
        raise QuestionError("the question has no words or figures in it; ask about a target, figure or project")
    return text


def looks_like_code(text: str) -> bool:
    """SQL, HTML or script text with no Chinese in it: not a question about the notices."""
    return not has_cjk(text) and _CODE.search(text) is not None


_LIST = re.compile(
    r"哪些|哪几|哪[一二三四五六七八九十几]?个|哪[类项家]|有什么项目|都有(?:哪|什么)|\bwhich\b|what are the|\blist\b"
)
_PROGRESS = re.compile(
    r"(?:完成|完工|竣工|开工|签约|拆除|征收|建成|到位|拨付|执行|办结|化解|投资完成)率|完成进度|进度|百分之几|几成|完成了?(?:全年|年度)?(?:目标|计划|任务)(?:的)?(?:百分之几|几成|多少|比例)?|"
    r"占(?:全年|年度)?[^,，?？]{0,8}?(?:目标|计划|任务)[^,，?？]{0,6}?(?:多少|几|比例)|(?:是|为)计划的|计划的多少|"
    r"完成[^,，?？]{0,10}?的(?:比例|百分之几|多少)|"
    r"percent(?:age)? (?:complete|done)|how far|progress|share of the (?:full-year |annual )?(?:target|plan)|"
    r"compared with (?:the )?plan|of (?:the|its) (?:annual |full-year )?(?:target|plan)"
)
_TARGET = re.compile(r"目标|计划|任务是|要求|要新增|要达到|要建|力争|确保|预期|target|goal|planned|\bplan\b")
_STATUS = re.compile(
    r"进展|情况如何|怎么样|怎样|到哪一步|哪一步|什么阶段|啥进度|什么进度|进度如何|了吗|了没有?|没有?[?？]?$|吗[?？]?$|是否|为什么|原因|"
    r"什么时[候侯]|何时|status|\bstand\b|been (?:built|completed|signed|held|solved)|\bhad\b.*\bbeen\b|\bwhen\b|\bwhy\b"
)
_FIGURE = re.compile(
    r"多少|几|多大|多高|多快|how many|how much|what (?:was|is) the|what share|what percent|by how much"
)
_GROWTH_ASK = re.compile(
    r"增长|增速|增幅|涨幅|涨了|涨多少|降了|下降|降低|回落|增得|growth|grew|\bgrow\b|how fast|increase|decrease|fell|rose|\bup\b"  # noqa: E501
)
_SHARE_ASK = re.compile(r"占比|比重|占[^,，?？]{0,14}?(?:多少|几|比例)|比例|share|proportion")
_RANK_ASK = re.compile(r"排名|第几|排第|排在|位列|名次|\brank")
_CHANGE_ASK = re.compile(r"快于|慢于|序时进度|百分点|ahead of|behind schedule|percentage point")
_AMOUNT_ASK = re.compile(r"多少(?:亿|万)?元|多少钱|多少亿|多少万元|金额|资金|how much money|yuan")
# Measures counted in money: 总投资多少 asks 元 even when it does not say so.
_MONEY_MEASURE = re.compile(
    r"(?:投资|资金|收入|支出|产值|总额|金额|经费|资产|贷款|销售额|营业额|利润|税收|预算|补助|拨付|融资)(?:了)?(?:是|为|有|达到?)?(?:多少|几)"
)
_COUNT_ASK = re.compile(r"(?:多少|几)(?:个|项|宗|家|件|所|座|处|条|批|户|类|大类)")
_ASK_UNIT = re.compile(r"(?:多少|几)(?:万|亿)?([\u4e00-\u9fff]{1,2})")
_UNIT_WORDS = "家个座项人次名件户条台株亩份起所处块期批宗元吨场张公里平方米"
_QUESTION_WORDS = re.compile(
    rf"(?:多少|几)(?:万|亿)?(?:{'|'.join(sorted(COUNT_WORDS, key=len, reverse=True))}|元|亩|类|大类|公里|平方米|钱|倍)?|请问|一下|告诉我|是多少|有多少|多少|几个|几家|几座|几项|几次|几宗|几成|第几|是什么|什么|怎么样|怎么|如何|情况|进展|进度|了吗|"  # noqa: E501
    r"吗|呢|啊|呀|啥|咋|多大|多高|哪些|哪几|有没有|是否|现在|目前|今年|分别|各是|各有|都|还是|百分之几|比例|占比|"
    r"完成了|达到了|达到|完成(?![投产建收资工总营])|实现|一共|总共|已经|或者|或|了|的|是|有|要|[?？!！。,，、;；:：\s]"
)
_COMPARE = re.compile(r"比|相比|较|多了|少了|差|difference|more than|less than|compared")
_SPLIT = re.compile(
    r"[?？;；]|[,，](?=[^,，]*(?:多少|几|吗|呢|多大|多高|如何|怎样|哪些|比例|快于|慢于))|(?<=多少)和|(?<=多少)以及"
)


def _asks_target(text: str) -> bool:
    """目标/计划/确保… asks for a target, except in a relative clause naming what is counted
    (能确保完成的指标任务几项)."""
    return any(
        not (m.group() in ("确保", "力争", "要求") and re.match(r"[^,，?？目标]{0,6}的", text[m.end() :]))
        for m in _TARGET.finditer(text)
    )


def _wants(text: str) -> tuple[Want, list[FactKind]]:
    kinds: list[FactKind] = []
    if _RANK_ASK.search(text):
        kinds.append(FactKind.RANK)
    if _CHANGE_ASK.search(text):
        kinds += [FactKind.CHANGE, FactKind.COMPLETION]
    if _SHARE_ASK.search(text) and not _PROGRESS.search(text):
        kinds += [FactKind.SHARE, FactKind.LEVEL]
    if _GROWTH_ASK.search(text) and not re.search(r"增加了?(?:多少|几)(?:个|项|家|人|万|亿)", text):
        kinds += [FactKind.GROWTH, FactKind.CHANGE]
    if _LIST.search(text):
        return Want.LIST, kinds
    asks_number = _FIGURE.search(text) or re.search(r"率|百分|比例|几成|占比", text)
    if re.search(r"\bstatus\b|\bwhere does\b.*\bstand\b", text) and not re.search(r"how (?:many|much)", text):
        asks_number = None  # what is the status of…: told in words
    if _STATUS.search(text) and not asks_number:  # 啥进度 / 建好了没: told in words
        return Want.STATUS, kinds
    counting = _COUNT_ASK.search(text) and not re.search(r"完成率|百分之几|几成|比例|占", text)
    if _PROGRESS.search(text) and not counting:
        return Want.PROGRESS, kinds
    if _asks_target(text) and not re.search(r"完成了?(?:年度|全年)?(?:目标|计划|任务)|超额|目标任务进度", text):
        return Want.TARGET, kinds
    if _AMOUNT_ASK.search(text):
        kinds += [FactKind.AMOUNT]
    elif _COUNT_ASK.search(text):
        kinds += [FactKind.COUNT, FactKind.AMOUNT]
    return Want.FIGURE, kinds


_COMPOUND_UNITS = ("人次", "件次", "户次", "批次", "平方米", "平方公里", "公里", "万亩", "亩", "吨", "万元", "亿元")


def _unit(text: str) -> str | None:
    compound = re.search(r"(?:多少|几)(人次|件次|户次|批次|平方米|平方公里|公里)", text)
    if compound:
        return compound.group(1)
    if _MONEY_MEASURE.search(text) and not re.search(r"(?:多少|几)(?:个|项|家|宗|人|次|%)|增长|增速|比例|率", text):
        return "元"
    for m in _ASK_UNIT.finditer(text):
        word = m.group(1)
        if word[0] == "个":
            continue  # 多少个湖北好人: 个 counts anything
        if word[0] in _UNIT_WORDS:
            return (
                "元" if word[0] == "元" or text[m.start() + 2 : m.start() + 3] in "亿万" and "元" in word else word[0]
            )
    return "元" if re.search(r"多少(?:亿|万)?元|多少钱|how much money|yuan", text) else None


def _terms(text: str, english: bool, places: list[str]) -> str:
    """The measure words of a part: what is left once the notices' places, years, periods and question words are
    removed (other places stay: 列入江门市重点项目 is a measure's qualifier)."""
    if english:
        return text
    for start, end, _ in reversed(period_mentions(text, bases=True)):
        text = text[:start] + " " + text[end:]
    for start, end, _ in reversed(year_mentions(text)):
        text = text[:start] + " " + text[end:]
    for name in places:
        text = text.replace(name, " ")
    text = re.sub(r"(?:全|我|本|咱们|咱|我们)(?:省|市|县|区)|全国|年度|全年|今年|年底前?|截至|截止", " ", text)
    return re.sub(r"\s+", " ", _QUESTION_WORDS.sub(" ", text)).strip()


_SCOPE_AT = re.compile(
    r"(?:^|(?<=[年度月份,，\s])|(?<=[省市县区]))(?:全|我|本|咱们|咱|我们)(省|市|县|区)|(?:^|(?<=[年度月,，\s]))(全国)"
)


def _scope_levels(text: str) -> list[Level]:
    """全省 / 全市 / 全国 standing as the question's scope (2019年全国GDP), not inside a name (第四次全国经济普查)."""
    for name in place_names(text):  # 湖北全省: the scope word stands after a place name
        text = text.replace(name, " ")
    found = [
        Level.NATION if m.group(2) else Level(m.group(1))
        for m in _SCOPE_AT.finditer(text)
        if not re.match(r"排|第|平均|水平|位", text[m.end() :])  # 全国排第几: what it ranks among, not the scope
    ]
    return found or ([Level.NATION] if re.search(r"\bchina'?s?\b|nationwide|whole country", text) else [])


_EN_SPLIT = re.compile(r"\?|,? and (?=what|how|which|when|by how|is|was|did)")
_ASKS_SOMETHING = re.compile(
    r"多少|几|吗|呢|如何|怎样|怎么|哪|什么|是否|比例|占比|进度|率|情况|进展|排名|快于|慢于|没|\?|？"
)


_NOT_FOCUS = frozenset(
    [
        "一共",
        "总共",
        "共有",
        "分别",
        "各有",
        "目前",
        "现在",
        "已经",
        "还有",
        "完成",
        "实现",
        "增长",
        "增加",
        "比例",
        "达到",
        "全市",
        "全县",
        "全区",
        "全省",
        "今年",
        "一季度",
        "上半年",
        "前三季度",
        "全年",
        "年度",
        "多少",
        "请问",
        "这个",
        "那个",
        "具体",
        "大概",
        "有关",
        "相关",
    ]
)


def _focus(part: str) -> str:
    """The word right before 多少/几 (化解了多少件 → 化解, 总投资多少 → 总投资): what the figure counts; '' when that
    word is a one-character verb (破了多少案子) or says nothing (一共有多少)."""
    import jieba

    words = [w for w in jieba.lcut(part) if w not in ("了", "的", "有", "是", "为", "共", "达到", "到")]
    for i, word in enumerate(words):
        if word.startswith(("多少", "几")) and i:
            before = words[i - 1]
            ok = re.fullmatch(r"[\u4e00-\u9fff]{2,}", before) and before not in _NOT_FOCUS
            return before if ok else ""
    return ""


_RATE_KINDS = {FactKind.SHARE, FactKind.LEVEL, FactKind.GROWTH, FactKind.COMPLETION, FactKind.CHANGE}


def _by_family(ask: Ask) -> list[Ask]:
    """几项 … 占比: one part asking a count and a share is two asks, each answered by its own figure."""
    rates = [k for k in ask.kinds if k in _RATE_KINDS]
    counted = (
        ask.unit is not None and ask.unit != "元" or any(k in (FactKind.COUNT, FactKind.AMOUNT) for k in ask.kinds)
    )
    if not rates or not counted or ask.want != Want.FIGURE:
        return [ask]
    amounts = [k for k in ask.kinds if k not in _RATE_KINDS] or [FactKind.COUNT, FactKind.AMOUNT]
    return [
        ask.model_copy(update={"kinds": amounts}),
        ask.model_copy(update={"kinds": rates, "unit": None, "inherited": True}),
    ]


_COUNTED = re.compile(r"(?:多少|几)(?:个|家|项|座|所|条|名|位)([\u4e00-\u9fff]{2,4}?)(?:[?？,，。]|$|呢|了|吗)")


def _counted(part: str) -> str:
    """多少个小区 → 小区: the noun a count question counts, when it follows the question word."""
    found = _COUNTED.search(part)
    return found.group(1) if found and found.group(1) not in _NOT_FOCUS else ""


def _parts(text: str) -> list[str]:
    """Sub-questions: split at ? ; and at commas, a piece that asks nothing joining the piece after it."""
    pieces = [p for p in _SPLIT.split(text) if p and p.strip()]
    parts: list[str] = []
    carry = ""
    for piece in pieces:
        piece = carry + piece
        if _ASKS_SOMETHING.search(piece) or piece is pieces[-1]:
            parts.append(piece.strip())
            carry = ""
        else:
            carry = piece + ","
    if carry:
        parts.append(carry.strip(","))
    return parts


_GENERIC = re.compile(
    r"目标|计划|任务|完成|进度|率|比例|成|预算|全年|年度|占|增长|增速|同比|多少|几|排名|排|第|位列|在|控制|定|报告|政府工作|"
    r"各|分别|呢|那|又"
)
_ITEM_SPLIT = re.compile(r"[和、及与]|以及")


def _items(part: str, places: list[str]) -> list[str]:
    """Measures asked side by side (危旧房改造和安置房新开工各…, 处置线索、立案、留置各多少): each is matched
    on its own."""
    if not re.search(r"[和、及与]|以及", part):
        return []
    pieces = [_terms(p, False, places) for p in _ITEM_SPLIT.split(part)]
    pieces = [p for p in pieces if len(re.sub(r"[^\u4e00-\u9fff]", "", p)) >= 2]
    return pieces if len(pieces) > 1 else []


def understand(raw: str, gazetteer: Gazetteer | None = None, max_chars: int = 500) -> QuestionSpec:
    """Read a question (QuestionError for an unusable one); the gazetteer names the loaded notices' places."""
    cleaned = clean_question(raw, max_chars)
    plain = normalize(cleaned)
    english = not has_cjk(plain)
    text = plain if english else vocabulary().expand(plain)
    known = gazetteer.find(text) if gazetteer and not english else []
    places = known + [n for n in ([] if english else place_names(text)) if not any(n in k or k in n for k in known)]
    periods = [p for _, _, p in period_mentions(cleaned if english else text, bases=True)]
    years = [y for _, _, y in year_mentions(text)]
    parts = _parts(text) if not english else [p for p in _EN_SPLIT.split(text) if p.strip()] or [text]
    parts = [p for p in parts if re.search(r"[\u4e00-\u9fffa-z0-9]", p)] or [text]
    asks: list[Ask] = []
    for part in parts:
        want, kinds = _wants(part)
        own = [p for _, _, p in period_mentions(part, bases=True)]
        terms = _terms(part, english, known)
        inherited = bool(asks) and len(re.sub(r"[^\u4e00-\u9fff]", "", _GENERIC.sub("", terms))) <= 1
        if inherited:
            terms = asks[-1].terms  # 完成率多少 / 增长多少 after 地区生产总值完成多少: the same measure
        ask = Ask(text=part, terms=terms, want=want, kinds=kinds, unit=_unit(part), inherited=inherited,
                  focus=_focus(part), counted=_counted(part), period=own[0] if len(own) == 1 else None,
                  items=[] if inherited else _items(part, known))  # fmt: skip
        asks += _by_family(ask)
    levels = _scope_levels(text)
    return QuestionSpec(
        raw=raw,
        text=text,
        language="en" if english else "zh",
        asks=asks,
        periods=list({p.label: p for p in periods}.values()),
        year=years[0] if years else None,
        places=places,
        place_keys=english_places(cleaned) if english else [],
        scope=levels[0] if levels else None,
        compares=len(periods) > 1 and _COMPARE.search(text) is not None,
    )
