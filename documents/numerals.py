"""Numerals in notice text: length-preserving normalisation, Chinese numerals and exact number parsing.

Everything here is pure and deterministic.  Values are ``Decimal`` and magnitudes (万, 亿) are applied
exactly, never through floats: ``parse_number('441.7亿') == Decimal('44170000000')``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, localcontext
from functools import lru_cache

from opencc import OpenCC

_T2S = OpenCC("t2s")

# --- normalisation -----------------------------------------------------------------------------------

_FULLWIDTH_DIGITS = frozenset("０１２３４５６７８９")
_EXTRA = {
    "\u3000": " ",  # ideographic space
    "\u2212": "-",  # minus sign
    "\ufe63": "-",  # small hyphen-minus
    "\ufe6a": "%",  # small percent sign
    "\u301c": "~",  # wave dash
    "\u2015": "—",  # horizontal bar: a PDF font may draw the dash — (2021—2022年) with its glyph
}


def normalise(text: str) -> str:
    """Map full-width ASCII forms to ASCII and traditional characters to simplified, one character at a time,
    so offsets into the result index text.

    This is the part of NFKC that matters for figures (３．７万 → 3.7万, ％ → %, （套） → (套)) without
    NFKC's length changes (①, ½ or ㎡ are left alone).  The full-width comma ， is Chinese punctuation
    and stays, except between two full-width digits (１，２３４), where it is a thousands separator.
    """
    out: list[str] = []
    last = len(text) - 1
    for i, c in enumerate(text):
        o = ord(c)
        if c == "，":
            between_digits = 0 < i < last and text[i - 1] in _FULLWIDTH_DIGITS and text[i + 1] in _FULLWIDTH_DIGITS
            out.append("," if between_digits else c)
        elif 0xFF01 <= o <= 0xFF5E:
            out.append(chr(o - 0xFEE0))
        elif o >= 0x3400:
            out.append(simplified_char(c))
        else:
            out.append(_EXTRA.get(c, c))
    return "".join(out)


@lru_cache(maxsize=8192)
def simplified_char(c: str) -> str:
    """One traditional character in its simplified form (億 → 亿, 個 → 个), or itself; never changes length."""
    converted = _T2S.convert(c)
    return converted if len(converted) == 1 else c


# --- Chinese numerals --------------------------------------------------------------------------------

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
_ZEROS = frozenset("零〇")
_SEQUENCE_DIGITS = frozenset("零〇一二三四五六七八九")  # digit-by-digit forms such as 二〇二一 (not 两)
_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
_ALL_CHINESE = frozenset(DIGITS) | frozenset(_SMALL_UNITS) | frozenset("万亿")

#: Characters of the everyday (non-financial) Chinese numerals, as used to find them in running text.
CHINESE_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"


def _section(s: str) -> int | None:
    """Value of a numeral below 一万 (三千零五, 三十八, 十二, 三百五 → 350), or None when malformed."""
    total = 0
    digit: int | None = None
    last_unit = 10_000
    zero_pending = False
    for c in s:
        if c in _ZEROS:
            if digit is not None:
                return None
            zero_pending = True
        elif c in DIGITS:
            if digit is not None:
                return None
            digit = DIGITS[c]
        else:
            unit = _SMALL_UNITS[c]
            if unit >= last_unit:
                return None
            if digit is None:
                if total or zero_pending:
                    return None
                digit = 1  # 十二, 百, 千: an implicit 一 at the start
            total += digit * unit
            digit = None
            last_unit = unit
            zero_pending = False
    if digit is not None:
        # 三百五 / 一千二: a bare trailing digit counts in the next unit down.
        abbreviated = 10 < last_unit < 10_000 and not zero_pending
        total += digit * (last_unit // 10) if abbreviated else digit
    return total


def _tail(s: str, abbreviation: int, parse: Callable[[str], int | None]) -> int | None:
    """Value of what follows 万 or 亿 (零五百, 三千, or a lone digit as in 两万五 → 5000)."""
    stripped = s.lstrip("零〇")
    if not stripped:
        return 0
    if stripped == s and len(s) == 1 and s in DIGITS:
        return DIGITS[s] * abbreviation
    return parse(stripped)


def _level(s: str, mark: str, scale: int, tail_limit: int, lower: Callable[[str], int | None]) -> int | None:
    """Value of `s` split once at a magnitude mark (万 or 亿): high × scale + low, each read by `lower`."""
    if s.count(mark) > 1:
        return None
    if mark not in s:
        return lower(s)
    head, _, tail = s.partition(mark)
    high = lower(head) if head else 1
    low = _tail(tail, tail_limit, lower)
    if not high or low is None:
        return None
    return high * scale + low


def _below_yi(s: str) -> int | None:
    """Value of a numeral below 一亿 (三十八万, 两万五, 一万零五十)."""
    return _level(s, "万", 10_000, 1000, _section)


def chinese_to_int(s: str) -> int | None:
    """Value of a Chinese numeral (三十八 → 38, 十二 → 12, 两万五 → 25000, 二〇二一 → 2021), None if it is not one.

    Accepts 〇/零, 两, 十 百 千 万 亿 (万亿 too) and the financial forms 壹…玖 拾 佰 仟.  Strings of bare
    digits are read digit by digit, as years are written (二〇二一).
    """
    if not s or any(c not in _ALL_CHINESE for c in s):
        return None
    if len(s) > 1 and all(c in _SEQUENCE_DIGITS for c in s):
        return int("".join(str(DIGITS[c]) for c in s))
    return _level(s, "亿", 100_000_000, 10_000_000, _below_yi)


# --- exact numbers -----------------------------------------------------------------------------------

#: Magnitude words written after Arabic digits, longest first, with their power of ten.
MAGNITUDES: dict[str, int] = {"万亿": 12, "千亿": 11, "百亿": 10, "千万": 7, "百万": 6, "亿": 8, "万": 4}

_ARABIC_WITH_MAGNITUDE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(" + "|".join(MAGNITUDES) + r")?")


def scale(digits: str, exponent: int) -> Decimal:
    """Exactly ``digits × 10**exponent`` as a Decimal, written without an exponent when it is whole."""
    value = Decimal(digits)
    if not exponent:
        return value
    with localcontext() as ctx:
        ctx.prec = len(digits) + abs(exponent) + 30
        value = value.scaleb(exponent)
        if value.as_tuple().exponent > 0:  # type: ignore[operator]
            value = value.quantize(Decimal(1))
    return value


def plain(value: Decimal) -> str:
    """A Decimal written out in full, never in scientific notation (Decimal('3.7E+4') → '37000')."""
    return format(value, "f")


def parse_number(number_text: str) -> Decimal:
    """The exact value of a figure as written ('3.7万' → 37000, '441.7亿' → 44170000000, '58.3%' → 58.3).

    Accepts a sign, thousands separators ('1,234'), full-width forms ('３．７万'), a percent or per-mille
    sign (the value stays as written: '58.3%' → 58.3), 余/多 between digits and magnitude ('40余万'),
    an ordinal prefix ('第四' → 4), 百分之 ('百分之十五' → 15) and plain Chinese numerals ('三十八').
    Raises ValueError for anything else, including ranges ('1-2').
    """
    s = normalise(number_text).strip()
    negative = s.startswith("-")
    s = s.lstrip("+-")
    if s.startswith("第"):
        s = s[1:]
    if s.startswith("百分之"):
        s = s[3:]
    s = s.rstrip("%‰").replace(",", "")
    s = re.sub(r"(?<=[0-9〇零一二两三四五六七八九十百千万亿])[余多](?=[万亿千百]|$)", "", s)
    value: Decimal | None = None
    match = _ARABIC_WITH_MAGNITUDE.fullmatch(s)
    if match:
        value = scale(match.group(1), MAGNITUDES.get(match.group(2) or "", 0))
    else:
        as_int = chinese_to_int(s)
        if as_int is not None:
            value = Decimal(as_int)
    if value is None:
        raise ValueError(f"not a number: {number_text!r}")
    return -value if negative else value
