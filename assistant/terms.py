"""Word overlap between a question's measure words and a notice's text, with the genre's synonyms.

Character bigrams, so that 技术改造投资 meets 工业技术改造投资 and a one-character typo costs one or two bigrams, not
the word; a term of a synonym group counts as present when another member of its group is (外贸 ~ 进出口).
"""

from __future__ import annotations

import re
from functools import lru_cache

from documents.vocabulary import vocabulary
from index.text import normalize

_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
_FRAME = re.compile(
    r"一季度|第一季度|上半年|前三季度|全年|今年|目前|现在|截至|全市|我市|本市|全县|全区|全省|亿元|万元|多少|几个|一下|情况|"
    r"年度|同比|分别|完成(?![投产建收资工总营])|目标|计划|任务|比例|进度|百分|序时|快于|慢于|还是|增长|增速|增幅|涨幅|下降|排名|占比|比重|"
    r"[0-9.]+%?|亿|万"
)


@lru_cache(maxsize=8192)
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the normalised text (a lone character of a one-character run counts as itself)."""
    grams: set[str] = set()
    for run in _RUN.findall(normalize(text)):
        if len(run) == 1 or not "\u3400" <= run[0] <= "\u9fff":
            grams.add(run)
        else:
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(grams)


@lru_cache(maxsize=4096)
def term_grams(terms: str) -> frozenset[str]:
    """A question's measure bigrams: of its content words, framing and generic words (periods, units, 全市, 完成,
    目标, 年初) left out."""
    words = content_words(terms)
    if not words:  # nothing but short or generic words (新造林 → 新/造林): read the terms as written
        return bigrams(_FRAME.sub(" ", normalize(terms)))
    return bigrams(" ".join(words))


@lru_cache(maxsize=4096)
def _groups_in(terms: str) -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """The synonym groups the terms name: the bigrams of the members named, and the other members (read once
    per question, not once per candidate text)."""
    found = []
    for group in vocabulary().synonyms:
        inside = [m for m in group if m in terms]
        if inside:
            grams = frozenset().union(*(bigrams(m) for m in inside))
            found.append((grams, tuple(m for m in group if m not in inside)))
    return tuple(found)


def _synonym_cover(terms: str, text: str) -> frozenset[str]:
    """Bigrams of the question's terms that count as present through a synonym found in the text."""
    covered: set[str] = set()
    for grams, others in _groups_in(terms):
        if any(m in text for m in others):
            covered |= grams
    return frozenset(covered)


def recall(terms: str, text: str) -> float:
    """Share of the question's measure bigrams that the text names (1.0: every term is there)."""
    wanted = term_grams(terms)
    if not wanted:
        return 0.0
    plain = normalize(text)
    have = bigrams(plain) | _synonym_cover(normalize(terms), plain)
    return len(wanted & have) / len(wanted)


def precision(measure: str, terms: str) -> float:
    """Share of a figure's measure bigrams that the question names: 工业投资 for 工业投资, not for 技术改造投资."""
    own = bigrams(_FRAME.sub(" ", normalize(measure)))
    if not own:
        return 0.0
    question = normalize(terms)
    have = bigrams(question) | _synonym_cover(normalize(measure), question)
    return len(own & have) / len(own)


def has_content(terms: str) -> bool:
    """Whether the question names anything at all once framing and question words are gone."""
    return bool(term_grams(terms))


def group_recall(groups: list[list[str]], text: str) -> float:
    """For an English question: the share of its translated words with a Chinese equivalent in the text."""
    if not groups:
        return 0.0
    plain = normalize(text)
    return sum(any(normalize(w) in plain for w in g) for g in groups) / len(groups)


_GENERIC_WORDS = frozenset(
    [
        "项目",
        "工作",
        "情况",
        "建设",
        "推进",
        "实施",
        "开展",
        "全面",
        "相关",
        "有关",
        "方面",
        "主要",
        "进行",
        "加快",
        "推动",
        "落实",
        "任务",
        "总数",
        "数量",
        "多少",
        "情况下",
        "一共",
        "总共",
        "今年",
        "去年",
        "当年",
        "全年",
        "年度",
        "目前",
        "现在",
        "已经",
        "完成",
        "实现",
        "达到",
        "合计",
        "共计",
        "全部",
        "政府",
        "市政府",
        "县政府",
        "区政府",
        "省政府",
        "报告",
        "工作报告",
        "通报",
        "人数",
        "个数",
        "次数",
        "件数",
        "户数",
        "数字",
        "金额",
        "规模",
        "总量",
        "年初",
        "原定",
        "定的",
        "当初",
        "具体",
        "大概",
        "大约",
        "到底",
        "究竟",
        "咱们",
        "我们",
        "这个",
        "那个",
        "一下",
        "左右",
        "以内",
        "控制",
        "要求",
        "规定",
        "预期",
        "增加",
        "提高",
        "时候",
        "时间",
        "哪天",
        "多久",
        "实际",
        "实际上",
        "真的",
        "一些",
        "哪些",
        "那些",
        "这些",
        "什么",
        "怎么",
    ]
)
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


@lru_cache(maxsize=4096)
def content_words(terms: str) -> list[str]:
    """The question's content words (jieba), framing and generic words left out."""
    import jieba

    text = _FRAME.sub(" ", normalize(terms))
    return [w for w in jieba.cut(text) if _CJK_WORD.fullmatch(w) and w not in _GENERIC_WORDS]


_NAMING_FLAGS = ("n", "vn", "j", "l", "x", "eng", "i")


@lru_cache(maxsize=4096)
def naming_words(terms: str) -> list[str]:
    """The content words that name things (nouns, abbreviations); verbs are often paraphrased (花掉 ~ 支出)."""
    import jieba.posseg as posseg

    text = _FRAME.sub(" ", normalize(terms))
    return [
        w for w, flag in posseg.lcut(text)
        if _CJK_WORD.fullmatch(w) and w not in _GENERIC_WORDS and flag.startswith(_NAMING_FLAGS)
    ]  # fmt: skip


@lru_cache(maxsize=16384)
def _typo_in(word: str, text: str) -> bool:
    """A span of the text that differs from the word in one character, read alike when the word is short
    (报消 for 报销, 峻工 for 竣工, 黄金口 for 黄荆口)."""
    from pypinyin import lazy_pinyin

    n = len(word)
    for i in range(len(text) - n + 1):
        at = -1  # the one position where the window differs; a second difference ends the window early
        for j in range(n):
            if text[i + j] != word[j]:
                if at >= 0:
                    at = -2
                    break
                at = j
        if at < 0:
            continue
        a, b = lazy_pinyin(text[i + at])[0], lazy_pinyin(word[at])[0]
        if a == b or _close(a, b):  # 报消 ~ 报销, 偏制 ~ 编制, 黄金口 ~ 黄荆口
            return True
    return False


_CONFUSED_INITIALS = {
    frozenset(p)
    for p in (("z", "zh"), ("c", "ch"), ("s", "sh"), ("l", "n"), ("b", "p"), ("d", "t"), ("g", "k"), ("f", "h"))
}


def _split_syllable(s: str) -> tuple[str, str]:
    for initial in ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw"):
        if s.startswith(initial):
            return initial, s[len(initial) :]
    return "", s


def _close(a: str, b: str) -> bool:
    """Two syllables a writer confuses: a front or back nasal (jin / jing), or a paired initial (zi / zhi, pian /
    bian) with the same final."""
    ia, fa = _split_syllable(a)
    ib, fb = _split_syllable(b)
    if ia == ib:
        return fa.rstrip("g") == fb.rstrip("g")
    return fa == fb and frozenset((ia, ib)) in _CONFUSED_INITIALS


def _abbreviates(word: str, text: str) -> bool:
    """A short form whose characters stand in order inside a longer term of the text (抽检 ~ 抽样检验)."""
    for i, char in enumerate(text):
        if char != word[0]:
            continue
        at, window = i, text[i : i + 2 * len(word) + 2]
        found = 0
        for c in word:
            pos = window.find(c, at - i)
            if pos < 0:
                break
            at, found = i + pos + 1, found + 1
        if found == len(word):
            return True
    return False


def missing_words(terms: str, text: str) -> list[str]:
    """Content words of the question that the text does not name, by itself, a synonym, its bigrams or a typo."""
    return list(_missing_words(terms, text))


@lru_cache(maxsize=8192)  # the facts of one clause group share their text: each is asked about many times
def _missing_words(terms: str, text: str) -> tuple[str, ...]:
    plain = normalize(text)
    terms = normalize(terms)
    for group in vocabulary().synonyms:  # 新型农村合作医疗 asked, 参合农民 written: named by a synonym
        for member in sorted(group, key=len, reverse=True):
            if member in terms and any(other in plain for other in group):
                terms = terms.replace(member, " ")
    missing = []
    for word in dict.fromkeys(naming_words(terms)):
        if word in plain or any(v in plain for v in vocabulary().variants(word)):
            continue
        if len(word) > 2 and all(word[i : i + 2] in plain for i in range(len(word) - 1)):
            continue
        if _typo_in(word, plain) or _abbreviates(word, plain):
            continue
        missing.append(word)
    return tuple(missing)
