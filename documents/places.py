"""Places in notices and questions: administrative levels, scope words (全市, 我县) and pinyin matching.

A notice often never names its own place (我区, 全县), and an English question names it in pinyin
("Yueyanglou District"); both meet a notice's profile through the place's pinyin, read with pypinyin. Every
reading of a polyphonic character is tried (宁都 is ning-du, not ning-dou), so no hand-made table is needed.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg as posseg
from pypinyin import Style, pinyin

from documents.numerals import normalise

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise (into `targets`, `facts` output)


class Level(StrEnum):
    NATION = "国"
    PROVINCE = "省"
    CITY = "市"
    COUNTY = "县"
    DISTRICT = "区"


_SUFFIX_LEVEL = (
    ("自治区", Level.PROVINCE), ("省", Level.PROVINCE), ("市", Level.CITY), ("州", Level.CITY),
    ("盟", Level.CITY), ("县", Level.COUNTY), ("旗", Level.COUNTY), ("区", Level.DISTRICT),
)  # fmt: skip
_LEVEL_PINYIN = {
    "sheng": Level.PROVINCE,
    "shi": Level.CITY,
    "zhou": Level.CITY,
    "xian": Level.COUNTY,
    "qu": Level.DISTRICT,
}
_ENGLISH_LEVEL = {
    "province": Level.PROVINCE, "city": Level.CITY, "municipality": Level.CITY, "prefecture": Level.CITY,
    "county": Level.COUNTY, "district": Level.DISTRICT, "league": Level.CITY, "banner": Level.COUNTY,
}  # fmt: skip
NATION_WORDS = re.compile(r"全国|国务院|国内生产总值|\b(?:china|national(?:ly)?|nationwide|state council)\b", re.I)
# 全市 / 我县 / 本区: the notice's own place at that level; 省级 / 市级 name a programme's level, not a place.
SCOPE_WORD = re.compile(r"(全|我|本)(省|市|县|区)(?!级|长|委|政府|直|场|民众|民意|政)")
_NOT_PLACES = frozenset(
    [
        "城市",
        "全市",
        "我市",
        "本市",
        "市区",
        "城区",
        "社区",
        "小区",
        "园区",
        "景区",
        "校区",
        "片区",
        "街区",
        "辖区",
        "新区",
        "山区",
        "库区",
        "矿区",
        "湖区",
        "开发区",
        "高新区",
        "示范区",
        "功能区",
        "保税区",
        "试验区",
        "自贸区",
        "集聚区",
        "市场",
        "都市",
        "县域",
        "县城",
        "郊区",
        "老城区",
        "主城区",
        "中心城区",
        "各县",
        "各区",
        "各市",
        "县市",
        "县区",
        "市县",
        "区县",
        "省市",
        "省级",
        "市级",
        "县级",
        "区级",
        "六县市",
        "全省",
        "全县",
        "全区",
        "全国",
        "本省",
        "本县",
        "本区",
        "新建",
        "改建",
        "扩建",
        "城镇",
        "农村",
        "城乡",
        "乡村",
        "乡镇",
        "街道",
        "东部",
        "西部",
        "南部",
        "北部",
        "中部",
        "沿海",
        "内地",
        "边境",
        "根据地",
        "中国",
        "全球",
        "世界",
        "国际",
        "合龙",
        "封顶",
    ]
)
_NAME = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,5}?(?:自治区|省|市|县|区|州|旗)")


def split_level(name: str) -> tuple[str, Level | None]:
    """(stem, level) of a place name: 岳阳楼区 → (岳阳楼, 区); 上海 → (上海, None). Stems keep ≥1 character."""
    for suffix, level in _SUFFIX_LEVEL:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], level
    return name, None


@lru_cache(maxsize=4096)
def _readings(name: str) -> tuple[frozenset[str], ...]:
    """Every toneless pinyin reading of each character (non-Chinese characters read as themselves)."""
    rows = pinyin(normalise(name), style=Style.NORMAL, heteronym=True, errors=lambda chars: list(chars))
    return tuple(frozenset(r.lower().replace("ü", "v") for r in row) for row in rows)


def pinyin_of(name: str) -> str:
    """One pinyin spelling, lower case, no spaces (for display and keys): 咸宁市 → xianningshi."""
    return "".join(
        sorted(r)[0] if len(r) == 1 else pinyin(c, style=Style.NORMAL)[0][0]
        for c, r in zip(name, _readings(name), strict=False)
    )


def _spells(readings: tuple[frozenset[str], ...], key: str) -> bool:
    """Whether key is one reading per character, concatenated."""
    ends = {0}
    for options in readings:
        ends = {e + len(r) for e in ends for r in options if key.startswith(r, e)}
        if not ends:
            return False
    return len(key) in ends


def pinyin_matches(name: str, key: str) -> bool:
    """Whether a Chinese place name is spelled by a pinyin key, with or without its level: 郏县 ~ jia, jiaxian."""
    key = re.sub(r"[^a-z]", "", key.lower().replace("ü", "v"))
    if not key:
        return False
    stem, level = split_level(name)
    names = [name, stem] if level else [name]
    return any(_spells(_readings(n), key) for n in names if n)


def key_matches(key: str, other: str) -> bool:
    """Two pinyin keys of one place: equal once a trailing level (xian, qu, shi, sheng) is dropped."""
    a, b = _strip_level_pinyin(key), _strip_level_pinyin(other)
    return bool(a) and (a == b or key == other)


def _strip_level_pinyin(key: str) -> str:
    key = re.sub(r"[^a-z]", "", key.lower())
    for suffix in sorted(_LEVEL_PINYIN, key=len, reverse=True):
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            return key[: -len(suffix)]
    return key


def scope_levels(text: str) -> list[Level]:
    """The levels that scope words of a text name, in order: 全县…(全市…) → [县, 市]."""
    found = [Level(m.group(2)) for m in SCOPE_WORD.finditer(normalise(text))]
    return found + ([Level.NATION] if NATION_WORDS.search(text) else [])


def place_names(text: str) -> list[str]:
    """Administrative place names in a text (岳阳楼区, 四川省, 惠东县, 上海), generic words (全市, 小区) left out."""
    plain = normalise(text)
    found: list[str] = []
    for word, flag in posseg.lcut(plain):
        if flag == "ns" and len(word) >= 2 and _is_name(word):
            found.append(word)
    for match in _NAME.finditer(re.sub(r"[年月日季度的了在和与及等为是对把将从向其]", " ", plain)):
        name = match.group()
        stem, _ = split_level(name)
        fresh = not any(name in f or f in name for f in found)
        if _is_name(name) and len(stem) >= 2 and fresh and all(flag in _NAME_FLAGS for _, flag in posseg.lcut(stem)):
            found.append(name)
    return list(dict.fromkeys(found))


_NAME_FLAGS = frozenset(["ns", "nr", "nrt", "nz", "j", "x"])


def _is_name(word: str) -> bool:
    return (
        word not in _NOT_PLACES
        and not SCOPE_WORD.fullmatch(word)
        and not re.match(r"[全我本各该省市县区]", word)
        and not re.search(
            r"(?:小区|社区|园区|景区|街区|片区|城区|校区|新区|开发区|高新区|功能区|示范区|厂区|矿区|地区|山区|库区)$",
            word,
        )
    )


_ENGLISH_PLACE = re.compile(
    r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)(?:'s)?"
    r"(?:\s+([Pp]rovince|[Cc]ity|[Cc]ounty|[Dd]istrict|[Mm]unicipality|[Pp]refecture|[Ll]eague|[Bb]anner)\b)?"
)
_ENGLISH_NOT_PLACES = frozenset(
    [
        "What",
        "How",
        "Which",
        "When",
        "Where",
        "Why",
        "Who",
        "Whose",
        "Did",
        "Does",
        "Do",
        "Is",
        "Are",
        "Was",
        "Were",
        "By",
        "In",
        "On",
        "At",
        "For",
        "Of",
        "The",
        "And",
        "Had",
        "Has",
        "Have",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "First",
        "Second",
        "Third",
        "Fourth",
        "State",
        "Council",
        "Government",
        "Work",
        "Report",
        "National",
        "China",
        "Chinese",
        "Mid",
        "GDP",
        "CPI",
        "According",
        "Between",
        "From",
        "Since",
        "Until",
        "Please",
        "Tell",
        "Give",
    ]
)


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (read off pypinyin for the common CJK block)."""
    found: set[str] = set()
    for code in range(0x4E00, 0x9FA6):
        for reading in pinyin(chr(code), style=Style.NORMAL, heteronym=True)[0]:
            found.add(reading.replace("ü", "v"))
    return frozenset(found)


def is_pinyin(word: str) -> bool:
    """Whether a word is a run of pinyin syllables (Yueyanglou, Huidong), as place names in English are."""
    word = word.lower()
    syllables = _syllables()
    ends = {0}
    for i in range(len(word)):
        if i in ends:
            ends |= {i + n for n in range(1, 7) if word[i : i + n] in syllables}
    return len(word) in ends and len(word) >= 3


@lru_cache(maxsize=1)
def _exonyms() -> dict[str, str]:
    """English names that are not pinyin (Xilingol, Harbin, Inner Mongolia) → the pinyin key of the place."""
    out = {}
    for line in (Path(__file__).resolve().parent / "data" / "exonyms.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, chinese = line.split("\t")
            out[english.lower()] = pinyin_of(chinese)
    return out


def english_places(question: str) -> list[tuple[str, Level | None]]:
    """Pinyin place keys named in an English question with their level: 'Huidong County' → ('huidong', 县),
    'Xilingol League' → ('xilinguolei', 市), its name's pinyin through the exonym table."""
    found: list[tuple[str, Level | None]] = []
    exonyms = _exonyms()
    for name, key in exonyms.items():
        if re.search(rf"\b{re.escape(name)}\b", question, re.I) and (" " in name or "'" in name):
            found.append((key, None))
            question = re.sub(rf"\b{re.escape(name)}\b", " ", question, flags=re.I)
    for match in _ENGLISH_PLACE.finditer(question):
        words = [w for w in re.split(r"[ -]", match.group(1)) if w not in _ENGLISH_NOT_PLACES]
        level = _ENGLISH_LEVEL.get((match.group(2) or "").lower())
        if words and words[-1].lower() in _ENGLISH_LEVEL:
            level = level or _ENGLISH_LEVEL[words[-1].lower()]
            words = words[:-1]
        words = [exonyms.get(w.lower(), w) for w in words]
        words = [w for w in words if w.lower() in exonyms.values() or is_pinyin(w)]
        if words:
            found.append(("".join(words).lower(), level))
    return found
