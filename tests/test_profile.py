"""Notice profiles: place and level, year, period and kind, from header, title, file name, body and sidecar."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.corpus import BUNDLED_NOTICES, load_corpus, load_notice
from documents.errors import NoticeError
from documents.library import Library
from documents.parser import parse_notice
from documents.places import Level
from documents.profile import build_profile, read_sidecar
from documents.reporting import agrees, read_period

REAL = Path(__file__).resolve().parents[2] / "shared" / "notices" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is not here (CI and the dev machine have it)")


def _profile(text: str, doc_id: str = "notice"):
    return build_profile(parse_notice(text, doc_id))


def test_the_bundled_q1_notice() -> None:
    profile = build_profile(load_notice(BUNDLED_NOTICES / "xianning-2021-q1.txt"))
    assert (profile.place, profile.place_key, profile.level, profile.year) == ("咸宁市", "xianning", Level.CITY, 2021)
    assert profile.period.label == "一季度" and profile.kind == "政府工作报告"
    assert profile.sources["place"] == "header" and profile.label() == "咸宁市 2021年一季度"
    assert profile.label(english=True) == "Xianning, Q1 2021"


@pytest.mark.parametrize(
    ("text", "doc_id", "place", "key", "level", "year", "period"),
    [
        # the title names place, year and period
        ("宁都县2023年1-11月经济运行情况\n全县…", "n", "宁都县", "ningdu", Level.COUNTY, 2023, "1-11月"),
        # nothing in the text: the file name says it (nn-place-year-period)
        ("今年以来,全县经济平稳。\n一、主要指标", "13-jiaxian-2025-q1", None, "jiaxian", Level.COUNTY, 2025, "一季度"),
        # the period only in the body (截至11月底), the level from 我区
        ("重点项目推进情况\n截至11月底,我区完成投资12亿元。", "notice", None, None, Level.DISTRICT, None, "截至11月底"),
        # a title in traditional characters
        (
            "開平市重點項目簡報(2024年第二期)\n1-2月累計完成投資9.4億元。",
            "n",
            "开平市",
            "kaiping",
            Level.CITY,
            2024,
            "1-2月",
        ),
        # a national report
        ("国务院公布2019年《政府工作报告》量化指标任务落实情况\n全国…", "n", "全国", None, Level.NATION, 2019, None),
    ],
)
def test_profile_fields_and_where_they_come_from(text, doc_id, place, key, level, year, period) -> None:
    profile = _profile(text, doc_id)
    assert (profile.place, profile.level, profile.year) == (place, level, year)
    if key:
        assert profile.names_key(key)
    assert (profile.period.label if profile.period else None) == period


def test_unknown_is_a_value_not_an_error() -> None:
    profile = _profile("关于重点工作推进情况的通报\n各项工作有序推进。")
    assert (profile.place, profile.place_key, profile.year, profile.period) == (None, None, None, None)
    assert profile.label() == "关于重点工作推进情况的通报"


def test_a_long_first_line_is_a_paragraph_not_a_title() -> None:
    line = "2022年,我县安排重点建设项目72宗,总投资2499亿元,年度投资计划190.7亿元。1至5月,累计完成投资88.4亿元,完成年度计划投资的46.4%。"  # noqa: E501
    notice = parse_notice(line + "\n", "huidong")
    assert notice.paragraphs[0].kind.value == "body" and notice.title == "huidong"


def test_a_place_named_in_pinyin_or_by_its_level_meets_its_profile() -> None:
    profile = _profile("2018年一季度完成情况\n来源:区政府督查室", "04-yueyanglou-2018-q1")
    assert profile.names_place("岳阳楼区") and profile.names_key("yueyanglou", Level.DISTRICT)
    assert not profile.names_place("荔城区") and not profile.names_key("yueyanglou", Level.COUNTY)
    ningdu = _profile("2023年1-11月\n…", "21-ningdu-2023-1-11")
    assert ningdu.names_place("宁都县")  # 都 read dū as well as dōu


def test_a_sidecar_profile_overrides_what_the_text_says(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("某地重点工作推进情况\n今年以来,各项工作有序推进。\n", encoding="utf-8")
    (tmp_path / "report.profile.toml").write_text(
        'place = "赤壁市"\nyear = 2022\nperiod = "1-8月"\nkind = "重点项目"\n', encoding="utf-8"
    )
    library = Library.of(load_corpus(tmp_path).notices)
    profile = library.profile("report")
    assert (profile.place, profile.level, profile.year, profile.period.label) == ("赤壁市", Level.CITY, 2022, "1-8月")
    assert profile.sources["place"] == "sidecar" and library.problems == []


def test_a_bad_sidecar_is_a_clear_message_and_the_notice_still_loads(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("2021年上半年重点工作推进情况\n各项工作有序推进。\n", encoding="utf-8")
    (tmp_path / "report.profile.toml").write_text('period = "sometime"\n', encoding="utf-8")
    library = Library.of(load_corpus(tmp_path).notices)
    assert library.profile("report").period.label == "上半年"
    assert any("report.profile.toml" in p and "period" in p for p in library.problems)
    (tmp_path / "bad.profile.toml").write_text("colour = 'red'\n", encoding="utf-8")
    with pytest.raises(NoticeError, match="unknown profile fields"):
        read_sidecar(tmp_path / "bad.profile.toml")


REAL_PROFILES = {  # file stem: (place key, level, year, period) as SOURCES.md describes each notice
    "01-sichuan-2015-1-4": ("sichuan", Level.PROVINCE, 2015, "1-4月"),
    "02-shanghai-2016-full": ("shanghai", Level.CITY, 2016, "全年"),
    "03-dandong-2016-q3": ("dandong", Level.CITY, 2016, "三季度"),
    "04-yueyanglou-2018-q1": ("yueyanglou", Level.DISTRICT, 2018, "一季度"),
    "05-shanxi-2018-1-11": ("shanxi", Level.PROVINCE, 2018, "1-11月"),
    "06-ningbo-2018-full": ("ningbo", Level.CITY, 2018, "全年"),
    "07-guowuyuan-2019-full": ("guowuyuan", Level.NATION, 2019, "全年"),
    "08-dalian-2021-h1": ("dalian", Level.CITY, 2021, "上半年"),
    "09-chengxiang-2022-1-8": ("chengxiang", Level.DISTRICT, 2022, "1-8月"),
    "10-huidong-2022-1-5": ("huidong", Level.COUNTY, 2022, "1-5月"),
    "11-chongchuan-2023-1-11": ("chongchuan", Level.DISTRICT, 2023, "1-11月"),
    "12-kaiping-2024-1-2": ("kaiping", Level.CITY, 2024, "1-2月"),
    "13-jiaxian-2025-q1": ("jiaxian", Level.COUNTY, 2025, "一季度"),
    "14-lianyungang-2025-q3": ("lianyungang", Level.CITY, 2025, "前三季度"),
}


@needs_real
@pytest.mark.parametrize(("stem", "expected"), REAL_PROFILES.items())
def test_real_notice_profiles(stem: str, expected: tuple) -> None:
    profile = build_profile(load_notice(REAL / f"{stem}.txt"))
    key, level, year, period = expected
    assert (profile.place_key, profile.level, profile.year) == (key, level, year)
    assert profile.period is not None and agrees(read_period(period), profile.period)  # 截至11月底 answers 1-11月


NEUTRAL = {  # what the text alone says, read from copies named notice-NN.txt (the file name says nothing)
    "01-sichuan-2015-1-4": ("四川省", 2015), "02-shanghai-2016-full": ("上海市", 2016),
    "06-ningbo-2018-full": ("宁波市", 2018), "12-kaiping-2024-1-2": ("开平市", 2024),
    "17-yichang-2017-0629": ("宜昌市", None), "23-附件1": ("袁州区", 2023), "27-附件2": ("甘肃省", 2024),
    "29-10件民生实事任务分解表": ("吉水县", None), "31-xicheng-2020-full": ("西城区", 2020),
    "39-重点工作推进落实情况一览表": ("黄冈市", 2018),
}  # fmt: skip


@needs_real
@pytest.mark.parametrize(("stem", "expected"), NEUTRAL.items())
def test_profiles_are_read_from_the_text_not_the_file_name(stem: str, expected: tuple, tmp_path) -> None:
    copy = tmp_path / "notice-07.txt"
    copy.write_bytes((REAL / f"{stem}.txt").read_bytes())
    profile = build_profile(load_notice(copy))
    assert (profile.place, profile.year) == expected
