"""A question's word with one character slipped (报消 for 报销) still names the text's word, when the two read alike."""

from __future__ import annotations

import pytest

from assistant.terms import _typo_in, missing_words


@pytest.mark.parametrize(
    ("word", "text", "found"),
    [
        ("报销", "医疗费用报消比例", True),  # same reading
        ("竣工", "已峻工投产", True),
        ("黄荆口", "黄金口村", True),  # jin ~ jing
        ("培训", "线上陪训了465家", True),  # pei ~ pei
        ("报销", "报销", False),  # the word itself is not a slip
        ("报销", "其他支出", False),
        ("报销", "报名", False),  # ming is not xiao
        ("投资", "总", False),  # a text shorter than the word
    ],
)
def test_one_slipped_character_read_alike(word: str, text: str, found: bool) -> None:
    assert _typo_in(word, text) is found


def test_a_slipped_word_is_not_missing_but_an_absent_one_is() -> None:
    assert missing_words("医疗报销比例", "医疗费用报消比例达到") == []
    assert missing_words("医疗报销比例", "养老保险参保人数") != []
