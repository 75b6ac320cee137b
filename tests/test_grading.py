"""The gold-set grading rule (shared/eval/README.md), one table row per clause and README example."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.grading import (
    EvalItem,
    Grade,
    grade,
    load_items,
    mentioned_figures,
    states_figure,
    strip_citation_markers,
    summarize,
)
from assistant.models import Answer, Citation, Derived

DEV = Path("/work/shared/eval/dev.jsonl")
NOTICE = Path("/work/shared/notices/xianning-2021-q1.txt")


def item(**overrides: object) -> EvalItem:
    fields: dict[str, object] = {
        "id": "t001",
        "lang": "zh",
        "kind": "fact",
        "question": "多少?",
        "gold": [],
        "numbers": [],
        "refuse": False,
    }
    return EvalItem.model_validate(fields | overrides)


def cite(text: str) -> Citation:
    return Citation(doc_id="doc", paragraph_id="p1", breadcrumb="一", text=text, start=0, end=len(text))


def answer(
    text: str, *, cited: tuple[str, ...] = (), refused: bool = False, derived: dict[str, str] | None = None
) -> Answer:
    return Answer(
        question="q",
        answer=text,
        refused=refused,
        confidence=0.5,
        citations=[cite(c) for c in cited],
        derived=[Derived(name=k, value=Decimal(v), formula="") for k, v in (derived or {}).items()],
    )


# --- rule 1: stating a figure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "english", "expected"),
    [
        # 万/亿 applied, compare by value
        ("全市新增就业3.7万人", "37000", False, True),
        ("全市新增就业37000人", "3.7万", False, True),
        ("完成投资441.7亿元", "441.7亿", False, True),
        ("完成投资44170000000元", "441.7亿", False, True),
        ("完成投资441.7亿元", "441.7", False, False),
        ("新增就业3.8万人", "3.7万", False, False),
        # English multipliers and thousands separators
        ("It reached 33 million yuan.", "3300万", True, True),
        ("It reached 1.2 billion yuan.", "12亿", True, True),
        ("It reached 2.624 billion yuan.", "26.24亿", True, True),
        ("It employed 37,000 people.", "3.7万", True, True),
        ("It employed 37 thousand people.", "3.7万", True, True),
        ("It reached 33 million yuan.", "33", True, False),
        # whole-number match
        ("增长58.3%", "3%", False, False),
        ("增长58.3%", "58.3%", False, True),
        ("ODR企业204个", "20", False, False),
        ("ODR企业20个,另有204家", "20", False, True),
        ("P118段", "118", False, False),
        ("共5193人", "5193", False, True),
        ("1-2次", "2", False, True),
        # 245.0% = 245%, percent only matches percent
        ("同比增长245.0%", "245%", False, True),
        ("同比增长245%", "245.0%", False, True),
        ("比例达40%", "40", False, False),
        ("完成40家", "40%", False, False),
        ("growth of 40 percent", "40%", True, True),
        ("比上年高0.1个百分点", "0.1", False, True),
        # ordinals
        ("位列全省第4位", "第四", False, True),
        ("位列全省第四位", "第4", False, True),
        ("位列全省第三十八位", "第三十八", False, True),
        ("ranked fourth in the province", "第四", True, True),
        ("ranked 4th in the province", "第四", True, True),
        ("ranked 38th in the province", "第三十八", True, True),
        ("ranked thirty-eighth in the province", "第三十八", True, True),
        ("位列全省第五位", "第四", False, False),
        ("位列全省第四位", "4", False, False),
        ("共4项", "第四", False, False),
        # a negative figure stated as a fall
        ("同比下降0.9%", "-0.9%", False, True),
        ("同比回落0.9%", "-0.9%", False, True),
        ("同比增长-0.9%", "-0.9%", False, True),
        ("Retail sales fell 0.9% year on year.", "-0.9%", True, True),
        ("Retail sales decreased by 0.9%.", "-0.9%", True, True),
        ("Retail sales saw a 0.9% decline.", "-0.9%", True, True),
        ("Retail sales were -0.9% year on year.", "-0.9%", True, True),
        ("同比增长0.9%", "-0.9%", False, False),
        ("Retail sales rose 0.9%.", "-0.9%", True, False),
        ("由降转升,增长0.9%", "-0.9%", False, False),
        # a bare comma joins figures: 68,100 reads as 68100
        ("分别为68,100", "68", False, False),
        ("分别为68,100", "100", False, False),
        ("分别为68,100", "68100", False, True),
        ("分别为68、100", "68", False, True),
        ("分别为68和100", "100", False, True),
        # NFKC: full-width digits and ％
        ("完成２０項", "20", False, True),
        ("比例达４０％", "40%", False, True),
        ("比例达40%", "４０％", False, True),
        # citation markers are not figures
        ("完成20项[P12]", "12", False, False),
        ("完成20项【118】", "118", False, False),
        ("完成20项〔2021〕", "2021", False, False),
        ("完成20项[P12]", "20", False, True),
        # Chinese numerals in counts
        ("共召开会议四次", "4", False, True),
        ("分两批次实施", "2", False, True),
        ("twenty-nine communities", "29", True, True),
        # dates match only dates
        ("自2021年1月1日起", "2021年1月1日", False, True),
        ("自2021年1月2日起", "2021年1月1日", False, False),
        ("截至3月31日", "3月31日", False, True),
        ("since January 1, 2021", "2021年1月1日", True, True),
        ("since 1 January 2021", "2021年1月1日", True, True),
        ("2021年完成", "2021", False, False),
    ],
)
def test_states_figure(text: str, number: str, english: bool, expected: bool) -> None:
    assert states_figure(text, number, english) is expected


@pytest.mark.parametrize(
    ("text", "english", "expected"),
    [
        ("已完工27个,完工率28.7%", False, [("27", "", ""), ("28.7", "%", "")]),
        ("3.7万人、441.7亿元", False, [("37000", "", ""), ("44170000000", "", "")]),
        ("第四位、第4名、第三十八位", False, [("4", "", "ord"), ("4", "", "ord"), ("38", "", "ord")]),
        ("68,100", False, [("68100", "", "")]),
        ("1,234.5万", False, [("12345000", "", "")]),
        ("完成20项[P12]【3】〔4〕", False, [("20", "", "")]),
        ("2021年1月1日至3月31日共9项", False, [("9", "", "")]),
        ("In Q1 2021, 33 million and 4th", True, [("33000000", "", ""), ("4", "", "ord")]),
        ("下降0.9%", False, [("0.9", "%", "")]),
        ("-0.9%", False, [("-0.9", "%", "")]),
    ],
)
def test_mentioned_figures(text: str, english: bool, expected: list[tuple[str, str, str]]) -> None:
    got = [
        (Decimal(m.value), "%" if m.is_percent else "", "ord" if m.is_ordinal else "")
        for m in mentioned_figures(text, english)
    ]
    assert got == [(Decimal(v), p, o) for v, p, o in expected]


def test_mentions_flag_falls_and_dates() -> None:
    assert [m.fall for m in mentioned_figures("下降0.9%,增长2%")] == [True, False]
    dates = [m.date for m in mentioned_figures("2021年1月1日至3月31日", include_dates=True)]
    assert dates == [(2021, 1, 1), (None, 3, 31)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("完成20项[P12]。", "完成20项。"), ("见【P3】和〔2021〕", "见和"), ("见［P3］", "见"), ("无标记", "无标记")],
)
def test_strip_citation_markers(text: str, expected: str) -> None:
    assert strip_citation_markers(text) == expected


# --- grade: rules 1-4 and refusal -----------------------------------------------------------------

GOLD = "目前2020年94个小区改造已全部开工,已完工27个"


@pytest.mark.parametrize(
    ("it", "ans", "reasons"),
    [
        # refusal both ways
        (item(refuse=True, kind="refuse"), answer("未找到相关内容", refused=True), []),
        (item(refuse=True, kind="refuse"), answer("共20项"), ["should have refused"]),
        (item(numbers=["20"], gold=[GOLD]), answer("", refused=True), ["refused an answerable item"]),
        # rule 1
        (item(numbers=["236", "1000"]), answer("已建成236座,目标1000座"), []),
        (item(numbers=["236", "1000"]), answer("已建成236座"), ["missing figure 1000"]),
        # rule 2: progress_pct within ±0.1, in the text (as a percent) or in `derived`
        (item(numbers=["27"], derived={"progress_pct": 28.7}), answer("已完工27个,完成28.7%"), []),
        (item(numbers=["27"], derived={"progress_pct": 28.7}), answer("已完工27个,完成28.6%"), []),
        (item(numbers=["27"], derived={"progress_pct": 28.7}), answer("已完工27个,约28.8%"), []),
        (
            item(numbers=["27"], derived={"progress_pct": 28.7}),
            answer("已完工27个,约28.9%"),
            ["progress_pct 28.7 not stated (±0.1)"],
        ),
        (
            item(numbers=["27"], derived={"progress_pct": 28.7}),
            answer("已完工27个,完成28.7"),
            ["progress_pct 28.7 not stated (±0.1)"],
        ),
        (
            item(numbers=["27"], derived={"progress_pct": 28.7}),
            answer("已完工27个", derived={"progress_pct": "28.72"}),
            [],
        ),
        # rule 3: gold in a citation, after NFKC
        (item(gold=[GOLD]), answer("已全部开工", cited=(f"全面推进。{GOLD};2021年",)), []),
        (item(gold=[GOLD]), answer("已全部开工", cited=(GOLD.replace(",", ","),)), []),
        (item(gold=[GOLD]), answer("已全部开工", cited=("已完工27个",)), [f"no citation contains gold '{GOLD}'"]),
        (
            item(gold=["一季度共召开市政府党组会议4次", "给予党纪政务处分400人"], kind="multi"),
            answer("4次、400人", cited=("一季度共召开市政府党组会议4次",)),
            ["no citation contains gold '给予党纪政务处分400人'"],
        ),
        # rule 4: length limits after markers are stripped
        (item(), answer("字" * 200), []),
        (item(), answer("字" * 201), ["answer too long: 201 > 200 chars"]),
        (item(), answer("字" * 195 + "[P12][P13]【P3】"), []),
        (item(lang="en", kind="en"), answer("word " * 60), []),
        (item(lang="en", kind="en"), answer("word " * 61 + "x"), ["answer too long: 306 > 300 chars"]),
        (item(kind="list"), answer("字" * 500), []),
        (item(kind="multi"), answer("字" * 501), ["answer too long: 501 > 500 chars"]),
        (item(kind="status"), answer("字" * 300), ["answer too long: 300 > 200 chars"]),
        # rule 4: at most 2 × (numbers + derived) + 4 figures; dates and spelled numbers are not counted
        (item(numbers=["1"]), answer("1、2、3、4、5、6"), []),
        (item(numbers=["1"]), answer("1、2、3、4、5、6、7"), ["too many figures: 7 > 6"]),
        (
            item(numbers=["1"], derived={"progress_pct": 10.0}),
            answer("1、2、3、4、5、6、7、8,10%"),
            ["too many figures: 9 > 8"],
        ),
        (item(numbers=["1"]), answer("2021年1月1日至3月31日,1、2、3、4、5、6"), []),
        (item(numbers=["1"]), answer("1、2、3、4、5、6,四个、两批"), []),
        (item(numbers=["1"]), answer("1、2、3、4、5[6][7][8]"), []),
        # rule 4: English question gets at least four English words
        (
            item(lang="en", kind="en", numbers=["29"]),
            answer("29个试点小区"),
            ["English question answered without 4 English words"],
        ),
        (
            item(lang="en", kind="en", numbers=["29"]),
            answer("29 [P3] 个 pilot communities built"),
            ["English question answered without 4 English words"],
        ),
        (item(lang="en", kind="en", numbers=["29"]), answer("29 pilot communities were built."), []),
        (item(numbers=["29"]), answer("29个"), []),
    ],
)
def test_grade(it: EvalItem, ans: Answer, reasons: list[str]) -> None:
    result = grade(it, ans)
    assert result.reasons == reasons
    assert result.passed is (not reasons)
    assert (result.item_id, result.kind) == (it.id, it.kind)


def test_grade_reports_every_failure() -> None:
    result = grade(item(numbers=["236"], gold=[GOLD], derived={"progress_pct": 23.6}), answer("无"))
    assert result.reasons == [
        "missing figure 236",
        "progress_pct 23.6 not stated (±0.1)",
        f"no citation contains gold '{GOLD}'",
    ]


def test_summarize() -> None:
    grades = [
        Grade(item_id="d001", kind="fact", passed=True),
        Grade(item_id="d002", kind="fact", passed=True),
        Grade(item_id="d003", kind="refuse", passed=False, reasons=["should have refused"]),
        Grade(item_id="d004", kind="indicator", passed=True),
    ]
    text = summarize(grades)
    lines = text.splitlines()
    assert lines[0].split() == ["kind", "passed", "total", "%"]
    assert lines[1].split() == ["indicator", "1", "1", "100.0%"]
    assert lines[2].split() == ["fact", "2", "2", "100.0%"]
    assert lines[3].split() == ["refuse", "0", "1", "0.0%"]
    assert "overall: 3 passed, 1 failed (75.0%)" in lines
    assert lines[-1] == "d003 (refuse): should have refused"
    assert summarize([]).splitlines()[-1] == "overall: 0 passed, 0 failed (0.0%)"


# --- loading and the real dev set -----------------------------------------------------------------


def test_load_items_names_bad_line(tmp_path: Path) -> None:
    good = '{"id": "x1", "lang": "zh", "kind": "fact", "question": "q", "gold": [], "numbers": [], "refuse": false}'
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{good}\n\n{good}\n{{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 4"):
        load_items(path)
    path.write_text(f'{good}\n{{"id": "x2"}}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        load_items(path)
    path.write_text(f"{good}\n\n{good}\n", encoding="utf-8")
    assert [i.id for i in load_items(path)] == ["x1", "x1"]


dev_only = pytest.mark.skipif(not DEV.exists(), reason=f"{DEV} not present")

PERFECT = {
    "d001": "进出口总额增速位列全省第二位。",
    "d007": "2020年94个老旧小区已完工27个,完工率约28.7%。",
    "d011": "重大项目清单137项、事项清单51项。",
    "d019": "收到群众诉求29431条,办结或处理28529条。",
    "d021": "赤壁市体育中心场馆主体结构已完成。",
    "d029": "一季度召开市政府党组会议4次;给予党纪政务处分400人。",
    "d030": "The urban area has built 29 garbage-sorting pilot residential communities.",
    "d034": "48 staff were seconded full-time to the civilized city campaign.",
}


def _paragraph(gold: str) -> str:
    """The notice paragraph holding `gold` (or the gold text itself when the notice is absent)."""
    if NOTICE.exists():
        for line in NOTICE.read_text(encoding="utf-8").splitlines():
            if gold in line:
                return line
    return gold


@dev_only
def test_dev_set_loads() -> None:
    items = load_items(DEV)
    assert len(items) == 40
    assert Counter(i.kind for i in items) == {
        "indicator": 2,
        "target": 6,
        "fact": 12,
        "status": 6,
        "list": 2,
        "multi": 1,
        "en": 5,
        "refuse": 6,
    }
    for it in items:
        assert not it.refuse or (not it.gold and not it.numbers)
        for number in it.numbers:  # each figure is stated by its own gold paragraph
            assert any(states_figure(_paragraph(g), number, False) for g in it.gold), (it.id, number)


@dev_only
@pytest.mark.parametrize("item_id", sorted(PERFECT))
def test_dev_perfect_answer_passes(item_id: str) -> None:
    it = next(i for i in load_items(DEV) if i.id == item_id)
    ans = answer(PERFECT[item_id] + "[P1]", cited=tuple(_paragraph(g) for g in it.gold))
    assert grade(it, ans).reasons == []


@dev_only
def test_dev_empty_answer_fails_and_refusals_pass_only_refuse_items() -> None:
    items = load_items(DEV)
    empty = [grade(i, answer("")) for i in items]
    assert not any(g.passed for g in empty)
    refusals = [grade(i, answer("", refused=True)) for i in items]
    assert [g.item_id for g in refusals if g.passed] == [i.id for i in items if i.refuse]
    assert "overall: 6 passed, 34 failed (15.0%)" in summarize(refusals)
