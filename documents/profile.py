"""A notice's profile: who issued it, which place and level it covers, its year, period and kind of report.

Read from, in order of trust: a sidecar file a user writes next to the notice (``<name>.profile.toml``), the
header fields (发文单位, 发布日期), the title, the file name (``04-yueyanglou-2018-q1.txt``) and body cues
(全县, 我区, the first period named). Unknown is a value: a field nobody states stays ``None``, and a question's
place or period is grounds to refuse only where a profile positively says otherwise.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from documents.errors import NoticeError
from documents.models import Notice, ParagraphKind
from documents.numerals import normalise
from documents.places import Level, key_matches, pinyin_matches, place_names, scope_levels, split_level
from documents.reporting import Period, period_mentions, read_period, year_mentions

_KINDS = (
    ("政府工作报告", re.compile(r"政府工作报告")),
    ("重点项目", re.compile(r"重点(?:建设)?项目|重点工程|重大项目")),
    ("民生实事", re.compile(r"民生实事|实事项目|为民办实事|民生工程|惠民实事|民生小项")),
    ("重点工作", re.compile(r"重点工作|重点任务")),
    ("经济运行", re.compile(r"主要经济指标|经济运行")),
)
_ISSUER_KEYS = ("发文单位", "发布机构", "来源", "发布单位", "责任单位")
_DATE_KEYS = ("发布日期", "发布时间", "发文日期", "日期")
_FILE_PERIOD = {"q1": Period(start=1, end=3), "h1": Period(start=1, end=6), "q3": Period(start=1, end=9, loose=True),
                "q2": Period(start=4, end=6), "h2": Period(start=7, end=12), "full": Period(start=1, end=12),
                "fy": Period(start=1, end=12), "q4": Period(start=1, end=12)}  # fmt: skip
_ISSUER_LEVEL = re.compile(
    r"(国务院)|(省)(?:政府|委|人民政府)|(市)(?:政府|委|人民政府)|(县)(?:政府|委|人民政府)|(区)(?:政府|委|人民政府)"
)
SIDECAR_SUFFIX = ".profile.toml"


class NoticeProfile(BaseModel):
    doc_id: str
    title: str
    issuer: str | None = None
    place: str | None = Field(default=None, description="the place's Chinese name as written, e.g. 宁都县, 四川")
    place_key: str | None = Field(default=None, description="its pinyin without the level, e.g. yueyanglou")
    level: Level | None = None
    year: int | None = None
    period: Period | None = None
    kind: str | None = Field(default=None, description="政府工作报告 | 重点项目 | 民生实事 | 重点工作 | 经济运行")
    sources: dict[str, str] = Field(default_factory=dict, description="field → where it was read")

    def names_place(self, name: str) -> bool:
        """Whether a place name (Chinese) is this notice's own place, by its characters or its pinyin."""
        stem, level = split_level(name)
        if self.level and level and level != self.level and not (self.place and name == self.place):
            return False
        if self.place and (name == self.place or stem == split_level(self.place)[0]):
            return True
        return bool(self.place_key) and pinyin_matches(name, self.place_key)  # type: ignore[arg-type]

    def names_key(self, key: str, level: Level | None = None) -> bool:
        """Whether a pinyin key from an English question (yueyanglou, jia + 县) is this notice's own place."""
        if level and self.level and level != self.level:
            return False
        if self.place_key and key_matches(key, self.place_key):
            return True
        return bool(self.place) and pinyin_matches(self.place, key)  # type: ignore[arg-type]

    def label(self, english: bool = False, place: str | None = None) -> str:
        """'咸宁市 2021年一季度' / 'Xianning, Q1 2021': which notice an answer comes from (`place`: the question's
        own name for it, when the notice never writes its name)."""
        if english:
            place = "China" if self.level == Level.NATION else (self.place_key or "").title()
            when = " ".join(x for x in (self.period.label_en if self.period else "", str(self.year or "")) if x)
            return ", ".join(x for x in (place, when) if x) or self.doc_id
        place = self.place or place or ("全国" if self.level == Level.NATION else "")
        if place and self.level and self.level != Level.NATION and split_level(place)[1] is None:
            place += self.level.value  # 丽阳 (read from 丽阳市人民政府办公室) is named 丽阳市
        when = f"{self.year}年" if self.year else ""
        when += self.period.label if self.period else ""
        return " ".join(x for x in (place, when) if x) or self.title[:20] or self.doc_id


def _file_parts(doc_id: str) -> tuple[str | None, int | None, Period | None]:
    """Place key, year and period from a file name like 04-yueyanglou-2018-q1 or xianning-2021-h1-digest."""
    tokens = [t for t in re.split(r"[-_. ]+", doc_id.lower()) if t]
    year_at = next((i for i, t in enumerate(tokens) if re.fullmatch(r"(?:19|20)\d\d", t)), None)
    if year_at is None:
        return None, None, None
    place = "".join(t for t in tokens[:year_at] if t.isalpha()) or None
    rest = tokens[year_at + 1 :]
    period = _FILE_PERIOD.get(rest[0]) if rest else None
    if period is None and len(rest) >= 2 and rest[0].isdigit() and rest[1].isdigit():
        first, last = int(rest[0]), int(rest[1])
        if 1 <= first <= last <= 12:
            period = Period(start=first, end=last)
    return place, int(tokens[year_at]), period


def read_sidecar(path: Path) -> dict[str, object]:
    """The fields a user wrote in ``<notice>.profile.toml`` (place, level, year, period, issuer, kind)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise NoticeError(f"{path.name}: not a readable profile file ({exc})") from None
    unknown = set(data) - {"place", "level", "year", "period", "issuer", "kind"}
    if unknown:
        raise NoticeError(f"{path.name}: unknown profile fields {sorted(unknown)}")
    return data


def _body_text(notice: Notice) -> str:
    return "\n".join(p.text for p in notice.paragraphs if p.kind == ParagraphKind.BODY)


def _first_place(texts: list[str]) -> str | None:
    for text in texts:
        names = place_names(text)
        if names:
            return names[0]
    return None


def _spelled_in(text: str, key: str) -> str | None:
    """A place name in the text whose pinyin spells the file's place key (山西 in 山西中铝…, for shanxi)."""
    for name in place_names(text):
        if pinyin_matches(name, key):
            return name
    return None


def build_profile(notice: Notice, sidecar: dict[str, object] | None = None) -> NoticeProfile:
    """Everything the notice says about itself (see the module docstring for where each field comes from)."""
    meta = notice.metadata
    sources: dict[str, str] = {}
    body = _body_text(notice)
    head = [notice.title, *[p.text for p in notice.paragraphs[1:3]]]
    file_key, file_year, file_period = _file_parts(notice.doc_id)

    issuer = next((meta[k] for k in _ISSUER_KEYS if meta.get(k)), None)
    place = _first_place([issuer] if issuer else [])
    if place:
        sources["place"] = "header"
    else:
        place = _first_place(head)
        if place and (not file_key or pinyin_matches(place, file_key)):
            sources["place"] = "title"
        elif file_key:
            place = _spelled_in(notice.title + "\n" + notice.text[:3000], file_key)
            sources["place"] = "file name" if place is None else "body (spelled as the file name)"
        else:
            place = None
    place_key = file_key
    if place and not place_key:
        from documents.places import pinyin_of

        place_key = pinyin_of(split_level(place)[0])
    if place_key and "place" not in sources:
        sources["place"] = "file name"

    level = split_level(place)[1] if place else None
    title_levels = scope_levels(notice.title)
    cue = _ISSUER_LEVEL.search(normalise(" ".join([issuer or "", notice.title])))
    if level:
        sources["level"] = "place name"
    elif cue:
        level = Level.NATION if cue.group(1) else Level(next(g for g in cue.groups()[1:] if g))
        sources["level"] = "issuer"
    elif title_levels:
        level, sources["level"] = title_levels[0], "title"
    else:
        cues = [_ISSUER_LEVEL.search(normalise(t)) for t in head[1:] if re.search(r"来源|督查|督察|办公室|报告显示", t)]
        levels = scope_levels(notice.title + "\n" + body) or scope_levels(" ".join(head))
        if any(cues):  # 来自省政府督查室的报告: the issuer named in the first lines
            found = next(c for c in cues if c)
            level = Level.NATION if found.group(1) else Level(next(g for g in found.groups()[1:] if g))
            sources["level"] = "byline"
        elif levels:  # the scope word the body uses most (全县…), the first one on a tie
            level = max(dict.fromkeys(levels), key=levels.count)
            sources["level"] = "body (全…/我…)"
    if level == Level.NATION:
        place = "全国"

    year = next((y for _, _, y in year_mentions(notice.title)), None)
    sources_year = "title" if year else None
    if year is None and file_year:
        year, sources_year = file_year, "file name"
    if year is None:
        year = next((y for text in head[1:] + [body[:400]] for _, _, y in year_mentions(text)), None)
        sources_year = "body" if year else None
    if year is None:
        date = next((meta[k] for k in _DATE_KEYS if meta.get(k)), "")
        year = next((y for _, _, y in year_mentions(date)), None)
        sources_year = "header date" if year else None
    if sources_year:
        sources["year"] = sources_year

    period = read_period(notice.title)
    if period:
        sources["period"] = "title"
    elif file_period:
        period, sources["period"] = file_period, "file name"
    else:
        found = period_mentions(body[:300])
        if found:
            period, sources["period"] = found[0][2], "body"

    kind = next((name for name, cue in _KINDS if cue.search(normalise(notice.title))), None) or next(
        (name for name, cue in _KINDS if cue.search(normalise(body[:600]))), None
    )
    profile = NoticeProfile(
        doc_id=notice.doc_id, title=notice.title, issuer=issuer, place=place, place_key=place_key, level=level,
        year=year, period=period, kind=kind, sources=sources,
    )  # fmt: skip
    return _apply_sidecar(profile, sidecar) if sidecar else profile


def _apply_sidecar(profile: NoticeProfile, sidecar: dict[str, object]) -> NoticeProfile:
    update: dict[str, object] = {}
    try:
        for field in ("place", "issuer", "kind"):
            if sidecar.get(field):
                update[field] = str(sidecar[field])
        if sidecar.get("place"):
            stem, level = split_level(str(sidecar["place"]))
            from documents.places import pinyin_of

            update["place_key"] = profile.place_key or pinyin_of(stem)
            if level:
                update["level"] = level
        if sidecar.get("level"):
            update["level"] = Level(str(sidecar["level"]))
        if sidecar.get("year"):
            update["year"] = int(str(sidecar["year"]))
        if sidecar.get("period"):
            period = read_period(str(sidecar["period"]))
            if period is None:
                raise ValueError(f"period {sidecar['period']!r} is not one of 一季度, 上半年, 1-11月, 全年 …")
            update["period"] = period
    except (ValueError, ValidationError) as exc:
        raise NoticeError(f"{profile.doc_id}{SIDECAR_SUFFIX}: {exc}") from None
    sources = {**profile.sources, **{k: "sidecar" for k in update if k != "place_key"}}
    return profile.model_copy(update={**update, "sources": sources})
