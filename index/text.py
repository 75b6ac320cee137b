"""Normalise and tokenise Chinese text for lexical search: full-width, traditional forms and figures meet."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
from opencc import OpenCC

from index import jieba_tables

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
JIEBA_CACHE = "jieba.cache"
_T2S = OpenCC("t2s")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_TOKEN = re.compile(rf"[{_CJK}]+|\d+[a-z]+|-?\d+(?:\.\d+)?%?|[a-z][a-z0-9+]*")
_DIGITS = dict(zip("零〇一二两三四五六七八九", "00122345678" + "9", strict=True))
_SPOKEN_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百]+)(?:点([零〇一二三四五六七八九]+))?")


def _small_chinese_int(numeral: str) -> int:
    """Chinese numerals below 1000 (百分之五十八 → 58); enough for spoken percents."""
    total, current = 0, 0
    for char in numeral:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = int(_DIGITS[char])
    return total + current


def _spoken_percent(match: re.Match[str]) -> str:
    whole = _small_chinese_int(match.group(1))
    fraction = "".join(_DIGITS[c] for c in match.group(2)) if match.group(2) else ""
    return f"{whole}.{fraction}%" if fraction else f"{whole}%"


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """NFKC (full-width digits, ％), traditional → simplified, lower case, 百分之X → X%, no thousands commas."""
    text = unicodedata.normalize("NFKC", text)
    text = _T2S.convert(text).lower()
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return _SPOKEN_PERCENT.sub(_spoken_percent, text)


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: CJK character bigrams plus jieba words, figures with and without %, ASCII words."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(normalize(text)):
        run = match.group(0)
        if "\u3400" <= run[0] <= "\u9fff":
            if len(run) == 1:
                tokens.append(run)
                continue
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
            tokens.extend(w for w in jieba.cut_for_search(run) if len(w) > 2)
        else:
            tokens.append(run)
            if run.endswith("%"):
                tokens.append(run[:-1])
    return tokens


def use_cache_dir(folder: Path) -> None:
    """Read jieba's dictionaries from SQLite tables in the cache folder (written once; see index.jieba_tables).

    If they cannot be written there, jieba builds its dictionary itself, caching it in the same folder.
    """
    if not jieba_tables.use_tables(folder) and not jieba.dt.initialized and folder.is_dir():
        jieba.dt.tmp_dir, jieba.dt.cache_file = str(folder), JIEBA_CACHE


def has_cjk(text: str) -> bool:
    """Whether a text contains any Chinese character (else it is routed to dense search only)."""
    return re.search(rf"[{_CJK}]", text) is not None
