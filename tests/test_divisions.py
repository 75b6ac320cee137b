"""China's divisions as data, and a notice's own place read from its text (documents.profile_place)."""

from __future__ import annotations

import pytest

from documents.divisions import division_stem, divisions_named, parent_of
from documents.places import Level
from documents.profile_place import read_place, scope_words


@pytest.mark.parametrize(
    ("name", "stem"),
    [("宜昌市", "宜昌"), ("广西壮族自治区", "广西"), ("恩施土家族苗族自治州", "恩施"), ("内蒙古自治区", "内蒙古"),
     ("锡林郭勒盟", "锡林郭勒"), ("郏县", "郏县"), ("岳阳楼区", "岳阳楼")],
)  # fmt: skip
def test_a_division_name_has_a_stem(name: str, stem: str) -> None:
    assert division_stem(name) == stem


def test_names_and_stems_find_divisions_and_what_contains_them() -> None:
    (chibi,) = divisions_named("赤壁市")
    (xianning,) = divisions_named("咸宁")
    (hubei,) = divisions_named("湖北")
    assert chibi.within(xianning) and chibi.within(hubei) and xianning.within(hubei)
    assert not xianning.within(chibi)
    assert parent_of(chibi) == xianning and parent_of(xianning) == hubei
    assert (hubei.level, xianning.level) == (Level.PROVINCE, Level.CITY)
    assert len(divisions_named("朝阳")) > 1  # 朝阳市, 朝阳区 (two), 朝阳县: a stem may be several places
    assert divisions_named("县市区") == [] and divisions_named("赣西") == []


def test_scope_words_leave_out_comparisons() -> None:
    words = scope_words("全市地区生产总值增长5.5%,高于全省0.3个百分点,居全省第7位。全市规上工业…")
    assert words == {"市": 2}


@pytest.mark.parametrize(
    ("title", "lines", "body", "file_key", "place", "source"),
    [
        ("2023年宁都县1-11月主要指标完成情况", [], "全县…", None, "宁都县", "title"),
        ("一季度通报", [], "全市新开工项目:宜都13个、夷陵5个、猇亭2个、枝江1个。全市…", None, "宜昌市",
         "body (the places it names)"),
        ("一、1-10月工业投资", [], "全省工业投资增长16.1%。天水(18.4%)、陇南(15%)、平凉(12%)。全省…", None, "甘肃省",
         "body (the places it names)"),
        ("我区为民办实事项目全面完成", [], "新建公办幼儿园3所,新建学位2000个。全区…", "panyu", "番禺区", "file name"),
        ("经济运行情况", [], "一季度,全市…深入贯彻习近平总书记在辽宁考察时的重要讲话精神,全市…", "chaoyang", "朝阳市",
         "file name"),
        ("前7月西安重点项目完成投资2640亿元", [], "全市…", None, "西安市", "title"),
    ],
)  # fmt: skip
def test_a_notice_place_is_read_from_its_text_first(title, lines, body, file_key, place, source) -> None:
    found = read_place(None, title, lines, body, file_key)
    assert found is not None and (found.division.name, found.source) == (place, source)


def test_verbs_and_name_pieces_are_not_places() -> None:
    assert read_place(None, "新建健身步道", [], "完成县妇幼保健院主体工程建设。新建学校2所。", None) is None
