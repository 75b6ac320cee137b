"""The gold-set grading rule of shared/eval/README.md as pure functions: load items, grade one answer.

Figures are compared by value after normalising (NFKC, citation markers and thousands separators removed,
万/亿 and English million/billion applied); percent, ordinal and plain figures only match their own kind.
Dates (`2021年`, `3月31日`, `March 31, 2021`) are recognised so that they are not mistaken for figures:
they match only a `numbers` entry that is itself a date and are not counted against the figure limit,
nor are numbers written in words (`四个`, `fourth`), which are still matched by value.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from assistant.models import Answer
from documents.reporting import MONTHS_EN

TOLERANCE = Decimal("0.1")
LONG_KINDS = ("list", "multi")
KIND_ORDER = ("indicator", "target", "fact", "status", "list", "multi", "en", "refuse")


class EvalItem(BaseModel):
    """One line of a gold JSONL file."""

    id: str
    lang: str
    kind: str
    question: str
    gold: list[str]
    numbers: list[str]
    derived: dict[str, float] = Field(default_factory=dict)
    refuse: bool
    note: str = ""
    doc: str | None = None


class Mention(BaseModel):
    """A figure stated in a text; offsets index the normalised text (see `normalize`)."""

    value: Decimal
    is_percent: bool = False
    is_ordinal: bool = False
    is_date: bool = False
    date: tuple[int | None, int | None, int | None] | None = Field(default=None, description="(y, m, d)")
    spelled: bool = Field(default=False, description="written in words (四个, fourth), not digits")
    fall: bool = Field(default=False, description="stated as a fall: 下降0.9%, fell 0.9%")
    start: int
    end: int
    text: str


class Grade(BaseModel):
    item_id: str
    kind: str
    passed: bool
    reasons: list[str] = Field(default_factory=list)


def load_items(path: Path) -> list[EvalItem]:
    """Read a gold JSONL file; a bad line raises ValueError naming its line number."""
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(EvalItem.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ValueError(f"{path}: line {lineno}: {exc}") from exc
    return items


# --- normalisation -------------------------------------------------------------------------------

_MARKERS = re.compile(r"\[[^\[\]\n]*\]|【[^【】\n]*】|〔[^〔〕\n]*〕")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?!\d)")


def strip_citation_markers(text: str) -> str:
    """Remove bracketed citation markers: `[…]`, `【…】`, `〔…〕` (full-width ［…］ too, via NFKC)."""
    return _MARKERS.sub("", unicodedata.normalize("NFKC", text))


def normalize(text: str) -> str:
    """NFKC, traditional 億/萬 read as 亿/万, citation markers removed, thousands separators removed (`68,100` →
    `68100`)."""
    text = unicodedata.normalize("NFKC", text).replace("億", "亿").replace("萬", "万")
    return _THOUSANDS.sub(lambda m: m.group().replace(",", ""), strip_citation_markers(text))


# --- figure scanning -----------------------------------------------------------------------------

_CN_DIGIT = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN = "[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
_MEASURE = "个|次|家|项|批|座|名|人|所|条|件|位|届|台|辆|处|套|只|艘|架|场|轮|期|本|种|类|栋|户|起"
_MULT = {
    "万亿": 10**12,
    "千万": 10**7,
    "百万": 10**6,
    "亿": 10**8,
    "万": 10**4,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "hundred million": 10**8,
}
_MONTHS = tuple(m.lower() for m in MONTHS_EN)
_MONTH = r"(?P<mon>\b(?:" + "|".join(_MONTHS) + r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)\b)"
_UNITS_EN = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    *[w + "teen" for w in ("four", "fif", "six", "seven", "eigh", "nine")],
]
_TENS_EN = [w + "ty" for w in ("twen", "thir", "for", "fif", "six", "seven", "eigh", "nine")]
_ORD_EN = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    *[w + "th" for w in _UNITS_EN[13:]],
]
_TENS_ORD_EN = [t[:-1] + "ieth" for t in _TENS_EN]
_EN_VALUE = {w: i % 20 for i, w in enumerate(_UNITS_EN + _ORD_EN)} | {
    w: 20 + 10 * (i % 8) for i, w in enumerate(_TENS_EN + _TENS_ORD_EN)
}
_NUM = r"(?P<neg>(?<![\dA-Za-z%])[-−])?(?<![\d.A-Za-z])(?P<num>\d+(?:\.\d+)?)"

_ZH_PARTS = [
    r"(?<![\d.])(?P<ymd>\d{4})-(?P<ymd_m>\d{1,2})-(?P<ymd_d>\d{1,2})(?!\d)",
    r"(?<!\d)(?P<y>\d{4})\s*年(?:度)?(?:\s*(?P<ym>\d{1,2})\s*月(?:份)?(?:\s*(?P<yd>\d{1,2})\s*[日号])?)?",
    r"(?<![\d.])(?P<mr>\d{1,2})\s*[-~至到]\s*(?P<mr2>\d{1,2})\s*月(?:份)?",
    r"(?<![\d.])(?P<m>\d{1,2})\s*月(?:份)?(?:\s*(?P<md>\d{1,2})\s*[日号])?",
    rf"第\s*(?:(?P<ord>\d+)|(?P<cnord>{_CN}))",
]
_EN_PARTS = [
    _MONTH + r"\s+(?P<emd>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<emy>\d{4}))?(?!\d)",
    r"(?<!\d)(?P<edm>\d{1,2})\s+" + _MONTH.replace("mon>", "mon2>") + r"(?:,?\s+(?P<edy>\d{4}))?",
    _MONTH.replace("mon>", "mon3>") + r",?\s+(?P<emy2>\d{4})(?!\d)",
    r"\b(?:in|since|from|until|till|during|year|end of|quarter of|half of|Q[1-4]|H[12])\s+"
    r"(?P<eyear>(?:19|20)\d\d)(?![\d.%]|\s*(?:per|mil|bil|tho))",
    r"(?<![\d.A-Za-z])(?P<eord>\d+)(?:st|nd|rd|th)\b",
    r"\b(?P<wtens>" + "|".join(_TENS_EN) + r")-(?P<word>" + "|".join(_ORD_EN[1:10]) + r")\b",
    r"\b(?P<word2>" + "|".join(_ORD_EN[1:] + _TENS_ORD_EN) + r")\b",
]
_PCT = r"(?:\s*(?P<pct>%|per\s?cent(?!age)|pct\b))?"
_ZH_TAIL = [_NUM + _PCT + r"(?:\s*[余多]?(?P<mult>万亿|千万|百万|亿|万))?", rf"(?P<cn>{_CN})(?=(?:{_MEASURE}))"]
_EN_TAIL = [
    _NUM
    + r"(?:\s*(?P<mult>hundred million|thousand|million|billion|trillion)\b)?"
    + _PCT
    + r"(?:\s*(?P<mult2>万亿|千万|百万|亿|万))?",
    _ZH_TAIL[1],
    r"\b(?P<cw>(?:"
    + "|".join(_TENS_EN)
    + ")-(?:"
    + "|".join(_UNITS_EN[1:10])
    + ")|"
    + "|".join(_TENS_EN + _UNITS_EN[2:])
    + r")\b(?:\s+(?P<cwmult>thousand|million|billion))?",
]
_SCAN = {
    False: re.compile("|".join(_ZH_PARTS + _ZH_TAIL)),
    True: re.compile("|".join(_ZH_PARTS + _EN_PARTS + _EN_TAIL), re.IGNORECASE),
}
_DATE_GROUPS = (  # anchor group, then the groups holding year, month, day
    ("ymd", "ymd", "ymd_m", "ymd_d"),
    ("y", "y", "ym", "yd"),
    ("mr", None, "mr2", None),
    ("m", None, "m", "md"),
    ("mon", "emy", "mon", "emd"),
    ("mon2", "edy", "mon2", "edm"),
    ("mon3", "emy2", "mon3", None),
    ("eyear", "eyear", None, None),
)
_FALL_ZH = re.compile(r"降|跌|减|回落|下滑|负增长|缩")
_RISE_ZH = re.compile(r"增|升|涨|提高")
_FALL_EN = re.compile(
    r"\b(?:fell|fall(?:s|ing|en)?|declin\w*|decreas\w*|drop\w*|down|lower|shr[au]nk|"
    r"contract\w*|minus|negative|dip\w*|slid|slipped|reduc\w*)\b",
    re.IGNORECASE,
)
_RISE_EN = re.compile(r"\b(?:rose|ris\w*|grew|grow\w*|increas\w*|up|higher)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[,;。:、!?()]")


def _cn_value(s: str) -> int:
    """Chinese numeral to int: 三十八 → 38, 一百二十 → 120, 两万 → 20000, 二〇二一 → 2021."""
    if all(c in _CN_DIGIT for c in s):
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total = section = num = 0
    for c in s:
        if c in _CN_DIGIT:
            num = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            section, num = section + (num or 1) * _CN_UNIT[c], 0
        else:
            total, section, num = (total + section + num) * _CN_BIG[c], 0, 0
    return total + section + num


def _en_word_value(word: str) -> int:
    """English number word to int: twenty-nine → 29, fourth → 4, thirty-eighth → 38."""
    tens, _, unit = word.lower().partition("-")
    return _EN_VALUE[tens] + (_EN_VALUE[unit] if unit else 0)


def _is_fall(text: str, start: int, end: int, english: bool) -> bool:
    """Whether a fall word governs the figure: just before it in its clause, or (English) just after."""
    before = _CLAUSE.split(text[max(0, start - 30 if english else start - 8) : start])[-1]
    fall, rise = (_FALL_EN, _RISE_EN) if english else (_FALL_ZH, _RISE_ZH)
    falls, rises = list(fall.finditer(before)), list(rise.finditer(before))
    if falls and (not rises or rises[-1].start() < falls[-1].start()):
        return True
    return english and bool(re.match(r"\s*(?:decline|decrease|drop|fall|lower)\b", text[end:], re.I))


def _date_part(part: str | None) -> int | None:
    """'03' → 3, 'March' / 'Mar.' → 3, None → None."""
    if part is None or part.isdigit():
        return int(part) if part else None
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(part.lower().rstrip(".")[:3]))


def _mention(m: re.Match[str], text: str, english: bool) -> Mention:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    base = {"start": m.start(), "end": m.end(), "text": m.group()}

    for anchor, *parts in _DATE_GROUPS:
        if anchor in g:
            ymd = tuple(_date_part(g.get(k or "")) for k in parts)
            return Mention(value=Decimal(next(p for p in ymd if p is not None)), is_date=True, date=ymd, **base)
    if "ord" in g or "eord" in g:
        return Mention(value=Decimal(g.get("ord") or g["eord"]), is_ordinal=True, **base)
    if "cnord" in g:
        return Mention(value=Decimal(_cn_value(g["cnord"])), is_ordinal=True, spelled=True, **base)
    if "word" in g or "word2" in g:
        word = f"{g['wtens']}-{g['word']}" if "word" in g else g["word2"]
        return Mention(value=Decimal(_en_word_value(word)), is_ordinal=True, spelled=True, **base)
    if "cn" in g:
        return Mention(value=Decimal(_cn_value(g["cn"])), spelled=True, **base)
    if "cw" in g:
        value = Decimal(_en_word_value(g["cw"]) * _MULT.get(g.get("cwmult", "").lower(), 1))
        return Mention(value=value, spelled=True, **base)
    value = Decimal(g["num"]) * _MULT.get(g.get("mult", "").lower(), 1) * _MULT.get(g.get("mult2", ""), 1)
    fall = _is_fall(text, m.start(), m.end(), english)
    return Mention(value=-value if "neg" in g else value, is_percent="pct" in g, fall=fall, **base)


def _scan(text: str, english: bool) -> list[Mention]:
    norm = normalize(text)
    return [_mention(m, norm, english) for m in _SCAN[english].finditer(norm)]


def mentioned_figures(text: str, english: bool = False, include_dates: bool = False) -> list[Mention]:
    """Every figure the text states, in order; dates are left out unless asked for."""
    return [m for m in _scan(text, english) if include_dates or not m.is_date]


def _parse_entry(number: str) -> Mention | None:
    """A `numbers` entry as a single mention (`3.7万`, `-0.9%`, `第四`, `2021年1月1日`, `四`)."""
    found = _scan(number, english=False)
    if found:
        return found[0]
    s = unicodedata.normalize("NFKC", number).strip()
    if re.fullmatch(_CN, s):
        return Mention(value=Decimal(_cn_value(s)), spelled=True, start=0, end=len(s), text=s)
    return None


def states_figure(text: str, number: str, english: bool) -> bool:
    """Rule 1 for one `numbers` entry: whether `text` states it (by value, as a whole number)."""
    want = _parse_entry(number)
    if want is None:
        return unicodedata.normalize("NFKC", number).strip() in normalize(text)
    for got in _scan(text, english):
        if want.is_date or got.is_date:
            if want.date and got.date and all(w in (None, g) for w, g in zip(want.date, got.date, strict=True)):
                return True
            continue
        if (got.is_percent, got.is_ordinal) != (want.is_percent, want.is_ordinal):
            continue
        if got.value == want.value or (want.value < 0 and got.fall and got.value == -want.value):
            return True
    return False


# --- grading -------------------------------------------------------------------------------------


def _states_derived(answer: Answer, name: str, target: float, english: bool) -> bool:
    goal = Decimal(str(target))
    if any(abs(d.value - goal) <= TOLERANCE for d in answer.derived):
        return True
    percent = name.endswith("pct")
    return any(
        abs(m.value - goal) <= TOLERANCE and m.is_percent == percent and not m.is_ordinal
        for m in mentioned_figures(answer.answer, english)
    )


def grade(item: EvalItem, answer: Answer) -> Grade:
    """Apply rules 1-4 and the refusal rule of the README to one answer."""
    reasons: list[str] = []
    if item.refuse or answer.refused:
        if item.refuse and not answer.refused:
            reasons.append("should have refused")
        elif answer.refused and not item.refuse:
            reasons.append("refused an answerable item")
        return Grade(item_id=item.id, kind=item.kind, passed=not reasons, reasons=reasons)

    english = item.lang == "en"
    text = answer.answer
    for number in item.numbers:
        if not states_figure(text, number, english):
            reasons.append(f"missing figure {number}")
    for name, target in item.derived.items():
        if not _states_derived(answer, name, target, english):
            reasons.append(f"{name} {target} not stated (±{TOLERANCE})")
    cited = [unicodedata.normalize("NFKC", c.text) for c in answer.citations]
    for gold in item.gold:
        if not any(unicodedata.normalize("NFKC", gold) in c for c in cited):
            reasons.append(f"no citation contains gold '{gold}'")

    body = strip_citation_markers(text).strip()
    limit = 500 if item.kind in LONG_KINDS else 300 if english else 200
    if len(body) > limit:
        reasons.append(f"answer too long: {len(body)} > {limit} chars")
    figure_limit = 2 * (len(item.numbers) + len(item.derived)) + 4
    stated = [m for m in mentioned_figures(text, english) if not m.spelled]
    if len(stated) > figure_limit:
        reasons.append(f"too many figures: {len(stated)} > {figure_limit}")
    if english and len(re.findall(r"(?<![A-Za-z])[A-Za-z]+(?![A-Za-z])", body)) < 4:
        reasons.append("English question answered without 4 English words")
    return Grade(item_id=item.id, kind=item.kind, passed=not reasons, reasons=reasons)


def summarize(grades: list[Grade]) -> str:
    """A plain-text report: pass rate by kind, an overall line, then each failure with its reasons."""
    kinds = [k for k in KIND_ORDER if any(g.kind == k for g in grades)]
    kinds += sorted({g.kind for g in grades} - set(kinds))
    lines = [f"{'kind':<10} {'passed':>6} {'total':>5} {'%':>6}"]
    for kind in kinds:
        total = [g for g in grades if g.kind == kind]
        ok = sum(g.passed for g in total)
        lines.append(f"{kind:<10} {ok:>6} {len(total):>5} {100 * ok / len(total):>5.1f}%")
    passed = sum(g.passed for g in grades)
    rate = 100 * passed / len(grades) if grades else 0.0
    lines.append(f"overall: {passed} passed, {len(grades) - passed} failed ({rate:.1f}%)")
    failures = [g for g in grades if not g.passed]
    if failures:
        lines += ["", "failures:"] + [f"{g.item_id} ({g.kind}): {'; '.join(g.reasons)}" for g in failures]
    return "\n".join(lines)
