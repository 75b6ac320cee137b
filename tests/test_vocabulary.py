"""The genre's vocabulary is data (documents/vocabulary.toml): it loads, and it says what the genre means."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.vocabulary import read_vocabulary, vocabulary


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("规上", "规模以上"),
        ("社零", "社会消费品零售总额"),
        ("固投", "固定资产投资"),
        ("技改", "技术改造"),
        ("gdp", "地区生产总值"),
    ],
)
def test_abbreviations_expand_to_the_notices_terms(short: str, full: str) -> None:
    assert vocabulary().expand(f"一季度{short}增长多少") == f"一季度{full}增长多少"


def test_an_expanded_term_is_left_alone() -> None:
    assert vocabulary().expand("规模以上工业增加值") == "规模以上工业增加值"


@pytest.mark.parametrize(
    ("asked", "written"),
    [("外贸", "进出口"), ("财政收入", "一般公共预算收入"), ("经济增长", "地区生产总值"), ("物价", "居民消费价格")],
)
def test_synonyms_meet_in_both_directions(asked: str, written: str) -> None:
    assert written in vocabulary().variants(asked)
    assert asked in vocabulary().variants(written)


def test_english_words_and_ceilings_are_data() -> None:
    words = vocabulary()
    assert words.english["retail sales"] == "社会消费品零售总额"
    assert "失业率" in words.ceilings and "居民消费价格" in words.ceilings


def test_a_broken_vocabulary_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "vocabulary.toml"
    bad.write_text("[abbreviations\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a valid vocabulary file"):
        read_vocabulary(bad)
