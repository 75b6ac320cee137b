"""A notice's own place, read from its text first and its file name last.

In order: the header's issuer, the title, the first lines (来源:…, …督查室, 记者从…获悉), then the places the body
names, each of which counts for itself and for what contains it (宜都、夷陵、猇亭 are 宜昌's; 天水、陇南 are
甘肃's), kept to the tier the body's own scope words give (全市, 我县, 全省). A place is one of China's divisions
(documents.divisions), so pieces of company, project or river names are never read as the notice's place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from documents.divisions import Division, divisions_named, parent_of
from documents.numerals import normalise
from documents.places import SCOPE_WORD, Level, pinyin_matches
from documents.vocabulary import vocabulary

# Which tiers of division a scope word may name: 我市 is a prefecture or a county-level city, 我区 a district or
# an autonomous region.
_WORD_TIERS: dict[str, set[str]] = {
    "省": {"province"}, "市": {"prefecture", "county-city", "municipality"}, "县": {"county"},
    "区": {"county", "region"}, "盟": {"prefecture"}, "州": {"prefecture"}, "旗": {"county"},
}  # fmt: skip
_MUNICIPALITIES = ("11", "12", "31", "50")  # 北京, 天津, 上海, 重庆: provinces that call themselves 市
_BYLINE = re.compile(r"来源|督查|督察|办公室|获悉|通报|发布|讯|发改委|政府")


@dataclass(frozen=True)
class PlaceReading:
    division: Division
    source: str

    @property
    def level(self) -> Level:
        """The level its own scope words use: 开平市 and 上海市 say 全市, though one is a county and one a province."""
        d = self.division
        if d.name.endswith("市") and tier(d) in ("county-city", "municipality"):
            return Level.CITY
        return d.level


def tier(d: Division) -> str:
    if d.level == Level.PROVINCE:
        if d.code[:2] in _MUNICIPALITIES:
            return "municipality"
        return "region" if d.name.endswith("自治区") else "province"
    if d.level == Level.CITY:
        return "prefecture"
    return "county-city" if d.name.endswith("市") else "county"


def tiers_of(level_words: Counter[str]) -> set[str] | None:
    """The tiers the body's own scope words allow (the most used word decides), None when it uses none."""
    if not level_words:
        return None
    word = level_words.most_common(1)[0][0]
    return _WORD_TIERS.get(word)


_COMPARED = re.compile(r"(?:高于|低于|快于|慢于|超过|超出|比|较|居|列|位居|位列|占|与)$")
_OWN_GOVERNMENT = re.compile(r"(?<![省市县区])(省|市|县|区)(?:政府|委|人民政府)")


def scope_words(text: str) -> Counter[str]:
    """The levels of the scope words a text uses of itself (全市, 我县), leaving out comparisons (高于全省,
    居全省第7位) and 区政府-style issuers counted the same way."""
    found: Counter[str] = Counter()
    for m in SCOPE_WORD.finditer(text):
        if _COMPARED.search(text[max(0, m.start() - 2) : m.start()]) or re.match(r"第|排名|平均", text[m.end() :]):
            continue
        found[m.group(2)] += 1
    for m in _OWN_GOVERNMENT.finditer(text):
        found[m.group(1)] += 1
    return found


def _in_tiers(d: Division, tiers: set[str] | None) -> bool:
    return tiers is None or tier(d) in tiers


_DATELINE = re.compile(r"(?:社|网|报|台|电)$")
# Stems that are also the common words for a town's parts (城西, 新城, 城区): never a notice's place by themselves.
_GENERIC_STEM = re.compile(r"^(?:城[东西南北中关区郊]|[东西南北中]城|新城|市中|郊区|[东西南北中]区|开发|高新)$")
_GENERIC_NAME = re.compile(r"^(?:老城|新城|城|市中|郊|矿|[东西南北中]|开发|高新)区$")  # 老城区: a town's old quarter
_SMALLER = re.compile(r"街道|镇|乡|村|社区|路|街|大道|桥|河|湖|山")  # 凤凰街道: a smaller place of that name


def _names(text: str) -> list[tuple[str, list[Division]]]:
    """Division names a text writes as words of their own, by jieba's words: a full name (西城区, or 西城 + 区) or
    a bare stem that is not also a common word (not 成县 inside 完成县…, not 新建 the verb); a news agency's
    dateline (新华社北京5月19日电) is left out."""
    import jieba

    from documents.divisions import _table

    by_name, by_stem, _ = _table()
    tokens = jieba.lcut(text)
    found: list[tuple[str, list[Division]]] = []
    at, i = 0, 0
    while i < len(tokens):
        word = tokens[i]
        joined = word + (tokens[i + 1] if i + 1 < len(tokens) else "")
        if _GENERIC_NAME.match(joined) or _GENERIC_NAME.match(word):
            at, i = at + len(word), i + 1
            continue
        if joined in by_name and len(tokens[i + 1]) <= 3:
            step, name, divisions = 2, joined, by_name[joined]
        elif word in by_name:
            step, name, divisions = 1, word, by_name[word]
        elif (
            word in by_stem
            and len(word) >= 2
            and word not in vocabulary().place_words
            and not _GENERIC_STEM.match(word)
        ):
            step, name, divisions = 1, word, by_stem[word]
        else:
            at, i = at + len(word), i + 1
            continue
        after = text[at + len(name) : at + len(name) + 2]
        dateline = _DATELINE.search(text[max(0, at - 1) : at]) and after[:1].isdigit()
        if not dateline and not (name not in by_name and _SMALLER.match(after)):
            found.append((name, divisions))
        at, i = at + sum(len(t) for t in tokens[i : i + step]), i + step
    return found


def _named_in(text: str, tiers: set[str] | None) -> Division | None:
    """The most specific division a short text (a title, an issuer line) names; a bare stem only within the
    tiers the notice's scope words allow."""
    found = [
        d
        for word, ds in _names(text)
        for d in ds
        if _plausible(word, d, tiers) and (word == d.name or _in_tiers(d, tiers))
    ]
    if not found:
        return None
    unique = {d.code: d for d in found}
    if len({d.code for d in found}) > 1:  # 宝鸡扶风: the one inside the others
        inner = [d for d in unique.values() if any(d.within(o) for o in unique.values())]
        if inner:
            return inner[0]
        named = [d for d in unique.values() if len(divisions_named(d.stem)) == 1]
        return named[0] if len(named) == 1 else None
    return found[0]


def _plausible(word: str, d: Division, tiers: set[str] | None = None) -> bool:
    """A stem of two characters counts only when it is one division's of the allowed tiers (朝阳 is four); a full
    name always."""
    return word == d.name or len(word) >= 3 or len([o for o in divisions_named(word) if _in_tiers(o, tiers)]) == 1


def _voted(body: str, tiers: set[str] | None) -> Division | None:
    """The division the body's place names point to: each counts for itself and, less, for what contains it. A
    bare stem (新建, also a verb) counts only beside a full name or a place related to it (宜都、夷陵 → 宜昌)."""
    votes: Counter[str] = Counter()
    by_code: dict[str, Division] = {}
    named: dict[str, Division] = {}
    full: set[str] = set()
    for word, ds in _names(body):
        ds = [d for d in ds if _in_tiers(d, tiers) or word == d.name] or ds
        if (
            len(ds) > 1
            or not _plausible(word, ds[0])
            and len(divisions_named(word)) > 1
            and not _in_tiers(ds[0], tiers)
        ):
            continue
        d = ds[0]
        named[d.code] = d
        if word == d.name:
            full.add(d.code)
        up, share = parent_of(d), 1.0
        votes[d.code] += 3.0 if word == d.name else 1.0
        by_code[d.code] = d
        while up is not None:
            votes[up.code] += share
            by_code[up.code] = up
            up, share = parent_of(up), share / 2

    def supported(d: Division) -> bool:
        return d.code in full or any(o.code != d.code and _related(o, d) for o in named.values())

    ranked = [
        (code, v) for code, v in votes.most_common() if _in_tiers(by_code[code], tiers) and supported(by_code[code])
    ]
    if not ranked or ranked[0][1] < 2.0:
        return None
    best, score = ranked[0]
    rival = next((v for code, v in ranked[1:] if not _related(by_code[code], by_code[best])), 0.0)
    return by_code[best] if score >= rival + 1.0 else None


def _related(a: Division, b: Division) -> bool:
    return a.code == b.code or a.within(b) or b.within(a)


def _from_file(key: str, tiers: set[str] | None, body: str) -> Division | None:
    """A division whose name the file's pinyin spells, preferring one whose province the text names."""
    from documents.divisions import _table

    by_name, _, _ = _table()
    found = [d for ds in by_name.values() for d in ds if _in_tiers(d, tiers) and pinyin_matches(d.stem, key)]
    if len(found) > 1:
        named = {d.province for _, ds in _names(body) for d in ds if d.level == Level.PROVINCE}
        inside = [d for d in found if d.province in named]
        found = inside or found
    return found[0] if len(found) == 1 else None


def read_place(
    issuer: str | None, title: str, first_lines: list[str], body: str, file_key: str | None
) -> PlaceReading | None:
    """The notice's own place (see the module docstring); None when nothing names it."""
    body = normalise(body)
    tiers = tiers_of(scope_words(body) + scope_words(normalise(title)))
    for source, text in (("header", issuer or ""), ("title", title)):
        found = _named_in(normalise(text), tiers) if text else None
        if found:
            return PlaceReading(found, source)
    lines = [normalise(t) for t in first_lines if _BYLINE.search(normalise(t))]
    for line in lines:
        found = _named_in(line[:120], tiers)
        if found:
            return PlaceReading(found, "byline")
    found = _voted(body, tiers)
    if found:
        return PlaceReading(found, "body (the places it names)")
    if file_key:
        found = _from_file(file_key, tiers, body)
        if found:
            return PlaceReading(found, "file name")
    return None
