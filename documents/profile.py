"""A notice's profile: who issued it, which place and level it covers, its year, period and kind of report.

Read from, in order of trust: a sidecar file a user writes next to the notice (``<name>.profile.toml``), the
header fields (发文单位, 发布日期), the title, the file name (``04-yueyanglou-2018-q1.txt``) and body cues
(全县, 我区, the first period named). Unknown is a value: a field nobody states stays ``None``, and a question's
place or period is grounds to refuse only where a profile positively says otherwise.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from documents.errors import NoticeError
from documents.models import Notice, ParagraphKind
from documents.numerals import normalise
from documents.places import Level, key_matches, pinyin_matches, scope_levels, split_level
from documents.profile_place import read_place
from documents.reporting import Period, agrees, period_mentions, read_period, year_mentions

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
    division: str | None = Field(default=None, description="its division code (documents.divisions), when known")
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
            if self.year and not self.period:  # "in 2023": a bare year would read as a figure the answer states
                when = f"in {self.year}"
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


def build_profile(notice: Notice, sidecar: dict[str, object] | None = None) -> NoticeProfile:
    """Everything the notice says about itself (see the module docstring for where each field comes from)."""
    meta = notice.metadata
    sources: dict[str, str] = {}
    body = _body_text(notice)
    title = notice.title if notice.title != notice.doc_id else ""  # a notice without a title is named by its file
    head = [title, *[p.text for p in notice.paragraphs[1:3]]]
    file_key, file_year, file_period = _file_parts(notice.doc_id)

    issuer = next((meta[k] for k in _ISSUER_KEYS if meta.get(k)), None)
    first_lines = [p.text for p in notice.paragraphs[:4]]
    national = re.search(r"国务院|全国人大", normalise(" ".join([issuer or "", title])))
    reading = None if national else read_place(issuer, title, first_lines, body, file_key)
    place = reading.division.name if reading else None
    division = reading.division.code if reading else None
    if reading:
        sources["place"] = reading.source
    place_key = file_key
    if place:
        from documents.places import pinyin_of

        place_key = pinyin_of(reading.division.stem) if reading else place_key
    elif place_key:
        sources["place"] = "file name (pinyin only)"

    level = reading.level if reading else None
    title_levels = scope_levels(title)
    cue = _ISSUER_LEVEL.search(normalise(" ".join([issuer or "", title])))
    if level:
        sources["level"] = "place"
    elif cue:
        level = Level.NATION if cue.group(1) else Level(next(g for g in cue.groups()[1:] if g))
        sources["level"] = "issuer"
    elif title_levels:
        level, sources["level"] = title_levels[0], "title"
    else:
        cues = [_ISSUER_LEVEL.search(normalise(t)) for t in head[1:] if re.search(r"来源|督查|督察|办公室|报告显示", t)]
        levels = scope_levels(title + "\n" + body) or scope_levels(" ".join(head))
        if any(cues):  # 来自省政府督查室的报告: the issuer named in the first lines
            found = next(c for c in cues if c)
            level = Level.NATION if found.group(1) else Level(next(g for g in found.groups()[1:] if g))
            sources["level"] = "byline"
        elif levels:  # the scope word the body uses most (全县…), the first one on a tie
            level = max(dict.fromkeys(levels), key=levels.count)
            sources["level"] = "body (全…/我…)"
    if level == Level.NATION:
        place = "全国"

    year, sources_year = _read_year(notice, meta, head, body, file_year)
    if sources_year:
        sources["year"] = sources_year

    period = read_period(title)
    if period:
        sources["period"] = "title"
    else:
        found = [f[2] for f in period_mentions(body[:400] + " " + " ".join(head[1:]))]
        # In a report under way, 全年 in the opening lines frames the year's plan (全年共安排…); the period the
        # report covers is the to-date one (截至8月底). A body that names only the full year reports the year.
        to_date = [p for p in found if (p.start, p.end) != (1, 12)]
        if found:
            period, sources["period"] = (to_date or found)[0], "body"
            if file_period and period != file_period and agrees(period, file_period):
                # 4月 or 截至4月底 in the text, 1-4 in the file name: the same period, the name's reading exact
                period, sources["period"] = file_period, "body and file name"
        elif file_period:
            period, sources["period"] = file_period, "file name"

    kind = next((name for name, cue in _KINDS if cue.search(normalise(title))), None) or next(
        (name for name, cue in _KINDS if cue.search(normalise(body[:600]))), None
    )
    profile = NoticeProfile(
        doc_id=notice.doc_id, title=notice.title, issuer=issuer, place=place, place_key=place_key, level=level,
        year=year, period=period, kind=kind, sources=sources, division=division,
    )  # fmt: skip
    return _apply_sidecar(profile, sidecar) if sidecar else profile


_SPAN = re.compile(r"\s*[—–\-~至到]\s*(?:19|20)\d\d")


def _years(text: str) -> list[int]:
    """Years a text names, leaving out the first year of a span (2013—2017年)."""
    plain = normalise(text)
    return [y for start, end, y in year_mentions(plain) if not _SPAN.match(plain[end - (plain[end - 1] == "年") :])]


def _read_year(
    notice: Notice, meta: dict[str, str], head: list[str], body: str, file_year: int | None
) -> tuple[int | None, str | None]:
    """The year a notice reports on: its title, its header date, its first lines, the year its body names most;
    the file name last."""
    found = _years(head[0])
    if found:
        return found[0], "title"
    date = next((meta[k] for k in _DATE_KEYS if meta.get(k)), "")
    if _years(date):
        return _years(date)[0], "header date"
    for text in head[1:]:
        if _years(text[:200]):
            return _years(text[:200])[0], "first lines"
    counts = Counter(_reported_years(body))
    if counts:
        return counts.most_common(1)[0][0], "body"
    return (file_year, "file name") if file_year else (None, None)


_PLANNED = re.compile(r"^[^,，。;；]{0,8}?(?:计划|预计|将|目标|谋划|储备|力争|规划)")


def _reported_years(body: str) -> list[int]:
    """Years the body reports on: not a year planned ahead (2017年全盟计划…) nor a base compared with."""
    plain = normalise(body)
    found = []
    for start, end, year in year_mentions(plain):
        if plain[end - 1] != "年":
            continue  # 共2034个: a count, not a year
        if _SPAN.match(plain[end - (plain[end - 1] == "年") :]) or _PLANNED.match(plain[end:]):
            continue
        if re.search(r"(?:较|比|与|明年|到|安排|计划|谋划|储备|预计)$", plain[max(0, start - 4) : start]):
            continue
        found.append(year)
    return found


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
