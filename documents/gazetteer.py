"""The places the loaded notices are about, so a question's place words can be found and set aside.

Built from the notices' profiles: a Chinese name (咸宁市) where a notice states one, else the pinyin of its file name
(yueyanglou), which a question's Chinese words (岳阳楼区) are matched against by their readings.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from documents.divisions import Division, division_by_code
from documents.places import pinyin_matches, split_level
from documents.profile import NoticeProfile

_LEVEL_SUFFIX = "(?:自治区|省|市|县|区|州|旗)?"


def _leads(text: str, at: int, size: int) -> bool:
    """A two-character word that opens the question (after 请问…) or stands right before a year or period."""
    before = re.sub(r"^(?:请问|我想知道|我想问|问一下|想了解)", "", text[:at]).strip(" ,，")
    after = text[at + size : at + size + 1]
    return not before or after.isdigit() or after in "今去上一二三前全"


def _above(code: str | None) -> list[Division]:
    """The province and prefecture holding a division (辽宁省 for 朝阳市)."""
    if not code:
        return []
    own = division_by_code(code)
    found = [division_by_code(code[:n].ljust(12, "0")) for n in (2, 4)]
    return [d for d in found if d is not None and own is not None and own.within(d)]


class Gazetteer(BaseModel):
    names: list[str]  # Chinese names stated by the notices, with and without their level
    keys: list[str]  # pinyin keys of every notice's place

    @classmethod
    def of(cls, profiles: list[NoticeProfile]) -> Gazetteer:
        names: list[str] = []
        for p in profiles:
            if p.place:
                names += [p.place, split_level(p.place)[0]]
            for above in _above(p.division):  # 辽宁朝阳市: the province qualifies the place, it is no measure word
                names += [above.name, above.stem]
        keys = [p.place_key for p in profiles if p.place_key and not p.place]  # pinyin only where no name is known
        return cls(names=sorted({n for n in names if len(n) >= 2}, key=len, reverse=True), keys=sorted(set(keys)))

    def find(self, text: str) -> list[str]:
        """The words of a text that name one of the notices' places (the longest form, with its level)."""
        found: list[str] = []
        taken = bytearray(len(text))
        for name in self.names:
            for m in re.finditer(re.escape(name) + _LEVEL_SUFFIX, text):
                if not any(taken[m.start() : m.end()]):
                    found.append(m.group())
                    taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        for m in re.finditer(r"[\u4e00-\u9fff]{2,6}", text):
            run, base = m.group(), m.start()
            for size in range(min(5, len(run)), 1, -1):
                for i in range(len(run) - size + 1):
                    word = run[i : i + size]
                    at = base + i
                    if any(taken[at : at + size]):
                        continue
                    suffixed = at + size < len(text) and text[at + size] in "省市县区州旗"
                    if size == 2 and not (suffixed or _leads(text, at, size)):
                        continue  # 城乡 inside a question is a word, not 城厢; a place leads the question
                    if re.fullmatch(r"[省市县区州旗]+", word):
                        continue  # 县市(区): level words, not a place
                    if any(pinyin_matches(word, key) for key in self.keys):
                        end = at + size + (1 if suffixed else 0)
                        found.append(text[at:end])
                        taken[at:end] = b"\x01" * (end - at)
        return found
