"""Slots, the stated-contradiction check, the fitted scorer's file and selection, on hand-built inputs (no model)."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest

from assistant.candidates import Candidate, Contradicted, contradiction, slot_places, slots_of
from assistant.features import FEATURES
from assistant.fitting import _listwise
from assistant.ranker import Linear, Scorer, load_scorer
from assistant.route import place_relation
from assistant.select import rank_slots, select
from assistant.understand import understand
from documents.errors import AssistantError
from documents.facts import Fact, FactKind, FactRole, Scope
from documents.models import Paragraph, ParagraphKind, Quantity, QuantityKind
from documents.places import Level
from documents.profile import NoticeProfile
from documents.reporting import Period

TEXT = "一季度,全市新增城镇就业5193人,完成年度目标的14%。"


def _fact(n: int, text: str, value: str, kind: FactKind = FactKind.AMOUNT, period: Period | None = None,
          scope: Scope | None = None, role: FactRole = FactRole.ACTUAL) -> Fact:  # fmt: skip
    start = TEXT.index(text)
    q = Quantity(text=text, start=start, end=start + len(text), number_text=value, value=Decimal(value),
                 unit="人", kind=QuantityKind.COUNT)  # fmt: skip
    return Fact(id=f"d:p001:{n}", doc_id="d", paragraph_id="p001", quantity=q, subject="新增城镇就业",
                measure="新增城镇就业", kind=kind, role=role, period=period or Period(start=1, end=3),
                scope=scope or Scope(level=Level.CITY), clause=(3, 20), group=(3, 30), sentence=(0, 30))  # fmt: skip


PARAGRAPH = Paragraph(id="p001", doc_id="d", kind=ParagraphKind.BODY, text=TEXT, start=0, end=len(TEXT),
                      breadcrumb=["一、主要指标"])  # fmt: skip


def test_one_slot_per_measure_and_per_period() -> None:
    assert len(slots_of(understand("新增城镇就业多少人?"))) == 1
    assert len(slots_of(understand("危旧房改造和安置房新开工各完成多少?"))) == 2
    spec = understand("建筑垃圾分类池1-10月和1-11月分别建成多少个?")
    assert [s.period.label for s in slots_of(spec)] == ["1-10月", "1-11月"]


@pytest.mark.parametrize(
    ("question", "fact", "what"),
    [
        ("二季度新增城镇就业多少人?", _fact(1, "5193人", "5193"), "period"),
        ("2020年新增城镇就业多少人?", _fact(1, "5193人", "5193").model_copy(update={"year": 2021}), "year"),
        ("全省新增城镇就业多少人?", _fact(1, "5193人", "5193"), "scope"),
        ("一季度新增城镇就业多少人?", _fact(1, "5193人", "5193"), None),
        ("新增城镇就业多少人?", _fact(1, "5193人", "5193", period=Period(start=1, end=6)), None),
    ],
)
def test_the_text_contradicting_the_question_is_a_check(question: str, fact: Fact, what: str | None) -> None:
    spec = understand(question)
    found = contradiction(spec, slots_of(spec)[0], fact, [], PARAGRAPH)
    assert (found.what if found else None) == what


def test_a_year_target_answers_a_period_target_question() -> None:
    spec = understand("一季度新增城镇就业的目标是多少?")
    target = _fact(1, "5193人", "5193", role=FactRole.TARGET, period=Period(start=1, end=12))
    assert contradiction(spec, slots_of(spec)[0], target, [], PARAGRAPH) is None


def test_a_place_inside_the_notice_must_be_named_by_the_figure() -> None:
    spec = understand("赤壁市一季度新增城镇就业多少人?")
    slot = slots_of(spec)[0]
    found = contradiction(spec, slot, _fact(1, "5193人", "5193"), ["赤壁市"], PARAGRAPH)
    assert found is not None and (found.what, found.asked) == ("place", "赤壁市")
    named = _fact(1, "5193人", "5193", scope=Scope(level=Level.COUNTY, name="赤壁市"))
    assert contradiction(spec, slot, named, ["赤壁市"], PARAGRAPH) is None


def test_each_part_keeps_its_own_place() -> None:
    spec = understand("咸安区产值多少?通城县产值多少?")
    slots = slots_of(spec)
    assert [slot_places(spec, s, ["咸安区", "通城县"]) for s in slots] == [["咸安区"], ["通城县"]]


def _linear(weights: dict[str, float]) -> Linear:
    n = len(FEATURES)
    return Linear(features=list(FEATURES), mean=[0.0] * n, scale=[1.0] * n,
                  weights=[weights.get(f, 0.0) for f in FEATURES])  # fmt: skip


def _scorer(weights: dict[str, float], threshold: float = 0.5) -> Scorer:
    linear = _linear(weights)
    return Scorer(ranker=linear, judge=linear, threshold=threshold)


@pytest.mark.parametrize(("among", "picked"), [(1, "d:p001:1"), (2, "d:p001:2"), (3, "d:p001:2")])
def test_the_judge_picks_among_the_rankers_best_few(among: int, picked: str) -> None:
    spec = understand("新增城镇就业多少人?")
    candidates = _candidates(0, 3)
    rows = np.zeros((3, len(FEATURES)))
    rows[:, FEATURES.index("cos")] = [0.9, 0.8, 0.1]  # the ranker's order
    rows[:, FEATURES.index("rec_clause")] = [0.2, 1.0, 0.5]  # the judge's view
    scorer = Scorer(ranker=_linear({"cos": 5.0}), judge=_linear({"rec_clause": 3.0}), threshold=0.5,
                    pick_among=among)  # fmt: skip
    chosen = select(rank_slots(slots_of(spec), candidates, rows, scorer), candidates, rows, scorer, False)
    assert [p.candidate.key for p in chosen.picks] == [picked]


def _candidates(slot: int, n: int) -> list[Candidate]:
    return [Candidate(slot=slot, doc_id="d", paragraph_id="p001", fact=_fact(i + 1 + 10 * slot, "5193人", "5193"),
                      span=(0, 5), hit=i) for i in range(n)]  # fmt: skip


def test_selection_takes_the_best_unused_candidate_of_each_slot() -> None:
    spec = understand("新增城镇就业多少人?增长多少?")
    slots = slots_of(spec)
    candidates = _candidates(0, 3)
    candidates += [c.model_copy(update={"slot": 1}) for c in candidates]  # both slots see the same facts
    rows = np.zeros((len(candidates), len(FEATURES)))
    rows[:, FEATURES.index("rec_wide")] = [0.9, 0.5, 0.1, 0.9, 0.5, 0.1]
    scorer = _scorer({"rec_wide": 5.0})
    chosen = select(rank_slots(slots, candidates, rows, scorer), candidates, rows, scorer, False)
    assert [p.candidate.key for p in chosen.picks] == ["d:p001:1", "d:p001:2"]  # the second slot: the next best


def test_a_slot_whose_best_is_too_weak_is_not_covered_and_says_what_the_text_states() -> None:
    spec = understand("二季度新增城镇就业多少人?")
    slots = slots_of(spec)
    candidates = _candidates(0, 2)
    stated = Contradicted(slot=0, fact_id="d:p001:1", what="period", have="一季度", asked="二季度")
    candidates[0] = candidates[0].model_copy(update={"against": stated})
    rows = np.zeros((2, len(FEATURES)))
    rows[:, FEATURES.index("rec_wide")] = [0.9, 0.1]
    scorer = _scorer({"rec_wide": 1.0}, threshold=0.99)
    chosen = select(rank_slots(slots, candidates, rows, scorer), candidates, rows, scorer, False)
    assert not chosen.picks and chosen.refusal is not None
    assert "一季度" in chosen.refusal.text(False) and "二季度" in chosen.refusal.text(False)


def test_a_slot_is_answered_only_when_its_best_is_judged_likely_enough() -> None:
    spec = understand("新增城镇就业多少人?")
    slots = slots_of(spec)
    candidates = _candidates(0, 2)
    rows = np.zeros((2, len(FEATURES)))
    rows[:, FEATURES.index("rec_wide")] = [0.9, 0.1]
    for threshold, answered in ((0.6, True), (0.8, False)):  # sigmoid(0.9) = 0.71
        scorer = _scorer({"rec_wide": 1.0}, threshold=threshold)
        chosen = select(rank_slots(slots, candidates, rows, scorer), candidates, rows, scorer, False)
        assert bool(chosen.picks) == answered


def test_a_scorer_file_fitted_on_other_features_is_refused(tmp_path) -> None:
    good = _scorer({})
    path = tmp_path / "ranker.json"
    good.save(path)
    assert load_scorer(path).threshold == good.threshold
    data = json.loads(path.read_text(encoding="utf-8"))
    data["ranker"]["features"][0] = "a_feature_this_version_lacks"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AssistantError, match="other features"):
        load_scorer(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(AssistantError, match="no usable scorer"):
        load_scorer(path)


def test_the_listwise_ranker_learns_which_feature_marks_the_right_candidate() -> None:
    rng = np.random.default_rng(7)
    groups, xs, ys = 60, [], []
    for _ in range(groups):
        x = rng.normal(size=(5, 3))
        right = int(np.argmax(x[:, 1] + 0.1 * rng.normal(size=5)))  # feature 1 decides, with a little noise
        y = np.zeros(5)
        y[right] = 1.0
        xs.append(x)
        ys.append(y)
    weights = _listwise(np.vstack(xs), np.concatenate(ys), np.arange(0, 5 * groups, 5), l2=0.01)
    assert weights[1] > 3 * max(abs(weights[0]), abs(weights[2]))


def test_the_shipped_scorer_was_fitted_on_the_features_this_code_computes() -> None:
    """Changing a feature without `python -m assistant fit` fails here, not at a user's first question."""
    scorer = load_scorer()
    assert scorer.ranker.features == list(FEATURES) == scorer.judge.features
    assert 0.0 < scorer.threshold < 1.0


@pytest.mark.parametrize(
    ("name", "profile", "relation"),
    [
        # a notice that never states its place, naming a place of its own level: that place is its own
        ("崇川区", NoticeProfile(doc_id="n", title="", level=Level.DISTRICT), "own"),
        ("崇川", NoticeProfile(doc_id="n", title="", level=Level.DISTRICT), "own"),
        # of another level (a town of a county notice), or once the notice states its place, it is inside
        ("崇川区", NoticeProfile(doc_id="n", title="", level=Level.CITY), "inside"),
        ("崇川区", NoticeProfile(doc_id="n", title="", place="南通市", division="320600000000", level=Level.CITY),
         "inside"),
        ("海门区", NoticeProfile(doc_id="n", title="", level=Level.DISTRICT), "other"),
    ],
)  # fmt: skip
def test_how_a_named_place_stands_to_a_notice(name: str, profile: NoticeProfile, relation: str) -> None:
    assert place_relation(name, profile, "崇川区背街后巷交通组织优化") == relation
