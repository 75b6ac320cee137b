"""The English bridge on a hand-built notice: which Chinese words an English question's words reach."""

from __future__ import annotations

import pytest

from assistant.bridge import EnglishBridge
from documents.parser import parse_notice

NOTICE = parse_notice("某市通报\n一季度,全市实现地区生产总值增长8.3%;新增城镇就业5193人;外贸进出口总额增长12%。", "n")


@pytest.mark.parametrize(
    ("question", "reaches"),
    [
        # a glossary term reaches its notice word however many synonyms the genre has for it
        ("How much did GDP grow in Q1?", "地区生产总值"),
        ("How many new urban jobs were created?", "城镇"),
    ],
)
def test_english_words_reach_the_notice_words(question: str, reaches: str) -> None:
    words = [w for group in EnglishBridge([NOTICE]).term_groups(question) for w in group]
    assert reaches in words, words
