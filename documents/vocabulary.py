"""The genre's vocabulary, read once from vocabulary.toml: abbreviations, synonym groups, frame words, English."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

VOCABULARY_FILE = Path(__file__).resolve().parent / "vocabulary.toml"


class Vocabulary(BaseModel):
    abbreviations: dict[str, str] = Field(description="short form → the full term notices write")
    synonyms: list[list[str]] = Field(description="groups of terms that name one measure")
    frame: list[str] = Field(description="words that frame a question without naming what it asks")
    ceilings: list[str] = Field(default_factory=list, description="measures whose target is a ceiling (失业率, 物价)")
    done: list[str] = Field(default_factory=list, description="a table row's progress cell for a task done (已完工)")
    reductions: list[str] = Field(default_factory=list, description="verbs stating a figure as a fall (下降, 压减)")
    english: dict[str, str] = Field(description="English word or phrase → a Chinese term of the notices")
    place_words: list[str] = Field(default_factory=list, description="division stems notices write as words (新建)")

    def expand(self, text: str) -> str:
        """Replace abbreviations by the full term (规上 → 规模以上), leaving text that already has it alone."""
        for short, full in sorted(self.abbreviations.items(), key=lambda kv: -len(kv[0])):
            if short in text and full not in text:
                text = text.replace(short, full)
        return text

    def variants(self, term: str) -> list[str]:
        """The other names of a term: every member of each synonym group that contains it or that it contains."""
        found: list[str] = []
        for group in self.synonyms:
            if any(member in term for member in group):
                found += [m for m in group if m not in term]
        return list(dict.fromkeys(found))


def read_vocabulary(path: Path) -> Vocabulary:
    """Parse a vocabulary file (ValueError naming the file on a bad one)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Vocabulary(
            abbreviations={k.lower(): v for k, v in data.get("abbreviations", {}).items()},
            synonyms=data.get("synonyms", {}).get("groups", []),
            frame=data.get("frame", {}).get("words", []),
            ceilings=data.get("ceilings", {}).get("words", []),
            reductions=data.get("reductions", {}).get("words", []),
            done=data.get("done", {}).get("words", []),
            english={k.lower(): v for k, v in data.get("english", {}).items()},
            place_words=data.get("places", {}).get("common_words", []),
        )
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise ValueError(f"{path}: not a valid vocabulary file ({exc})") from exc


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The bundled vocabulary."""
    return read_vocabulary(VOCABULARY_FILE)
