"""Radical and compatibility code points in a text layer, read as the ordinary characters they stand for.

PDF printers with CJK fonts often write a character by the glyph of its radical (⼯ U+2F2F for 工, ⼈ for 人):
it looks the same and reads as another code point, so headings, measures and places are not found. Whole-text
NFKC is not the tool: it maps only 2 of the radicals supplement and also rewrites ①, ⑴ and full-width
punctuation that outline markers and the readers rely on. The table (data/radicals.tsv) covers exactly the
three blocks, one character for one, so offsets into the text still hold.

A radical's glyph in a simplified-Chinese font is the simplified character (⼾ is drawn and printed for 户, whose
unified equivalent is 戶), and every notice is read in simplified form anyway: a mapped character that has a
one-character simplified form is given in it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from documents.numerals import simplified_char

_TABLE = Path(__file__).with_name("data") / "radicals.tsv"
BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF))


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")[:2]
            table[int(source, 16)] = simplified_char(chr(int(target, 16)))
    return table


def has_radicals(text: str) -> bool:
    """Whether the text holds any code point the table maps."""
    table = _table()
    return any(ord(c) in table for c in text)


def unify_ideographs(text: str) -> str:
    """⼆、其他重点⼯作 → 二、其他重点工作: each mapped code point becomes its unified ideograph; same length."""
    return text.translate(_table())
