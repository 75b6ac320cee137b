"""Typed figures in notice text: exact value, unit, kind, qualifier and the character span they came from.

``extract_quantities(text)`` is deterministic and pure.  ``text[q.start:q.end] == q.text`` always holds;
full-width forms are read as ASCII one character at a time (``numerals.normalise``), so offsets never
move.  ``q.number_text`` and ``q.unit`` are given in that normalised form ('3.7万', '台(套)').

Decisions (what is a figure and what is only a name that looks like one):

==================================  =========================================================================
written                             read as
==================================  =========================================================================
3.7万人 / 441.7亿元 / 5.19万亩        count 37000 人 / money 44170000000 元 / area 51900 亩 (万 亿 applied)
100万头生猪                         count 1000000 头 (the magnitude is not part of the unit)
58.3% / -0.9% / 百分之十五           percent, value as written (58.3, -0.9, 15); unit '%'
0.1个百分点 / 2个百分点              percentage_point, unit '个百分点' — never percent
3倍                                 ratio, unit '倍'
500千伏 / 3.95万吨 / 235平方公里     measure 千伏 / measure 吨 / area 平方公里
154107日 / 24小时 / 3个月            duration (日 天 小时 个月 周 年 when the number is not a year)
2021-2023年 / 2020-2022 / 2021—2022年  year_span, value 2021, upper 2023, qualifier range, unit '年'
1-2次 / 3-5万元 / 10%-15%            qualifier range, value = lower, upper = upper (3-5万元 → 30000..50000)
不少于3个 / 超过300家 / 突破300家     at_least (also 至少 不低于 高于 多于 逾); qualifier words are in the span
10亿元以上 / 15%以上 / 3000亩以上     at_least (以上, 及以上); 以下 以内 之内 不超过 低于 控制在 → at_most
近6亿元 / 约235平方公里 / 左右       approx (近 约 大约 将近 接近 左右)
150余人 / 40余万人 / 22万余人 / 1000多家  approx; number_text keeps a 余 that sits before 万/亿 ('40余万')
800余台(套) / 10家(次)               unit '台(套)' / '家(次)'
力争突破300家 / 力争3个              aim, only when 力争 directly governs the number (optionally through
                                    达到 达 实现 突破 超过 完成 增长 在 到); 力争高新技术企业总数突破300家
                                    is at_least: the span stays '突破300家' and the clause-level aspiration
                                    is left to the target ledger
达30家 / 达到15亿元 / 比例达40%       exact: 达 reports a level reached (出口总额达8.5亿元 is an actual),
                                    so it is not read as a floor here
亿元以上项目 / 亿元及以上             money 100000000 at_least, number_text '亿' (a threshold with no digits)
第四 / 第三十八位 / 第7位 / 第五位、第二位  rank (value 4 / 38 / 7 / 5 and 2; unit '位' or '名' or '')
排名第二 / 排名第一的               rank; a bare 第N is a rank only after 排名 位列 列 居 全省 全国 …
前10名                              rank 10, at_most
第三届 / 第十届 / 第十二期 / 第一批   skipped: edition and batch ordinals identify an event, they are not figures
第一次 / 第一高级中学 / 第二人民医院   skipped (ordinals in names)
1.持续扩大有效投资 / (2)             skipped: outline markers at the start of a line
[P12] / 【118】 / 〔2021〕            skipped: citation and document-number brackets
蒲圻电厂三期 / 引水二期工程 / 二次开发  skipped: Chinese 二 before a measure word, and 三期 四期 …, are
                                    ordinals or project phases (two of a thing is 两: 两期 is a count)
四个项目 / 两批次 / 两期 / 三次 / 两家  Chinese numerals count when a measure word follows (4 个, 2 批次 …)
十六条产业链                         count 16 条
一项 / 一批 / 一次性 / 一期工程        skipped: a bare 一 is an article ("a", "one batch of"), not a count,
                                    except with 倍 or 个百分点
万间 / 千间 / 百强 / 千人计划          skipped: a bare power of ten in Chinese is a round name, not a count
六种思维 / 七种能力 / 三年行动 / 十年禁渔  skipped: Chinese numerals do not count with 种 级 大 年 (slogans)
十大工程 / 七大行动 / 五大振兴         skipped (大 is not a measure word)
“十四五” / “两山” / “三乡”工程 / “323”  skipped: nothing inside a short quote (≤ 12 characters) is a figure; a
                                    longer quote cites a task (“全年实现各类融资210亿元”), whose figures count
《…5个文件的通知》 / 《(2021-2023年)》  skipped: nothing inside a document name 《…》 is a figure
一主四辅 / 一城十区 / 三带三轴 / 四馆三场两中心 / 五届五次  skipped: Chinese numerals alternating with
                                    one or two characters form a name
四个意识 / 两个维护 / 八项规定 …       skipped (a fixed list of political formulas, ``_NAMES``)
一村一辅警 / 一月一分析 / 六个一       skipped (as above)
5G / 5A景区 / A级 / PM2.5 / COVID-19  skipped: digits joined to Latin letters are model or grade names
                                    (except units: 500kV, 3km, 20MW)
764137824/2021-18688 / 8:30 / 0715   skipped: identifiers (slashes, colons, leading zeros)
500强 / 100强 / 50强 / 世界500强      skipped: the name of a ranking list, not a count
12345热线 / 107国道 / 1号文件 / 3级   skipped (hotline, road, document and grade numbers)
建党100周年 / 90后 / 2.0版           skipped (anniversary, generation, version)
2021年 / 3月31日 / 一季度 / 1至3月 …  skipped: dates and periods (``periods.find_periods``)
2020耕地                            skipped: a bare 4-digit 1900-2099 with no unit is a year
(100) / 10.7万低保对象               count with unit '' (a bare number is still a figure)
1,234 / １，２３４ / ３．７万          1234 / 1234 / 37000
==================================  =========================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from documents.models import Qualifier, Quantity, QuantityKind
from documents.numerals import CHINESE_NUMERAL_CHARS, MAGNITUDES, chinese_to_int, normalise, plain, scale
from documents.periods import document_name_spans, find_year_spans, periods_in

K = QuantityKind
_COUNT_WORDS = (
    "人次 件次 剂次 户次 家次 车次 架次 班次 台次 批次 人 个 家 座 项 件 户 次 剂 份 台 套 批 宗 株 名 起 所 处 块 期 "
    "条 头 只 辆 艘 栋 幢 间 张 场 支 类 位 例 篇 部门 部 门 架 根 盏 口 棵 本 轮 堂 组 队 片 层 种 笔 枚 颗 匹 尾 "
    "羽 册 趟 封"
)
COUNT_WORDS = frozenset(_COUNT_WORDS.split())
_UNITS: dict[str, tuple[str, QuantityKind]] = {w: (w, K.COUNT) for w in COUNT_WORDS}
_UNITS.update({w: (w, K.MONEY) for w in ("元", "美元", "欧元", "港元", "日元")})
_UNITS["人民币"] = ("元", K.MONEY)
_UNITS.update({w: (w, K.AREA) for w in ("亩", "平方米", "平方公里", "平方千米", "公顷", "平米", "m²")})
_MEASURES = ("吨", "公里", "千米", "米", "千伏", "千瓦时", "千瓦", "兆瓦", "立方米", "千克", "公斤", "岁", "标箱")
_UNITS.update({w: (w, K.MEASURE) for w in _MEASURES})
_UNITS.update({w: (w, K.MEASURE) for w in ("km", "kV", "kWh", "kW", "MW", "GW", "kg", "m")})
_DURATIONS = ("日", "天", "小时", "个小时", "分钟", "周", "个月", "个工作日", "工作日", "年", "个季度")
_UNITS.update({w: (w, K.DURATION) for w in _DURATIONS})
_UNITS["倍"] = ("倍", K.RATIO)
_UNITS["个百分点"] = ("个百分点", K.PERCENTAGE_POINT)
_UNITS["百分点"] = ("个百分点", K.PERCENTAGE_POINT)
_UNIT_WORDS = sorted(_UNITS, key=len, reverse=True)
_LATIN_UNITS = re.compile(r"(?:km|kV|kWh|kW|MW|GW|kg|m²|m)$")
# Chinese numerals only count with everyday measure words (not 种 级 年 米 …; see the decisions table).
_CHINESE_UNIT_WORDS = (
    "个 家 项 件 户 次 批次 批 期 名 人 人次 件次 户次 剂次 位 座 所 处 条 起 份 台 套 宗 株 头 只 辆 艘 "
    "栋 间 张 场 支 篇 部 门 轮 笔 例 类 倍 个百分点 百分点 元 美元 亩 天 个月 个工作日 小时 个小时 个季度"
)
_CHINESE_UNITS = frozenset(_CHINESE_UNIT_WORDS.split())
_PAREN_UNIT = re.compile(r"\((?:套|次|个|件|处|户|辆|人|台|家)\)")
_NAME_SUFFIXES = ("强", "热线", "国道", "省道", "号", "级", "周年", "届", "版", "后", "大", "+", "×", "*", "#", "路")
_TIME_SUFFIXES = frozenset("月时点分秒")
_NAMES = (
    "四个意识", "四个自信", "两个维护", "两个确立", "四个全面", "三个代表", "两个一百年", "八项规定",
    "三个务必", "两个先行", "四个着力", "五个坚持", "三次产业",
)  # fmt: skip
_PREFIXES: list[tuple[str, Qualifier]] = sorted(
    [
        ("不少于", Qualifier.AT_LEAST), ("不低于", Qualifier.AT_LEAST), ("不小于", Qualifier.AT_LEAST),
        ("至少", Qualifier.AT_LEAST), ("超过", Qualifier.AT_LEAST), ("突破", Qualifier.AT_LEAST),
        ("逾", Qualifier.AT_LEAST), ("高于", Qualifier.AT_LEAST), ("多于", Qualifier.AT_LEAST),
        ("大于", Qualifier.AT_LEAST), ("不超过", Qualifier.AT_MOST), ("不高于", Qualifier.AT_MOST),
        ("不多于", Qualifier.AT_MOST), ("不大于", Qualifier.AT_MOST), ("低于", Qualifier.AT_MOST),
        ("少于", Qualifier.AT_MOST), ("小于", Qualifier.AT_MOST), ("控制在", Qualifier.AT_MOST),
        ("最多", Qualifier.AT_MOST), ("约", Qualifier.APPROX), ("大约", Qualifier.APPROX),
        ("近", Qualifier.APPROX), ("将近", Qualifier.APPROX), ("接近", Qualifier.APPROX),
    ],
    key=lambda p: len(p[0]),
    reverse=True,
)  # fmt: skip
_NOT_PREFIX_BEFORE = {"近": "最附邻靠亲", "约": "预签节制公条契违履特邀集"}
_AIM_BRIDGES = ("达到", "实现", "突破", "超过", "完成", "增长", "达", "在", "到", "")
_SUFFIXES: list[tuple[str, Qualifier]] = [
    ("及以上", Qualifier.AT_LEAST), ("以上", Qualifier.AT_LEAST), ("及以下", Qualifier.AT_MOST),
    ("以下", Qualifier.AT_MOST), ("以内", Qualifier.AT_MOST), ("之内", Qualifier.AT_MOST),
    ("左右", Qualifier.APPROX),
]  # fmt: skip
_RANGE_SEPARATORS = "-~—–至到"
_EDITION_WORDS = frozenset("届期批次轮号个章条款项季年月天日")
_RANK_CONTEXT = re.compile(r"(排名|排位|位列|位居|名列|排在|列|居|排|全省|全国|全市|全区|全县|省内|市内|国内)")

_START = re.compile(r"百分之|第|前(?=[0-9零〇一二两三四五六七八九十])|[0-9]+|[" + CHINESE_NUMERAL_CHARS + "]+")
_ARABIC = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_CHINESE = re.compile("[" + CHINESE_NUMERAL_CHARS + "]+")
_MAGNITUDE = re.compile("|".join(MAGNITUDES))
_IDENTIFIER = re.compile(r"[0-9A-Za-z][0-9A-Za-z_/#.:²\-]*")
_POWERS_ONLY = re.compile("[十百千万亿]+")
_CITATION = re.compile(r"[\[【〔][ ]?[A-Za-z]?[0-9]{1,4}[ ]?[\]】〕]")
_OUTLINE_MARKER = re.compile(r"^[ \t]*(?:\([0-9]{1,2}\)|[0-9]{1,2}[.、)](?![0-9]))", re.MULTILINE)


@dataclass
class _Core:
    """A number as written: digits (or a Chinese numeral), then 余/多, magnitude, 余/多."""

    start: int
    end: int  # after the magnitude and any 余/多
    num_end: int  # end of number_text
    value: Decimal
    exponent: int  # magnitude applied (0 when none)
    approx: bool
    chinese: bool
    plain_integer: bool  # Arabic digits only: no separator, point or magnitude


def _read_core(norm: str, pos: int, chinese: bool) -> _Core | None:
    """The number starting at pos, or None when there is none or it is an identifier (06, 0715)."""
    approx = False
    if chinese:
        m = _CHINESE.match(norm, pos)
        if not m:
            return None
        token = m.group()
        if len(token) > 1 and not set(token) & set("十百千万亿"):
            return None  # digit-by-digit (一二三产业, 二〇二一): a name or a year, never a count
        as_int = chinese_to_int(token)
        if not as_int:
            return None  # not a numeral, or 零: nothing is counted in zeros written out
        digits, end = str(as_int), m.end()
    else:
        m = _ARABIC.match(norm, pos)
        if not m:
            return None
        written = m.group()
        if len(written) > 1 and written[0] == "0" and written[1] != ".":
            return None
        digits, end = written.replace(",", ""), m.end()
    num_end = end
    exponent = 0
    mid = end < len(norm) and norm[end] in "余多"
    magnitude = _MAGNITUDE.match(norm, end + 1 if mid else end)
    if magnitude:
        exponent = MAGNITUDES[magnitude.group()]
        end = num_end = magnitude.end()
        approx = mid
    if end < len(norm) and norm[end] in "余多":
        approx = True
        end += 1
    plain_integer = not chinese and not exponent and digits == m.group()
    return _Core(pos, end, num_end, scale(digits, exponent), exponent, approx, chinese, plain_integer)


def _unit_at(norm: str, pos: int, chinese: bool) -> tuple[str, str, QuantityKind] | None:
    """(surface, unit, kind) of the measure word at pos, longest first, with 台(套)-style suffixes."""
    for word in _UNIT_WORDS:
        if norm.startswith(word, pos) and (not chinese or word in _CHINESE_UNITS):
            unit, kind = _UNITS[word]
            after = pos + len(word)
            if word.isascii() and after < len(norm) and norm[after].isascii() and norm[after].isalpha():
                continue  # 5kVA, 3ms: not one of ours
            paren = _PAREN_UNIT.match(norm, pos + len(word))
            if paren and kind == K.COUNT:
                return word + paren.group(), unit + paren.group(), kind
            return word, unit, kind
    return None


def _ideographs(s: str) -> bool:
    """Whether s is all Chinese characters other than numerals (the gap inside 一主四辅)."""
    return all("\u4e00" <= c <= "\u9fff" and c not in CHINESE_NUMERAL_CHARS for c in s)


class _Scanner:
    """One pass over one text; holds the normalised text and which characters are already taken."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = normalise(text)
        self.n = len(self.norm)
        self.blocked = bytearray(self.n)
        self.last = 0  # end of the last figure or skipped name: nothing before it is read again
        self.found: list[Quantity] = []

    def block(self, start: int, end: int) -> None:
        self.blocked[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return 0 <= start <= end <= self.n and not any(self.blocked[start:end])

    def add(
        self,
        start: int,
        end: int,
        num_start: int,
        num_end: int,
        value: Decimal,
        unit: str,
        kind: QuantityKind,
        qualifier: Qualifier,
        upper: Decimal | None = None,
    ) -> None:
        self.found.append(
            Quantity(text=self.text[start:end], start=start, end=end, number_text=self.norm[num_start:num_end],
                     value=value, upper=upper, unit=unit, kind=kind, qualifier=qualifier)
        )  # fmt: skip
        self.last = end

    # -- the parts around a number --------------------------------------------------------------------

    def prefix(self, start: int) -> tuple[int, Qualifier | None]:
        """Qualifier words just before start (不少于, 近, 力争突破 …): new start and qualifier."""
        qualifier = None
        for word, q in _PREFIXES:
            s = start - len(word)
            if s >= self.last and self.norm.startswith(word, s) and self.free(s, start):
                if s > 0 and self.norm[s - 1] in _NOT_PREFIX_BEFORE.get(word, ""):
                    continue
                start, qualifier = s, q
                break
        for bridge in _AIM_BRIDGES:
            word = "力争" + bridge
            s = start - len(word)
            if s >= self.last and self.norm.startswith(word, s) and self.free(s, start):
                return s, Qualifier.AIM
        return start, qualifier

    def suffix(self, pos: int, kind: QuantityKind) -> tuple[int, Qualifier | None]:
        """Qualifier words just after pos (以上, 以内, 左右 …): new end and qualifier."""
        for word, q in _SUFFIXES:
            if self.norm.startswith(word, pos) and self.free(pos, pos + len(word)):
                return pos + len(word), q
        if kind == K.DURATION and self.norm.startswith("内", pos) and self.free(pos, pos + 1):
            return pos + 1, Qualifier.AT_MOST
        return pos, None

    def name_like(self, start: int, end: int) -> bool:
        """Chinese numerals alternating with one or two characters (一主四辅, 四馆三场两中心, 六个一)."""
        norm = self.norm
        for gap in (1, 2):
            j = start - 1 - gap
            if j >= 0 and norm[j] in CHINESE_NUMERAL_CHARS and not self.blocked[j] and _ideographs(norm[j + 1 : start]):
                return True
            k = end + gap - 1
            if k < self.n and norm[k] in CHINESE_NUMERAL_CHARS and not self.blocked[k] and _ideographs(norm[end:k]):
                return True
        return False

    # -- the kinds of figure ----------------------------------------------------------------------------

    def number(self, pos: int, chinese: bool) -> int:
        """Read a figure whose number starts at pos; returns how far the text is consumed."""
        norm, n = self.norm, self.n
        core = _read_core(norm, pos, chinese)
        if core is None:
            m = (_CHINESE if chinese else _ARABIC).match(norm, pos)
            return m.end() if m else pos + 1
        if not self.free(pos, core.end):
            return core.end
        num_start = pos
        if (
            not chinese
            and pos >= 1
            and norm[pos - 1] == "-"
            and pos - 1 >= self.last
            and not self.blocked[pos - 1]
            and (pos < 2 or norm[pos - 2] not in "0123456789.")
        ):
            num_start = pos - 1
            core.value = -core.value
        p = core.end
        if any(norm.startswith(word, p) for word in _NAME_SUFFIXES):
            return p
        if chinese:
            if any(norm.startswith(name, pos) for name in _NAMES):
                return p
            token = norm[pos : core.num_end]
            if token != "十" and _POWERS_ONLY.fullmatch(token) and not core.approx:
                return self.threshold(pos, core)
        percent = p < n and norm[p] in "%‰" and not self.blocked[p]
        if percent:
            p += 1
        upper: Decimal | None = None
        if p + 1 < n and norm[p] in _RANGE_SEPARATORS and not core.approx and not self.blocked[p]:
            hi = _read_core(norm, p + 1, chinese)
            if hi is not None and not hi.approx and self.free(p, hi.end):
                q = hi.end
                hi_percent = q < n and norm[q] in "%‰" and not self.blocked[q]
                lo_value = core.value
                if hi.exponent and not core.exponent:
                    lo_value = scale(plain(core.value), hi.exponent)
                if (hi_percent or not percent) and lo_value < hi.value:
                    core.value, upper = lo_value, hi.value
                    percent = percent or hi_percent
                    p = q + 1 if hi_percent else q
                    core.num_end = p
        if percent:
            unit, kind, after = "%", K.PERCENT, p
            core.num_end = p
        else:
            found = _unit_at(norm, p, chinese)
            if found is not None and not self.free(p, p + len(found[0])):
                found = None
            if found is None:
                if chinese or (upper is None and self.bare_excluded(core, p)):
                    return p
                unit, kind, after = "", K.COUNT, p
            else:
                word, unit, kind = found
                after = p + len(word)
        if chinese and upper is None:
            token = norm[pos : core.num_end]
            if token == "一" and unit not in ("倍", "个百分点"):
                return after  # 一项 / 一批 / 一次性: an article, not a count
            if token == "二" or (unit == "期" and token != "两"):
                return after  # 二期 / 三期工程 / 二次: ordinals (two of a thing is 两)
            if self.name_like(pos, after):
                return after
        end, suffix_q = self.suffix(after, kind)
        start, prefix_q = self.prefix(num_start)
        if prefix_q == Qualifier.AIM:
            qualifier = Qualifier.AIM
        elif upper is not None:
            qualifier = Qualifier.RANGE
        else:
            qualifier = prefix_q or suffix_q or (Qualifier.APPROX if core.approx else Qualifier.EXACT)
        self.add(start, end, num_start, core.num_end, core.value, unit, kind, qualifier, upper)
        return end

    def bare_excluded(self, core: _Core, p: int) -> bool:
        """Whether a number with no unit is a year (2020耕地) or a clock or calendar reading (8点, 13月)."""
        if p < self.n and self.norm[p] in _TIME_SUFFIXES:
            return True
        if core.plain_integer and len(plain(core.value).lstrip("-")) == 4:
            return 1900 <= abs(core.value) <= 2099
        return False

    def threshold(self, pos: int, core: _Core) -> int:
        """亿元以上 / 万元及以下: a money threshold written as a bare magnitude; other bare powers are names."""
        norm = self.norm
        p = core.end
        if core.num_end - pos > 2 or not norm.startswith("元", p) or not self.free(p, p + 1):
            return p
        end, q = self.suffix(p + 1, K.MONEY)
        if q not in (Qualifier.AT_LEAST, Qualifier.AT_MOST):
            return p
        if pos > 0 and (norm[pos - 1] in "0123456789余多" or norm[pos - 1] in CHINESE_NUMERAL_CHARS):
            return p
        self.add(pos, end, pos, core.num_end, core.value, "元", K.MONEY, q)
        return end

    def ordinal(self, pos: int) -> int:
        """第四 / 第三十八位 / 第7位: a rank when 位/名 follows or a ranking word precedes; else skipped."""
        norm = self.norm
        for chinese in (False, True):
            core = _read_core(norm, pos + 1, chinese)
            if core is not None:
                break
        else:
            return pos + 1
        end = core.end
        if core.approx or core.exponent or not self.free(pos, end) or core.value != int(core.value):
            return end
        unit = ""
        if end < self.n and norm[end] in "位名" and self.free(end, end + 1):
            unit, end = norm[end], end + 1
        elif end < self.n and norm[end] in _EDITION_WORDS:
            return end
        else:
            window = norm[max(self.last, pos - 12) : pos]
            clause = re.split(r"[,，。;；:：!！?？\n]", window)[-1]
            if not _RANK_CONTEXT.search(clause):
                return end
        self.add(pos, end, pos, core.num_end, core.value, unit, K.RANK, Qualifier.EXACT)
        return end

    def top(self, pos: int) -> int:
        """前10名 / 前三位: a rank ceiling; anything else after 前 is read as an ordinary number."""
        norm = self.norm
        for chinese in (False, True):
            core = _read_core(norm, pos + 1, chinese)
            if core is not None and not core.approx and not core.exponent:
                end = core.end
                if end < self.n and norm[end] in "名位" and self.free(pos, end + 1):
                    self.add(pos, end + 1, pos + 1, core.num_end, core.value, norm[end], K.RANK, Qualifier.AT_MOST)
                    return end + 1
        return pos + 1

    def percent_words(self, pos: int) -> int:
        """百分之十五 → percent 15."""
        core = _read_core(self.norm, pos + 3, True)
        if core is None or core.exponent or core.approx or not self.free(pos, core.end):
            return pos + 3
        end, q = self.suffix(core.end, K.PERCENT)
        start, pq = self.prefix(pos)
        self.add(start, end, pos, core.num_end, core.value, "%", K.PERCENT, pq or q or Qualifier.EXACT)
        return end

    # -- the pass ----------------------------------------------------------------------------------------

    def run(self) -> list[Quantity]:
        norm = self.norm
        for start, end in document_name_spans(norm):
            self.block(start, end)
        for start, end in _quote_spans(norm):
            self.block(start, end)
        for m in _IDENTIFIER.finditer(norm):
            if not re.search("[0-9]", m.group()):
                continue
            body = _LATIN_UNITS.sub("", m.group().rstrip(".-"))
            if re.search(r"[A-Za-z_/#:²]", body) or re.search(r"(?<![0-9.])0[0-9]", body):
                self.block(m.start(), m.end())
        for m in _CITATION.finditer(norm):
            self.block(m.start(), m.end())
        for m in _OUTLINE_MARKER.finditer(norm):
            self.block(m.start(), m.end())
        for start, end, first, last in find_year_spans(norm):
            if self.free(start, end):
                written = norm[start:end].removesuffix("年度").removesuffix("年")
                self.found.append(
                    Quantity(text=self.text[start:end], start=start, end=end, number_text=written,
                             value=Decimal(first), upper=Decimal(last), unit="年", kind=K.YEAR_SPAN,
                             qualifier=Qualifier.RANGE)
                )  # fmt: skip
                self.block(start, end)
        for start, end, _ in periods_in(norm):
            self.block(start, end)
        for m in _START.finditer(norm):
            pos = m.start()
            if pos < self.last or self.blocked[pos]:
                continue
            token = m.group()
            if token == "第":
                self.last = max(self.last, self.ordinal(pos))
            elif token == "前":
                self.last = max(self.last, self.top(pos))
            elif token == "百分之":
                self.last = max(self.last, self.percent_words(pos))
            elif token[0].isascii():
                if pos >= 2 and norm[pos - 1] == "." and norm[pos - 2].isascii() and norm[pos - 2].isdigit():
                    continue
                self.last = max(self.last, self.number(pos, chinese=False))
            else:
                self.last = max(self.last, self.number(pos, chinese=True))
        return _spread_units(sorted(self.found, key=lambda q: q.start), norm)


def _spread_units(found: list[Quantity], norm: str) -> list[Quantity]:
    """A list written with its unit once, at its end: in 分别高0.8个、1.6个百分点 (or 0.1和0.3个百分点) the first
    figure is in percentage points too, not a count of 个 or a bare number."""
    out = list(found)
    for i in range(len(out) - 1, 0, -1):
        last, before = out[i], out[i - 1]
        if last.kind != K.PERCENTAGE_POINT or before.unit not in ("个", "") or before.kind == K.PERCENTAGE_POINT:
            continue
        if not re.fullmatch(r"\s*[、和及与]\s*", norm[before.end : last.start]):
            continue
        out[i - 1] = before.model_copy(update={"unit": last.unit, "kind": K.PERCENTAGE_POINT})
    return out


def _quote_spans(norm: str) -> list[tuple[int, int]]:
    """Spans of short quoted names (“十四五”, “323”, “双随机、一公开”) on one line, quotes included."""
    spans = []
    for m in re.finditer(
        r"“[^“”\n]{0,12}”|‘[^‘’\n]{0,12}’|「[^「」\n]{0,12}」|『[^『』\n]{0,12}』|\"[^\"\n]{0,12}\"", norm
    ):
        spans.append((m.start(), m.end()))
    return spans


def extract_quantities(text: str) -> list[Quantity]:
    """Every figure in text, in order, typed (value, unit, kind, qualifier), so answers cite exact numbers.

    Dates, periods and names that only look like counts are left out (see the module docstring).
    ``text[q.start:q.end] == q.text`` for every result, and results never overlap.
    """
    return _Scanner(text).run()


def describe(q: Quantity) -> str:
    """One line a person reads, e.g. '≥300 家 (count)' or '30000..50000 元 (money, range)', for logs and UIs."""
    marks = {Qualifier.AT_LEAST: "≥", Qualifier.AT_MOST: "≤", Qualifier.APPROX: "≈", Qualifier.AIM: "aim "}
    value = plain(q.value) if q.upper is None else f"{plain(q.value)}..{plain(q.upper)}"
    unit = "%" if q.unit == "%" else f" {q.unit}" if q.unit else ""
    kind = q.kind.value if q.upper is None else f"{q.kind.value}, range"
    return f"{marks.get(q.qualifier, '')}{value}{unit} ({kind})"
