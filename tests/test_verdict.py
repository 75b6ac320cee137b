"""Whether a target was reached, from hand-built pairs (what a yes/no answer says first)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.compose import verdict
from documents.facts import Fact, FactKind, FactRole
from documents.models import Qualifier, Quantity, QuantityKind
from documents.pairs import FactPair


def _fact(value: str, kind: FactKind, role: FactRole, measure: str, qualifier: Qualifier = Qualifier.EXACT,
          falls: bool = False) -> Fact:  # fmt: skip
    unit = "%" if kind in (FactKind.GROWTH, FactKind.LEVEL, FactKind.COMPLETION) else "人"
    q = Quantity(text=value + unit, start=0, end=len(value) + 1, number_text=value, value=Decimal(value), unit=unit,
                 kind=QuantityKind.PERCENT if unit == "%" else QuantityKind.COUNT, qualifier=qualifier)  # fmt: skip
    return Fact(id=f"d:p1:{value}{role.value}", doc_id="d", paragraph_id="p1", quantity=q, subject=measure,
                measure=measure, kind=kind, role=role, falls=falls,
                clause=(0, 5), group=(0, 5), sentence=(0, 5))  # fmt: skip


@pytest.mark.parametrize(
    ("actual", "target", "progress", "reached"),
    [
        (_fact("58.3", FactKind.GROWTH, FactRole.ACTUAL, "地区生产总值"),
         _fact("10.5", FactKind.GROWTH, FactRole.TARGET, "地区生产总值"), None, True),
        (_fact("6.1", FactKind.GROWTH, FactRole.ACTUAL, "地区生产总值"),
         _fact("6.5", FactKind.GROWTH, FactRole.TARGET, "地区生产总值"), None, False),
        (_fact("3.2", FactKind.LEVEL, FactRole.ACTUAL, "城镇登记失业率"),
         _fact("4.5", FactKind.LEVEL, FactRole.TARGET, "城镇登记失业率", Qualifier.AT_MOST), None, True),
        (_fact("3.5", FactKind.LEVEL, FactRole.ACTUAL, "居民消费价格涨幅"),
         _fact("3", FactKind.LEVEL, FactRole.TARGET, "居民消费价格涨幅"), None, False),  # a ceiling by its measure
        (_fact("5193", FactKind.AMOUNT, FactRole.ACTUAL, "新增城镇就业"),
         _fact("37000", FactKind.AMOUNT, FactRole.TARGET, "新增城镇就业"), Decimal("14.0"), False),
        (_fact("5500", FactKind.AMOUNT, FactRole.ACTUAL, "新增学位"),
         _fact("5000", FactKind.AMOUNT, FactRole.TARGET, "新增学位"), Decimal("110.0"), True),
    ],
)  # fmt: skip
def test_a_target_is_reached_in_its_own_direction(actual: Fact, target: Fact, progress, reached: bool) -> None:
    pair = FactPair(target=target, actual=actual, progress_pct=progress)
    assert verdict(pair, None) is reached


def test_a_stated_completion_decides_and_no_pair_says_nothing() -> None:
    stated = _fact("104", FactKind.COMPLETION, FactRole.ACTUAL, "完成投资")
    assert verdict(None, stated) is True
    assert verdict(None, None) is None
